//! What a client knows about its API key, shared by every client of that key in the process:
//! the submit governor, the `res.php` budget, and the guard that stops requests the service
//! has said it will refuse.
//!
//! Sharing matters because users often make a client per request: limits are the key's, not
//! the client's. Entries live while a client of the key lives.

use super::budget::PollBudget;
use super::governor::Governor;
use crate::error::{Error, ErrorKind, Result};
use crate::provider::{Limits, Provider};
use crate::secret::Secret;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

pub(crate) struct Account {
    pub(crate) governor: Governor,
    pub(crate) budget: PollBudget,
    pub(crate) guard: Guard,
}

type Registry = Mutex<HashMap<(String, Secret), Weak<Account>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The shared state of `key` at `provider`'s base URL (made with the provider's limits if it
/// does not exist yet).
pub(crate) fn account_for(provider: &Provider, key: &Secret) -> Arc<Account> {
    let mut map = registry().lock().unwrap_or_else(|p| p.into_inner());
    map.retain(|_, w| w.strong_count() > 0);
    let id = (provider.base_url().to_owned(), key.clone());
    if let Some(a) = map.get(&id).and_then(Weak::upgrade) {
        return a;
    }
    let limits: &Limits = provider.limits();
    let a = Arc::new(Account {
        governor: Governor::new(limits),
        budget: PollBudget::new(limits.polls_per_task, limits.poll_allowance),
        guard: Guard::default(),
    });
    map.insert(id, Arc::downgrade(&a));
    a
}

/// Which requests a block stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Submits,
    All,
}

struct Block {
    scope: Scope,
    code: String,
    since: Instant,
    until: Option<Instant>,
}

/// Stops requests the service has said it will refuse, so that one refusal does not become a
/// hundred (120 `ERROR_ZERO_BALANCE` replies in a minute earn `ERROR: 1002`; 5 wrong keys
/// earn `ERROR: 1004`).
#[derive(Default)]
pub(crate) struct Guard {
    blocks: Mutex<Vec<Block>>,
}

impl Guard {
    /// Records what a code means for later requests.
    pub(crate) fn on_code(&self, code: &str, zero_balance_wait: Duration) {
        let now = Instant::now();
        let e = Error::from_code(code);
        let (scope, dur) = match code {
            // A key that is malformed or unknown stays so: never send it again.
            "ERROR_WRONG_USER_KEY" | "ERROR_KEY_DOES_NOT_EXIST" => (Scope::All, None),
            "ERROR_ZERO_BALANCE" => (Scope::Submits, Some(zero_balance_wait)),
            "ERROR_IP_NOT_ALLOWED" => (Scope::All, Some(Duration::from_secs(60))),
            _ => match (e.kind(), e.retry_after()) {
                (ErrorKind::RateLimited | ErrorKind::Balance | ErrorKind::Auth, Some(d))
                    if code.starts_with("ERROR:") || code == "IP_BANNED" =>
                {
                    // 1001/1002/1003 are about submits; 1004/1005 and IP bans about everything.
                    let scope = if matches!(code, "ERROR: 1001" | "ERROR: 1002" | "ERROR: 1003") {
                        Scope::Submits
                    } else {
                        Scope::All
                    };
                    (scope, Some(d))
                }
                (ErrorKind::RateLimited, None) if code.starts_with("ERROR:") => {
                    (Scope::All, Some(Duration::from_secs(60)))
                }
                _ => return,
            },
        };
        let mut blocks = self.blocks.lock().unwrap_or_else(|p| p.into_inner());
        blocks.retain(|b| b.code != code);
        blocks.push(Block {
            scope,
            code: code.to_owned(),
            since: now,
            until: dur.map(|d| now + d),
        });
    }

    fn check(&self, submit: bool) -> Result<()> {
        let now = Instant::now();
        let mut blocks = self.blocks.lock().unwrap_or_else(|p| p.into_inner());
        blocks.retain(|b| b.until.is_none_or(|u| u > now));
        let Some(b) = blocks.iter().find(|b| b.scope == Scope::All || submit) else {
            return Ok(());
        };
        let ago = now.saturating_duration_since(b.since).as_secs();
        let e = Error::from_code(&b.code);
        let mut msg = format!(
            "not sent: the service answered {} {ago} s ago ({})",
            b.code,
            e.message()
        );
        let e = match b.until {
            Some(until) => {
                let left = until.saturating_duration_since(now);
                msg.push_str(&format!("; requests resume in {} s", left.as_secs().max(1)));
                Error::new(e.kind(), msg)
                    .with_code(&b.code)
                    .with_retryable(true)
                    .with_retry_after(left)
            }
            None => {
                msg.push_str("; this client will not use the key again");
                Error::new(e.kind(), msg)
                    .with_code(&b.code)
                    .with_retryable(false)
            }
        };
        Err(e)
    }

    /// Fails at once if submits are blocked.
    pub(crate) fn check_submit(&self) -> Result<()> {
        self.check(true)
    }

    /// Fails at once if every request is blocked.
    pub(crate) fn check_any(&self) -> Result<()> {
        self.check(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_by_scope_and_time() {
        let g = Guard::default();
        g.on_code("ERROR_ZERO_BALANCE", Duration::from_secs(60));
        let e = g.check_submit().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Balance);
        assert_eq!(e.code(), Some("ERROR_ZERO_BALANCE"));
        assert!(e.retry_after().unwrap() > Duration::from_secs(58));
        assert!(g.check_any().is_ok());
        g.on_code("ERROR_KEY_DOES_NOT_EXIST", Duration::ZERO);
        let e = g.check_any().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert!(!e.retryable());
        g.on_code("ERROR_CAPTCHA_UNSOLVABLE", Duration::ZERO);
        let g = Guard::default();
        g.on_code("ERROR: 1005", Duration::ZERO);
        assert_eq!(
            g.check_any()
                .unwrap_err()
                .retry_after()
                .map(|d| d.as_secs() / 10),
            Some(29)
        );
        g.on_code("ERROR_ZERO_BALANCE", Duration::ZERO);
        assert!(g.check_any().is_err());
    }
}
