//! The form protocol (`in.php` / `res.php`), as the BigCaptcha / 2captcha family speaks it.
//!
//! * [`encode`]: task -> [`FormRequest`] (urlencoded fields or a multipart upload), and the
//!   `res.php` requests: poll, batch poll, balance, report.
//! * [`reply`]: bytes -> [`Reply`], then per call: task id, answer, balance, report result.
//!
//! Replies are matched as whole tokens only: `OK|ERROR_X` is the answer `ERROR_X`, and a body
//! is an error code only when the whole (trimmed) body is that code.

mod encode;
mod reply;

pub use encode::{
    Endpoint, FilePart, FormOptions, FormRequest, HttpMethod, balance_request, batch_poll_request,
    poll_request, report_request, submit_request,
};
pub use reply::{
    Answer, BatchFailure, BatchItem, Fault, OkReply, Reply, balance_outcome, batch_outcome,
    parse_reply, poll_outcome, report_outcome, split_debug_dump, submit_outcome,
};
