//! From the press to the unlock request leaving the process (target < 5 ms): the time from
//! calling the unlock path the command runs (`KisiUnlocker::unlock`, warm client) until the
//! request's first bytes arrive at a loopback listener standing in for Kisi. The IPC hop from
//! the webview is not included (it is measured by the end-to-end run's timings).

#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark binary"
)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use doorlink_desktop::kisi_unlock::KisiUnlocker;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

const ANSWER: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 23\r\n\r\n{\"message\":\"Unlocked!\"}";

/// A keep-alive HTTP/1.1 server that reports when each request's first bytes arrive.
async fn stand_in_for_kisi(arrivals: mpsc::UnboundedSender<Instant>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let arrivals = arrivals.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let mut pending = Vec::new();
                loop {
                    let Ok(read) = socket.read(&mut buffer).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    if pending.is_empty() {
                        let _ = arrivals.send(Instant::now());
                    }
                    pending.extend_from_slice(&buffer[..read]);
                    if request_complete(&pending) {
                        pending.clear();
                        if socket.write_all(ANSWER).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

/// Head read and, if it announces one, the whole body.
fn request_complete(bytes: &[u8]) -> bool {
    let Some(head_end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_ascii_lowercase();
    let body_len = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    bytes.len() >= head_end + 4 + body_len
}

fn press_to_request_on_the_wire(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (tx, mut arrivals) = mpsc::unbounded_channel();
    let url = runtime.block_on(stand_in_for_kisi(tx));
    let connection = kisi::Connection {
        rate_limit: None,
        ..kisi::Connection::new(url.as_str())
    };
    let unlocker = KisiUnlocker::with_connection(connection, "bench-login").expect("a client");
    // Warm the connection pool as the app does at its first refresh.
    runtime.block_on(unlocker.unlock(1));
    runtime.block_on(arrivals.recv());

    c.bench_function("press → unlock request on the wire", |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let pressed = Instant::now();
                    let outcome = unlocker.unlock(7).await;
                    assert!(outcome.unlocked);
                    let arrived = arrivals.recv().await.expect("the server saw the request");
                    total += arrived - pressed;
                }
                total
            })
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = press_to_request_on_the_wire
}
criterion_main!(benches);
