//! Every code of the API documentation' error tables, mapped to a kind, a retry wait and a description.
//!
//! Form protocol codes come from the service document's `in.php`, `res.php` and request-limit
//! tables; json protocol codes (`PROVIDERS-JSON.md`) that mean the same thing map alike, and
//! the json family's own codes follow them. The descriptions are our own
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

/// The table. A test checks that every code named in the API documentation appears here exactly once.
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
    // ---- request limits (block times from the API documentation's table) ----
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
    // ---- json protocol (PROVIDERS-JSON.md §1-5): anti-captcha, CapMonster, CapSolver,
    // NextCaptcha and 2captcha v2 share most codes; each appears once. ----
    code!(
        "ERROR_NO_SUCH_METHOD",
        Service,
        false,
        None,
        None,
        "the service has no such API method (is this the right provider for the URL?)"
    ),
    code!(
        "ERROR_EMPTY_COMMENT",
        InvalidTask,
        false,
        None,
        Some("comment"),
        "this image task needs a comment for the worker"
    ),
    code!(
        "ERROR_IP_BLOCKED",
        Auth,
        true,
        None,
        None,
        "this IP address is blocked for improper use of the API"
    ),
    code!(
        "ERROR_IP_BANNED",
        Auth,
        true,
        secs(600),
        None,
        "this IP address is banned for a while (CapSolver documents 10 minutes, which retry_after assumes)"
    ),
    code!(
        "ERROR_TASK_NOT_SUPPORTED",
        Usage,
        false,
        None,
        None,
        "the service does not solve this task type (the same kind as capbridge's own check \
         of what a provider solves, so that a failover list moves on)"
    ),
    code!(
        "ERROR_INCORRECT_SESSION_DATA",
        InvalidTask,
        false,
        None,
        None,
        "required task fields are missing or do not fit together"
    ),
    code!(
        "ERROR_PROXY_CONNECT_REFUSED",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the worker could not connect to the proxy (connection refused)"
    ),
    code!(
        "ERROR_PROXY_CONNECT_TIMEOUT",
        Proxy,
        false,
        None,
        Some("proxy"),
        "connecting to the proxy timed out"
    ),
    code!(
        "ERROR_PROXY_READ_TIMEOUT",
        Proxy,
        false,
        None,
        Some("proxy"),
        "reading through the proxy timed out"
    ),
    code!(
        "ERROR_PROXY_BANNED",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the proxy is banned: use another one"
    ),
    code!(
        "ERROR_PROXY_TRANSPARENT",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the proxy reveals the client's address: use an anonymous one"
    ),
    code!(
        "ERROR_PROXY_HAS_NO_IMAGE_SUPPORT",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the proxy does not pass images"
    ),
    code!(
        "ERROR_PROXY_INCOMPATIBLE_HTTP_VERSION",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the proxy does not speak the HTTP version the worker needs"
    ),
    code!(
        "ERROR_PROXY_NOT_AUTHORISED",
        Proxy,
        false,
        None,
        Some("proxy"),
        "the proxy refused the login and password"
    ),
    code!(
        "ERROR_PROXY_MISSING",
        Proxy,
        false,
        None,
        Some("proxy"),
        "this task needs a proxy"
    ),
    code!(
        "ERROR_RECAPTCHA_TIMEOUT",
        Unsolvable,
        true,
        None,
        None,
        "the captcha timed out while loading (slow proxy or captcha servers)"
    ),
    code!(
        "ERROR_RECAPTCHA_INVALID_SITEKEY",
        InvalidTask,
        false,
        None,
        Some("website_key"),
        "the site key is not valid"
    ),
    code!(
        "ERROR_RECAPTCHA_INVALID_DOMAIN",
        InvalidTask,
        false,
        None,
        Some("website_url"),
        "the site key is not valid for the page's domain"
    ),
    code!(
        "ERROR_RECAPTCHA_OLD_BROWSER",
        InvalidTask,
        false,
        None,
        Some("user_agent"),
        "the captcha refused the user agent as too old"
    ),
    code!(
        "ERROR_WRONG_USERAGENT",
        InvalidTask,
        false,
        None,
        Some("user_agent"),
        "the user agent is refused: use a current browser's"
    ),
    code!(
        "ERROR_DOMAIN_NOT_ALLOWED",
        InvalidTask,
        false,
        None,
        Some("website_url"),
        "the service does not solve captchas of this domain"
    ),
    code!(
        "ERROR_INVISIBLE_RECAPTCHA",
        InvalidTask,
        false,
        None,
        Some("invisible"),
        "the reCAPTCHA is invisible: set `invisible`"
    ),
    code!(
        "ERROR_VISIBLE_RECAPTCHA",
        InvalidTask,
        false,
        None,
        Some("invisible"),
        "the reCAPTCHA is visible: do not set `invisible`"
    ),
    code!(
        "ERROR_FUNCAPTCHA_NOT_ALLOWED",
        Service,
        false,
        None,
        None,
        "FunCaptcha tasks are not enabled for this account (see its API settings)"
    ),
    code!(
        "ERROR_FAILED_LOADING_WIDGET",
        Unsolvable,
        true,
        None,
        None,
        "the worker's browser could not load the captcha widget"
    ),
    code!(
        "ERROR_ALL_WORKERS_FILTERED",
        Unsolvable,
        false,
        None,
        None,
        "no worker is left that the account's reports have not filtered out"
    ),
    code!(
        "ERROR_ACCOUNT_SUSPENDED",
        Auth,
        false,
        None,
        None,
        "the account is suspended: contact the service"
    ),
    code!(
        "ERROR_TEMPLATE_NOT_FOUND",
        InvalidTask,
        false,
        None,
        None,
        "the task names a template the service does not have"
    ),
    code!(
        "ERROR_TASK_CANCELED",
        Unsolvable,
        true,
        None,
        None,
        "the service cancelled the task"
    ),
    code!(
        "WRONG_CAPTCHA_ID",
        NotFound,
        false,
        None,
        None,
        "the task id is unknown to the service"
    ),
    code!(
        "CAPTCHA_NOT_READY",
        Service,
        true,
        secs(2),
        None,
        "the answer is not ready yet: ask again in 2 seconds or more"
    ),
    code!(
        "ERROR_TOO_MUCH_REQUESTS",
        RateLimited,
        true,
        secs(2),
        None,
        "polled too often: at most one result request per 2 seconds"
    ),
    code!(
        "ERROR_SERVICE_UNAVALIABLE",
        Service,
        true,
        None,
        None,
        "the service is unavailable for now (the code's spelling is the service's)"
    ),
    code!(
        "ERROR_RATE_LIMIT",
        RateLimited,
        true,
        None,
        None,
        "too many requests: the service asks to slow down"
    ),
    code!(
        "ERROR_INVALID_TASK_DATA",
        InvalidTask,
        false,
        None,
        None,
        "the task data is invalid"
    ),
    code!(
        "ERROR_BAD_REQUEST",
        InvalidTask,
        false,
        None,
        None,
        "the request is malformed or misses a parameter"
    ),
    code!(
        "ERROR_TASKID_INVALID",
        NotFound,
        false,
        None,
        None,
        "the task id is invalid or unknown to the service"
    ),
    code!(
        "ERROR_TASK_TIMEOUT",
        Unsolvable,
        true,
        None,
        None,
        "the task was not solved within the service's time (120 s at CapSolver)"
    ),
    code!(
        "ERROR_UNKNOWN_QUESTION",
        InvalidTask,
        false,
        None,
        None,
        "the service does not know the image task's question"
    ),
    code!(
        "ERROR_SETTLEMENT_FAILED",
        Balance,
        false,
        None,
        None,
        "the service could not charge the account for the task"
    ),
    code!(
        "ERROR_KEY_DENIED_ACCESS",
        Auth,
        false,
        None,
        None,
        "the API key is refused"
    ),
    code!(
        "ERROR_KEY_TEMP_BLOCKED",
        Auth,
        true,
        None,
        None,
        "the API key is blocked for a while"
    ),
    code!(
        "ERROR_INVALID_IMAGE",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the image is invalid"
    ),
    code!(
        "ERROR_PARSE_IMAGE_FAIL",
        InvalidTask,
        false,
        None,
        Some("image"),
        "the service could not read the image"
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
    KNOWN_CODES
        .iter()
        .find(|c| c.code == code)
        .or_else(|| code.starts_with("ERROR_FACTORY_").then_some(&FACTORY))
}

/// anti-captcha's `ERROR_FACTORY_*` family (ids 37-48): errors of its custom task
/// factories, which capbridge never creates.
const FACTORY: CodeInfo = code!(
    "ERROR_FACTORY_*",
    Service,
    false,
    None,
    None,
    "anti-captcha's task factory failed (capbridge does not use factories)"
);

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
