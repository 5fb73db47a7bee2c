//! The Redis keys of one API key at one service: derived from a SHA-256 of the service's
//! canonical base URL and the key, never the key itself. All of them share one hash tag
//! (`{...}`), so a Redis Cluster keeps them in one slot and one script can touch them all.

use sha2::{Digest, Sha256};

/// Bumped when the layout of the keys or the scripts' data changes: old and new clients then
/// keep apart instead of misreading each other.
pub(crate) const PREFIX: &str = "capbridge:v1";

/// The keys of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keys {
    /// `{...}`: the hash tag, shown in logs instead of anything secret.
    pub(crate) tag: String,
    /// Hash: `last` (the latest submit granted, µs of Redis time), `pause` (no submit before)
    /// and `ps` (when that pause started, which tells its length after a clock step).
    pub(crate) submit: String,
    /// Sorted set: the submits granted inside the window (score: µs of Redis time).
    pub(crate) window: String,
    /// Sorted set: processes waiting for a submit slot, in the order they first asked.
    pub(crate) queue: String,
    /// Sorted set: when each waiting process said it would ask again (it is forgotten after).
    pub(crate) due: String,
    /// Hash: the blocks in force (a zero balance, a bad key, `ERROR: 100x`), one per code
    /// and scope, as JSON.
    pub(crate) blocks: String,
    /// Hash: the poll budget, `used` (requests) and `tasks` (tasks sent).
    pub(crate) budget: String,
    /// Hash: the learned first waits, `<kind>:x` (the logarithm of seconds) and `<kind>:n`
    /// (tasks counted), per task kind.
    pub(crate) waits: String,
    /// Pub/sub channel: answers pushed to a member's callback receiver for another member
    /// (`<nonce hex>\n<body>`).
    pub(crate) pushes: String,
}

impl Keys {
    /// The keys for `api_key` at the service whose canonical base URL is `canonical_url`.
    pub(crate) fn new(canonical_url: &str, api_key: &str) -> Keys {
        let mut h = Sha256::new();
        h.update(b"capbridge shared limits v1\n");
        h.update(canonical_url.as_bytes());
        h.update(b"\n");
        h.update(api_key.as_bytes());
        let digest = h.finalize();
        let mut hex = String::with_capacity(64);
        for b in digest.iter() {
            hex.push(char::from(HEX[usize::from(b >> 4)]));
            hex.push(char::from(HEX[usize::from(b & 15)]));
        }
        let tag = format!("{{{hex}}}");
        let k = |what: &str| format!("{PREFIX}:{tag}:{what}");
        Keys {
            submit: k("submit"),
            window: k("window"),
            queue: k("queue"),
            due: k("due"),
            blocks: k("blocks"),
            budget: k("budget"),
            waits: k("waits"),
            pushes: k("pushes"),
            tag,
        }
    }

    /// String: an answer pushed for the task sent with this nonce (kept for a member that
    /// is gone).
    pub(crate) fn pushed(&self, nonce_hex: &str) -> String {
        format!("{PREFIX}:{}:pushed:{nonce_hex}", self.tag)
    }

    /// String: the nonce a task was sent with (`wait(task_id)` from any member finds its
    /// pushed answer through it).
    pub(crate) fn callback_of(&self, task_id: &str) -> String {
        format!("{PREFIX}:{}:cbtask:{task_id}", self.tag)
    }
}

impl Keys {
    /// The first 12 hex digits of the hash: names the account in logs.
    pub(crate) fn short(&self) -> &str {
        self.tag.get(1..13).unwrap_or(&self.tag)
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_hide_the_api_key_and_split_services_and_keys() {
        let key = "1abc234de56fab7c89012d34e56fa7b8";
        let k = Keys::new("http://loopback:8080", key);
        for name in [
            &k.submit, &k.window, &k.queue, &k.due, &k.blocks, &k.budget, &k.waits,
        ] {
            assert!(name.starts_with("capbridge:v1:{"), "{name}");
            assert!(!name.contains(key), "{name}");
            assert!(name.contains(&k.tag));
        }
        assert_eq!(k.tag.len(), 66);
        assert_eq!(k, Keys::new("http://loopback:8080", key));
        assert_ne!(k.tag, Keys::new("http://loopback:8081", key).tag);
        assert_ne!(
            k.tag,
            Keys::new("http://loopback:8080", "2abc234de56fab7c89012d34e56fa7b8").tag
        );
        // SHA-256 of the documented input, so that other clients can find the same keys.
        let mut h = Sha256::new();
        h.update(b"capbridge shared limits v1\nhttp://loopback:8080\n");
        h.update(key.as_bytes());
        let want: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(k.tag, format!("{{{want}}}"));
    }
}
