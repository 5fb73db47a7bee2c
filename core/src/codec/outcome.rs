//! What a reply means, in words every protocol family shares. The engine acts on these and
//! never on a family's codes or reply shapes.

use crate::error::Error;
use crate::money::Money;
use serde_json::Value;
use std::time::Duration;

/// What one reply means for the call that received it.
#[derive(Debug)]
pub enum Outcome<T> {
    /// The call succeeded.
    Done(T),
    /// A poll: the answer is not ready yet.
    Pending,
    /// The service is busy for this key (no free worker slot, too many requests): nothing was
    /// created; pause the key's requests of this kind, then repeat.
    Busy {
        /// What the service said (its kind is `rate_limited`).
        error: Error,
        /// How long to pause.
        pause: Pause,
    },
    /// The service refused: final for this call. `block` says which later requests of the
    /// key the service has promised to refuse too, so the client stops sending them.
    Failed {
        /// What went wrong.
        error: Error,
        /// Requests of the key to stop.
        block: Option<Block>,
    },
    /// No usable reply.
    Fault {
        /// What was received instead.
        error: Error,
        /// What the fault says about the request's effect.
        class: FaultClass,
    },
}

/// What a reply that is not a protocol reply says about the request's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultClass {
    /// The service did not act on the request (HTTP 429 or 503, a connection never made):
    /// repeat it freely.
    NotProcessed,
    /// The service may have acted (a gateway's 502 or 504, an HTML page, an empty or cut
    /// body, a timeout after sending): a submit may have created a task it will charge for.
    Unknown,
    /// A reply the protocol does not define (not UTF-8, an empty answer, a strange shape):
    /// repeating may help a few times, not forever.
    Malformed,
}

/// How long a [`Outcome::Busy`] pauses the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// No worker slot is free: the provider's `no_slot_wait`.
    NoSlot,
    /// Too many requests: the provider's `rate_limit_wait`.
    TooManyRequests,
    /// A wait the service named (`Retry-After`).
    For(Duration),
}

/// Which later requests of a key a refusal stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Submits only, or every request.
    pub scope: BlockScope,
    /// For how long.
    pub length: BlockLength,
}

/// The requests a [`Block`] stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockScope {
    /// New tasks only (a zero balance, a submit rate block).
    Submits,
    /// Everything (a bad key, a banned IP, a spent poll budget).
    All,
}

/// How long a [`Block`] lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockLength {
    /// For as long as the client lives (a key that does not exist stays so).
    Forever,
    /// The provider's `zero_balance_wait`.
    ZeroBalance,
    /// A fixed time (the service's block time).
    For(Duration),
}

/// What a submit reply gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepted {
    /// The service created a task with this id: poll it.
    Id(String),
    /// The service created the task and answered it at once (CapSolver's image tasks).
    Solved {
        /// The task id.
        task_id: String,
        /// The answer.
        answer: Box<Answer>,
    },
}

/// A solved task's answer as a codec reads it; the engine adds the task id and provider to
/// make a [`crate::Solution`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answer {
    /// The text in the image, or the token: what a user pastes.
    pub text: String,
    /// The structured answer, named alike on every provider (the kind's declared `data`).
    pub data: serde_json::Map<String, Value>,
    /// The worker's user agent, when the reply names one.
    pub user_agent: Option<String>,
    /// hCaptcha's `respKey`.
    pub resp_key: Option<String>,
    /// The price charged, when the reply says it.
    pub cost: Option<Money>,
    /// The whole reply (or its solution object) as JSON.
    pub raw: Value,
}

/// One task's part of a batch poll reply.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchItem {
    /// The answer.
    Ready(Box<Answer>),
    /// Not ready yet.
    Pending,
    /// Not clear from the batch (an error code, which an image answer could read as; an empty
    /// part): confirm with a poll of this task alone.
    Alone,
}

/// What a batch poll reply means.
#[derive(Debug)]
pub enum BatchOutcome {
    /// One item per id, in id order.
    Items(Vec<BatchItem>),
    /// The reply does not answer the ids one by one (its shape does not match them, or one
    /// error answers the whole batch): poll each task alone. A batch reply never ends a
    /// solve that a single poll would have answered.
    Alone {
        /// Whether the reply's shape did not match the ids (as opposed to an error code).
        mismatch: bool,
        /// A whole-batch refusal and what it stops for later requests of the key, as for
        /// [`Outcome::Failed`].
        refusal: Option<(Error, Block)>,
    },
    /// No usable reply: repeat the batch later.
    Fault {
        /// What was received.
        error: Error,
        /// What it says about the request's effect.
        class: FaultClass,
    },
}
