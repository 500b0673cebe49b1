//! Client overhead per call against the emulator on loopback, rate limit off on both sides.
//!
//! `raw_reqwest` is the same request made with a bare reqwest client; the difference to
//! `kisi_client` is what the client adds (headers, budget check, retry loop, error decoding, serde).

#![allow(
    clippy::expect_used,
    reason = "a benchmark whose setup fails should stop loudly"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kisi::{Connection, KisiClient, KisiConfig, LockFilter, Secret};
use kisi_emulator::{EmulatorConfig, Seed};

fn overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let emulator = runtime
        .block_on(kisi_emulator::start(EmulatorConfig {
            rate_limit_per_second: None,
            seed: Some(Seed::demo().expect("demo seed")),
            ..EmulatorConfig::default()
        }))
        .expect("emulator starts");
    let key = emulator.seed_ids().expect("seeded").owner_api_key.clone();
    let base_url = emulator.base_url();
    let client = KisiClient::new(KisiConfig {
        connection: Connection {
            rate_limit: None,
            ..Connection::new(base_url.clone())
        },
        credential: Secret::new(key.clone()),
    })
    .expect("client builds");
    let raw = reqwest::Client::new();
    let user_url = format!("{base_url}/user");
    let auth = format!("KISI-LOGIN {key}");

    let mut group = c.benchmark_group("per_call_rate_limit_off");
    group.throughput(Throughput::Elements(1));
    group.bench_function("raw_reqwest_get_user", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = raw
                .get(&user_url)
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .send()
                .await
                .expect("answer");
            response.bytes().await.expect("body")
        });
    });
    group.bench_function("kisi_client_current_user", |b| {
        b.to_async(&runtime)
            .iter(|| async { client.current_user().await.expect("current user") });
    });
    group.bench_function("kisi_client_locks_all_pages", |b| {
        b.to_async(&runtime)
            .iter(|| async { client.locks(&LockFilter::default()).await.expect("locks") });
    });
    group.finish();
    runtime.block_on(emulator.shutdown());
}

criterion_group!(benches, overhead);
criterion_main!(benches);
