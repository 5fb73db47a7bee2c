//! The request log: the latest protocol requests (admin requests are not logged), so that a
//! test can check what a client put on the wire (headers it must not send, the key it used).

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Requests kept; older ones are dropped.
pub const REQUEST_LOG_MAX: usize = 2_000;

/// One request as the emulator received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    /// Position in the emulator's life: 1 for its first protocol request.
    pub seq: u64,
    /// Milliseconds since the emulator started.
    pub at_ms: u64,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path (`/capsolver/createTask`, `/in.php`).
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The `Referer` header, if any (a client must not send one).
    pub referer: Option<String>,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Body length in bytes.
    pub body_len: usize,
    /// The API key used: the `key` parameter (form) or `clientKey` (json).
    pub key: Option<String>,
    /// `in`, `res`, `create`, `result`, `balance`, `report`, `json_other`, or `other`.
    pub endpoint: String,
    /// The path prefix (`capsolver`; empty for the root).
    pub prefix: String,
    /// The fault injected into this request, if any (`html502`, `stall`, ...).
    pub fault: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<RequestRecord>,
    next_seq: u64,
}

impl RequestLog {
    pub(crate) fn push(&mut self, mut r: RequestRecord) {
        self.next_seq += 1;
        r.seq = self.next_seq;
        if self.entries.len() >= REQUEST_LOG_MAX {
            self.entries.pop_front();
        }
        self.entries.push_back(r);
    }

    /// The latest `limit` records, oldest first.
    pub(crate) fn latest(&self, limit: usize) -> Vec<RequestRecord> {
        let skip = self.entries.len().saturating_sub(limit);
        self.entries.iter().skip(skip).cloned().collect()
    }
}
