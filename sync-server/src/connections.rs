//! Accepting connections: HTTP/1.1 with a header read timeout, one task per connection, and a graceful
//! shutdown that finishes the requests in flight.
//!
//! `axum::serve` gives no access to hyper's connection builder and installs no timer, so hyper's header
//! read timeout never runs there: a client that opened a connection and never finished its headers held
//! it, and a task, for ever. This loop is axum's own (accept, spawn, drain on shutdown) with the builder
//! in reach. The body's deadline is applied where the body is read ([`crate::body`]). HTTP/1.1 only, as
//! before: the phone's client speaks nothing else, and HTTP/1's header timeout covers every connection
//! from its first moment (an idle one included), which an HTTP/2 preface sniffer would not. With TLS
//! ([`serve_tls`]) the handshake comes first, in the connection's task, bounded by the same timeout.

use std::future::Future;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::routes::router;
use crate::state::AppState;

/// Serves the API on `listener` until `shutdown` completes, then stops accepting, lets every connection
/// finish the request it is on, and returns when all are closed.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_tls(listener, state, None, shutdown).await
}

/// [`serve`], over TLS when `tls` is given: each accepted connection does its handshake in its own task,
/// within the header read timeout, so a slow or failed handshake holds neither the accept loop nor
/// anything else; a failed one is logged at debug and the connection dropped.
pub async fn serve_tls(
    listener: TcpListener,
    state: AppState,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handshake_timeout = state.limits.header_read_timeout;
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.limits.header_read_timeout);
    let wake = state.wake.clone();
    let app = router(state);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let Some(tls) = &tls else {
            let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                if let Err(e) = conn.await {
                    tracing::debug!(%peer, error = %e, "connection closed on an error");
                }
            });
            continue;
        };
        let (tls, http, watcher) = (tls.clone(), http.clone(), graceful.watcher());
        tokio::spawn(async move {
            let stream = match tokio::time::timeout(handshake_timeout, tls.accept(stream)).await {
                Ok(Ok(stream)) => stream,
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(%peer, "TLS handshake timed out");
                    return;
                }
            };
            let conn = watcher.watch(http.serve_connection(TokioIo::new(stream), service));
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection closed on an error");
            }
        });
    }
    drop(listener);
    // Open wake-up channels would keep their connections for ever.
    wake.close();
    tracing::debug!(connections = graceful.count(), "draining");
    graceful.shutdown().await;
    Ok(())
}

/// A failed accept: a connection that went away before it was accepted is nothing; anything else (out of
/// file descriptors, say) is logged and waited out, as `axum::serve` does.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Completes on SIGINT or SIGTERM. The handlers are installed when this is called, not when the future
/// is first polled: a signal that comes as soon as the server answers (a supervisor that checks health,
/// then stops it) is never taken by the default action, which would end the process without draining.
/// Call it inside the runtime.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind, name: &'static str| {
            let s = signal(kind);
            if let Err(e) = &s {
                tracing::error!(error = %e, "cannot listen for {name}");
            }
            async move {
                match s {
                    Ok(mut s) => {
                        s.recv().await;
                    }
                    Err(_) => std::future::pending::<()>().await,
                }
            }
        };
        let interrupt = listen(SignalKind::interrupt(), "SIGINT");
        let terminate = listen(SignalKind::terminate(), "SIGTERM");
        async move {
            tokio::select! {
                () = interrupt => tracing::info!("SIGINT: shutting down"),
                () = terminate => tracing::info!("SIGTERM: shutting down"),
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("Ctrl-C: shutting down");
    }
}
