//! What a client knows about its API key, shared by every client of that key in the process:
//! the submit governor, the poll budget, the guard that stops requests the service has said
//! it will refuse, and the last balance read.
//!
//! Sharing matters because users often make a client per request: limits are the key's, not
//! the client's. An account is found by the key and the canonical form of the base URL
//! (`http://localhost:P` and `http://127.0.0.1:P` are one service), and keeps the strictest
//! limits any of its clients asks for, so that no client can lift what another keeps (a
//! preset's limits are never lifted). Entries live while a client of the key lives.
//!
//! With `shared_limits`, the account also holds a [`Link`] to Redis, through which the
//! governor, the budget and the guard keep the key's limits together with every other
//! process and machine using the key (see [`super::shared`]). A client asking for shared
//! limits turns them on for the key's account in its process (the stricter choice).

use super::budget::PollBudget;
use super::callback::{Book, Delivery, Nonce};
use super::governor::Governor;
use super::guard::Guard;
use super::learn::FirstWaits;
use super::shared::{Link, SharedSpec};
use crate::codec::Block;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::provider::{Limits, Provider};
use crate::secret::Secret;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

pub(crate) struct Account {
    limits: Mutex<Limits>,
    pub(crate) governor: Governor,
    pub(crate) budget: PollBudget,
    pub(crate) guard: Arc<Guard>,
    /// The first waits learned for the key (shared with its link to Redis).
    pub(crate) waits: Arc<FirstWaits>,
    /// The solves of the key waiting for pushed answers, and the secret of their URLs.
    pub(crate) pushes: Arc<Book>,
    balance: Mutex<Option<(Instant, Money)>>,
    link: OnceLock<Arc<Link>>,
    /// Polls sent per task id where the provider caps them (CapMonster, CapSolver: 120 per
    /// task): counted for the key, not the solve, so that `wait` or `result` after a solve
    /// that stopped at the cap cannot poll past it.
    polls: Mutex<PollCounts>,
    /// The provider's cap on polls per task, 0 for none: read on every poll without taking
    /// the limits' lock (most providers have no cap).
    poll_cap: AtomicU32,
}

/// Polls per task id, forgotten [`POLL_MEMORY`] after a task's last poll (providers keep
/// results about 5 minutes).
#[derive(Default)]
struct PollCounts {
    counts: HashMap<String, (u32, Instant)>,
    pruned: Option<Instant>,
}

const POLL_MEMORY: Duration = Duration::from_secs(15 * 60);

/// Accounts by process id (a forked child must not share the parent's locks and timers),
/// canonical base URL and key.
type Registry = Mutex<HashMap<(u32, String, Secret), Weak<Account>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The shared state of `key` at `provider`'s service, made with the provider's limits if it
/// does not exist yet, or tightened to them if it does; with `shared`, its limits are kept
/// in that Redis from now on.
pub(crate) fn account_for(
    provider: &Provider,
    key: &Secret,
    shared: Option<&Arc<SharedSpec>>,
) -> Result<Arc<Account>> {
    let account = {
        let mut map = registry().lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, w| w.strong_count() > 0);
        let id = (std::process::id(), provider.canonical_url(), key.clone());
        match map.get(&id).and_then(Weak::upgrade) {
            Some(a) => {
                a.tighten(provider.limits());
                a
            }
            None => {
                let limits = provider.limits().clone();
                let a = Arc::new(Account {
                    governor: Governor::new(&limits),
                    budget: PollBudget::new(limits.polls_per_task, limits.poll_allowance),
                    guard: Arc::new(Guard::default()),
                    waits: Arc::new(FirstWaits::default()),
                    pushes: Arc::new(Book::default()),
                    poll_cap: AtomicU32::new(limits.max_polls_per_task.unwrap_or(0)),
                    limits: Mutex::new(limits),
                    balance: Mutex::new(None),
                    link: OnceLock::new(),
                    polls: Mutex::new(PollCounts::default()),
                });
                map.insert(id, Arc::downgrade(&a));
                a
            }
        }
    };
    if let Some(spec) = shared {
        account.share(spec, provider, key)?;
    }
    Ok(account)
}

impl Account {
    /// `Err(cap)` when `task_id` has had all the polls its provider allows.
    pub(crate) fn poll_allowed(&self, task_id: &str) -> std::result::Result<(), u32> {
        let cap = self.poll_cap.load(Ordering::Relaxed);
        if cap == 0 {
            return Ok(());
        }
        let polls = self.polls.lock().unwrap_or_else(|p| p.into_inner());
        match polls.counts.get(task_id) {
            Some((n, _)) if *n >= cap => Err(cap),
            _ => Ok(()),
        }
    }

    /// Counts a poll of `task_id` sent (where polls per task are capped).
    pub(crate) fn count_poll(&self, task_id: &str) {
        if self.poll_cap.load(Ordering::Relaxed) == 0 {
            return;
        }
        let now = Instant::now();
        let mut polls = self.polls.lock().unwrap_or_else(|p| p.into_inner());
        let entry = polls.counts.entry(task_id.to_owned()).or_insert((0, now));
        *entry = (entry.0.saturating_add(1), now);
        // Forget old tasks now and then, so that the map holds about 15 minutes of them.
        if polls
            .pruned
            .is_none_or(|t| now.saturating_duration_since(t) > Duration::from_secs(60))
        {
            polls
                .counts
                .retain(|_, (_, last)| now.saturating_duration_since(*last) < POLL_MEMORY);
            polls.pruned = Some(now);
        }
    }

    /// The limits in force: the strictest any client of the key asked for.
    pub(crate) fn limits(&self) -> Limits {
        self.limits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Keeps the key's limits in `spec`'s Redis from now on (the first address given wins).
    fn share(&self, spec: &Arc<SharedSpec>, provider: &Provider, key: &Secret) -> Result<()> {
        if let Some(link) = self.link.get() {
            if link.shown() != spec.shown() {
                tracing::warn!(
                    target: "capbridge",
                    "shared limits: this key's limits are already kept in Redis at {}; {} is not used for it",
                    link.shown(),
                    spec.shown()
                );
            }
            return Ok(());
        }
        let link = Link::start(spec, &provider.canonical_url(), key, self.guard.clone())?;
        // Every member of the fleet must verify every member's callback tokens.
        self.pushes.share_secret(&provider.canonical_url(), key);
        if self.link.set(link.clone()).is_ok() {
            let limits = self.limits();
            link.set_budget(limits.polls_per_task, limits.poll_allowance);
            self.budget.share(link.clone());
            link.learn_waits(self.waits.clone());
            self.governor.share(link);
        }
        Ok(())
    }

    fn tighten(&self, other: &Limits) {
        let mut l = self.limits.lock().unwrap_or_else(|p| p.into_inner());
        let strict = l.strictest(other);
        if strict != *l {
            self.governor.set_limits(&strict);
            self.poll_cap
                .store(strict.max_polls_per_task.unwrap_or(0), Ordering::Relaxed);
            self.budget
                .tighten(strict.polls_per_task, strict.poll_allowance);
            if let Some(link) = self.link.get() {
                link.set_budget(strict.polls_per_task, strict.poll_allowance);
            }
            *l = strict;
        }
    }

    /// The last balance read, if it is younger than `max_age`.
    pub(crate) fn cached_balance(&self, max_age: Duration) -> Option<Money> {
        if max_age.is_zero() {
            return None;
        }
        let b = self.balance.lock().unwrap_or_else(|p| p.into_inner());
        b.as_ref()
            .filter(|(at, _)| at.elapsed() < max_age)
            .map(|(_, m)| m.clone())
    }

    pub(crate) fn remember_balance(&self, m: &Money) {
        *self.balance.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), m.clone()));
    }

    /// A push the receiver verified for this key: to the solve waiting for it here, else (in a
    /// fleet) to Redis for the member that waits for it. `false`: nobody waits for it.
    pub(crate) async fn receive(
        &self,
        nonce: Nonce,
        body: Vec<u8>,
        patience: Duration,
    ) -> Delivery {
        if !self.pushes.waits_for(&nonce) {
            return match self.link.get() {
                Some(link) if link.publish_push(&nonce, body) => Delivery::Taken,
                Some(_) => Delivery::Busy,
                None => Delivery::Unknown,
            };
        }
        self.pushes.deliver(&nonce, body, patience).await
    }

    /// The key's link to Redis, if its limits are shared.
    pub(crate) fn link(&self) -> Option<&Arc<Link>> {
        self.link.get()
    }

    /// Tells a client's event callback when the key's shared limits go local and come back.
    pub(crate) fn listen(&self, provider: &str, handler: &crate::events::EventHandler) {
        if let Some(link) = self.link.get() {
            link.listen(provider, handler);
        }
    }

    /// Records a refusal's block (see [`Guard`]).
    pub(crate) fn on_block(&self, block: Option<Block>, error: &Error) {
        if let Some(b) = block {
            let zero_balance_wait = self.limits().zero_balance_wait;
            self.guard.block(b, error, zero_balance_wait);
            if let Some(link) = self.link.get() {
                link.publish_block(b, error, zero_balance_wait);
            }
        }
    }
}
