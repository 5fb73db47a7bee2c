//! Every code of the seeds' error tables, mapped to a kind, a retry wait and a description.
//!
//! Form protocol codes come from the service document's `in.php`, `res.php` and request-limit
//! tables; json protocol codes that mean the same thing map alike. The descriptions are our own
//! words for what the code means and what to do.

use super::ErrorKind;
use std::time::Duration;

/// What capbridge knows about one service code.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// The code as the service sends it.
    pub code: &'static str,
    /// Its kind.
    pub kind: ErrorKind,
    /// Whether the same call may succeed later unchanged.
    pub retryable: bool,
    /// The wait the service asks for (its block time for limit codes).
    pub retry_after: Option<Duration>,
    /// The task field it points at, when it points at one.
    pub field: Option<&'static str>,
    /// What it means and what to do.
    pub description: &'static str,
}

const fn secs(s: u64) -> Option<Duration> {
    Some(Duration::from_secs(s))
}

macro_rules! code {
    ($code:literal, $kind:ident, $retry:expr, $after:expr, $field:expr, $desc:literal) => {
        CodeInfo {
            code: $code,
            kind: ErrorKind::$kind,
            retryable: $retry,
            retry_after: $after,
            field: $field,
            description: $desc,
        }
    };
}

/// The table. A test checks that every code named in the seeds appears here exactly once.
pub const KNOWN_CODES: &[CodeInfo] = &[
    // ---- in.php ----
    code!(
        "ERROR_WRONG_USER_KEY",
        Auth,
        false,
        None,
        None,
        "the API key is malformed: it must be 32 characters"
    ),
    code!(
        "ERROR_KEY_DOES_NOT_EXIST",
        Auth,
        false,
        None,
        None,
        "the API key does not exist at this service"
    ),
    code!(
        "ERROR_ZERO_BALANCE",
        Balance,
        false,
        secs(60),
        None,
        "the account balance is zero: top it up before sending more tasks"
    ),
    code!(
        "ERROR_PAGEURL",
        InvalidTask,
        false,
        None,
        Some("website_url"),
        "the page URL is missing or invalid"
    ),
    code!(
        "ERROR_NO_SLOT_AVAILABLE",
        RateLimited,
        true,
        secs(5),
        None,
        "no worker slot is free for this account right now (queue full or bid too low)"
    ),
    code!(
        "ERROR_ZERO_CAPTCHA_FILESIZE",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the image is smaller than 100 bytes"
    ),
    code!(
        "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the image is larger than 600 kB or wider or taller than 1000 px"
    ),
    code!(
        "ERROR_WRONG_FILE_EXTENSION",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the image extension is not one of jpg, jpeg, gif, png"
    ),
    code!(
        "ERROR_IMAGE_TYPE_NOT_SUPPORTED",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the service could not recognise the image type"
    ),
    code!(
        "ERROR_UPLOAD",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the service could not read the image from the request (malformed upload or base64)"
    ),
    code!(
        "ERROR_IP_NOT_ALLOWED",
        Auth,
        false,
        None,
        None,
        "this IP address is not on the account's list of allowed IPs"
    ),
    code!(
        "IP_BANNED",
        Auth,
        true,
        secs(300),
        None,
        "this IP address is banned for 5 minutes after many requests with wrong keys"
    ),
    code!(
        "ERROR_BAD_TOKEN_OR_PAGEURL",
        InvalidTask,
        false,
        None,
        Some("website_url"),
        "the site key and page URL do not belong together (is the captcha in an iframe?)"
    ),
    code!(
        "ERROR_GOOGLEKEY",
        InvalidTask,
        false,
        None,
        Some("website_key"),
        "the reCAPTCHA site key is blank or malformed"
    ),
    code!(
        "ERROR_PROXY_FORMAT",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the proxy is not in a format the service accepts"
    ),
    code!(
        "ERROR_WRONG_GOOGLEKEY",
        InvalidTask,
        false,
        None,
        Some("website_key"),
        "the reCAPTCHA site key (googlekey) is missing"
    ),
    code!(
        "ERROR_CAPTCHAIMAGE_BLOCKED",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the image is marked unrecognisable (the site may be sending a deny-access image)"
    ),
    code!(
        "TOO_MANY_BAD_IMAGES",
        InvalidTask,
        false,
        None,
        Some("image"),
        "too many unrecognisable images were sent recently"
    ),
    code!(
        "MAX_USER_TURN",
        RateLimited,
        true,
        secs(10),
        None,
        "more than 60 submits in 3 seconds: the account is blocked for 10 seconds"
    ),
    code!(
        "ERROR_BAD_PARAMETERS",
        InvalidTask,
        false,
        None,
        None,
        "required parameters are missing or malformed"
    ),
    code!(
        "ERROR_BAD_PROXY",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the proxy is marked bad by the service: use another one"
    ),
    code!(
        "ERROR_SITEKEY",
        InvalidTask,
        false,
        None,
        Some("website_key"),
        "the site key is blank or malformed"
    ),
    // ---- res.php ----
    code!(
        "ERROR_CAPTCHA_UNSOLVABLE",
        Unsolvable,
        true,
        None,
        None,
        "the service could not solve this captcha (not charged); it may be submitted again"
    ),
    code!(
        "ERROR_WRONG_ID_FORMAT",
        NotFound,
        false,
        None,
        None,
        "the task id is not in the service's format (digits only)"
    ),
    code!(
        "ERROR_WRONG_CAPTCHA_ID",
        NotFound,
        false,
        None,
        None,
        "the task id is unknown to the service"
    ),
    code!(
        "ERROR_BAD_DUPLICATES",
        Unsolvable,
        true,
        None,
        None,
        "not enough matching answers were found for the 100% accuracy option"
    ),
    code!(
        "ERROR_REPORT_NOT_RECORDED",
        Report,
        false,
        None,
        None,
        "the report was not recorded (too many complaints, or more than 15 minutes passed)"
    ),
    code!(
        "ERROR_DUPLICATE_REPORT",
        Report,
        false,
        None,
        None,
        "this task was already reported"
    ),
    code!(
        "ERROR_IP_ADDRESS",
        InvalidTask,
        false,
        None,
        Some("pingback"),
        "the request's IP address does not match the pingback address registered for it"
    ),
    code!(
        "ERROR_TOKEN_EXPIRED",
        Unsolvable,
        true,
        None,
        None,
        "the challenge value of the task expired"
    ),
    code!(
        "ERROR_EMPTY_ACTION",
        Service,
        false,
        None,
        None,
        "the service received no action parameter"
    ),
    code!(
        "ERROR_PROXY_CONNECTION_FAILED",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the service could not load the captcha through the proxy; it is refused for 10 minutes"
    ),
    // ---- request limits (block times from the seed's table) ----
    code!(
        "ERROR: 1001",
        RateLimited,
        true,
        secs(600),
        None,
        "blocked for 10 minutes: 120 ERROR_NO_SLOT_AVAILABLE replies in one minute"
    ),
    code!(
        "ERROR: 1002",
        Balance,
        true,
        secs(300),
        None,
        "blocked for 5 minutes: 120 ERROR_ZERO_BALANCE replies in one minute"
    ),
    code!(
        "ERROR: 1003",
        RateLimited,
        true,
        secs(30),
        None,
        "blocked for 30 seconds: too many ERROR_NO_SLOT_AVAILABLE replies for the tasks sent"
    ),
    code!(
        "ERROR: 1004",
        Auth,
        true,
        secs(600),
        None,
        "this IP is blocked for 10 minutes after 5 requests with a wrong API key"
    ),
    code!(
        "ERROR: 1005",
        RateLimited,
        true,
        secs(300),
        None,
        "blocked for 5 minutes: too many res.php requests (more than 20 per task + 1200)"
    ),
    // ---- json protocol codes with the same meaning ----
    code!(
        "ERROR_NO_SUCH_CAPCHA_ID",
        NotFound,
        false,
        None,
        None,
        "the task id is unknown to the service"
    ),
    code!(
        "ERROR_TASK_ABSENT",
        NotFound,
        false,
        None,
        None,
        "the task id is unknown to the service"
    ),
];

/// Looks a code up, normalising the `ERROR: NNNN` family (`ERROR:1005` and `ERROR: 1005`
/// are the same code). Any other `ERROR: NNNN` is a rate limit without a known block time.
pub fn lookup_code(code: &str) -> Option<&'static CodeInfo> {
    if let Some(n) = numeric_limit_code(code) {
        return KNOWN_CODES
            .iter()
            .find(|c| numeric_limit_code(c.code) == Some(n))
            .or(Some(&UNKNOWN_LIMIT));
    }
    KNOWN_CODES.iter().find(|c| c.code == code)
}

const UNKNOWN_LIMIT: CodeInfo = code!(
    "ERROR: NNNN",
    RateLimited,
    true,
    None,
    None,
    "a request limit was exceeded and the account is suspended for a while"
);

/// `ERROR: 1005` -> `Some(1005)`.
pub(crate) fn numeric_limit_code(code: &str) -> Option<u32> {
    let rest = code.strip_prefix("ERROR:")?.trim_start();
    if rest.is_empty() || rest.len() > 6 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}
