//! Connections from clients, held against floods: a cap on the connections open at once from
//! one client address and in all, and an idle timeout on each.
//!
//! [`Guarded`] wraps any [`Listener`] — tokio's, or the simulator's — so the HTTP server and the
//! console get the same defence. Without it, one host holding twenty thousand idle sockets used
//! up the node's file descriptors: new customers timed out while peers still saw the node
//! online. Now a connection over a cap is answered with one short refusal and closed, before
//! anything it sends is read; the connections within the caps are served as before.
//!
//! The cap is per address, not per port or connection: that is what one attacking host
//! controls. Many customers behind one NAT share an address too, hence generous defaults. The
//! total cap keeps the node below its file limit (`ulimit -n`), with room for its database and
//! its own calls to peers.
//!
//! A connection that neither reads nor writes for the idle timeout has its pending read or write
//! fail with [`io::ErrorKind::TimedOut`], which ends it: a client that stops reading its answer
//! (or sending its body, or its console lines) cannot hold a connection for ever. The timer is
//! only looked at while the connection waits on the network, so a busy connection pays one clock
//! read per read or write.

use std::collections::HashMap;
use std::future::Future as _;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::serve::Listener;
use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::time::{Instant, Sleep};

/// How long a refused client is given to take its refusal.
const REFUSAL_WRITE_MS: u64 = 1000;

/// What a listener allows its clients.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once, from every client.
    pub total_max: usize,
    /// Connections open at once from one client address.
    pub per_client_max: usize,
    /// A connection with no byte read or written for this long is closed.
    pub idle_timeout: Duration,
}

/// The address a connection comes from, as far as the caps go.
pub trait ClientAddress {
    /// The client's IP address.
    fn ip(&self) -> IpAddr;
}

impl ClientAddress for SocketAddr {
    fn ip(&self) -> IpAddr {
        SocketAddr::ip(self)
    }
}

/// A listener whose connections are capped per client and in all, and closed when idle.
pub struct Guarded<L> {
    inner: L,
    limits: ConnectionLimits,
    open: Arc<Open>,
    /// Written to a connection over a cap before it is closed.
    refusal: Bytes,
}

impl<L> Guarded<L> {
    /// Guards `inner` with `limits`; refused connections are sent `refusal`.
    pub fn new(inner: L, limits: ConnectionLimits, refusal: impl Into<Bytes>) -> Self {
        Self { inner, limits, open: Arc::default(), refusal: refusal.into() }
    }
}

impl<L> Listener for Guarded<L>
where
    L: Listener,
    L::Addr: ClientAddress,
{
    type Io = Watched<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (io, address) = self.inner.accept().await;
            match Open::admit(&self.open, address.ip(), &self.limits) {
                Some(slot) => return (Watched::new(io, self.limits.idle_timeout, slot), address),
                None => refuse(io, self.refusal.clone(), address.ip()),
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// Sends `refusal` to a connection over a cap, in the background, and closes it.
fn refuse<Io: AsyncWrite + Unpin + Send + 'static>(mut io: Io, refusal: Bytes, ip: IpAddr) {
    tracing::debug!(%ip, "refused a connection over the caps");
    tokio::spawn(async move {
        let write = async {
            io.write_all(&refusal).await?;
            io.shutdown().await
        };
        let _ = tokio::time::timeout(Duration::from_millis(REFUSAL_WRITE_MS), write).await;
    });
}

/// The connections open now, by client address.
#[derive(Debug, Default)]
struct Open {
    counts: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

impl Open {
    /// Counts a new connection from `ip`, if the caps allow it.
    fn admit(open: &Arc<Self>, ip: IpAddr, limits: &ConnectionLimits) -> Option<Slot> {
        let mut counts = open.counts.lock().expect("the connection counts are never poisoned");
        let from_client = counts.by_client.get(&ip).copied().unwrap_or(0);
        if counts.total >= limits.total_max || from_client >= limits.per_client_max {
            return None;
        }
        counts.total += 1;
        counts.by_client.insert(ip, from_client + 1);
        Some(Slot { open: open.clone(), ip })
    }
}

/// One admitted connection's place in the counts, given back when the connection is dropped.
#[derive(Debug)]
struct Slot {
    open: Arc<Open>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.open.counts.lock().expect("the connection counts are never poisoned");
        counts.total -= 1;
        if let Some(count) = counts.by_client.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                counts.by_client.remove(&self.ip);
            }
        }
    }
}

/// An admitted connection: closed once idle for too long, uncounted when dropped.
pub struct Watched<Io> {
    io: Io,
    idle_timeout: Duration,
    last_active: Instant,
    timer: Pin<Box<Sleep>>,
    _slot: Slot,
}

impl<Io> Watched<Io> {
    fn new(io: Io, idle_timeout: Duration, slot: Slot) -> Self {
        let now = Instant::now();
        let timer = Box::pin(tokio::time::sleep_until(now + idle_timeout));
        Self { io, idle_timeout, last_active: now, timer, _slot: slot }
    }

    /// Notes that bytes moved.
    fn active(&mut self) {
        self.last_active = Instant::now();
    }

    /// While the connection waits on the network: pending, or an error once it has been idle
    /// for the timeout.
    fn idle<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let deadline = self.last_active + self.idle_timeout;
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        ready!(self.timer.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the connection was idle too long",
        )))
    }
}

impl<Io: AsyncRead + Unpin> AsyncRead for Watched<Io> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Pending => this.idle(cx),
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.active();
                }
                Poll::Ready(result)
            }
        }
    }
}

impl<Io: AsyncWrite + Unpin> AsyncWrite for Watched<Io> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.io).poll_write(cx, buf);
        this.after_write(cx, written)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.after_write(cx, written)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_flush(cx) {
            Poll::Pending => this.idle(cx),
            ready => ready,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

impl<Io> Watched<Io> {
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        written: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match written {
            Poll::Pending => self.idle(cx),
            Poll::Ready(Ok(bytes)) if bytes > 0 => {
                self.active();
                Poll::Ready(Ok(bytes))
            }
            ready => ready,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total_max: usize, per_client_max: usize) -> ConnectionLimits {
        ConnectionLimits { total_max, per_client_max, idle_timeout: Duration::from_secs(1) }
    }

    #[test]
    fn a_client_gets_its_share_and_no_more_and_gets_it_back_as_it_closes() {
        let open = Arc::<Open>::default();
        let (one, two): (IpAddr, IpAddr) =
            ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let limits = limits(3, 2);
        let first = Open::admit(&open, one, &limits).unwrap();
        let _second = Open::admit(&open, one, &limits).unwrap();
        assert!(Open::admit(&open, one, &limits).is_none(), "over the client's cap");
        let _other = Open::admit(&open, two, &limits).unwrap();
        assert!(Open::admit(&open, two, &limits).is_none(), "over the total cap");
        drop(first);
        assert!(Open::admit(&open, one, &limits).is_some(), "a closed connection is given back");
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_idle_for_the_timeout_fails_its_read() {
        use tokio::io::AsyncReadExt as _;
        let open = Arc::<Open>::default();
        let slot = Open::admit(&open, "10.0.0.1".parse().unwrap(), &limits(1, 1)).unwrap();
        let (near, mut far) = tokio::io::duplex(64);
        let mut watched = Watched::new(near, Duration::from_secs(1), slot);
        far.write_all(b"x").await.unwrap();
        let mut byte = [0; 1];
        watched.read_exact(&mut byte).await.unwrap();
        let started = Instant::now();
        let error = watched.read(&mut byte).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(1));
        drop(watched);
        assert_eq!(open.counts.lock().unwrap().total, 0, "an ended connection is uncounted");
    }
}
