//! Serving: our own accept loop over hyper, so an injected fault can close a connection without
//! any response (something `axum::serve` cannot do), and a request log line per request.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::auth::{LoggedUser, PeerAddr};
use crate::config::EmulatorConfig;
use crate::control::{Control, Shared};
use crate::errors::ApiError;
use crate::faults::FaultOutcome;
use crate::routes::{self, CONTROL_PREFIX};
use crate::seed::SeedIds;
use crate::webhooks;

/// Starts an emulator (seeded if the config carries a seed) and serves it in the background.
pub async fn start(config: EmulatorConfig) -> io::Result<RunningEmulator> {
    let listener = TcpListener::bind(config.listen_addr()).await?;
    let addr = listener.local_addr()?;
    let (shared, recorded_events) = Shared::new(&config);
    let shared = Arc::new(shared);
    // Ends by itself once the emulator's state is dropped (the event queue closes).
    tokio::spawn(webhooks::dispatch::run(
        Arc::clone(&shared.webhooks),
        recorded_events,
    ));
    let control = Control {
        shared: Arc::clone(&shared),
    };
    let seed_ids = match config.seed {
        Some(seed) => Some(control.try_seed(seed).map_err(io::Error::other)?),
        None => None,
    };
    let (stop, stopped) = oneshot::channel();
    let router = routes::router(Arc::clone(&shared));
    let task = tokio::spawn(accept_loop(listener, router, shared, stopped));
    tracing::info!(%addr, "kisi emulator listening");
    Ok(RunningEmulator {
        addr,
        control,
        seed_ids,
        stop,
        task,
    })
}

/// A running emulator. Dropping it stops the server as well (without waiting for it);
/// [`RunningEmulator::shutdown`] also waits until every connection is closed.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    control: Control,
    seed_ids: Option<SeedIds>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn control(&self) -> &Control {
        &self.control
    }

    /// The ids (and owner API key) of the seed given in [`EmulatorConfig::seed`], if any.
    pub fn seed_ids(&self) -> Option<&SeedIds> {
        self.seed_ids.as_ref()
    }

    /// Stops accepting, closes every open connection and waits for the server task.
    pub async fn shutdown(self) {
        // The loop may already be gone (runtime shutting down); nothing left to stop then.
        let _ = self.stop.send(());
        if let Err(error) = self.task.await {
            tracing::warn!(%error, "kisi emulator task ended abnormally");
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    shared: Arc<Shared>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(serve_connection(stream, peer, router.clone(), Arc::clone(&shared)));
                }
                Err(error) => tracing::warn!(%error, "accepting a connection failed"),
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    // Dropping the set aborts every connection still open.
    connections.shutdown().await;
}

/// Returned by the service to make hyper close the connection without writing a response.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault")]
struct ConnectionDropped;

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    shared: Arc<Shared>,
) {
    let service = service_fn(move |request: Request<Incoming>| {
        handle(request, peer, router.clone(), Arc::clone(&shared))
    });
    // hyper's header-read timeout needs a timer; without one a silent client would hold the
    // connection forever.
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    if let Err(error) = connection.await {
        tracing::debug!(%peer, %error, "connection ended");
    }
}

async fn handle(
    mut request: Request<Incoming>,
    peer: SocketAddr,
    router: Router,
    shared: Arc<Shared>,
) -> Result<Response<Body>, ConnectionDropped> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    request.extensions_mut().insert(PeerAddr(peer));
    let mut rewrite = false;
    let mut lose_answer = false;
    let mut held_answer = None;
    let injected = if is_control_path(&path) {
        None
    } else {
        let plan = shared.faults.next_request();
        rewrite = plan.null_flags;
        held_answer = plan.held_answer;
        if let Some(latency) = plan.latency {
            tokio::time::sleep(latency).await;
        }
        match plan.outcome {
            FaultOutcome::Proceed => None,
            FaultOutcome::LoseAnswer => {
                lose_answer = true;
                None
            }
            FaultOutcome::Drop => {
                tracing::info!(%method, %path, "injected fault: connection dropped");
                return Err(ConnectionDropped);
            }
            FaultOutcome::TooManyRequests => Some(ApiError::RateLimited {
                retry_after_seconds: 1,
            }),
            FaultOutcome::ServerError => Some(ApiError::ServerError),
        }
    };
    let was_injected = injected.is_some();
    let response = match injected {
        Some(error) => error.into_response(),
        None => match router.oneshot(request.map(Body::new)).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
    };
    if let Some(held) = held_answer {
        // Kisi acted; the answer waits (a client closing the connection meanwhile ends this
        // task, the work stays done).
        tokio::time::sleep(held).await;
    }
    if lose_answer {
        tracing::info!(%method, %path, status = response.status().as_u16(), "injected fault: Kisi acted, its answer is lost");
        return Err(ConnectionDropped);
    }
    let response = if rewrite {
        with_null_flags(response).await
    } else {
        response
    };
    let user_id = response
        .extensions()
        .get::<LoggedUser>()
        .and_then(|user| user.0);
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        user_id,
        injected = was_injected,
        "kisi request"
    );
    Ok(response)
}

/// [`crate::faults::Fault::NullFlags`]: a successful JSON answer rewritten; anything else as is.
async fn with_null_flags(response: Response<Body>) -> Response<Body> {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "could not read an answer to rewrite");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    crate::faults::null_flags(&mut json);
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}

/// Control requests are never faulted: a test must always be able to clear what it injected.
fn is_control_path(path: &str) -> bool {
    path.strip_prefix(CONTROL_PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_control_prefix_escapes_faults() {
        assert!(is_control_path("/__emulator/state"));
        assert!(!is_control_path("/__emulatorx"));
        assert!(!is_control_path("/locks"));
    }
}
