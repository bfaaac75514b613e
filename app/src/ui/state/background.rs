//! Review work off the UI thread. Coverage, hotspots, heat tables and freshness fold a month of a busy
//! site; on a phone that may take longer than a frame, so it runs on a worker thread and the screen
//! keeps answering taps meanwhile. The screen shows the last result with "Räknar…" until the new one
//! comes (`class="computing"`, which the component tests wait on).

use dioxus::prelude::*;

use super::{Services, use_services, use_ui};

/// A result computed off the UI thread; `Err` when the work panicked (it is logged).
pub type Computed<T> = Result<T, String>;

/// Runs `work` on a worker thread with the input `prepare` makes on the UI thread. `prepare` reads the
/// signals the work depends on, so the work runs again when any of them changes. `prepare` must be
/// cheap (reading signals and cloning what the work needs); everything slow goes into `work`.
pub fn use_background<I, T, W>(
    mut prepare: impl FnMut() -> I + 'static,
    work: W,
) -> Resource<Computed<T>>
where
    I: Send + 'static,
    T: Send + Sync + 'static,
    W: Fn(I) -> T + Send + Sync + 'static,
{
    let work = std::sync::Arc::new(work);
    use_resource(move || {
        let input = prepare();
        let work = work.clone();
        async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let spawned = std::thread::Builder::new()
                .name("torgkoll-review".into())
                .spawn(move || {
                    let _ = tx.send(work(input));
                });
            if let Err(e) = spawned {
                tracing::error!("cannot start review work: {e}");
                return Err(e.to_string());
            }
            rx.await.map_err(|_| {
                tracing::error!("review work failed");
                "the computation failed".to_owned()
            })
        }
    })
}

/// Work on the store off the UI thread: like [`use_background`], and run again whenever the store
/// changes (`UiState::rev`), so a view never reads the refresh counter itself.
pub fn use_store_background<I, T, W>(
    mut inputs: impl FnMut() -> I + 'static,
    work: W,
) -> Resource<Computed<T>>
where
    I: Send + 'static,
    T: Send + Sync + 'static,
    W: Fn(&Services, I) -> T + Send + Sync + 'static,
{
    let svc = use_services();
    let ui = use_ui();
    use_background(
        move || {
            let _ = (ui.rev)();
            (svc.clone(), inputs())
        },
        move |(svc, input)| work(&svc, input),
    )
}

/// Whether the resource is computing now (subscribes the caller).
pub fn computing<T>(r: &Resource<T>) -> bool {
    *r.state().read() == UseResourceState::Pending
}

/// "Räknar…" while a computation runs.
#[component]
pub fn Computing(busy: bool) -> Element {
    let lang = crate::ui::state::use_lang();
    rsx! {
        if busy {
            p { class: "computing", role: "status",
                {crate::ui::i18n::Msg::Computing.t(lang)}
            }
        }
    }
}
