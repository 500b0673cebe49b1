//! `doorlink`: serve the hub, run a demo space, explain a refused door, preview a sync. Thin: parse
//! the arguments, run the command from the library, print its report.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the reports and sign-ins (stdout) and fatal errors (stderr) are this binary's output"
)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use doorlink_cli::commands::{explain, sync};
use tracing_subscriber::EnvFilter;

/// Doorlink connects coworking memberships and bookings to Kisi door access.
#[derive(Debug, Parser)]
#[command(name = "doorlink", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Explain(explain::ExplainArgs),
    Sync(sync::SyncArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("DOORLINK_LOG").unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("doorlink: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match &cli.command {
            Command::Explain(args) => explain::run(args).await.map(|report| print!("{report}")),
            Command::Sync(args) => sync::run(args).await.map(|report| print!("{report}")),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("doorlink: {error:#}");
            ExitCode::FAILURE
        }
    }
}
