//! `kisi-emulator --listen 127.0.0.1:PORT [--seed FILE]`: serves the emulator until Ctrl-C and
//! prints its base URL (and the seeded owner's API key) on stdout.

#![allow(
    clippy::print_stdout,
    reason = "the base URL and key on stdout are this binary's output"
)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kisi_emulator::{EmulatorConfig, Seed};
use tracing_subscriber::EnvFilter;

/// A faithful in-memory Kisi API server with a control API under /__emulator/.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// A seed document (JSON) with the organization to serve; see seeds/demo.json.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Turn the per-user rate limit (5/s by default) off.
    #[arg(long)]
    no_rate_limit: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let seed = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read seed file {}: {error}", path.display()))?;
            Some(Seed::from_json(&text).map_err(|error| format!("{}: {error}", path.display()))?)
        }
        None => None,
    };
    let config = EmulatorConfig {
        listen: Some(args.listen),
        seed,
        rate_limit_per_second: if args.no_rate_limit {
            None
        } else {
            EmulatorConfig::default().rate_limit_per_second
        },
        ..EmulatorConfig::default()
    };
    let emulator = kisi_emulator::start(config)
        .await
        .map_err(|error| format!("cannot start on {}: {error}", args.listen))?;
    println!("Kisi emulator listening on {}", emulator.base_url());
    if let Some(ids) = emulator.seed_ids() {
        println!("Owner API key: {}", ids.owner_api_key);
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|error| format!("cannot wait for Ctrl-C: {error}"))?;
    emulator.shutdown().await;
    Ok(())
}
