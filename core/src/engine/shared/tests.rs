//! Tests of the scripts and of the link against a real Redis: `CAPBRIDGE_REDIS_URL` (set by
//! `tests/run-redis`); without it each test prints a note and passes. Every test uses keys
//! of its own (a fresh API key), so they run in parallel on one Redis.

use super::keys::Keys;
use super::scripts::scripts;
use super::{Decision, Link, SharedSpec, SubmitRule};
use crate::codec::{Block, BlockLength, BlockScope};
use crate::engine::governor::Governor;
use crate::engine::guard::Guard;
use crate::error::{Error, ErrorKind};
use crate::provider::Limits;
use crate::secret::Secret;
use redis::aio::MultiplexedConnection;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::time::Instant;

fn redis_url() -> Option<String> {
    match std::env::var("CAPBRIDGE_REDIS_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!("note: CAPBRIDGE_REDIS_URL is not set; skipped (tests/run-redis sets it)");
            None
        }
    }
}

/// A fresh 32-character key per call.
fn fresh_key() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{:020x}{:06x}{:06x}",
        t & ((1 << 80) - 1),
        std::process::id() & 0xff_ffff,
        n
    )
}

async fn conn(url: &str) -> MultiplexedConnection {
    redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

const US: u64 = 1;
/// A step that has not happened in this time has hung (far beyond any load).
const HANG: Duration = Duration::from_secs(60);
const MS: u64 = 1000 * US;

struct Submit<'a> {
    keys: &'a Keys,
    waiter: &'a str,
    spacing_ms: u64,
    window_ms: u64,
    per_window: u64,
    grace_ms: u64,
    slack_ms: u64,
}

impl Submit<'_> {
    async fn ask(&self, c: &mut MultiplexedConnection) -> Vec<String> {
        let k = self.keys;
        scripts()
            .submit
            .key(&k.submit)
            .key(&k.window)
            .key(&k.queue)
            .key(&k.due)
            .key(&k.blocks)
            .arg(self.waiter)
            .arg(self.spacing_ms * MS)
            .arg(self.window_ms * MS)
            .arg(self.per_window)
            .arg(self.grace_ms * MS)
            .arg(self.slack_ms * MS)
            .arg(60_000u64)
            .invoke_async(c)
            .await
            .unwrap()
    }
}

fn wait_ms(r: &[String]) -> f64 {
    assert_eq!(r[0], "0", "expected a wait, got {r:?}");
    r[1].parse::<f64>().unwrap() / 1000.0
}

fn go(r: &[String]) -> bool {
    r[0] == "1"
}

/// Milliseconds since `t`, plus 1 for the two clocks' granularity: how much of Redis's time
/// can have passed between two script calls made after `t`. A wait the script tells is its
/// rule's length less the time that passed, so the test bounds it by what it measured
/// rather than by a guess of the machine's speed.
fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0 + 1.0
}

/// Moves every time stored under `keys` back by `us`: to the scripts, `us` has passed. A
/// test steps through a wait this way instead of sleeping it, so that its own pace (a
/// loaded machine's) cannot carry it past a window it means to be inside.
async fn age(c: &mut MultiplexedConnection, keys: &Keys, us: u64) {
    for field in ["last", "pause", "ps"] {
        if let Some(t) = hget(c, &keys.submit, field).await {
            let _: () = redis::cmd("HSET")
                .arg(&keys.submit)
                .arg(field)
                .arg(t.saturating_sub(us).to_string())
                .query_async(c)
                .await
                .unwrap();
        }
    }
    for key in [&keys.window, &keys.queue, &keys.due] {
        let members: Vec<(String, f64)> = redis::cmd("ZRANGE")
            .arg(key)
            .arg(0)
            .arg(-1)
            .arg("WITHSCORES")
            .query_async(c)
            .await
            .unwrap();
        for (m, t) in members {
            let _: () = redis::cmd("ZADD")
                .arg(key)
                .arg(format!("{:.0}", t - us as f64))
                .arg(m)
                .query_async(c)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn spacing_and_window() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://spacing", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 100,
        window_ms: 0,
        per_window: 0,
        grace_ms: 0,
        slack_ms: 250,
    };
    let t = Instant::now();
    assert!(go(&s.ask(&mut c).await));
    let w = wait_ms(&s.ask(&mut c).await);
    assert!(w <= 100.0 && w >= 100.0 - ms_since(t), "{w}");
    tokio::time::sleep(Duration::from_micros((w * 1000.0) as u64)).await;
    assert!(go(&s.ask(&mut c).await));

    // 3 per 300 ms, no spacing: the 4th waits for the first to leave the window.
    let keys = Keys::new("http://window", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 0,
        window_ms: 300,
        per_window: 3,
        grace_ms: 0,
        slack_ms: 250,
    };
    let t = Instant::now();
    for _ in 0..3 {
        assert!(go(&s.ask(&mut c).await));
    }
    let w = wait_ms(&s.ask(&mut c).await);
    assert!(w <= 300.0 && w >= 300.0 - ms_since(t), "{w}");
    tokio::time::sleep(Duration::from_micros((w * 1000.0) as u64 + 1000)).await;
    assert!(go(&s.ask(&mut c).await));
    let n: u64 = redis::cmd("ZCARD")
        .arg(&keys.window)
        .query_async(&mut c)
        .await
        .unwrap();
    assert!(n <= 3, "the window keeps only its own grants: {n}");
}

/// Times here are long (a 20 s spacing, a 5 s grace, a 30 s slack) and the test steps through
/// them by moving the stored times back ([`age`]), so a step meant to land inside the grace
/// lands there however slowly the machine goes.
#[tokio::test]
async fn waiters_queue_in_the_order_they_asked() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://queue", &fresh_key());
    const SPACING: f64 = 20_000.0;
    const GRACE: f64 = 5_000.0;
    const SLACK: f64 = 30_000.0;
    let ask = |w: &'static str| Submit {
        keys: &keys,
        waiter: w,
        spacing_ms: SPACING as u64,
        window_ms: 0,
        per_window: 0,
        grace_ms: GRACE as u64,
        slack_ms: SLACK as u64,
    };
    let t = Instant::now();
    assert!(go(&ask("a").ask(&mut c).await));
    // b asks first, then c: b is told to come when the slot frees, c one spacing later.
    let wb = wait_ms(&ask("b").ask(&mut c).await);
    let wc = wait_ms(&ask("c").ask(&mut c).await);
    let e = ms_since(t);
    assert!(wb <= SPACING && wb >= SPACING - e, "{wb}");
    assert!(
        wc - wb <= SPACING && wc - wb >= SPACING - e,
        "b {wb}, c {wc}"
    );
    // The slot frees: it is b's turn, and c, asking within b's grace, waits.
    age(&mut c, &keys, (wb * 1000.0) as u64 + 1000).await;
    let early = wait_ms(&ask("c").ask(&mut c).await);
    assert!(early >= 1.0, "{early}");
    assert!(go(&ask("b").ask(&mut c).await));
    let wc = wait_ms(&ask("c").ask(&mut c).await);
    age(&mut c, &keys, (wc * 1000.0) as u64 + 1000).await;
    assert!(go(&ask("c").ask(&mut c).await));

    // A waiter that does not come back loses its place: d waits, never returns; e gets
    // the slot once d's turn is past the slack.
    let wd = wait_ms(&ask("d").ask(&mut c).await);
    let we = wait_ms(&ask("e").ask(&mut c).await);
    assert!(we > wd);
    age(&mut c, &keys, ((wd + SLACK) * 1000.0) as u64 + 1000).await;
    assert!(
        go(&ask("e").ask(&mut c).await),
        "d should have lost its place"
    );
    let left: u64 = redis::cmd("ZCARD")
        .arg(&keys.queue)
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_late_head_lets_the_next_one_go_after_the_grace() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://grace", &fresh_key());
    let ask = |w: &'static str| Submit {
        keys: &keys,
        waiter: w,
        spacing_ms: 100,
        window_ms: 0,
        per_window: 0,
        grace_ms: 30,
        slack_ms: 5000,
    };
    assert!(go(&ask("a").ask(&mut c).await));
    let wb = wait_ms(&ask("b").ask(&mut c).await);
    wait_ms(&ask("c").ask(&mut c).await);
    // b is late: 40 ms after the slot freed (grace 30 ms), c may take it.
    tokio::time::sleep(Duration::from_micros((wb * 1000.0) as u64 + 40_000)).await;
    let r = ask("c").ask(&mut c).await;
    assert!(go(&r), "{r:?}");
}

#[tokio::test]
async fn pauses_push_every_submit_back() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://pause", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 10,
        window_ms: 0,
        per_window: 0,
        grace_ms: 0,
        slack_ms: 250,
    };
    // Before the pause begins: what passes after it bounds what is left of it.
    let t = Instant::now();
    let left: Vec<String> = scripts()
        .pause
        .key(&keys.submit)
        .arg(300 * MS)
        .arg(60_000u64)
        .invoke_async(&mut c)
        .await
        .unwrap();
    assert_eq!(left, vec![(300 * MS).to_string()]);
    // A shorter pause does not shorten it.
    let left: Vec<String> = scripts()
        .pause
        .key(&keys.submit)
        .arg(10 * MS)
        .arg(60_000u64)
        .invoke_async(&mut c)
        .await
        .unwrap();
    let left = left[0].parse::<f64>().unwrap() / 1000.0;
    assert!(left <= 300.0 && left >= 300.0 - ms_since(t), "{left}");
    let w = wait_ms(&s.ask(&mut c).await);
    assert!(w <= 300.0 && w >= 300.0 - ms_since(t), "{w}");
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&keys.submit)
        .query_async(&mut c)
        .await
        .unwrap();
    // Set by the ask to more than a minute (the expiry beyond the pause), read just after.
    assert!(
        ttl <= 61_000 && ttl as f64 + ms_since(t) > 60_000.0,
        "{ttl}"
    );
}

async fn block(
    c: &mut MultiplexedConnection,
    keys: &Keys,
    code: &str,
    scope: &str,
    ms: u64,
) -> Vec<String> {
    scripts()
        .block
        .key(&keys.blocks)
        .arg(format!("{code}|{scope}"))
        .arg(scope)
        .arg(ms * MS)
        .arg("balance")
        .arg("0")
        .arg(code)
        .arg("You don't have funds on your account.")
        .invoke_async(c)
        .await
        .unwrap()
}

async fn budget(
    c: &mut MultiplexedConnection,
    keys: &Keys,
    tasks: i64,
    used: i64,
    want: u64,
    rule: Option<(u64, u64)>,
) -> Vec<String> {
    let (per, allow) = match rule {
        Some((p, a)) => (p.to_string(), a.to_string()),
        None => ("-".into(), "0".into()),
    };
    scripts()
        .budget
        .key(&keys.budget)
        .key(&keys.blocks)
        .arg(tasks)
        .arg(used)
        .arg(want)
        .arg(per)
        .arg(allow)
        .arg(86_400_000u64)
        .invoke_async(c)
        .await
        .unwrap()
}

#[tokio::test]
async fn blocks_stop_submits_or_everything_and_end_on_time() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://blocks", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 0,
        window_ms: 0,
        per_window: 0,
        grace_ms: 0,
        slack_ms: 250,
    };
    let t = Instant::now();
    block(&mut c, &keys, "ERROR_ZERO_BALANCE", "submits", 300).await;
    let r = s.ask(&mut c).await;
    assert_eq!(r[0], "2", "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&r[1]).unwrap();
    assert_eq!(v["c"], "ERROR_ZERO_BALANCE");
    assert_eq!(v["sc"], "submits");
    assert_eq!(v["k"], "balance");
    let left = r[2].parse::<f64>().unwrap() / 1000.0;
    assert!(left <= 300.0 && left >= 300.0 - ms_since(t), "{left}");
    // A submits block is not a block of polls.
    let b = budget(&mut c, &keys, 0, 0, 0, None).await;
    assert_eq!(b.len(), 4, "{b:?}");
    // A shorter block of the same code leaves the longer one as it is.
    let r = block(&mut c, &keys, "ERROR_ZERO_BALANCE", "submits", 10).await;
    assert!(r[0].parse::<f64>().unwrap() / 1000.0 >= 300.0 - ms_since(t));
    // An "all" block reaches the budget's readers too.
    block(&mut c, &keys, "ERROR: 1005", "all", 200).await;
    let b = budget(&mut c, &keys, 0, 0, 0, None).await;
    assert_eq!(b.len(), 7, "{b:?}");
    assert!(b[4].contains("ERROR: 1005"));
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&keys.blocks)
        .query_async(&mut c)
        .await
        .unwrap();
    assert!(ttl > 0 && ttl <= 1300, "{ttl}");
    tokio::time::sleep(Duration::from_millis(320)).await;
    assert!(go(&s.ask(&mut c).await), "the blocks have ended");
    let n: u64 = redis::cmd("HLEN")
        .arg(&keys.blocks)
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(n, 0, "ended blocks are removed");
}

#[tokio::test]
async fn the_budget_counts_the_fleet() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://budget", &fresh_key());
    let rule = Some((20, 10));
    // 10 allowed before any task: 8, then the 2 left.
    let r = budget(&mut c, &keys, 0, 0, 8, rule).await;
    assert_eq!(&r[..4], ["8", "2", "8", "0"]);
    let r = budget(&mut c, &keys, 0, 0, 5, rule).await;
    assert_eq!(&r[..4], ["2", "0", "10", "0"]);
    let r = budget(&mut c, &keys, 0, 0, 5, rule).await;
    assert_eq!(&r[..2], ["0", "0"]);
    // A task earns 20 more; requests spent away from Redis are added.
    let r = budget(&mut c, &keys, 1, 5, 10, rule).await;
    assert_eq!(&r[..4], ["10", "5", "25", "1"]);
    // Unspent requests go back, never below zero.
    let r = budget(&mut c, &keys, 0, -100, 0, rule).await;
    assert_eq!(&r[..4], ["0", "30", "0", "1"]);
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&keys.budget)
        .query_async(&mut c)
        .await
        .unwrap();
    assert!(ttl > 86_000_000 && ttl <= 86_400_000, "{ttl}");
}

#[tokio::test]
async fn every_key_expires() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://expiry", &fresh_key());
    let ask = |w: &'static str| Submit {
        keys: &keys,
        waiter: w,
        spacing_ms: 100,
        window_ms: 3000,
        per_window: 60,
        grace_ms: 30,
        slack_ms: 250,
    };
    ask("a").ask(&mut c).await;
    ask("b").ask(&mut c).await;
    block(&mut c, &keys, "ERROR_ZERO_BALANCE", "submits", 60_000).await;
    budget(&mut c, &keys, 1, 0, 1, Some((20, 1200))).await;
    for (k, max) in [
        (&keys.submit, 63_500),
        (&keys.window, 63_500),
        (&keys.queue, 63_500),
        (&keys.due, 63_500),
        (&keys.blocks, 61_000),
        (&keys.budget, 86_400_000),
    ] {
        let ttl: i64 = redis::cmd("PTTL").arg(k).query_async(&mut c).await.unwrap();
        assert!(ttl > 0 && ttl <= max, "{k}: {ttl}");
    }
}

#[tokio::test]
async fn times_are_redis_s_own() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://clock", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 100,
        window_ms: 3000,
        per_window: 60,
        grace_ms: 0,
        slack_ms: 250,
    };
    let t = Instant::now();
    assert!(go(&s.ask(&mut c).await));
    let (secs, micros): (u64, u64) = redis::cmd("TIME").query_async(&mut c).await.unwrap();
    let server_now = secs * 1_000_000 + micros;
    let last: String = redis::cmd("HGET")
        .arg(&keys.submit)
        .arg("last")
        .query_async(&mut c)
        .await
        .unwrap();
    let last: u64 = last.parse().unwrap();
    // Written with Redis's own now: no later than the TIME read after it, no earlier than
    // the time that read took to come.
    assert!(
        server_now >= last && ((server_now - last) as f64) <= ms_since(t) * MS as f64,
        "{server_now} {last}"
    );
    // A grant "later" on Redis's clock than its now can only come from a step of that clock
    // (clients never write times): it counts as a grant made now, so the next one waits one
    // spacing at most, and `last` is written back to Redis's now.
    let ahead = server_now + 400 * MS;
    let _: () = redis::cmd("HSET")
        .arg(&keys.submit)
        .arg("last")
        .arg(ahead.to_string())
        .query_async(&mut c)
        .await
        .unwrap();
    let w = wait_ms(&s.ask(&mut c).await);
    assert!((50.0..=100.0).contains(&w), "{w}");
    let last: u64 = hget(&mut c, &keys.submit, "last").await.unwrap();
    assert!(last < ahead && last <= redis_now(&mut c).await, "{last}");
}

/// Redis's time now, µs.
async fn redis_now(c: &mut MultiplexedConnection) -> u64 {
    let (secs, micros): (u64, u64) = redis::cmd("TIME").query_async(c).await.unwrap();
    secs * 1_000_000 + micros
}

async fn hget(c: &mut MultiplexedConnection, key: &str, field: &str) -> Option<u64> {
    let v: Option<String> = redis::cmd("HGET")
        .arg(key)
        .arg(field)
        .query_async(c)
        .await
        .unwrap();
    v.map(|v| v.parse().unwrap())
}

async fn pttl(c: &mut MultiplexedConnection, key: &str) -> i64 {
    redis::cmd("PTTL").arg(key).query_async(c).await.unwrap()
}

/// Sets `key`'s expiry as a clock step leaves it: Redis keeps expiry as an absolute time
/// too, so a step back of an hour makes it an hour longer.
async fn stretch(c: &mut MultiplexedConnection, key: &str) {
    let _: () = redis::cmd("PEXPIRE")
        .arg(key)
        .arg(STEP / MS + 60_000)
        .query_async(c)
        .await
        .unwrap();
}

/// The clock step the tests below plant: Redis's clock went back an hour, so everything
/// stored just before lies an hour ahead of its now.
const STEP: u64 = 3_600_000 * MS;

/// A block's JSON as the `BLOCK` script writes it, from `since` until `until` (µs).
fn block_json(code: &str, scope: &str, since: u64, until: u64) -> String {
    serde_json::json!({
        "u": until.to_string(), "s": since.to_string(), "sc": scope, "k": "balance",
        "r": "0", "c": code, "m": "You don't have funds on your account."
    })
    .to_string()
}

/// After a step back of Redis's clock, a grant stored ahead of its now stands for a grant
/// made now: the next submit waits one spacing, or the window, never the step.
#[tokio::test]
async fn a_clock_step_back_never_stretches_the_spacing_or_the_window() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;

    // Spacing: the last grant an hour ahead.
    let keys = Keys::new("http://step-spacing", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 100,
        window_ms: 3000,
        per_window: 60,
        grace_ms: 30,
        slack_ms: 250,
    };
    let now = redis_now(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(&keys.submit)
        .arg("last")
        .arg((now + STEP).to_string())
        .query_async(&mut c)
        .await
        .unwrap();
    stretch(&mut c, &keys.submit).await;
    let w = wait_ms(&s.ask(&mut c).await);
    assert!(
        w <= 100.0,
        "waits {w} ms after a step back, the spacing is 100 ms"
    );
    tokio::time::sleep(Duration::from_micros((w * 1000.0) as u64 + 1000)).await;
    assert!(
        go(&s.ask(&mut c).await),
        "the slot is free one spacing later"
    );
    let ttl = pttl(&mut c, &keys.submit).await;
    assert!(
        ttl > 0 && ttl <= 63_000,
        "the submit state expires as usual: {ttl}"
    );

    // Window: 3 per 300 ms, the 3 grants an hour (and 10, 20 ms) ahead.
    let keys = Keys::new("http://step-window", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 0,
        window_ms: 300,
        per_window: 3,
        grace_ms: 0,
        slack_ms: 250,
    };
    let now = redis_now(&mut c).await;
    for i in 0..3 {
        let t = now + STEP - i * 10 * MS;
        let _: () = redis::cmd("ZADD")
            .arg(&keys.window)
            .arg(t)
            .arg(format!("{t}:x"))
            .query_async(&mut c)
            .await
            .unwrap();
    }
    stretch(&mut c, &keys.window).await;
    let w = wait_ms(&s.ask(&mut c).await);
    // The grants move back together, the latest to now: the oldest leaves the window
    // 280 ms from now.
    assert!(
        (200.0..=300.0).contains(&w),
        "waits {w} ms after a step back, the window is 300 ms"
    );
    let scores: Vec<(String, f64)> = redis::cmd("ZRANGE")
        .arg(&keys.window)
        .arg(0)
        .arg(-1)
        .arg("WITHSCORES")
        .query_async(&mut c)
        .await
        .unwrap();
    let now = redis_now(&mut c).await as f64;
    assert!(scores.iter().all(|(_, t)| *t <= now), "{scores:?}");
    let ttl = pttl(&mut c, &keys.window).await;
    assert!(ttl > 0 && ttl <= 61_000, "{ttl}");
    tokio::time::sleep(Duration::from_micros((w * 1000.0) as u64 + 1000)).await;
    assert!(
        go(&s.ask(&mut c).await),
        "the window frees within its length"
    );
}

/// After a step back, a pause or a block lasts at most its own length from now (its start
/// ahead of now is the step), in the submit decision, in `PAUSE` and `BLOCK`, and in what
/// `BUDGET` reads.
#[tokio::test]
async fn a_clock_step_back_never_stretches_a_pause_or_a_block() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;

    // A 300 ms pause that started an hour ahead.
    let keys = Keys::new("http://step-pause", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 10,
        window_ms: 0,
        per_window: 0,
        grace_ms: 0,
        slack_ms: 250,
    };
    let now = redis_now(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(&keys.submit)
        .arg("pause")
        .arg((now + STEP + 300 * MS).to_string())
        .arg("ps")
        .arg((now + STEP).to_string())
        .query_async(&mut c)
        .await
        .unwrap();
    stretch(&mut c, &keys.submit).await;
    let t = Instant::now();
    let w = wait_ms(&s.ask(&mut c).await);
    assert!(
        (250.0..=300.0).contains(&w),
        "waits {w} ms for a 300 ms pause after a step back"
    );
    // A shorter pause now keeps it, as it stands after the step.
    let left: Vec<String> = scripts()
        .pause
        .key(&keys.submit)
        .arg(10 * MS)
        .arg(60_000u64)
        .invoke_async(&mut c)
        .await
        .unwrap();
    let left = left[0].parse::<f64>().unwrap() / 1000.0;
    assert!(left <= 300.0 && left >= 300.0 - ms_since(t), "{left}");
    let ttl = pttl(&mut c, &keys.submit).await;
    assert!(ttl > 0 && ttl <= 61_000, "{ttl}");
    tokio::time::sleep(Duration::from_micros((w * 1000.0) as u64 + 1000)).await;
    assert!(go(&s.ask(&mut c).await), "the pause ends within its length");

    // The same pause planted again, met by `PAUSE` first.
    let now = redis_now(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(&keys.submit)
        .arg("pause")
        .arg((now + STEP + 300 * MS).to_string())
        .arg("ps")
        .arg((now + STEP).to_string())
        .query_async(&mut c)
        .await
        .unwrap();
    let left: Vec<String> = scripts()
        .pause
        .key(&keys.submit)
        .arg(10 * MS)
        .arg(60_000u64)
        .invoke_async(&mut c)
        .await
        .unwrap();
    let left: u64 = left[0].parse().unwrap();
    assert!(left <= 300 * MS && left > 250 * MS, "{left}");

    // A 200 ms block of submits and a 200 ms block of everything, both started an hour ahead.
    let keys = Keys::new("http://step-block", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 0,
        window_ms: 0,
        per_window: 0,
        grace_ms: 0,
        slack_ms: 250,
    };
    let now = redis_now(&mut c).await;
    let (since, until) = (now + STEP, now + STEP + 200 * MS);
    let _: () = redis::cmd("HSET")
        .arg(&keys.blocks)
        .arg("ERROR_ZERO_BALANCE|submits")
        .arg(block_json("ERROR_ZERO_BALANCE", "submits", since, until))
        .arg("ERROR: 1005|all")
        .arg(block_json("ERROR: 1005", "all", since, until))
        .query_async(&mut c)
        .await
        .unwrap();
    stretch(&mut c, &keys.blocks).await;
    let r = s.ask(&mut c).await;
    assert_eq!(r[0], "2", "{r:?}");
    assert_eq!(r.len(), 7, "{r:?}");
    for b in r[1..].chunks(3) {
        let left: u64 = b[1].parse().unwrap();
        let ago: u64 = b[2].parse().unwrap();
        assert!(
            left <= 200 * MS,
            "a 200 ms block has {left} µs left after a step back"
        );
        assert!(ago < 50 * MS, "{ago}");
        let v: serde_json::Value = serde_json::from_str(&b[0]).unwrap();
        let u: u64 = v["u"].as_str().unwrap().parse().unwrap();
        assert!(u <= redis_now(&mut c).await + 200 * MS, "written back: {v}");
    }
    let ttl = pttl(&mut c, &keys.blocks).await;
    assert!(ttl > 0 && ttl <= 1200, "{ttl}");
    let b = budget(&mut c, &keys, 0, 0, 0, None).await;
    assert_eq!(b.len(), 7, "{b:?}");
    assert!(b[5].parse::<u64>().unwrap() <= 200 * MS, "{b:?}");
    tokio::time::sleep(Duration::from_millis(210)).await;
    assert!(
        go(&s.ask(&mut c).await),
        "the blocks end within their length"
    );

    // `BLOCK` meets a stepped block of its own field.
    let now = redis_now(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(&keys.blocks)
        .arg("ERROR_ZERO_BALANCE|submits")
        .arg(block_json(
            "ERROR_ZERO_BALANCE",
            "submits",
            now + STEP,
            now + STEP + 200 * MS,
        ))
        .query_async(&mut c)
        .await
        .unwrap();
    stretch(&mut c, &keys.blocks).await;
    let r = block(&mut c, &keys, "ERROR_ZERO_BALANCE", "submits", 10).await;
    let left: u64 = r[0].parse().unwrap();
    assert!(left <= 200 * MS && left > 150 * MS, "{left}");
    let ttl = pttl(&mut c, &keys.blocks).await;
    assert!(ttl > 0 && ttl <= 1200, "{ttl}");
}

/// After a step back, a waiter's time to come back (and so its place in the queue) and the
/// keys' expiry stay bounded: a dead waiter is forgotten in about a minute, not an hour.
#[tokio::test]
async fn a_clock_step_back_keeps_the_queue_and_the_expiry_bounded() {
    let Some(url) = redis_url() else { return };
    let mut c = conn(&url).await;
    let keys = Keys::new("http://step-queue", &fresh_key());
    let s = Submit {
        keys: &keys,
        waiter: "a",
        spacing_ms: 100,
        window_ms: 3000,
        per_window: 60,
        grace_ms: 30,
        slack_ms: 250,
    };
    let now = redis_now(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(&keys.submit)
        .arg("last")
        .arg((now + STEP).to_string())
        .query_async(&mut c)
        .await
        .unwrap();
    let _: () = redis::cmd("ZADD")
        .arg(&keys.queue)
        .arg(now + STEP)
        .arg("dead")
        .query_async(&mut c)
        .await
        .unwrap();
    let _: () = redis::cmd("ZADD")
        .arg(&keys.due)
        .arg(now + STEP + 500 * MS)
        .arg("dead")
        .query_async(&mut c)
        .await
        .unwrap();
    for k in [&keys.submit, &keys.queue, &keys.due] {
        stretch(&mut c, k).await;
    }
    // One waiter ahead (the dead one): one spacing for the slot, one for the waiter ahead.
    let w = wait_ms(&s.ask(&mut c).await);
    assert!(w <= 200.0, "waits {w} ms after a step back");
    let due: f64 = redis::cmd("ZSCORE")
        .arg(&keys.due)
        .arg("dead")
        .query_async(&mut c)
        .await
        .unwrap();
    let now = redis_now(&mut c).await as f64;
    assert!(
        due <= now + 64_000.0 * MS as f64,
        "the dead waiter is due {} s from now",
        (due - now) / 1e6
    );
    let first: f64 = redis::cmd("ZSCORE")
        .arg(&keys.queue)
        .arg("dead")
        .query_async(&mut c)
        .await
        .unwrap();
    assert!(first <= now, "{first} {now}");
    for k in [&keys.submit, &keys.queue, &keys.due] {
        let ttl = pttl(&mut c, k).await;
        assert!(ttl > 0 && ttl <= 64_000, "{k}: {ttl}");
    }
}

/// A governor whose fleet state was left an hour ahead by a clock step still submits within
/// a spacing, through the link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_governor_is_not_stalled_by_a_clock_step_back() {
    let Some(url) = redis_url() else { return };
    let key = fresh_key();
    let keys = Keys::new("http://loopback:1", &key);
    let mut c = conn(&url).await;
    let now = redis_now(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(&keys.submit)
        .arg("last")
        .arg((now + STEP).to_string())
        .arg("pause")
        .arg((now + STEP + 200 * MS).to_string())
        .arg("ps")
        .arg((now + STEP).to_string())
        .query_async(&mut c)
        .await
        .unwrap();
    let (l, _) = link(&url, &key);
    let down = fallbacks(&l);
    let g = Governor::new(&Limits::form_protocol());
    g.share(l);
    let t = Instant::now();
    // The step is an hour: a governor it stalled would not get a slot for an hour. (How
    // long the waits after a step are is the scripts' tests' to show: within a spacing.)
    let two = tokio::time::timeout(HANG, async {
        g.acquire().await;
        g.acquire().await;
    })
    .await;
    assert!(
        two.is_ok(),
        "two submits did not get a slot: stalled by the step"
    );
    // The pause (200 ms), then one spacing (100 ms): kept by Redis, while it answered.
    let e = t.elapsed();
    if down.load(Ordering::Relaxed) == 0 {
        assert!(e >= Duration::from_millis(250), "{e:?}");
    }
}

/// Counts the times `l` lets go of Redis (a call that took longer than its timeout, as on a
/// machine too busy to run Redis in time): the decisions after it are the process's own until
/// Redis answers again, so what a test checks on Redis's side holds only while none did.
fn fallbacks(l: &Link) -> Arc<AtomicU64> {
    let n = Arc::new(AtomicU64::new(0));
    let seen = n.clone();
    let handler: crate::events::EventHandler = Arc::new(move |e: &crate::events::Event| {
        if matches!(
            e.step,
            crate::events::Step::SharedLimits { shared: false, .. }
        ) {
            seen.fetch_add(1, Ordering::Relaxed);
        }
    });
    l.listen("test", &handler);
    n
}

fn spec(url: &str) -> Arc<SharedSpec> {
    SharedSpec::parse(url).unwrap()
}

fn link(url: &str, key: &str) -> (Arc<Link>, Arc<Guard>) {
    let guard = Arc::new(Guard::default());
    let link = Link::start(
        &spec(url),
        "http://loopback:1",
        &Secret::new(key),
        guard.clone(),
    )
    .unwrap();
    (link, guard)
}

/// Three "processes" (links with their own places in the queue) on one key, each with a
/// governor and many submits waiting: the fleet keeps the spacing on Redis's clock, comes
/// near the rate, and shares it fairly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_of_governors_shares_the_rate_fairly() {
    let Some(url) = redis_url() else { return };
    let key = fresh_key();
    // A long window with a high cap keeps every grant's Redis time in the window's set.
    let limits = Limits {
        submit_interval: Duration::from_millis(50),
        submit_window: Duration::from_secs(60),
        submits_per_window: 1000,
        ..Limits::form_protocol()
    };
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    let mut links = Vec::new();
    let mut downs = Vec::new();
    for member in 0..3 {
        let (l, _) = link(&url, &key);
        downs.push(fallbacks(&l));
        let g = Arc::new(Governor::new(&limits));
        g.share(l.clone());
        links.push(l);
        for _ in 0..20 {
            let (g, order) = (g.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                g.acquire().await;
                order.lock().unwrap().push(member);
            }));
        }
    }
    tokio::time::timeout(HANG, async {
        for t in tasks {
            t.await.unwrap();
        }
    })
    .await
    .expect("every waiting submit of every member got its slot");
    let keys = Keys::new("http://loopback:1", &key);
    let mut c = conn(&url).await;
    let grants: Vec<(String, f64)> = redis::cmd("ZRANGE")
        .arg(&keys.window)
        .arg(0)
        .arg(-1)
        .arg("WITHSCORES")
        .query_async(&mut c)
        .await
        .unwrap();
    // Every grant was Redis's, unless a member let go of Redis for a while (then its grants
    // in that while were its own); the spacing holds for Redis's grants either way.
    let fell_back: u64 = downs.iter().map(|d| d.load(Ordering::Relaxed)).sum();
    if fell_back == 0 {
        assert_eq!(grants.len(), 60);
    } else {
        eprintln!(
            "{fell_back} fallbacks to the limits in process: {} of 60 grants on Redis",
            grants.len()
        );
        assert!(grants.len() <= 60);
    }
    let gaps: Vec<f64> = grants.windows(2).map(|w| w[1].1 - w[0].1).collect();
    let min = gaps.iter().copied().fold(f64::MAX, f64::min);
    assert!(min >= 50_000.0, "grants {min} µs apart on Redis's clock");
    let span = (grants[grants.len() - 1].1 - grants[0].1) / 1e6;
    let rate = (grants.len() - 1) as f64 / span;
    // How evenly the first 30 grants went (all three busy). Shown, not asserted: a member
    // that wakes up later than the grace after its slot freed lets the next one take it,
    // and a loaded machine decides how late that is. The order itself is the scripts' test
    // (`waiters_queue_in_the_order_they_asked`), on a clock the test steps.
    let order = order.lock().unwrap().clone();
    let mut per = [0; 3];
    for m in order.iter().take(30) {
        per[*m] += 1;
    }
    eprintln!(
        "3 governors: {} grants on Redis in {span:.3} s, {rate:.2}/s (the rule allows 20/s); \
         the first 30 by member: {per:?}",
        grants.len()
    );
    // The spacing held on Redis's clock, so the rule's rate is never passed.
    assert!(rate <= 20.01, "{rate}");
}

/// A block one process meets reaches another's guard; a pause one process meets holds the
/// other's submits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_and_pauses_travel_between_processes() {
    let Some(url) = redis_url() else { return };
    let key = fresh_key();
    let (a, _) = link(&url, &key);
    let (b, b_guard) = link(&url, &key);
    let b_down = fallbacks(&b);
    let limits = Limits::form_protocol();
    let gb = Governor::new(&limits);
    gb.share(b.clone());
    gb.acquire().await;
    a.pause(Duration::from_millis(1000));
    // Once the pause is in Redis, b's next submit waits for what is left of it.
    let keys = Keys::new("http://loopback:1", &key);
    let mut c = conn(&url).await;
    let t = Instant::now();
    let pause = loop {
        if let Some(p) = hget(&mut c, &keys.submit, "pause").await {
            break p;
        }
        assert!(t.elapsed() < HANG, "the pause never reached Redis");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let left = pause.saturating_sub(redis_now(&mut c).await);
    let t = Instant::now();
    gb.acquire().await;
    // (Unless b let go of Redis meanwhile: its decision was then its own.)
    if b_down.load(Ordering::Relaxed) == 0 {
        assert!(
            t.elapsed() + Duration::from_millis(1) >= Duration::from_micros(left),
            "{:?}, {left} µs of the pause left",
            t.elapsed()
        );
    }

    let zero = Error::from_code("ERROR_ZERO_BALANCE");
    a.publish_block(
        Block {
            scope: BlockScope::Submits,
            length: BlockLength::ZeroBalance,
        },
        &zero,
        Duration::from_secs(60),
    );
    let t = Instant::now();
    loop {
        let all: Vec<String> = redis::cmd("HVALS")
            .arg(&keys.blocks)
            .query_async(&mut c)
            .await
            .unwrap();
        if all.iter().any(|b| b.contains("ERROR_ZERO_BALANCE")) {
            break;
        }
        assert!(t.elapsed() < HANG, "the block never reached Redis");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // b's next submit decision reads it: the first one b takes with Redis (a decision taken
    // while b had let go of Redis, on a busy machine, is its own and says Local).
    let rule = SubmitRule {
        spacing: Duration::ZERO,
        window: Duration::from_secs(3),
        per_window: 0,
    };
    let t = Instant::now();
    let decision = loop {
        let d = b.decide_submit(rule).await;
        if d != Decision::Local || t.elapsed() > HANG {
            break d;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(decision, Decision::Blocked);
    let e = b_guard.check_submit().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Balance);
    assert_eq!(e.code(), Some("ERROR_ZERO_BALANCE"));
    assert!(e.message().contains("another process"), "{e}");
    assert!(b_guard.check_any().is_ok());

    // A bad key stops every request of the fleet, read by the worker's sync (once a
    // second) without any submit.
    a.publish_block(
        Block {
            scope: BlockScope::All,
            length: BlockLength::Forever,
        },
        &Error::from_code("ERROR_KEY_DOES_NOT_EXIST"),
        Duration::ZERO,
    );
    let t = Instant::now();
    while b_guard.check_any().is_ok() {
        assert!(t.elapsed() < HANG, "the block did not travel");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let e = b_guard.check_any().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(!e.retryable());
}

/// The poll budget is leased from Redis: spends never wait, tasks are added, and the lease
/// goes back when the link is dropped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_is_leased() {
    let Some(url) = redis_url() else { return };
    let key = fresh_key();
    let (a, _) = link(&url, &key);
    a.set_budget(20, 40);
    let t = Instant::now();
    while a.remaining().is_none_or(|r| r < 40) {
        assert!(t.elapsed() < HANG, "no lease");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut spent = 0;
    while a.spend(1) == Some(true) {
        spent += 1;
        assert!(spent <= 40);
    }
    // Leases and credit never go past the rule: 40 for no task at all.
    assert!(spent <= 40, "{spent}");
    a.on_task();
    let t = Instant::now();
    while a.spend(1) != Some(true) {
        assert!(t.elapsed() < HANG, "the task did not earn budget");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let keys = Keys::new("http://loopback:1", &key);
    let mut c = conn(&url).await;
    let used: u64 = redis::cmd("HGET")
        .arg(&keys.budget)
        .arg("used")
        .query_async(&mut c)
        .await
        .unwrap();
    assert!(used <= 60, "{used}");
    drop(a);
    let t = Instant::now();
    loop {
        let now: u64 = redis::cmd("HGET")
            .arg(&keys.budget)
            .arg("used")
            .query_async(&mut c)
            .await
            .unwrap();
        if now < used {
            break;
        }
        assert!(t.elapsed() < HANG, "the lease was not given back");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// With Redis unreachable, decisions fall back to the limits in process at once, and the
/// governor still keeps them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_means_limits_in_process() {
    // Port 1 on loopback: nothing listens there.
    let (l, _) = link("redis://127.0.0.1:1/0", &fresh_key());
    let rule = SubmitRule {
        spacing: Duration::from_millis(100),
        window: Duration::from_secs(3),
        per_window: 60,
    };
    // A refused connection is known at once; the decision does not wait for Redis (the
    // guard only turns a hang into a failure).
    let d = tokio::time::timeout(HANG, l.decide_submit(rule)).await;
    assert_eq!(d.ok(), Some(Decision::Local));
    l.set_budget(20, 1200);
    assert_eq!(l.spend(1), None);
    let g = Governor::new(&Limits::form_protocol());
    g.share(l);
    let t = Instant::now();
    for _ in 0..3 {
        g.acquire().await;
    }
    // Three submits 100 ms apart: the limits in process keep the spacing.
    let e = t.elapsed();
    assert!(e >= Duration::from_millis(195), "{e:?}");
}

#[test]
fn urls_are_checked_and_never_shown_with_their_password() {
    let e = match SharedSpec::parse("http://nope") {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    };
    assert_eq!(e.option(), Some("shared_limits"));
    assert_eq!(e.kind(), ErrorKind::Usage);
    assert!(SharedSpec::parse("").is_err());
    // In a user's words, without the redis crate's Rust names.
    let e = match SharedSpec::parse("redis://") {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    };
    assert!(e.message().contains("missing hostname"), "{e}");
    assert!(!e.message().contains("InvalidClientConfig"), "{e}");
    let s = SharedSpec::parse("redis://user:s3cr3t-pw@127.0.0.1:6390/2").unwrap();
    assert_eq!(s.shown(), "redis://127.0.0.1:6390/2");
    assert!(!s.redactor.text("auth s3cr3t-pw failed").contains("s3cr3t"));

    // A cluster's nodes: a list, or URLs separated by commas; never a password shown, only
    // database 0, at least one node.
    let nodes = [
        "redis://:n0de-pw@127.0.0.1:7000/".to_owned(),
        " redis://:n0de-pw@127.0.0.1:7001 ".to_owned(),
    ];
    let s = SharedSpec::cluster(&nodes).unwrap();
    assert_eq!(s.shown(), "Redis Cluster 127.0.0.1:7000,127.0.0.1:7001");
    assert!(!s.redactor.text("auth n0de-pw failed").contains("n0de-pw"));
    let s = SharedSpec::parse("redis://127.0.0.1:7000/,redis://127.0.0.1:7001/").unwrap();
    assert!(s.shown().starts_with("Redis Cluster "), "{}", s.shown());
    for bad in [
        vec![],
        vec![" ".to_owned()],
        vec!["redis://127.0.0.1:7000/3".to_owned()],
        vec!["http://127.0.0.1:7000/".to_owned()],
        // The redis crate takes one password for every node.
        nodes
            .iter()
            .cloned()
            .chain(["redis://127.0.0.1:7002/".to_owned()])
            .collect(),
    ] {
        let e = match SharedSpec::cluster(&bad) {
            Ok(_) => panic!("accepted {bad:?}"),
            Err(e) => e,
        };
        assert_eq!(e.option(), Some("shared_limits"), "{e}");
        assert!(!e.message().contains("InvalidClientConfig"), "{e}");
    }
}

/// Two "processes" on one key learn their first waits together: what one has seen reaches
/// the other's estimate through Redis, and each process's steps add up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_learns_its_first_waits_together() {
    use crate::engine::learn::{FirstWaits, Seen};
    use crate::task::TaskKind;
    let Some(url) = redis_url() else { return };
    let key = fresh_key();
    let (a, _) = link(&url, &key);
    let (b, _) = link(&url, &key);
    let (wa, wb) = (
        Arc::new(FirstWaits::default()),
        Arc::new(FirstWaits::default()),
    );
    a.learn_waits(wa.clone());
    b.learn_waits(wb.clone());
    let kind = TaskKind::Turnstile;
    // B has seen nothing of this kind; it asks (which makes it read the fleet's figures).
    assert_eq!(wb.learned(kind), None);
    let documented = Duration::from_secs(3);
    for i in 0..30u64 {
        // Not ready at an age past the estimate: the estimate goes up each time.
        let age = Duration::from_secs(3 + i);
        assert!(wa.observe(kind, documented, Seen::NotReadyAt(age)));
    }
    let in_a = wa.learned(kind).expect("A has learned").as_secs_f64();
    assert!(in_a > 3.5, "{in_a}");
    // B gets the fleet's figure within a few syncs (a guard against a hang, not a bound).
    let mut in_b = None;
    for _ in 0..100 {
        in_b = wb.learned(kind);
        if in_b.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let in_b = in_b
        .expect("B never read the fleet's figures")
        .as_secs_f64();
    assert!((in_b / in_a - 1.0).abs() < 0.01, "A {in_a} B {in_b}");
    // The fleet's count is A's tasks; B's steps add to it.
    let keys = Keys::new("http://loopback:1", &key);
    let mut c = conn(&url).await;
    let n: u64 = redis::cmd("HGET")
        .arg(&keys.waits)
        .arg("Turnstile:n")
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(n, 30);
    drop((a, b));
}

// ---- Redis Cluster (tests/with-redis-cluster sets CAPBRIDGE_REDIS_CLUSTER) ----

fn cluster_nodes() -> Option<Vec<String>> {
    match std::env::var("CAPBRIDGE_REDIS_CLUSTER") {
        Ok(u) if !u.is_empty() => Some(u.split(',').map(str::to_owned).collect()),
        _ => {
            eprintln!(
                "note: CAPBRIDGE_REDIS_CLUSTER is not set; skipped (tests/with-redis-cluster sets it)"
            );
            None
        }
    }
}

async fn cluster_conn(nodes: &[String]) -> redis::cluster_async::ClusterConnection {
    redis::cluster::ClusterClient::new(nodes.to_vec())
        .unwrap()
        .get_async_connection()
        .await
        .unwrap()
}

/// One node's `CLUSTER NODES` lines: (id, host:port, flags, primary's id, slot ranges).
async fn cluster_table(node: &str) -> Vec<(String, String, String, String, Vec<(u16, u16)>)> {
    let mut c = conn(node).await;
    let text: String = redis::cmd("CLUSTER")
        .arg("NODES")
        .query_async(&mut c)
        .await
        .unwrap();
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let addr = f.get(1)?.split('@').next()?.to_owned();
            let slots = f[8.min(f.len())..]
                .iter()
                .filter_map(|r| {
                    let (a, b) = r.split_once('-').unwrap_or((r, r));
                    Some((a.parse().ok()?, b.parse().ok()?))
                })
                .collect();
            Some((
                f[0].to_owned(),
                addr,
                f.get(2)?.to_string(),
                f.get(3)?.to_string(),
                slots,
            ))
        })
        .collect()
}

fn link_to(nodes: &[String], key: &str) -> Arc<Link> {
    Link::start(
        &SharedSpec::cluster(nodes).unwrap(),
        "http://loopback:1",
        &Secret::new(key),
        Arc::new(Guard::default()),
    )
    .unwrap()
}

/// One account's keys live in one slot (their hash tag), so each script runs on one node:
/// a fleet of governors on a cluster keeps the spacing on that node's clock, and the budget
/// and the learned waits work there too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_keeps_an_account_in_one_slot() {
    let Some(nodes) = cluster_nodes() else { return };
    let key = fresh_key();
    let keys = Keys::new("http://loopback:1", &key);
    let mut c = cluster_conn(&nodes).await;
    let mut slots = std::collections::BTreeSet::new();
    for k in [
        &keys.submit,
        &keys.window,
        &keys.queue,
        &keys.due,
        &keys.blocks,
        &keys.budget,
        &keys.waits,
    ] {
        let slot: u16 = redis::cmd("CLUSTER")
            .arg("KEYSLOT")
            .arg(k)
            .query_async(&mut c)
            .await
            .unwrap();
        slots.insert(slot);
    }
    assert_eq!(slots.len(), 1, "{slots:?}");
    let limits = Limits {
        submit_interval: Duration::from_millis(50),
        submit_window: Duration::from_secs(60),
        submits_per_window: 1000,
        ..Limits::form_protocol()
    };
    let mut tasks = Vec::new();
    let mut links = Vec::new();
    for _ in 0..3 {
        let l = link_to(&nodes, &key);
        l.set_budget(20, 100);
        let g = Arc::new(Governor::new(&limits));
        g.share(l.clone());
        links.push(l);
        for _ in 0..10 {
            let g = g.clone();
            tasks.push(tokio::spawn(async move { g.acquire().await }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    let grants: Vec<(String, f64)> = redis::cmd("ZRANGE")
        .arg(&keys.window)
        .arg(0)
        .arg(-1)
        .arg("WITHSCORES")
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(grants.len(), 30, "every grant went through the cluster");
    let min = grants
        .windows(2)
        .map(|w| w[1].1 - w[0].1)
        .fold(f64::MAX, f64::min);
    assert!(min >= 50_000.0, "grants {min} µs apart on the node's clock");
    // The budget's lease came from the cluster.
    assert_eq!(links[0].spend(1), Some(true));
}

/// The primary holding an account's slot is killed mid-run and its replica takes over:
/// submits wait for the failover instead of each process going its own way, so the fleet
/// keeps the limits with at most one window's slack (what the replica had not received yet),
/// and goes on sharing them on the new primary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_failover_keeps_the_limits_with_at_most_one_window_of_slack() {
    let Some(nodes) = cluster_nodes() else { return };
    let key = fresh_key();
    let keys = Keys::new("http://loopback:1", &key);
    let mut c = cluster_conn(&nodes).await;
    let slot: u16 = redis::cmd("CLUSTER")
        .arg("KEYSLOT")
        .arg(&keys.submit)
        .query_async(&mut c)
        .await
        .unwrap();
    // The primary of the slot, and a replica of it in sync (a minute guards a hang).
    let url = |addr: &str| format!("redis://{addr}/");
    let mut primary = None;
    let mut replica = None;
    for _ in 0..600 {
        let table = cluster_table(&nodes[0]).await;
        primary = table
            .iter()
            .find(|n| n.2.contains("master") && n.4.iter().any(|(a, b)| *a <= slot && slot <= *b))
            .cloned();
        if let Some(p) = &primary {
            replica = table
                .iter()
                .find(|n| n.2.contains("slave") && n.3 == p.0)
                .cloned();
        }
        if let Some(r) = &replica {
            let mut rc = conn(&url(&r.1)).await;
            let info: String = redis::cmd("INFO")
                .arg("replication")
                .query_async(&mut rc)
                .await
                .unwrap();
            if info.contains("master_link_status:up") {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (primary, replica) = (primary.expect("a primary"), replica.expect("a replica"));

    // Three "processes" submitting as fast as the rule allows: 20 in any second.
    let limits = Limits {
        submit_interval: Duration::from_millis(10),
        submit_window: Duration::from_secs(1),
        submits_per_window: 20,
        ..Limits::form_protocol()
    };
    let t0 = Instant::now();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let grants = Arc::new(std::sync::Mutex::new(Vec::<Duration>::new()));
    let local = Arc::new(AtomicU64::new(0));
    let mut links = Vec::new();
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let l = link_to(&nodes, &key);
        let local = local.clone();
        let h: crate::events::EventHandler = Arc::new(move |e: &crate::events::Event| {
            if e.fields().shared == Some(false) {
                local.fetch_add(1, Ordering::Relaxed);
            }
        });
        l.listen("test", &h);
        let g = Arc::new(Governor::new(&limits));
        g.share(l.clone());
        links.push((l, h));
        for _ in 0..4 {
            let (g, stop, grants) = (g.clone(), stop.clone(), grants.clone());
            tasks.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    g.acquire().await;
                    grants.lock().unwrap().push(t0.elapsed());
                }
            }));
        }
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // Kill the primary.
    let killed = t0.elapsed();
    let mut pc = conn(&url(&primary.1)).await;
    let _ = redis::cmd("SHUTDOWN")
        .arg("NOSAVE")
        .query_async::<()>(&mut pc)
        .await;
    // The replica takes over (a minute guards a hang).
    let mut promoted = None;
    for _ in 0..600 {
        let table = cluster_table(&url(&replica.1)).await;
        if table
            .iter()
            .any(|n| n.0 == replica.0 && n.2.contains("master"))
        {
            promoted = Some(t0.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let promoted = promoted.expect("the replica never took over");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    stop.store(true, Ordering::Relaxed);
    // Acquires in flight end at their next grant.
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
    }
    let grants = grants.lock().unwrap().clone();
    let after = grants.iter().filter(|g| **g > promoted).count();
    let mut most = 0;
    for (i, g) in grants.iter().enumerate() {
        let n = grants[i..]
            .iter()
            .take_while(|x| **x < *g + Duration::from_secs(1))
            .count();
        most = most.max(n);
    }
    eprintln!(
        "failover: primary killed at {:.2} s, replica took over at {:.2} s; {} grants, {after} after it; \
         at most {most} in any second (the rule: 20); went local {} times",
        killed.as_secs_f64(),
        promoted.as_secs_f64(),
        grants.len(),
        local.load(Ordering::Relaxed)
    );
    assert!(after > 20, "the fleet went on after the failover: {after}");
    assert!(
        most <= 40,
        "more than one window's slack: {most} in a second"
    );
    assert_eq!(
        local.load(Ordering::Relaxed),
        0,
        "a process kept the limits alone"
    );
    drop(links);
}
