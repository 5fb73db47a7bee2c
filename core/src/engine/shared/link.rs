//! One account's link to Redis: the connection, its health (and the fallback to the limits
//! in process), the submit decisions, the poll budget's lease, and the background worker
//! that publishes pauses and blocks, refills the lease, reads the fleet's blocks and probes
//! Redis while it is away.

use super::keys::Keys;
use super::scripts::scripts;
use super::{Decision, SubmitRule};
use crate::codec::{Block, BlockLength, BlockScope};
use crate::engine::callback::{Book, Nonce, RETENTION, nonce_hex, nonce_of};
use crate::engine::guard::Guard;
use crate::engine::learn::{self, FirstWaits};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::{Redactor, Secret};
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Script};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;

/// Every Redis call, from sending to the reply.
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_millis(500);
/// Opening a connection.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// The first probe after Redis went away; each failed probe doubles it, up to the next.
const PROBE_MIN: Duration = Duration::from_millis(250);
const PROBE_MAX: Duration = Duration::from_secs(5);
/// How often the worker publishes tasks sent and reads the fleet's blocks.
const SYNC_EVERY: Duration = Duration::from_secs(1);
/// Poll requests leased from the shared budget at once, and the level that asks for more.
const LEASE: u64 = 32;
const LOW: u64 = 12;
/// With an empty lease, a request may still go (counted in Redis on the next sync) while the
/// fleet's budget had at least this much left at the last sync.
const OVERDRAFT_MARGIN: u64 = 4 * LEASE;
/// How long a block that lasts "forever" in process (a bad key) stops the fleet.
pub(crate) const FOREVER_SHARED: Duration = Duration::from_secs(600);
/// Pushes on their way to Redis at once, in the process (each holds its body, at most
/// [`crate::engine::callback::MAX_BODY`]): more are refused, so a flood costs no memory.
pub(crate) const PUBLISHING: usize = 64;
static PUBLISHING_NOW: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PUBLISHING);
/// The shared poll budget is forgotten a day after its last use.
const BUDGET_TTL: Duration = Duration::from_secs(86_400);
/// Submit state lives this long after its last use (beyond the window and any pause).
const STATE_TTL: Duration = Duration::from_secs(60);
/// A waiting process that does not ask again within this of its turn loses its place.
const SLACK: Duration = Duration::from_millis(250);
/// A free slot waits this long (at most half the spacing) for the process whose turn it is.
const GRACE: Duration = Duration::from_millis(30);
/// How long a Redis Cluster's calls may fail while submits wait for it (its primary failing
/// over to a replica: the node timeout plus an election) before the process keeps the
/// limits alone: waiting keeps the fleet's limits through a failover, where going local
/// would let each process submit at the key's full rate.
pub(crate) const FAILOVER_WAIT: Duration = Duration::from_secs(10);
/// A submit waiting out a failover asks again this often; the worker reconnects as often.
const FAILOVER_POLL: Duration = Duration::from_millis(100);
/// Budgets larger than this are not shared (they are "unlimited").
const UNLIMITED: u64 = 1 << 40;

/// A Redis address, checked when the client is built: one server (or a primary), or the
/// nodes of a Redis Cluster.
pub(crate) struct SharedSpec {
    target: Target,
    shown: String,
    pub(super) redactor: Redactor,
}

enum Target {
    One(redis::Client),
    /// The cluster client, and its nodes one by one (pub/sub: a cluster's messages reach
    /// every node, so one subscription to any node hears them all).
    Cluster(redis::cluster::ClusterClient, Vec<redis::Client>),
}

/// A connection to one Redis server, or to a Redis Cluster, which sends each script to the
/// node that holds its keys' slot (one account's keys share a hash tag: one slot) and
/// follows that slot to a replica promoted after a failover.
#[derive(Clone)]
enum Conn {
    One(MultiplexedConnection),
    Cluster(redis::cluster_async::ClusterConnection),
}

impl redis::aio::ConnectionLike for Conn {
    fn req_packed_command<'a>(
        &'a mut self,
        cmd: &'a redis::Cmd,
    ) -> redis::RedisFuture<'a, redis::Value> {
        match self {
            Conn::One(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> redis::RedisFuture<'a, Vec<redis::Value>> {
        match self {
            Conn::One(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::One(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}

/// A `usage` error on `shared_limits`.
fn bad(why: &str) -> Error {
    Error::usage(why.to_owned()).with_option("shared_limits")
}

/// The password of a Redis URL, raw and decoded (masked in everything shown).
fn secrets_of(url: &str, into: &mut Vec<String>) {
    into.extend(crate::secret::url_passwords(url));
}

/// A redis crate error in a user's words: it appends its error kind's Rust name (`Missing
/// hostname - InvalidClientConfig`), and the words before it are the user's.
fn words(e: &redis::RedisError, redactor: &Redactor) -> String {
    let text = e.to_string();
    let words = match text.rsplit_once(" - ") {
        Some((w, kind)) if kind.chars().all(|c| c.is_ascii_alphanumeric()) => w,
        _ => text.as_str(),
    };
    // Masked first: a password lower-cased or with its spaces joined would not be recognised.
    // Then on one line: a server that is not Redis gets its reply quoted over several.
    let masked = redactor.text(words);
    let one_line: Vec<&str> = masked.split_whitespace().collect();
    one_line.join(" ").to_lowercase()
}

/// Checks one URL with the redis crate's own parser.
fn open(url: &str, redactor: &Redactor) -> Result<redis::Client> {
    redis::Client::open(url).map_err(|e| {
        bad(&format!(
            "is not a Redis URL capbridge can use ({}); expected redis://host:port/db",
            words(&e, redactor)
        ))
    })
}

impl SharedSpec {
    /// Parses `redis://[user:password@]host[:port][/db]` (or a `redis+unix://` socket); URLs
    /// separated by commas are the nodes of a Redis Cluster.
    pub(crate) fn parse(url: &str) -> Result<Arc<SharedSpec>> {
        let t = url.trim();
        if t.is_empty() {
            return Err(bad(
                "is empty; expected a Redis URL such as redis://127.0.0.1:6379/0",
            ));
        }
        if t.contains(',') {
            let nodes: Vec<String> = t.split(',').map(str::to_owned).collect();
            return SharedSpec::cluster(&nodes);
        }
        let mut secrets = Vec::new();
        secrets_of(t, &mut secrets);
        let redactor = Redactor::new(secrets.iter().map(String::as_str));
        let client = open(t, &redactor)?;
        let info = client.get_connection_info();
        let shown = format!("redis://{}/{}", info.addr(), info.redis_settings().db());
        Ok(Arc::new(SharedSpec {
            target: Target::One(client),
            shown,
            redactor,
        }))
    }

    /// The nodes of a Redis Cluster (any of them: the client learns the others, and which
    /// holds which slot, from the first that answers).
    pub(crate) fn cluster(nodes: &[String]) -> Result<Arc<SharedSpec>> {
        let nodes: Vec<&str> = nodes
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        if nodes.is_empty() {
            return Err(bad(
                "lists no node; expected the URLs of a Redis Cluster's nodes such as redis://10.0.0.5:7000/",
            ));
        }
        let mut secrets = Vec::new();
        for n in &nodes {
            secrets_of(n, &mut secrets);
        }
        let redactor = Redactor::new(secrets.iter().map(String::as_str));
        let mut shown = Vec::new();
        let mut singles = Vec::new();
        for n in &nodes {
            let one = open(n, &redactor)?;
            let info = one.get_connection_info().clone();
            singles.push(one);
            if info.redis_settings().db() != 0 {
                return Err(bad(&format!(
                    "names database {} of a Redis Cluster node; a cluster has only database 0",
                    info.redis_settings().db()
                )));
            }
            shown.push(info.addr().to_string());
        }
        let client = redis::cluster::ClusterClient::builder(nodes.clone())
            .connection_timeout(CONNECT_TIMEOUT)
            .response_timeout(CALL_TIMEOUT)
            // A failed call falls back to the limits in process at once (see `down`): the
            // link's probe, not the cluster client, tries again.
            .retries(1)
            .build()
            .map_err(|e| {
                bad(&format!(
                    "does not name a Redis Cluster capbridge can use ({})",
                    words(&e, &redactor)
                ))
            })?;
        Ok(Arc::new(SharedSpec {
            target: Target::Cluster(client, singles),
            shown: format!("Redis Cluster {}", shown.join(",")),
            redactor,
        }))
    }

    /// The address without credentials, for logs.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }
}

#[derive(Debug, Clone, Copy)]
enum Health {
    /// The first connection is being made.
    Connecting,
    Up,
    Down {
        next_probe: Instant,
        failures: u32,
    },
}

/// What the process has to tell Redis.
#[derive(Default)]
struct Pending {
    pause_until: Option<Instant>,
    blocks: Vec<BlockMsg>,
    tasks: u64,
    used: u64,
}

struct BlockMsg {
    field: String,
    scope: &'static str,
    length: Duration,
    kind: &'static str,
    retryable: bool,
    code: String,
    message: String,
}

struct Inner {
    spec: Arc<SharedSpec>,
    keys: Keys,
    waiter: String,
    guard: Arc<Guard>,
    /// Masks the API key (and the Redis password) in what is written to Redis and logged.
    redactor: Redactor,
    conn: Mutex<Option<Conn>>,
    health: Mutex<Health>,
    ready: watch::Sender<bool>,
    pending: Mutex<Pending>,
    /// Poll requests leased from the shared budget, not spent yet.
    lease: AtomicU64,
    /// What the fleet's budget had left at the last sync.
    fleet_left: AtomicU64,
    /// Whether a sync has told `fleet_left` since the link came up.
    synced: AtomicBool,
    /// The budget rule (per task, allowance); `None` while not shared.
    budget_rule: Mutex<Option<(u64, u64)>>,
    wake: Notify,
    closed: AtomicBool,
    /// Clients' callbacks, told when the limits go local and come back.
    listeners: crate::events::Listeners,
    /// The account's learned first waits, learned with the fleet once set.
    waits: OnceLock<Arc<FirstWaits>>,
    /// Since when a cluster's calls fail (a failover, maybe), and whether the worker should
    /// make a new connection (which asks the cluster where the slot lives now).
    failing_since: Mutex<Option<Instant>>,
    reconnect: AtomicBool,
    /// Whether a subscriber hands the fleet's pushes to this process.
    subscribed: AtomicBool,
}

/// One account's link to Redis. Dropping it stops its worker, which gives the unspent lease
/// back.
pub(crate) struct Link {
    inner: Arc<Inner>,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.inner.closed.store(true, Ordering::Release);
        self.inner.wake.notify_one();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// A process-unique id for this link's place in the queue.
fn waiter_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    static N: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(N.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:x}-{:016x}", std::process::id(), h.finish())
}

impl Link {
    /// Starts the link of `key` at the service `canonical_url`: its worker connects in the
    /// background (on capbridge's shared runtime, which outlives any caller's runtime).
    pub(crate) fn start(
        spec: &Arc<SharedSpec>,
        canonical_url: &str,
        key: &Secret,
        guard: Arc<Guard>,
    ) -> Result<Arc<Link>> {
        let runtime = crate::runtime::shared()?;
        let (ready, _) = watch::channel(false);
        let inner = Arc::new(Inner {
            spec: spec.clone(),
            keys: Keys::new(canonical_url, key.expose()),
            waiter: waiter_id(),
            guard,
            redactor: spec.redactor.with([key.expose()]),
            conn: Mutex::new(None),
            health: Mutex::new(Health::Connecting),
            ready,
            pending: Mutex::new(Pending::default()),
            lease: AtomicU64::new(0),
            fleet_left: AtomicU64::new(0),
            synced: AtomicBool::new(false),
            budget_rule: Mutex::new(None),
            wake: Notify::new(),
            closed: AtomicBool::new(false),
            listeners: Default::default(),
            waits: OnceLock::new(),
            failing_since: Mutex::new(None),
            reconnect: AtomicBool::new(false),
            subscribed: AtomicBool::new(false),
        });
        runtime.spawn(worker(inner.clone()));
        Ok(Arc::new(Link { inner }))
    }

    /// The Redis address, without credentials.
    pub(crate) fn shown(&self) -> &str {
        self.inner.spec.shown()
    }

    /// Learns the account's first waits with the fleet: its steps are added to the fleet's
    /// figures, and the fleet's read back, on every sync.
    pub(crate) fn learn_waits(&self, waits: Arc<FirstWaits>) {
        let _ = self.inner.waits.set(waits);
        self.inner.wake.notify_one();
    }

    /// Passes a push for a task no solve of this process waits for to the fleet: kept in
    /// Redis for [`RETENTION`] (a member that is gone: `wait(task_id)` from any member finds
    /// it) and published to every member (the one waiting for it takes it). Redis away: the
    /// push is lost, and the waiting member's polls find the answer after their safety net.
    /// `false` (not taken) when [`PUBLISHING`] pushes are on their way already. A body that
    /// is not UTF-8 is taken and dropped, as a local solve ignores it (no service sends such
    /// an answer; it would reach the fleet mangled).
    pub(crate) fn publish_push(&self, nonce: &Nonce, body: Vec<u8>) -> bool {
        let Ok(body) = String::from_utf8(body) else {
            return true;
        };
        let Ok(rt) = crate::runtime::shared() else {
            return false;
        };
        let Ok(place) = PUBLISHING_NOW.try_acquire() else {
            return false;
        };
        let inner = self.inner.clone();
        let n = nonce_hex(nonce);
        rt.spawn(async move {
            let _place = place;
            let key = inner.keys.pushed(&n);
            let args = [
                body.clone(),
                RETENTION.as_millis().to_string(),
                inner.keys.pushes.clone(),
                format!("{n}\n{body}"),
            ];
            if let Err(e) = inner.eval(&scripts().push, &[&key], &args).await {
                tracing::debug!(target: "capbridge", "shared limits: a pushed answer could not be passed to the fleet ({e})");
            }
        });
        true
    }

    /// Notes the nonce a task was sent with, for [`RETENTION`] after `lives` (its deadline):
    /// `wait(task_id)` from any member finds its pushed answer through it. Awaited (one call,
    /// bounded by its timeout) before the caller hears of the task id, so that an id the
    /// caller saw stays collectable even if this process dies at once.
    pub(crate) async fn note_callback(&self, task_id: &str, nonce: &Nonce, lives: Duration) {
        let inner = &self.inner;
        let key = inner.keys.callback_of(task_id);
        let args = [
            nonce_hex(nonce),
            (lives.min(Duration::from_secs(3600)) + RETENTION)
                .as_millis()
                .to_string(),
        ];
        if let Err(e) = inner.eval(&scripts().keep, &[&key], &args).await {
            tracing::debug!(target: "capbridge", "shared limits: a task's callback could not be noted for the fleet ({e})");
        }
    }

    /// The nonce `task_id` was sent with, if a member noted one, and the answer pushed for
    /// it, if one was kept.
    pub(crate) async fn pushed_for(&self, task_id: &str) -> Option<(Nonce, Option<Vec<u8>>)> {
        let inner = &self.inner;
        let key = inner.keys.callback_of(task_id);
        let r = inner.eval(&scripts().read, &[&key], &[]).await.ok()?;
        let nonce = nonce_of(r.first()?.as_bytes())?;
        let key = inner.keys.pushed(&nonce_hex(&nonce));
        let body = match inner.eval(&scripts().read, &[&key], &[]).await {
            Ok(r) => r.into_iter().next().map(String::into_bytes),
            Err(_) => None,
        };
        Some((nonce, body))
    }

    /// Hands the fleet's pushes for this key to `book`'s waiting solves from now on (a
    /// subscription to the key's channel, made again when it breaks; each time, the answers
    /// kept for the solves waiting are read, in case a message was missed).
    pub(crate) fn subscribe_pushes(&self, book: Weak<Book>) {
        if self.inner.subscribed.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(rt) = crate::runtime::shared() else {
            return;
        };
        rt.spawn(subscriber(Arc::downgrade(&self.inner), book));
    }

    /// Tells `handler` (a client's event callback) when the limits go local and come back.
    pub(crate) fn listen(&self, provider: &str, handler: &crate::events::EventHandler) {
        self.inner.listeners.add(provider, handler);
    }

    /// One submit decision (bounded: at most one connection wait and one call, each with its
    /// timeout).
    pub(crate) async fn decide_submit(&self, rule: SubmitRule) -> Decision {
        let inner = &self.inner;
        if matches!(inner.health(), Health::Connecting) {
            let mut rx = inner.ready.subscribe();
            let _ =
                tokio::time::timeout(CONNECT_TIMEOUT + CALL_TIMEOUT * 2, rx.wait_for(|r| *r)).await;
        }
        if !matches!(inner.health(), Health::Up) {
            return Decision::Local;
        }
        let grace = GRACE.min(rule.spacing / 2);
        let window_ms = u64::try_from(rule.window.as_millis()).unwrap_or(u64::MAX);
        let args = [
            inner.waiter.clone(),
            micros(rule.spacing).to_string(),
            micros(rule.window).to_string(),
            rule.per_window.to_string(),
            micros(grace).to_string(),
            micros(SLACK).to_string(),
            (u64::try_from(STATE_TTL.as_millis()).unwrap_or(60_000))
                .saturating_add(window_ms)
                .to_string(),
        ];
        let k = &inner.keys;
        let keys = [&k.submit, &k.window, &k.queue, &k.due, &k.blocks];
        let reply = match inner.eval(&scripts().submit, &keys, &args).await {
            Ok(r) => r,
            Err(why) if inner.failed(&why) => return Decision::Wait(FAILOVER_POLL),
            Err(_) => return Decision::Local,
        };
        match reply.first().map(String::as_str) {
            Some("1") => Decision::Go,
            Some("0") => match reply.get(1).and_then(|w| w.parse::<u64>().ok()) {
                Some(us) => Decision::Wait(Duration::from_micros(us)),
                None => {
                    inner.down("the submit script answered an unreadable wait");
                    Decision::Local
                }
            },
            Some("2") => {
                inner.import_blocks(reply.get(1..).unwrap_or_default());
                if inner.guard.check_submit().is_err() {
                    Decision::Blocked
                } else {
                    // The block ended meanwhile: ask again rather than send without a slot.
                    Decision::Wait(Duration::from_millis(1))
                }
            }
            _ => {
                inner.down("the submit script answered something unexpected");
                Decision::Local
            }
        }
    }

    /// Pushes every submit of the fleet back by `d` (published at once by the worker; this
    /// process keeps the pause itself too).
    pub(crate) fn pause(&self, d: Duration) {
        let until = crate::engine::later(Instant::now(), d);
        {
            let mut p = lock(&self.inner.pending);
            if p.pause_until.is_none_or(|cur| cur < until) {
                p.pause_until = Some(until);
            }
        }
        self.inner.wake.notify_one();
    }

    /// Tells the fleet about a block this process met.
    pub(crate) fn publish_block(&self, block: Block, error: &Error, zero_balance: Duration) {
        let length = match block.length {
            BlockLength::Forever => FOREVER_SHARED,
            BlockLength::ZeroBalance => zero_balance,
            BlockLength::For(d) => d,
        };
        if length.is_zero() {
            return;
        }
        let scope = match block.scope {
            BlockScope::Submits => "submits",
            BlockScope::All => "all",
        };
        let r = &self.inner.redactor;
        let code = r.cut(error.code().unwrap_or(""), crate::secret::MAX_CODE);
        let msg = BlockMsg {
            field: format!("{code}|{scope}"),
            scope,
            length,
            kind: error.kind().as_str(),
            retryable: error.retryable(),
            code,
            message: r.cut(error.message(), crate::secret::MAX_MESSAGE),
        };
        let mut p = lock(&self.inner.pending);
        p.blocks.retain(|b| b.field != msg.field);
        p.blocks.push(msg);
        drop(p);
        self.inner.wake.notify_one();
    }

    /// Shares the poll budget `per_task x C + allowance` (not shared when it is unlimited).
    pub(crate) fn set_budget(&self, per_task: u64, allowance: u64) {
        let rule = (per_task < UNLIMITED && allowance < UNLIMITED).then_some((per_task, allowance));
        *lock(&self.inner.budget_rule) = rule;
        self.inner.wake.notify_one();
    }

    /// Takes `n` poll requests from the lease: `None` when the budget is kept in process now
    /// (Redis away, or not shared), else whether they may be sent.
    pub(crate) fn spend(&self, n: u64) -> Option<bool> {
        let inner = &self.inner;
        if !matches!(inner.health(), Health::Up) || lock(&inner.budget_rule).is_none() {
            return None;
        }
        let taken = inner
            .lease
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |l| l.checked_sub(n))
            .map(|before| before - n);
        match taken {
            Ok(left) => {
                if left < LOW {
                    inner.wake.notify_one();
                }
                Some(true)
            }
            Err(_) => {
                inner.wake.notify_one();
                // The lease is empty: go on credit while the fleet had plenty left at the last
                // sync (the next sync counts these requests in Redis).
                let credit = inner.synced.load(Ordering::Acquire)
                    && inner
                        .fleet_left
                        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |f| {
                            (f >= OVERDRAFT_MARGIN.saturating_add(n)).then(|| f - n)
                        })
                        .is_ok();
                if credit {
                    lock(&inner.pending).used += n;
                }
                Some(credit)
            }
        }
    }

    /// Records requests sent under the limits in process (Redis away): added to the shared
    /// budget when Redis is back.
    pub(crate) fn spent_locally(&self, n: u64) {
        if lock(&self.inner.budget_rule).is_some() {
            lock(&self.inner.pending).used += n;
        }
    }

    /// Records a task the service accepted (it earns the fleet `per_task` requests).
    pub(crate) fn on_task(&self) {
        lock(&self.inner.pending).tasks += 1;
    }

    /// Requests left to this process under the shared budget (its lease and the fleet's),
    /// `None` when the budget is kept in process now.
    pub(crate) fn remaining(&self) -> Option<u64> {
        let inner = &self.inner;
        if !matches!(inner.health(), Health::Up) || lock(&inner.budget_rule).is_none() {
            return None;
        }
        Some(
            inner
                .lease
                .load(Ordering::Acquire)
                .saturating_add(inner.fleet_left.load(Ordering::Acquire)),
        )
    }
}

impl Inner {
    fn health(&self) -> Health {
        *lock(&self.health)
    }

    fn conn(&self) -> Option<Conn> {
        lock(&self.conn).clone()
    }

    /// Runs a script with its timeout; the reply is an array of strings.
    async fn eval(
        &self,
        script: &Script,
        keys: &[&String],
        args: &[String],
    ) -> std::result::Result<Vec<String>, String> {
        let Some(mut conn) = self.conn() else {
            return Err("not connected".into());
        };
        let mut inv = script.prepare_invoke();
        for k in keys {
            inv.key(k.as_str());
        }
        for a in args {
            inv.arg(a.as_str());
        }
        match tokio::time::timeout(CALL_TIMEOUT, inv.invoke_async::<Vec<String>>(&mut conn)).await {
            Ok(Ok(v)) => {
                if self.cluster() {
                    *lock(&self.failing_since) = None;
                }
                Ok(v)
            }
            Ok(Err(e)) => Err(self.redactor.text(&e.to_string())),
            Err(_) => Err(format!("no answer within {} ms", CALL_TIMEOUT.as_millis())),
        }
    }

    fn cluster(&self) -> bool {
        matches!(self.spec.target, Target::Cluster(..))
    }

    /// A call failed. A cluster whose calls have failed for less than [`FAILOVER_WAIT`] may
    /// be failing a primary over to its replica: the worker reconnects (learning where the
    /// slot lives now) and submits wait (`true`). Otherwise Redis is down: the limits are
    /// kept in process until a probe gets an answer (`false`).
    fn failed(&self, why: &str) -> bool {
        if self.cluster() && matches!(self.health(), Health::Up) {
            let since = *lock(&self.failing_since).get_or_insert_with(Instant::now);
            if since.elapsed() < FAILOVER_WAIT {
                if !self.reconnect.swap(true, Ordering::AcqRel) {
                    tracing::debug!(
                        target: "capbridge",
                        "shared limits: {} does not answer for key #{} ({why}); waiting up to {} s for a failover",
                        self.spec.shown(),
                        self.keys.short(),
                        FAILOVER_WAIT.as_secs()
                    );
                }
                self.wake.notify_one();
                return true;
            }
        }
        self.down(why);
        false
    }

    /// Redis failed: keep the limits in process until a probe gets an answer.
    fn down(&self, why: &str) {
        *lock(&self.failing_since) = None;
        let was = {
            let mut h = lock(&self.health);
            let was = *h;
            if !matches!(was, Health::Down { .. }) {
                *h = Health::Down {
                    next_probe: Instant::now() + PROBE_MIN,
                    failures: 0,
                };
            }
            was
        };
        *lock(&self.conn) = None;
        self.synced.store(false, Ordering::Release);
        if !matches!(was, Health::Down { .. }) {
            self.listeners.emit(crate::events::Step::SharedLimits {
                shared: false,
                message: format!(
                    "shared limits: Redis at {} does not answer ({}); this process keeps the key's limits \
                     alone until it does (the fleet may then submit up to N times the key's rate)",
                    self.spec.shown(),
                    self.redactor.text(why)
                ),
            });
        }
        match was {
            Health::Down { .. } => {}
            Health::Connecting => tracing::warn!(
                target: "capbridge",
                "shared limits: Redis at {} does not answer ({why}); this process keeps the limits of key #{} \
                 alone until it does (the fleet may then submit up to N times the key's rate)",
                self.spec.shown(),
                self.keys.short()
            ),
            Health::Up => tracing::warn!(
                target: "capbridge",
                "shared limits: Redis at {} stopped answering ({why}); this process keeps the limits of key #{} \
                 alone until it answers again (the fleet may then submit up to N times the key's rate)",
                self.spec.shown(),
                self.keys.short()
            ),
        }
        self.wake.notify_one();
    }

    fn up(&self) {
        let was = std::mem::replace(&mut *lock(&self.health), Health::Up);
        if let Health::Down { .. } = was {
            self.listeners.emit(crate::events::Step::SharedLimits {
                shared: true,
                message: format!(
                    "shared limits: Redis at {} answers again; the fleet shares the key's limits again",
                    self.spec.shown()
                ),
            });
            tracing::warn!(
                target: "capbridge",
                "shared limits: Redis at {} answers again; the limits of key #{} are shared by the fleet again",
                self.spec.shown(),
                self.keys.short()
            );
        } else {
            tracing::debug!(
                target: "capbridge",
                "shared limits: connected to Redis at {} for key #{}",
                self.spec.shown(),
                self.keys.short()
            );
        }
    }

    async fn connect(&self) -> std::result::Result<(), String> {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT));
        let fut = async {
            match &self.spec.target {
                Target::One(c) => c
                    .get_multiplexed_async_connection_with_config(&config)
                    .await
                    .map(Conn::One),
                Target::Cluster(c, _) => c.get_async_connection().await.map(Conn::Cluster),
            }
        };
        match tokio::time::timeout(CONNECT_TIMEOUT + CALL_TIMEOUT, fut).await {
            Ok(Ok(c)) => {
                *lock(&self.conn) = Some(c);
                Ok(())
            }
            Ok(Err(e)) => Err(self.redactor.text(&e.to_string())),
            Err(_) => Err(format!(
                "no connection within {} ms",
                CONNECT_TIMEOUT.as_millis()
            )),
        }
    }

    /// Publishes what is pending and refills the lease; any failure puts it back.
    async fn flush(&self) -> std::result::Result<(), String> {
        let k = &self.keys;
        let pause = lock(&self.pending).pause_until.take();
        if let Some(until) = pause {
            let left = until.saturating_duration_since(Instant::now());
            if !left.is_zero() {
                let args = [micros(left).to_string(), STATE_TTL.as_millis().to_string()];
                if let Err(e) = self.eval(&scripts().pause, &[&k.submit], &args).await {
                    let mut p = lock(&self.pending);
                    if p.pause_until.is_none_or(|cur| cur < until) {
                        p.pause_until = Some(until);
                    }
                    return Err(e);
                }
            }
        }
        let blocks = std::mem::take(&mut lock(&self.pending).blocks);
        let mut rest = blocks.into_iter();
        while let Some(b) = rest.next() {
            let args = [
                b.field.clone(),
                b.scope.to_owned(),
                micros(b.length).to_string(),
                b.kind.to_owned(),
                if b.retryable { "1" } else { "0" }.to_owned(),
                b.code.clone(),
                b.message.clone(),
            ];
            if let Err(e) = self.eval(&scripts().block, &[&k.blocks], &args).await {
                let mut p = lock(&self.pending);
                p.blocks.push(b);
                p.blocks.extend(rest);
                return Err(e);
            }
        }
        self.sync_budget(0).await?;
        self.sync_waits().await
    }

    /// Adds this process's steps to the fleet's learned first waits and reads the fleet's.
    async fn sync_waits(&self) -> std::result::Result<(), String> {
        let Some(waits) = self.waits.get() else {
            return Ok(());
        };
        let pending = waits.take_pending();
        if pending.is_empty() {
            return Ok(());
        }
        let mut args = vec![
            BUDGET_TTL.as_millis().to_string(),
            learn::LN_LOW.to_string(),
            learn::LN_HIGH.to_string(),
        ];
        for (kind, dx, dn, start) in &pending {
            args.extend([
                kind.as_str().to_owned(),
                dx.to_string(),
                dn.to_string(),
                start.to_string(),
            ]);
        }
        match self
            .eval(&scripts().waits, &[&self.keys.waits], &args)
            .await
        {
            Ok(r) => {
                for f in r.chunks(3) {
                    let [kind, ln, n] = f else { continue };
                    let (Some(kind), Ok(ln), Ok(n)) = (
                        crate::task::TaskKind::from_name(kind),
                        ln.parse::<f64>(),
                        n.parse::<u64>(),
                    ) else {
                        continue;
                    };
                    waits.absorb(kind, ln, n);
                }
                Ok(())
            }
            Err(e) => {
                waits.give_back(&pending);
                Err(e)
            }
        }
    }

    /// Adds the tasks and the requests spent in process, asks for more lease when it runs
    /// low (or gives `give_back` requests back), and reads the fleet's blocks.
    async fn sync_budget(&self, give_back: u64) -> std::result::Result<(), String> {
        let rule = *lock(&self.budget_rule);
        let (tasks, used) = {
            let mut p = lock(&self.pending);
            (std::mem::take(&mut p.tasks), std::mem::take(&mut p.used))
        };
        let lease = self.lease.load(Ordering::Acquire);
        let want = if give_back == 0 && lease < LOW {
            LEASE - lease
        } else {
            0
        };
        let used_delta = i128::from(used) - i128::from(give_back);
        let args = match rule {
            Some((per_task, allowance)) => [
                tasks.to_string(),
                used_delta.to_string(),
                want.to_string(),
                per_task.to_string(),
                allowance.to_string(),
                BUDGET_TTL.as_millis().to_string(),
            ],
            None => [
                "0".into(),
                "0".into(),
                "0".into(),
                "-".into(),
                "0".into(),
                "0".into(),
            ],
        };
        let k = &self.keys;
        match self
            .eval(&scripts().budget, &[&k.budget, &k.blocks], &args)
            .await
        {
            Ok(r) => {
                let num = |i: usize| r.get(i).and_then(|v| v.parse::<u64>().ok());
                let (Some(grant), Some(left)) = (num(0), num(1)) else {
                    return Err("the budget script answered something unexpected".into());
                };
                if rule.is_some() {
                    if give_back > 0 {
                        self.lease.fetch_sub(
                            give_back.min(self.lease.load(Ordering::Acquire)),
                            Ordering::AcqRel,
                        );
                    }
                    self.lease.fetch_add(grant, Ordering::AcqRel);
                    self.fleet_left.store(left, Ordering::Release);
                    self.synced.store(true, Ordering::Release);
                }
                self.import_blocks(r.get(4..).unwrap_or_default());
                Ok(())
            }
            Err(e) => {
                let mut p = lock(&self.pending);
                p.tasks += tasks;
                p.used += used;
                Err(e)
            }
        }
    }

    /// Puts the fleet's blocks (JSON, µs left, µs since) into this process's guard.
    fn import_blocks(&self, flat: &[String]) {
        for b in flat.chunks(3) {
            let [json, left, ago] = b else { continue };
            let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
                continue;
            };
            let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default();
            let (Ok(left), Ok(ago)) = (left.parse::<u64>(), ago.parse::<u64>()) else {
                continue;
            };
            let scope = match text("sc") {
                "all" => BlockScope::All,
                _ => BlockScope::Submits,
            };
            let kind = ErrorKind::from_name(text("k")).unwrap_or(ErrorKind::Service);
            let mut error = Error::new(kind, text("m")).with_retryable(text("r") == "1");
            if !text("c").is_empty() {
                error = error.with_code(text("c"));
            }
            self.guard.import(
                scope,
                &error,
                Duration::from_micros(left),
                Duration::from_micros(ago),
            );
        }
    }
}

/// Receives the fleet's pushes for one key: subscribes to its channel (on a cluster, through
/// any node that answers), hands each message to the solve waiting for it, and subscribes
/// again after a failure. Ends when the link is dropped.
async fn subscriber(inner: Weak<Inner>, book: Weak<Book>) {
    use futures_util::StreamExt;
    let mut failures = 0u32;
    loop {
        let Some(strong) = inner.upgrade() else {
            return;
        };
        if strong.closed.load(Ordering::Acquire) {
            return;
        }
        let clients: Vec<redis::Client> = match &strong.spec.target {
            Target::One(c) => vec![c.clone()],
            Target::Cluster(_, nodes) => nodes.clone(),
        };
        let channel = strong.keys.pushes.clone();
        let mut pubsub = None;
        for c in &clients {
            let attempt = async {
                let mut p = c.get_async_pubsub().await?;
                p.subscribe(&channel).await?;
                Ok::<_, redis::RedisError>(p)
            };
            if let Ok(Ok(p)) = tokio::time::timeout(CONNECT_TIMEOUT + CALL_TIMEOUT, attempt).await {
                pubsub = Some(p);
                break;
            }
        }
        let Some(pubsub) = pubsub else {
            drop(strong);
            failures = failures.saturating_add(1);
            let backoff = PROBE_MIN
                .saturating_mul(1u32 << failures.min(5))
                .min(PROBE_MAX);
            tokio::time::sleep(backoff).await;
            continue;
        };
        failures = 0;
        // Messages missed while not subscribed: the answers kept for the solves waiting.
        if let Some(b) = book.upgrade() {
            for nonce in b.nonces() {
                let key = strong.keys.pushed(&nonce_hex(&nonce));
                if let Ok(r) = strong.eval(&scripts().read, &[&key], &[]).await
                    && let Some(body) = r.into_iter().next()
                {
                    b.try_deliver(&nonce, body.as_bytes());
                }
            }
        }
        drop(strong);
        let mut stream = pubsub.into_on_message();
        loop {
            let msg = tokio::select! {
                m = stream.next() => m,
                // Now and then: is the link still there?
                _ = tokio::time::sleep(SYNC_EVERY) => {
                    match inner.upgrade() {
                        Some(i) if !i.closed.load(Ordering::Acquire) => continue,
                        _ => return,
                    }
                }
            };
            let Some(msg) = msg else {
                break; // the connection broke: subscribe again
            };
            let Some(b) = book.upgrade() else {
                return;
            };
            let payload = msg.get_payload_bytes();
            let Some(split) = payload.iter().position(|c| *c == b'\n') else {
                continue;
            };
            if let Some(nonce) = nonce_of(&payload[..split]) {
                b.try_deliver(&nonce, &payload[split + 1..]);
            }
        }
    }
}

/// The background worker of one link: connects, publishes, refills, probes; ends when the
/// link is dropped.
async fn worker(inner: Arc<Inner>) {
    let first = match inner.connect().await {
        Ok(()) => inner.flush().await,
        Err(e) => Err(e),
    };
    match first {
        Ok(()) => inner.up(),
        Err(e) => inner.down(&e),
    }
    inner.ready.send_replace(true);
    loop {
        if inner.closed.load(Ordering::Acquire) {
            // Tell the fleet what is still pending (a block met just before the last client
            // of the key went away), and give the unspent lease back.
            if matches!(inner.health(), Health::Up) && inner.flush().await.is_ok() {
                let lease = inner.lease.load(Ordering::Acquire);
                if lease > 0 {
                    let _ = inner.sync_budget(lease).await;
                }
            }
            return;
        }
        match inner.health() {
            Health::Up => {
                // A cluster failing over: a new connection asks where the slot lives now.
                let result = if inner.reconnect.swap(false, Ordering::AcqRel) {
                    match inner.connect().await {
                        Ok(()) => inner.flush().await,
                        Err(e) => Err(e),
                    }
                } else {
                    inner.flush().await
                };
                if let Err(e) = result {
                    if inner.failed(&e) {
                        tokio::time::sleep(FAILOVER_POLL).await;
                    }
                    continue;
                }
                tokio::select! {
                    _ = tokio::time::sleep(SYNC_EVERY) => {}
                    _ = inner.wake.notified() => {}
                }
            }
            Health::Down {
                next_probe,
                failures,
            } => {
                if Instant::now() < next_probe {
                    tokio::select! {
                        _ = tokio::time::sleep_until(next_probe) => {}
                        _ = inner.wake.notified() => {}
                    }
                    continue;
                }
                let probe = match inner.connect().await {
                    Ok(()) => inner.flush().await,
                    Err(e) => Err(e),
                };
                match probe {
                    Ok(()) => inner.up(),
                    Err(why) => {
                        *lock(&inner.conn) = None;
                        let failures = failures.saturating_add(1);
                        let backoff = PROBE_MIN
                            .saturating_mul(1u32 << failures.min(5))
                            .min(PROBE_MAX);
                        tracing::debug!(
                            target: "capbridge",
                            "shared limits: Redis at {} still does not answer ({why}); next probe in {} ms",
                            inner.spec.shown(),
                            backoff.as_millis()
                        );
                        *lock(&inner.health) = Health::Down {
                            next_probe: Instant::now() + backoff,
                            failures,
                        };
                    }
                }
            }
            Health::Connecting => {
                // Not reached: the first attempt above ends connecting either way.
                inner.down("the link was still connecting");
            }
        }
    }
}
