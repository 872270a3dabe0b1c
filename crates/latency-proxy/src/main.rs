//! `latency-proxy`: the links of one test host to its peers, each delayed, each with a cut
//! switch (see the library's documentation).
//!
//! ```text
//! latency-proxy --rtt-ms 40 --jitter-ms 2 --control 127.0.0.1:7700 \
//!     --link giro,127.0.0.1:17001,10.231.0.12:8888 --link boreal,127.0.0.1:17002,10.231.0.13:9999
//! ```
//!
//! It prints `ready` once every port listens, then runs until it is killed.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use passcom_latency_proxy::{Control, Link, Timing};
use tokio::net::TcpListener;

/// Delays and cuts the links of one test host to its peers.
#[derive(Parser)]
struct Args {
    /// A link, as NAME,LISTEN,TARGET: connections to LISTEN are carried to TARGET.
    #[arg(long = "link", required = true, value_parser = parse_link)]
    links: Vec<(String, SocketAddr, SocketAddr)>,
    /// The round trip every link adds, in milliseconds.
    #[arg(long, default_value_t = 0)]
    rtt_ms: u64,
    /// How much each chunk's delay varies, either way, in milliseconds.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Where the control port listens (keep it on loopback).
    #[arg(long)]
    control: SocketAddr,
}

fn parse_link(text: &str) -> Result<(String, SocketAddr, SocketAddr), String> {
    let [name, listen, target] = text.split(',').collect::<Vec<_>>()[..] else {
        return Err("a link is NAME,LISTEN,TARGET".into());
    };
    let address = |text: &str| text.parse().map_err(|_| format!("not an address: {text}"));
    Ok((name.to_owned(), address(listen)?, address(target)?))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let timing = Timing { rtt_ms: args.rtt_ms, jitter_ms: args.jitter_ms };
    let mut links = Vec::new();
    for (name, listen, target) in args.links {
        let listener = TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let link = Arc::new(Link::new(name, listen, target, timing));
        tokio::spawn(link.clone().serve(listener));
        links.push(link);
    }
    let control = TcpListener::bind(args.control)
        .await
        .with_context(|| format!("cannot listen on {}", args.control))?;
    for link in &links {
        println!("{}", link.describe());
    }
    println!("ready");
    Arc::new(Control::new(links)).serve(control).await;
    Ok(())
}
