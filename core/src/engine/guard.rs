//! The guard that stops requests the service has said it will refuse, so that one refusal
//! does not become a hundred. Its own module because both the key's account (which records
//! this process's refusals) and the Redis link (which brings in the refusals other processes
//! met) feed it, and neither should reach into the other for it.

use crate::codec::{Block, BlockLength, BlockScope};
use crate::error::{Error, Result};
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Blocked {
    scope: BlockScope,
    error: Error,
    since: Instant,
    until: Option<Instant>,
    /// Met by another process sharing the key (through Redis).
    remote: bool,
}

/// Stops requests the service has said it will refuse, so that one refusal does not become a
/// hundred (120 zero-balance replies in a minute earn `ERROR: 1002`; 5 wrong keys earn
/// `ERROR: 1004`). The codecs say which refusals block what; the guard only keeps time.
#[derive(Default)]
pub(crate) struct Guard {
    blocks: Mutex<Vec<Blocked>>,
}

impl Guard {
    /// Stops the requests `block` names, for its length.
    pub(crate) fn block(&self, block: Block, error: &Error, zero_balance_wait: Duration) {
        let now = Instant::now();
        let until = match block.length {
            BlockLength::Forever => None,
            BlockLength::ZeroBalance => Some(crate::engine::later_std(now, zero_balance_wait)),
            BlockLength::For(d) => Some(crate::engine::later_std(now, d)),
        };
        let mut blocks = self.blocks.lock().unwrap_or_else(|p| p.into_inner());
        blocks.retain(|b| b.error.code() != error.code() || b.scope != block.scope);
        blocks.push(Blocked {
            scope: block.scope,
            error: error.clone_shallow(),
            since: now,
            until,
            remote: false,
        });
    }

    /// Takes in a block another process met (read from Redis): `left` to run, begun `ago`.
    /// A block of the same code and scope that lasts longer here stays as it is.
    #[cfg_attr(not(feature = "shared-limits"), allow(dead_code))]
    pub(crate) fn import(&self, scope: BlockScope, error: &Error, left: Duration, ago: Duration) {
        let now = Instant::now();
        let until = crate::engine::later_std(now, left);
        let mut blocks = self.blocks.lock().unwrap_or_else(|p| p.into_inner());
        blocks.retain(|b| b.until.is_none_or(|u| u > now));
        if blocks.iter().any(|b| {
            b.error.code() == error.code() && b.scope == scope && b.until.is_none_or(|u| u >= until)
        }) {
            return;
        }
        blocks.retain(|b| b.error.code() != error.code() || b.scope != scope);
        blocks.push(Blocked {
            scope,
            error: error.clone_shallow(),
            since: now.checked_sub(ago).unwrap_or(now),
            until: Some(until),
            remote: true,
        });
    }

    fn check(&self, submit: bool) -> Result<()> {
        let now = Instant::now();
        let mut blocks = self.blocks.lock().unwrap_or_else(|p| p.into_inner());
        blocks.retain(|b| b.until.is_none_or(|u| u > now));
        let Some(b) = blocks.iter().find(|b| b.scope == BlockScope::All || submit) else {
            return Ok(());
        };
        let ago = now.saturating_duration_since(b.since).as_secs();
        let whom = if b.remote {
            " to another process sharing this key"
        } else {
            ""
        };
        let said = match b.error.code() {
            Some(code) => format!("{code} {ago} s ago{whom} ({})", b.error.message()),
            None => format!("{ago} s ago{whom}: {}", b.error.message()),
        };
        let mut msg = format!("not sent: the service answered {said}");
        let mut e = match b.until {
            Some(until) => {
                let left = until.saturating_duration_since(now);
                msg.push_str(&format!(
                    "; this client sends no such request for {} s more",
                    left.as_secs().max(1)
                ));
                let e = Error::new(b.error.kind(), msg).with_retryable(b.error.retryable());
                if b.error.retryable() {
                    e.with_retry_after(left)
                } else {
                    e
                }
            }
            None => {
                msg.push_str(
                    "; no client of this process sends this key to this service again (a key \
                     the service refused stays refused: use another key, or restart the \
                     process once the account is fixed)",
                );
                Error::new(b.error.kind(), msg).with_retryable(false)
            }
        };
        if let Some(code) = b.error.code() {
            e = e.with_code(code);
        }
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
    use crate::ErrorKind;

    #[test]
    fn blocks_by_scope_and_time() {
        let g = Guard::default();
        let zero = Error::from_code("ERROR_ZERO_BALANCE");
        g.block(
            Block {
                scope: BlockScope::Submits,
                length: BlockLength::ZeroBalance,
            },
            &zero,
            Duration::from_secs(60),
        );
        let e = g.check_submit().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Balance);
        assert_eq!(e.code(), Some("ERROR_ZERO_BALANCE"));
        // Not retryable: retry_after says nothing either.
        assert!(!e.retryable());
        assert_eq!(e.retry_after(), None);
        assert!(g.check_any().is_ok());
        g.block(
            Block {
                scope: BlockScope::All,
                length: BlockLength::Forever,
            },
            &Error::from_code("ERROR_KEY_DOES_NOT_EXIST"),
            Duration::ZERO,
        );
        let e = g.check_any().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert!(!e.retryable());
        let g = Guard::default();
        let limit = Error::from_code("ERROR: 1005");
        let t = Instant::now();
        g.block(
            Block {
                scope: BlockScope::All,
                length: BlockLength::For(Duration::from_secs(300)),
            },
            &limit,
            Duration::ZERO,
        );
        let e = g.check_any().unwrap_err();
        assert!(e.retryable());
        // What is left of the 300 s: no more, and no less than the time since it began.
        let left = e.retry_after().unwrap_or_default();
        assert!(left <= Duration::from_secs(300) && left + t.elapsed() >= Duration::from_secs(300));
    }
}
