//! Load benchmark of `GET /api/me/access` (loopback only, bounded in time and count).
//!
//! Builds a 10,000-person space on disk, runs the real `doorlink serve` as a child process (so its
//! resident memory can be read from /proc/<pid>/status), signs in 200 members and then:
//! 1. fires requests open-loop at a fixed 500 requests/second for 10 s and reports p50/p99,
//!    measured from each request's scheduled send time (no coordinated omission);
//! 2. ramps the rate in 3-second steps until the hub stops keeping up, and reports the highest
//!    sustainable rate;
//! 3. reports the hub's VmRSS and VmHWM.
//!
//! Targets (issue 5): p99 < 5 ms at 500 req/s; RSS < 60 MB with 10,000 people.
//! `cargo bench -p doorlink-cli --bench access_load`. Knobs: DOORLINK_LOAD_PEOPLE (10000),
//! DOORLINK_LOAD_SECONDS (10). The client shares the machine with the hub.

#![allow(
    clippy::print_stdout,
    reason = "a harness=false bench reports its figures on stdout"
)]

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use doorlink_cli::commands::demo;
use doorlink_cli::data;
use doorlink_cli::demo_space::{LoadSpace, build_load_space};
use doorlink_core::{Email, KisiView, PersonId, access_page};
use doorlink_hub::hash_password;
use doorlink_store::{AccountRole, Store};
use serde_json::json;
use tokio::task::JoinSet;

const MEMBERS_SIGNED_IN: usize = 200;
const PASSWORD: &str = "load-test-password";
const FIXED_RATE: f64 = 500.0;
const RAMP: [f64; 8] = [
    1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 4000.0, 5000.0, 6000.0,
];
const RAMP_STEP: Duration = Duration::from_secs(3);
/// A step is sustainable when every request succeeds, the hub keeps pace (the last answer
/// arrives within half a second of the last send) and p99 stays under this.
const SUSTAINABLE_P99: Duration = Duration::from_millis(50);

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<()> {
    let people = usize::try_from(env_number("DOORLINK_LOAD_PEOPLE", 10_000))?;
    let seconds = env_number("DOORLINK_LOAD_SECONDS", 10);
    let dir = tempfile::tempdir()?;

    let started = Instant::now();
    let emails = prepare(dir.path(), people).await?;
    println!(
        "load space: {people} people written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let address = free_loopback_address()?;
    let mut hub = HubProcess::start(dir.path(), address)?;
    let base = format!("http://{address}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()?;
    wait_until_up(&client, &base).await?;
    let idle_rss = hub.memory()?;
    let tokens: Arc<[String]> = sign_in_all(&client, &base, &emails).await?.into();
    let url: Arc<str> = format!("{base}/api/me/access").into();
    let signed_in_rss = hub.memory()?;

    // Warm the hub's caches and connections.
    fire(&client, &url, &tokens, 200.0, Duration::from_secs(2)).await;

    let fixed = fire(
        &client,
        &url,
        &tokens,
        FIXED_RATE,
        Duration::from_secs(seconds),
    )
    .await;
    println!("GET /api/me/access at {FIXED_RATE} req/s for {seconds} s: {fixed}");
    let fixed_rss = hub.memory()?;

    let mut sustainable = fixed.sustainable().then_some(FIXED_RATE);
    for rate in RAMP {
        let step = fire(&client, &url, &tokens, rate, RAMP_STEP).await;
        println!("  ramp {rate} req/s: {step}");
        if !step.sustainable() {
            break;
        }
        sustainable = Some(rate);
    }
    match sustainable {
        Some(rate) => println!("max sustainable rate: {rate} req/s (of the steps tried)"),
        None => println!("max sustainable rate: below {FIXED_RATE} req/s"),
    }

    let loaded = hub.memory()?;
    println!(
        "hub memory with {people} people (VmRSS): idle {} MB; after {} sign-ins {} MB; after \
         {FIXED_RATE} req/s {} MB; after the ramp {} MB (peak VmHWM {} MB)",
        idle_rss.rss_kb / 1024,
        tokens.len(),
        signed_in_rss.rss_kb / 1024,
        fixed_rss.rss_kb / 1024,
        loaded.rss_kb / 1024,
        loaded.hwm_kb / 1024
    );
    hub.stop();
    Ok(())
}

/// Writes the load space and one member account per signed-in member; returns their e-mails.
async fn prepare(dir: &Path, people: usize) -> Result<Vec<String>> {
    let emulator = demo::start_emulator(0).await?;
    let seed = emulator
        .seed_ids()
        .context("the emulator has the demo seed")?;
    let store = Store::open(data::database_path(dir)).await?;
    let space = build_load_space(
        &store,
        seed,
        &emulator.control().state(),
        people,
        Utc::now(),
    )
    .await?;
    // One hash for every account: argon2 is deliberately slow, and the bench measures reads.
    let hash = hash_password(PASSWORD)
        .await
        .map_err(|error| anyhow::anyhow!("hashing: {error}"))?;
    let step = (people / MEMBERS_SIGNED_IN).max(1);
    let mut emails = Vec::new();
    for person in space.people.iter().step_by(step).take(MEMBERS_SIGNED_IN) {
        let email = Email::parse(person.email.as_str())?;
        store
            .accounts()
            .create(&email, AccountRole::Member, Some(person.id), &hash)
            .await?;
        emails.push(person.email.to_string());
    }
    report_parts(&store, &space).await?;
    // Nothing is connected to Kisi, so the outbox the writes filled has nothing to do.
    store.close().await;
    emulator.shutdown().await;
    Ok(emails)
}

/// The in-process cost of what one `GET /api/me/access` computes, one call after the other, so a
/// slow answer can be traced to its part.
async fn report_parts(store: &Store, space: &LoadSpace) -> Result<()> {
    const CALLS: u32 = 300;
    let sample: Vec<PersonId> = space
        .people
        .iter()
        .step_by((space.people.len() / CALLS as usize).max(1))
        .map(|p| p.id)
        .collect();
    let now = Utc::now();
    let started = Instant::now();
    let mut facts = Vec::with_capacity(sample.len());
    for &person in &sample {
        facts.push(store.load_person_facts(space.location, person).await?);
    }
    let load = started.elapsed() / CALLS;
    let started = Instant::now();
    let mut view = KisiView::unknown();
    for _ in 0..CALLS {
        view = store.kisi_mirror().kisi_view(space.location).await?;
    }
    let read_view = started.elapsed() / CALLS;
    let started = Instant::now();
    for (facts, &person) in facts.iter().zip(&sample) {
        std::hint::black_box(access_page(facts, &view, person, now));
    }
    let compute = started.elapsed() / CALLS;
    println!(
        "per request, in process: load_person_facts {} µs, kisi_view {} µs, access_page {} µs",
        load.as_micros(),
        read_view.as_micros(),
        compute.as_micros()
    );
    Ok(())
}

fn free_loopback_address() -> Result<SocketAddr> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    Ok(listener.local_addr()?)
}

/// `doorlink serve` as a child process (the binary this package builds).
struct HubProcess {
    child: Child,
}

#[derive(Debug, Clone, Copy)]
struct Memory {
    rss_kb: u64,
    hwm_kb: u64,
}

impl HubProcess {
    fn start(dir: &Path, address: SocketAddr) -> Result<Self> {
        let child = Command::new(env!("CARGO_BIN_EXE_doorlink"))
            .args(["serve", "--listen", &address.to_string(), "--data"])
            .arg(dir)
            // No Kisi is connected; the worker would only drop the outbox entries of the writes.
            .env("DOORLINK_SYNC_WORKER", "false")
            // 200 sign-ins from one address within a minute.
            .env("DOORLINK_SIGN_IN_ATTEMPTS_PER_MINUTE", "100000")
            .env("DOORLINK_LOG", "warn")
            .env_remove("DOORLINK_CONFIG")
            .stdout(Stdio::null())
            .spawn()
            .context("starting doorlink serve")?;
        Ok(Self { child })
    }

    fn memory(&self) -> Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let field = |name: &str| -> Result<u64> {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kb| kb.parse().ok())
                .with_context(|| format!("{name} missing from /proc/<pid>/status"))
        };
        Ok(Memory {
            rss_kb: field("VmRSS:")?,
            hwm_kb: field("VmHWM:")?,
        })
    }

    fn stop(&mut self) {
        // Only the child this bench started, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn wait_until_up(client: &reqwest::Client, base: &str) -> Result<()> {
    for _ in 0..300 {
        if client
            .get(format!("{base}/api/auth/session"))
            .send()
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("doorlink serve did not answer on {base} within 30 s")
}

async fn sign_in_all(
    client: &reqwest::Client,
    base: &str,
    emails: &[String],
) -> Result<Vec<String>> {
    let mut tokens = Vec::with_capacity(emails.len());
    for email in emails {
        let response = client
            .post(format!("{base}/api/auth/sign-in"))
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("sign-in of {email}: {}", response.status());
        }
        let session: serde_json::Value = response.json().await?;
        let token = session["token"]
            .as_str()
            .context("the sign-in answer has a token")?;
        tokens.push(token.to_owned());
    }
    Ok(tokens)
}

/// Latencies of one step, from each request's scheduled send time to its complete answer.
struct Step {
    offered: usize,
    failures: usize,
    latencies: Vec<Duration>,
    /// From the last scheduled send to the last answer: the backlog left at the end.
    lag: Duration,
}

impl Step {
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[rank.min(self.latencies.len() - 1)]
    }

    fn sustainable(&self) -> bool {
        self.failures == 0
            && self.lag < Duration::from_millis(500)
            && self.percentile(0.99) < SUSTAINABLE_P99
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} requests, {} failed, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, final lag {} ms",
            self.offered,
            self.failures,
            self.percentile(0.50).as_secs_f64() * 1e3,
            self.percentile(0.99).as_secs_f64() * 1e3,
            self.latencies
                .last()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1e3,
            self.lag.as_millis()
        )
    }
}

/// Sends `rate` requests per second for `duration`, open loop: each request leaves at its
/// scheduled instant whether or not earlier ones were answered.
async fn fire(
    client: &reqwest::Client,
    url: &Arc<str>,
    tokens: &Arc<[String]>,
    rate: f64,
    duration: Duration,
) -> Step {
    let count = (rate * duration.as_secs_f64()) as usize;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = tokio::time::Instant::now();
    let mut requests = JoinSet::new();
    for n in 0..count {
        let scheduled = start + interval.mul_f64(n as f64);
        tokio::time::sleep_until(scheduled).await;
        let client = client.clone();
        let url = Arc::clone(url);
        let tokens = Arc::clone(tokens);
        requests.spawn(async move {
            let token = &tokens[n % tokens.len()];
            let answer = client.get(&*url).bearer_auth(token).send().await;
            let ok = match answer {
                Ok(response) if response.status().is_success() => response.bytes().await.is_ok(),
                _ => false,
            };
            (ok, scheduled.elapsed())
        });
    }
    let last_send = start + interval.mul_f64(count.saturating_sub(1) as f64);
    let mut latencies = Vec::with_capacity(count);
    let mut failures = 0;
    while let Some(joined) = requests.join_next().await {
        match joined {
            Ok((true, latency)) => latencies.push(latency),
            _ => failures += 1,
        }
    }
    let lag = last_send.elapsed();
    latencies.sort_unstable();
    Step {
        offered: count,
        failures,
        latencies,
        lag,
    }
}
