//! Without the `shared-limits` feature: `shared_limits` is refused at build, and the types
//! the engine names exist but cannot be made.

use super::{Decision, SubmitRule};
use crate::codec::Block;
use crate::engine::guard::Guard;
use crate::error::{Error, Result};
use crate::secret::Secret;
use std::sync::Arc;
use std::time::Duration;

/// A Redis address (never made without the feature).
pub(crate) enum SharedSpec {}

impl SharedSpec {
    pub(crate) fn parse(_url: &str) -> Result<Arc<SharedSpec>> {
        Err(Error::usage(
            "shared limits need capbridge built with its `shared-limits` cargo feature (the Python, Node \
             and C packages are); this build keeps limits in process only",
        )
        .with_option("shared_limits"))
    }

    pub(crate) fn cluster(_nodes: &[String]) -> Result<Arc<SharedSpec>> {
        SharedSpec::parse("")
    }

    pub(crate) fn shown(&self) -> &str {
        match *self {}
    }
}

/// One account's link to Redis (never made without the feature).
pub(crate) enum Link {}

impl Link {
    pub(crate) fn start(
        spec: &Arc<SharedSpec>,
        _canonical_url: &str,
        _key: &Secret,
        _guard: Arc<Guard>,
    ) -> Result<Arc<Link>> {
        match **spec {}
    }

    pub(crate) fn shown(&self) -> &str {
        match *self {}
    }

    pub(crate) fn listen(&self, _provider: &str, _handler: &crate::events::EventHandler) {
        match *self {}
    }

    pub(crate) fn learn_waits(&self, _waits: Arc<crate::engine::learn::FirstWaits>) {
        match *self {}
    }

    pub(crate) fn publish_push(
        &self,
        _nonce: &crate::engine::callback::Nonce,
        _body: Vec<u8>,
    ) -> bool {
        match *self {}
    }

    pub(crate) async fn note_callback(
        &self,
        _task_id: &str,
        _nonce: &crate::engine::callback::Nonce,
        _lives: Duration,
    ) {
        match *self {}
    }

    pub(crate) async fn pushed_for(
        &self,
        _task_id: &str,
    ) -> Option<(crate::engine::callback::Nonce, Option<Vec<u8>>)> {
        match *self {}
    }

    pub(crate) fn subscribe_pushes(&self, _book: std::sync::Weak<crate::engine::callback::Book>) {
        match *self {}
    }

    pub(crate) async fn decide_submit(&self, _rule: SubmitRule) -> Decision {
        match *self {}
    }

    pub(crate) fn pause(&self, _d: Duration) {
        match *self {}
    }

    pub(crate) fn publish_block(&self, _block: Block, _error: &Error, _zero_balance: Duration) {
        match *self {}
    }

    pub(crate) fn set_budget(&self, _per_task: u64, _allowance: u64) {
        match *self {}
    }

    pub(crate) fn spend(&self, _n: u64) -> Option<bool> {
        match *self {}
    }

    pub(crate) fn spent_locally(&self, _n: u64) {
        match *self {}
    }

    pub(crate) fn on_task(&self) {
        match *self {}
    }

    pub(crate) fn remaining(&self) -> Option<u64> {
        match *self {}
    }
}
