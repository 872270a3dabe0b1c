//! The simulated network, as the node and the buyers see it: a listener the node's HTTP server
//! accepts on, and a connector its peer client (and every buyer's client) dials with.
//!
//! Both are thin: turmoil's `TcpListener` and `TcpStream` already behave like tokio's, so all
//! that is needed is the two traits the product is generic over — axum's `Listener` and, for
//! the client, a `tower::Service<Uri>` that `passcom::network::client::connector` boxes into
//! the node's `PeerConnector`.

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::Uri;
use hyper_util::rt::TokioIo;
use passcom::network::client::{BoxError, PeerConnector, connector};
use turmoil::net::{TcpListener, TcpStream};

/// The node's HTTP listener on the simulated network.
pub struct SimListener(TcpListener);

impl SimListener {
    /// Listens on `port` of every address of the current host.
    pub async fn bind(port: u16) -> io::Result<Self> {
        let address = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port);
        Ok(Self(TcpListener::bind(address).await?))
    }
}

/// Wait before accepting again after a failed accept (axum's own listeners do the same).
const ACCEPT_RETRY: Duration = Duration::from_millis(10);

impl axum::serve::Listener for SimListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok(accepted) => return accepted,
                Err(_) => tokio::time::sleep(ACCEPT_RETRY).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// Dials `host:port` of a URI on the simulated network.
#[derive(Debug, Clone, Copy, Default)]
pub struct SimDialer;

impl tower::Service<Uri> for SimDialer {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        Box::pin(async move {
            let host = uri.host().ok_or("a URI without a host")?.to_owned();
            let port = uri.port_u16().unwrap_or(80);
            Ok(TokioIo::new(TcpStream::connect((host, port)).await?))
        })
    }
}

/// The connector a simulated node reaches its peers with.
pub fn sim_connector() -> PeerConnector {
    connector(SimDialer)
}
