//! Limits kept by a whole fleet: the key's request limits in Redis, shared by every process
//! and machine that uses the key (`ClientBuilder::shared_limits("redis://host:6379/0")`).
//!
//! A service's limits belong to the API key, not to the process: 60 submits in 3 s and
//! 100 ms apart, the poll budget R <= 20 x C + 1200, the pauses after `MAX_USER_TURN` and
//! `ERROR_NO_SLOT_AVAILABLE`, the stop after a zero balance or a bad key. Without this,
//! each process keeps them alone and a fleet of N processes on one key submits N times too
//! fast. With it:
//!
//! * **Submits.** Each submit asks Redis once (one atomic script, on Redis's clock): "go
//!   now" or "wait N ms, then ask again". One solve per process asks at a time (the
//!   governor's FIFO queue); processes that wait queue in Redis in the order they first
//!   asked, and each is told to come back when its turn should come, so the fleet as a
//!   whole reaches the key's rate (about 10 submits per second), not each member a tenth of
//!   it, and every busy process gets its share.
//! * **Pauses and blocks.** A pause (`MAX_USER_TURN`, no slot) or a block (zero balance, bad
//!   key, `ERROR: 100x`) one process meets is written to Redis within milliseconds; every
//!   submit decision reads them, and every process reads the blocks of all requests once a
//!   second. A bad key blocks the fleet for 10 minutes in Redis (the process that met it
//!   stops for good, as before).
//! * **Poll budget.** Processes lease poll requests from the key's budget in Redis in small
//!   chunks (32), so a poll never waits for Redis; tasks sent are added once a second.
//! * **Keys** are derived from a SHA-256 of the service's canonical base URL and the API key
//!   (see `keys.rs`), and every key expires (submit state a minute after its last use, the
//!   budget a day, blocks when they end).
//! * **Redis away.** Every Redis call has a short timeout (500 ms; connecting 1 s). When
//!   Redis fails or does not answer, the process logs a warning and keeps the limits alone,
//!   in process, as without the option: no solve fails or waits because of Redis, but the
//!   fleet may then submit up to N times the key's rate (each of N processes at the full
//!   rate) and spend up to N times its poll budget. A background probe (250 ms, doubling to
//!   5 s) brings the process back to the shared limits as soon as Redis answers again; the
//!   polls it made meanwhile and the tasks it sent are added to the shared budget then.
//! * **Redis Cluster.** Given a cluster's nodes (a list, or URLs separated by commas), each
//!   script goes to the node holding the account's slot: one account's keys share a hash tag
//!   (`{...}`), so they live in one slot and one script can touch them all. When the slot's
//!   primary fails, submits wait (asking again every 100 ms) while the worker reconnects and
//!   the cluster promotes a replica, for up to 10 s (`link.rs`: `FAILOVER_WAIT`; a failover
//!   takes the cluster's node timeout plus an election): the fleet keeps its limits through
//!   the failover, losing at most what the replica had not yet received (less than one
//!   window's submits). A longer outage falls back to the limits in process, as below.
//! * **Redis's clock steps.** The scripts keep Redis's absolute times. When Redis's clock
//!   steps back (or a failover lands on a replica whose clock is behind), stored times lie
//!   in the future; a script takes any that lies further ahead than its rule's own length
//!   (a grant: ahead at all; a pause or block: more than its length) for a step and brings
//!   it back, so no decision waits longer than the spacing, the window, or the pause or
//!   block itself, and every key's expiry stays bounded.

use std::time::Duration;

#[cfg(feature = "shared-limits")]
mod keys;
#[cfg(feature = "shared-limits")]
mod link;
#[cfg(not(feature = "shared-limits"))]
mod off;
#[cfg(feature = "shared-limits")]
pub(crate) mod scripts;
#[cfg(test)]
#[cfg(feature = "shared-limits")]
mod tests;

#[cfg(feature = "shared-limits")]
pub(crate) use link::{Link, SharedSpec};
#[cfg(not(feature = "shared-limits"))]
pub(crate) use off::{Link, SharedSpec};

/// A submit waiting for its turn asks Redis again at least this often.
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(1);

/// What a shared submit decision says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
pub(crate) enum Decision {
    /// Send now: the slot is taken.
    Go,
    /// Ask again after this long.
    Wait(Duration),
    /// Submits of the key are blocked; the block is in the account's guard now.
    Blocked,
    /// Redis is away: keep the limits in process.
    Local,
}

/// The submit rule a decision keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubmitRule {
    pub(crate) spacing: Duration,
    pub(crate) window: Duration,
    /// 0: no cap per window.
    pub(crate) per_window: u64,
}
