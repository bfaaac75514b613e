//! Review work off the UI thread. Coverage, hotspots, heat tables and freshness fold a month of a busy
//! site; on a phone that may take longer than a frame, so it runs on a worker thread and the screen
//! keeps answering taps meanwhile. The screen shows the last result with "Räknar…" until the new one
//! comes (`class="computing"`, which the component tests wait on).

use dioxus::prelude::*;

/// A result computed off the UI thread; `Err` when the work panicked (it is logged).
pub type Computed<T> = Result<T, String>;

/// Runs `work` on a worker thread with the input `prepare` makes on the UI thread. `prepare` reads the
/// signals the work depends on, so the work runs again when any of them changes. `prepare` must be
/// cheap (reading signals and cloning what the work needs); everything slow goes into `work`.
pub fn use_background<I, T>(
    mut prepare: impl FnMut() -> I + 'static,
    work: fn(I) -> T,
) -> Resource<Computed<T>>
where
    I: Send + 'static,
    T: Send + Sync + 'static,
{
    use_resource(move || {
        let input = prepare();
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
