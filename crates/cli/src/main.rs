//! `doorlink`: serve the hub, run a demo space, explain a refused door, preview a sync. Thin: parse
//! the arguments, run the command from the library, print its report.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the reports and sign-ins (stdout) and fatal errors (stderr) are this binary's output"
)]

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use doorlink_cli::commands::{demo, explain, migrate, serve, support_bundle, sync};
use tracing_subscriber::EnvFilter;

/// Doorlink connects coworking memberships and bookings to Kisi door access.
#[derive(Debug, Parser)]
#[command(name = "doorlink", version, propagate_version = true)]
#[command(
    after_help = "Start here: `doorlink demo`, then open the printed URL.\nLogs: set DOORLINK_LOG (e.g. DOORLINK_LOG=info or debug)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Serve(serve::ServeArgs),
    Demo(demo::DemoArgs),
    Explain(explain::ExplainArgs),
    Sync(sync::SyncArgs),
    Migrate(migrate::MigrateArgs),
    ExportSupportBundle(support_bundle::ExportSupportBundleArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_level = match cli.command {
        // The emulator logs every Kisi request at info: too chatty beside the demo's banner; so
        // does PostgreSQL's "relation _sqlx_migrations already exists, skipping" at each start.
        Command::Serve(_) | Command::Demo(_) => {
            "info,kisi_emulator=warn,sqlx::postgres::notice=warn"
        }
        Command::Explain(_)
        | Command::Sync(_)
        | Command::Migrate(_)
        | Command::ExportSupportBundle(_) => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("DOORLINK_LOG")
                .unwrap_or_else(|_| EnvFilter::new(default_level)),
        )
        .with_writer(std::io::stderr)
        .init();
    let outcome = tokio::runtime::Runtime::new()
        .context("starting the async runtime")
        .and_then(|runtime| runtime.block_on(run(cli.command)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("doorlink: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<()> {
    match command {
        Command::Serve(args) => {
            let config = serve::config(&args)?;
            println!("{}", serve::startup_line(&config));
            serve::run(config, ctrl_c()).await
        }
        Command::Demo(args) => {
            let running = demo::start((&args).into()).await?;
            print!("{}", running.banner());
            ctrl_c().await;
            println!("Stopping the demo…");
            running.shutdown().await;
            Ok(())
        }
        Command::Explain(args) => explain::run(&args).await.map(|report| print!("{report}")),
        Command::Sync(args) => sync::run(&args).await.map(|report| print!("{report}")),
        Command::Migrate(args) => migrate::run(&args).await.map(|report| print!("{report}")),
        Command::ExportSupportBundle(args) => support_bundle::run(&args)
            .await
            .map(|report| print!("{report}")),
    }
}

/// Completes on Ctrl-C (SIGINT); if the signal cannot be watched, the process runs until killed.
async fn ctrl_c() {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot watch for Ctrl-C");
        std::future::pending::<()>().await;
    }
}
