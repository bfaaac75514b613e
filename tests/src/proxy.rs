//! A fault-injecting TCP proxy on 127.0.0.1: forwards to the server, counts bytes both ways and HTTP
//! requests, and on demand adds round-trip latency, random delays, cuts connections after a random number
//! of bytes, and replays requests (sends a request's bytes to the server a second time).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::http_frame::RequestFramer;

/// What the proxy does to the traffic.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ProxyConfig {
    /// Cut connections, delay chunks, replay requests.
    pub faults: bool,
    /// Added round-trip latency: half each way, and one round trip to open a connection.
    pub latency: Duration,
    pub seed: u64,
    /// Cut the connection that carries the traffic each time exactly this many bytes (both ways together)
    /// have passed since the start or the last such cut, faults or not. The budget is shared by all
    /// connections, so the cuts fall in the same places whether the client reuses its connection or opens
    /// a new one per request.
    pub cut_after: Option<u64>,
    /// The link's speed in bytes per second each way, shared by all connections (a phone's one radio):
    /// each chunk is delivered once the ones before it have had their time on the link.
    pub rate: Option<u64>,
}

/// Counters since the start or the last reset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProxyStats {
    /// Bytes from the clients to the server.
    pub up: u64,
    /// Bytes from the server to the clients.
    pub down: u64,
    /// HTTP requests passed on whole.
    pub requests: u64,
    pub connections: u64,
    pub cuts: u64,
    pub replays: u64,
}

impl ProxyStats {
    pub fn bytes(&self) -> u64 {
        self.up + self.down
    }
}

#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    requests: AtomicU64,
    connections: AtomicU64,
    cuts: AtomicU64,
    replays: AtomicU64,
}

struct Shared {
    upstream: Mutex<SocketAddr>,
    counters: Counters,
    faults: AtomicBool,
    /// 0 for none.
    cut_after: AtomicU64,
    /// Bytes left before the next fixed cut; refilled to `cut_after` at each one.
    fixed_left: Arc<AtomicU64>,
    latency: Duration,
    /// Bytes per second each way; 0 for no limit.
    rate: u64,
    /// When the link is free again, up and down.
    link_free: [Mutex<Instant>; 2],
    rng: Mutex<StdRng>,
    /// Bumped by [`Proxy::cut_all`]: every open connection is cut.
    cut_all: watch::Sender<u64>,
}

/// A running proxy; stops accepting when dropped.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy").field("addr", &self.addr).finish()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    /// Listens on 127.0.0.1 (a free port) and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr, cfg: ProxyConfig) -> std::io::Result<Proxy> {
        Proxy::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), upstream, cfg).await
    }

    /// Listens on `listen` (port 0 for a free one) and forwards to `upstream`.
    pub async fn start_on(
        listen: SocketAddr,
        upstream: SocketAddr,
        cfg: ProxyConfig,
    ) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream: Mutex::new(upstream),
            counters: Counters::default(),
            faults: AtomicBool::new(cfg.faults),
            cut_after: AtomicU64::new(cfg.cut_after.unwrap_or(0)),
            fixed_left: Arc::new(AtomicU64::new(cfg.cut_after.unwrap_or(0))),
            latency: cfg.latency,
            rate: cfg.rate.unwrap_or(0),
            link_free: [Mutex::new(Instant::now()), Mutex::new(Instant::now())],
            rng: Mutex::new(StdRng::seed_from_u64(cfg.seed)),
            cut_all: watch::channel(0).0,
        });
        let s = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let _ = sock.set_nodelay(true);
                let plan = ConnPlan::draw(&s);
                s.counters.connections.fetch_add(1, Relaxed);
                tokio::spawn(handle(sock, s.clone(), plan));
            }
        });
        Ok(Proxy { addr, shared, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Points new connections at another server address (after a restart on a new port).
    pub fn set_upstream(&self, addr: SocketAddr) {
        *self.shared.upstream.lock().unwrap() = addr;
    }

    /// Sets or clears the fixed cut of new connections.
    pub fn set_cut_after(&self, bytes: Option<u64>) {
        self.shared.cut_after.store(bytes.unwrap_or(0), Relaxed);
        self.shared.fixed_left.store(bytes.unwrap_or(0), Relaxed);
    }

    /// Cuts every open connection now (a phone walking into a dead zone).
    pub fn cut_all(&self) {
        self.shared.cut_all.send_modify(|n| *n += 1);
    }

    /// Turns fault injection on or off for new connections and chunks.
    pub fn set_faults(&self, on: bool) {
        self.shared.faults.store(on, Relaxed);
    }

    pub fn stats(&self) -> ProxyStats {
        let c = &self.shared.counters;
        ProxyStats {
            up: c.up.load(Relaxed),
            down: c.down.load(Relaxed),
            requests: c.requests.load(Relaxed),
            connections: c.connections.load(Relaxed),
            cuts: c.cuts.load(Relaxed),
            replays: c.replays.load(Relaxed),
        }
    }

    pub fn reset_stats(&self) {
        let c = &self.shared.counters;
        for a in [
            &c.up,
            &c.down,
            &c.requests,
            &c.connections,
            &c.cuts,
            &c.replays,
        ] {
            a.store(0, Relaxed);
        }
    }
}

/// Where a connection's cut comes from.
#[derive(Clone, Copy, Debug)]
enum Cut {
    Never,
    /// The fixed budget shared by all connections (`ProxyConfig::cut_after`).
    Shared,
    /// After this many bytes of this connection (drawn when faults are on).
    Own(u64),
}

/// The faults drawn for one connection.
#[derive(Clone, Copy, Debug)]
struct ConnPlan {
    cut: Cut,
    /// Chance that a chunk is held back a little longer.
    delay_chance: f64,
    /// Chance that a complete request is sent to the server a second time.
    replay_chance: f64,
    seed: u64,
}

impl ConnPlan {
    fn draw(s: &Shared) -> ConnPlan {
        let mut rng = s.rng.lock().unwrap();
        let seed = rng.random();
        let fixed = s.cut_after.load(Relaxed) > 0;
        if !s.faults.load(Relaxed) {
            return ConnPlan {
                cut: if fixed { Cut::Shared } else { Cut::Never },
                delay_chance: 0.0,
                replay_chance: 0.0,
                seed,
            };
        }
        let cut = if fixed {
            Cut::Shared
        } else if rng.random_bool(0.4) {
            Cut::Own(rng.random_range(64..400_000))
        } else {
            Cut::Never
        };
        ConnPlan {
            cut,
            delay_chance: 0.1,
            replay_chance: 0.2,
            seed,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up = 0,
    Down = 1,
}

enum Chunk {
    Data(Instant, Vec<u8>),
    Eof,
}

async fn handle(client: TcpStream, shared: Arc<Shared>, plan: ConnPlan) {
    if !shared.latency.is_zero() {
        // Opening a connection costs a round trip.
        tokio::time::sleep(shared.latency).await;
    }
    let upstream = *shared.upstream.lock().unwrap();
    let Ok(server) = TcpStream::connect(upstream).await else {
        return; // the client sees the connection closed, as when the server is down
    };
    let _ = server.set_nodelay(true);
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let budget = match plan.cut {
        Cut::Never => Arc::new(AtomicU64::new(u64::MAX)),
        Cut::Shared => shared.fixed_left.clone(),
        Cut::Own(n) => Arc::new(AtomicU64::new(n)),
    };
    let (cut_tx, mut cut_rx) = watch::channel(false);
    let mut cut_all = shared.cut_all.subscribe();
    let up = pipe(
        cr,
        sw,
        Dir::Up,
        shared.clone(),
        plan,
        budget.clone(),
        cut_tx.clone(),
    );
    let down = pipe(sr, cw, Dir::Down, shared.clone(), plan, budget, cut_tx);
    tokio::select! {
        _ = async { tokio::join!(up, down) } => {}
        _ = cut_rx.wait_for(|c| *c) => {
            shared.counters.cuts.fetch_add(1, Relaxed);
        }
        _ = cut_all.changed() => {
            shared.counters.cuts.fetch_add(1, Relaxed);
        }
    }
    // Dropping both halves of both sockets closes them: the client sees the connection cut.
}

/// Copies one direction. A reader task feeds chunks stamped with their delivery time to the writer, so
/// latency delays every chunk without slowing the stream down.
async fn pipe(
    mut r: OwnedReadHalf,
    mut w: OwnedWriteHalf,
    dir: Dir,
    shared: Arc<Shared>,
    plan: ConnPlan,
    budget: Arc<AtomicU64>,
    cut: watch::Sender<bool>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Chunk>();
    let half = shared.latency / 2;
    let reader = {
        let shared = shared.clone();
        let cut = cut.clone();
        async move {
            let mut rng = StdRng::seed_from_u64(plan.seed ^ (dir == Dir::Up) as u64);
            let mut framer = (dir == Dir::Up).then(RequestFramer::default);
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match r.read(&mut buf).await {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(Chunk::Eof);
                        return;
                    }
                    Ok(n) => n,
                };
                let left = budget
                    .fetch_update(Relaxed, Relaxed, |b| Some(b.saturating_sub(n as u64)))
                    .unwrap_or(0);
                let pass = n.min(left as usize);
                let data = buf[..pass].to_vec();
                let counter = match dir {
                    Dir::Up => &shared.counters.up,
                    Dir::Down => &shared.counters.down,
                };
                counter.fetch_add(pass as u64, Relaxed);
                if let Some(f) = framer.as_mut() {
                    for req in f.push(&data) {
                        shared.counters.requests.fetch_add(1, Relaxed);
                        if plan.replay_chance > 0.0 && rng.random_bool(plan.replay_chance) {
                            let wait = Duration::from_millis(rng.random_range(0..30));
                            tokio::spawn(replay(shared.clone(), req, wait));
                        }
                    }
                }
                let mut at = Instant::now() + half;
                if plan.delay_chance > 0.0 && rng.random_bool(plan.delay_chance) {
                    at += Duration::from_millis(rng.random_range(1..50));
                }
                if shared.rate > 0 {
                    let on_link = Duration::from_secs_f64(pass as f64 / shared.rate as f64);
                    let mut free = shared.link_free[dir as usize].lock().unwrap();
                    *free = (*free).max(Instant::now()) + on_link;
                    at = at.max(*free + half);
                }
                let _ = tx.send(Chunk::Data(at, data));
                if pass < n {
                    // Out of budget: what fitted goes through, then the connection is cut.
                    if matches!(plan.cut, Cut::Shared) {
                        budget.store(shared.cut_after.load(Relaxed), Relaxed);
                    }
                    let _ = tx.send(Chunk::Eof);
                    tokio::time::sleep_until(at).await;
                    let _ = cut.send(true);
                    return;
                }
            }
        }
    };
    let writer = async move {
        let mut last = Instant::now();
        while let Some(chunk) = rx.recv().await {
            match chunk {
                Chunk::Data(at, data) => {
                    // Keep order: a delayed chunk holds back those behind it.
                    last = last.max(at);
                    tokio::time::sleep_until(last).await;
                    if w.write_all(&data).await.is_err() {
                        let _ = cut.send(true);
                        return;
                    }
                }
                Chunk::Eof => {
                    let _ = w.shutdown().await;
                    return;
                }
            }
        }
    };
    tokio::join!(reader, writer);
}

/// Sends a captured request to the server once more on a connection of its own, and reads the answer
/// away: the server sees the same push twice, as after a client retry whose first answer was lost.
async fn replay(shared: Arc<Shared>, req: Vec<u8>, wait: Duration) {
    tokio::time::sleep(wait).await;
    let upstream = *shared.upstream.lock().unwrap();
    let Ok(mut s) = TcpStream::connect(upstream).await else {
        return;
    };
    shared.counters.replays.fetch_add(1, Relaxed);
    let req = crate::http_frame::with_connection_close(&req);
    if s.write_all(&req).await.is_err() {
        return;
    }
    let mut sink = vec![0u8; 16 * 1024];
    let _ = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(n) = s.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}
