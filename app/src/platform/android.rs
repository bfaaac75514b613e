//! Android specifics that need the app's Java side: the app's private files directory.
//!
//! An Android app is started by its launcher with no command line and no `HOME`, so neither
//! `--data-dir` nor the `directories` crate can say where the database lives. The answer is the
//! Activity's `Context.getFilesDir()`: private to the app, kept until it is uninstalled, never on shared
//! storage. The Activity and the Java VM come from `ndk-context`, which tao (under Dioxus's mobile
//! launcher) fills in before it calls `main`; `robius-android-env` turns those raw pointers into a JNI
//! environment without `unsafe` in this crate (the workspace forbids it).

use std::path::PathBuf;

use jni::JNIEnv;
use jni::objects::{JObject, JString};

/// The app's private files directory (`/data/user/0/<application id>/files`), or `None` when the
/// Android context is not there (a binary not started by the app's Activity) or a JNI call failed.
pub fn files_dir() -> Option<PathBuf> {
    // `ndk_context::android_context()` panics when nothing initialized it; that must not take the app
    // down before it has had a chance to say what is wrong.
    let outcome = std::panic::catch_unwind(|| robius_android_env::with_activity(files_dir_of));
    match outcome {
        Ok(Ok(Ok(dir))) => Some(dir),
        Ok(Ok(Err(e))) | Ok(Err(e)) => {
            tracing::error!("Context.getFilesDir() failed: {e}");
            None
        }
        Err(_) => {
            tracing::error!("no Android context: was the app started by its Activity?");
            None
        }
    }
}

/// `context.getFilesDir().getAbsolutePath()`, clearing any Java exception a call left pending (a
/// pending exception would make every later JNI call on this thread fail).
fn files_dir_of(env: &mut JNIEnv<'_>, context: &JObject<'_>) -> jni::errors::Result<PathBuf> {
    let result = (|| {
        let dir = env
            .call_method(context, "getFilesDir", "()Ljava/io/File;", &[])?
            .l()?;
        if dir.is_null() {
            return Err(jni::errors::Error::NullPtr("getFilesDir"));
        }
        let path = env
            .call_method(&dir, "getAbsolutePath", "()Ljava/lang/String;", &[])?
            .l()?;
        let path = JString::from(path);
        let path: String = env.get_string(&path)?.into();
        Ok(PathBuf::from(path))
    })();
    if result.is_err() && env.exception_check().unwrap_or(false) {
        let _ = env.exception_describe();
        let _ = env.exception_clear();
    }
    result
}
