//! The `passcom` command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::clock::{SystemClock, SystemEntropy};
use crate::config::Config;
use crate::startup;

/// PassCom: ticket sales for a network of independent airlines.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs one airline's node.
    Serve {
        /// Its configuration file (see config/rumos.toml).
        #[arg(long, short)]
        config: PathBuf,
    },
    /// Prints the OpenAPI document of the customer and admin API.
    Openapi,
}

/// Runs the command line; the exit code says how it went.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let outcome = match cli.command {
        Command::Serve { config } => block_on(serve(config)),
        Command::Openapi => print_openapi(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("passcom: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

fn block_on(future: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(future)
}

async fn serve(config_path: PathBuf) -> anyhow::Result<()> {
    let config = Config::load(Some(&config_path))?;
    let running = startup::start(config, Arc::new(SystemClock), Arc::new(SystemEntropy)).await?;
    println!("{} serving on {}", running.node.airline.name, running.url());
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.stop().await
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM can be watched");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}

fn print_openapi() -> anyhow::Result<()> {
    println!("{}", crate::api::openapi().to_pretty_json()?);
    Ok(())
}
