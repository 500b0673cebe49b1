//! The client keeps within Kisi's 5 requests/second per user, with zero 429s, while using at
//! least 95% of that budget. Four tasks over two clients of the same credential (a clone and a
//! separately built one) hammer the emulator, whose own limit is on; retries are off, so any
//! 429 shows up as an error here. Prints the achieved rate and the 429 count; exits non-zero
//! when either bound is missed.

#![allow(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark reports on stdout and stops loudly when its setup fails"
)]

use std::time::Instant;

use kisi::{Connection, KisiClient, KisiConfig, KisiError, RetryPolicy, Secret};
use kisi_emulator::{EmulatorConfig, Seed};

const CALLS_PER_TASK: usize = 15;
const TASKS: usize = 4;
const BUDGET_PER_SECOND: f64 = 5.0;

#[tokio::main]
async fn main() {
    let emulator = kisi_emulator::start(EmulatorConfig {
        seed: Some(Seed::demo().expect("demo seed")),
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator starts");
    let key = emulator.seed_ids().expect("seeded").owner_api_key.clone();
    let config = KisiConfig {
        connection: Connection {
            retry: RetryPolicy::never(),
            ..Connection::new(emulator.base_url())
        },
        credential: Secret::new(key),
    };
    let first = KisiClient::new(config.clone()).expect("client builds");
    let second = KisiClient::new(config).expect("client builds");
    let clients = [first.clone(), first, second.clone(), second];

    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|client| {
            tokio::spawn(async move {
                let mut outcomes = Vec::with_capacity(CALLS_PER_TASK);
                for _ in 0..CALLS_PER_TASK {
                    outcomes.push(client.current_user().await.map(drop));
                }
                outcomes
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.expect("task finishes"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    emulator.shutdown().await;

    let calls = outcomes.len();
    let too_many = outcomes
        .iter()
        .filter(|o| matches!(o, Err(KisiError::RateLimited { .. })))
        .count();
    let other_errors = outcomes.iter().filter(|o| o.is_err()).count() - too_many;
    // The first call leaves at once; the others are spaced, so the rate is intervals / time.
    let rate = (calls - 1) as f64 / elapsed;
    let used = rate / BUDGET_PER_SECOND * 100.0;
    println!(
        "rate_budget: {calls} calls ({TASKS} tasks, 2 clients, 1 credential) in {elapsed:.2}s: \
         {rate:.2} req/s = {used:.1}% of the 5/s budget; 429s: {too_many}; other errors: {other_errors}"
    );
    let within_budget = rate <= BUDGET_PER_SECOND * 1.01;
    let budget_used = used >= 95.0;
    if too_many > 0 || other_errors > 0 || !within_budget || !budget_used {
        println!("rate_budget: FAILED (want 0 errors, <= 5 req/s, >= 95% used)");
        std::process::exit(1);
    }
}
