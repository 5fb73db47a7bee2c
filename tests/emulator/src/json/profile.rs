//! The json protocol's providers, one table each. Every way in which one provider's dialect
//! differs from another's is a field of [`Profile`]; the code that serves requests reads these
//! tables and holds no provider names of its own.
//!
//! Facts come from `PROVIDERS-JSON.md`, the project's research document kept outside the
//! repository (and the NextCaptcha migration guide). Where the sources disagree, the choice is
//! written next to the field that makes it; the kinds' choices are in `docs/kinds-choices.md`.

use super::kinds::Variant;
use crate::kind::Kind;
use std::time::Duration;

/// Whether a task type takes a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProxyUse {
    /// A `...Proxyless` type: proxy fields are not read (and show up as unread).
    None,
    /// The proxy variant: the proxy fields are required.
    Required,
    /// One type for both (CapMonster's current names): read and checked when present.
    Optional,
}

/// One accepted task type name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TypeName {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) proxy: ProxyUse,
    /// An Enterprise variant (recorded as `enterprise=1`).
    pub(crate) enterprise: bool,
    /// The kinds read by a table ([`super::kind_tables`]), and when each applies; empty for the six
    /// kinds read by `task.rs`. A type of the six with variants (CapMonster's
    /// `TurnstileTask`) is read as its kind when none applies.
    pub(crate) variants: &'static [Variant],
}

const fn ty(name: &'static str, kind: Kind, proxy: ProxyUse) -> TypeName {
    TypeName {
        name,
        kind,
        proxy,
        enterprise: false,
        variants: &[],
    }
}

const fn ent(name: &'static str, kind: Kind, proxy: ProxyUse) -> TypeName {
    TypeName {
        name,
        kind,
        proxy,
        enterprise: true,
        variants: &[],
    }
}

/// A type name read by a table of [`super::kind_tables`].
const fn tab(
    name: &'static str,
    kind: Kind,
    proxy: ProxyUse,
    variants: &'static [Variant],
) -> TypeName {
    TypeName {
        name,
        kind,
        proxy,
        enterprise: false,
        variants,
    }
}

/// How task ids look on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdFormat {
    /// A JSON integer above 2^32.
    Int,
    /// A UUID string.
    Uuid,
}

/// How a task that is not solved yet is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotReady {
    /// `status: "processing"`.
    Processing,
    /// `status: "idle"` on the first poll, `processing` afterwards (CapSolver).
    IdleThenProcessing,
    /// `processing` on odd polls of a task, `errorId: 1, errorCode: "CAPTCHA_NOT_READY"` on
    /// even ones (CapMonster's two forms, made deterministic).
    AlternateNotReadyCode,
}

/// What success replies carry as `errorCode` / `errorDescription`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SuccessCodes {
    /// Not present.
    Absent,
    /// `null` (CapMonster).
    Null,
    /// `""` (CapSolver).
    Empty,
}

/// How an amount of money is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Money {
    /// A JSON number.
    Number,
    /// A JSON string with this many decimals (`"0.000700"`).
    Text(usize),
}

/// The error codes a profile answers with, by situation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Codes {
    /// `clientKey` missing, not 32 characters, or no such account.
    pub(crate) bad_key: &'static str,
    /// The body is not a JSON object.
    pub(crate) malformed: &'static str,
    /// `task` missing or not an object, or no `type`.
    pub(crate) task_absent: &'static str,
    /// A type name this profile does not accept.
    pub(crate) not_supported: &'static str,
    /// A required field missing or a value out of range (the profile's catch-all).
    pub(crate) invalid: &'static str,
    /// `websiteURL` missing or not an http(s) URL.
    pub(crate) bad_url: &'static str,
    /// `websiteKey` missing or malformed.
    pub(crate) bad_sitekey: &'static str,
    /// Image under 100 bytes.
    pub(crate) image_empty: &'static str,
    /// Image over the size (or side) limit.
    pub(crate) image_too_big: &'static str,
    /// Image that is not base64 or not a supported format.
    pub(crate) image_bad: &'static str,
    /// A proxy type without its proxy.
    pub(crate) proxy_missing: &'static str,
    /// A proxy the profile cannot use (type, address, port).
    pub(crate) proxy_bad: &'static str,
    /// Not enough balance.
    pub(crate) zero_balance: &'static str,
    /// No such task id, or expired.
    pub(crate) not_found: &'static str,
    /// A poll over the per-task cap or under the minimum interval.
    pub(crate) too_many: &'static str,
    /// An unknown method under the profile's path.
    pub(crate) no_method: &'static str,
    /// A report that cannot be recorded (not solved, too late, duplicate).
    pub(crate) report_refused: &'static str,
    /// A second report of one task (`None`: `report_refused`).
    pub(crate) report_duplicate: Option<&'static str>,
}

/// How `errorId` is chosen.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ErrorIds {
    /// Always 1 on error.
    One,
    /// From the table; codes not in it get 1.
    Table(&'static [(&'static str, u32)]),
}

/// Per-task and per-key polling rules, enforced as violations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PollRules {
    /// Most `getTaskResult` requests per task; later ones get `too_many` and count one
    /// `json_poll_cap` violation per task.
    pub(crate) max_polls: Option<u64>,
    /// Least time between two `getTaskResult` of one task; closer ones get `too_many` and
    /// count a `json_poll_interval` violation each.
    pub(crate) min_interval: Option<Duration>,
    /// Least time between two `getBalance` of one key; closer ones are answered but count a
    /// `json_balance_interval` violation each.
    pub(crate) balance_interval: Option<Duration>,
    /// How long results stay: after this, polls and reports get `not_found`.
    pub(crate) retention: Retention,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Retention {
    /// From the task's creation.
    AfterCreation(Duration),
    /// From the task's completion (anti-captcha removes tasks 60 s after a worker is done).
    AfterCompletion(Duration),
}

/// Whether a report method says good or bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Good,
    Bad,
    /// CapSolver's `feedbackTask`: `result.invalid` true is bad, false is good.
    FromInvalidFlag,
}

/// One report method.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReportMethod {
    pub(crate) name: &'static str,
    pub(crate) verdict: Verdict,
    /// The kinds it may report; empty is any.
    pub(crate) kinds: &'static [Kind],
}

const fn report(name: &'static str, verdict: Verdict, kinds: &'static [Kind]) -> ReportMethod {
    ReportMethod {
        name,
        verdict,
        kinds,
    }
}

/// Rules of reports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReportRules {
    /// Accepted only this long after the task was completed.
    pub(crate) window: Option<Duration>,
    /// Complaints about more than 40% of an account's solved tasks are refused (judged from
    /// 10 solved tasks on, as in the form protocol).
    pub(crate) complaint_cap: bool,
    /// A second report of a task is refused (otherwise accepted and ignored).
    pub(crate) one_per_task: bool,
}

/// Image task rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImageRules {
    /// Largest decoded image, bytes.
    pub(crate) max_bytes: usize,
    /// Largest width or height, pixels.
    pub(crate) max_side: Option<u32>,
    /// `data:image/...;base64,` prefixes accepted.
    pub(crate) data_uri: bool,
    /// Line breaks inside the base64 accepted.
    pub(crate) line_breaks: bool,
    /// Largest `numeric` value.
    pub(crate) numeric_max: u64,
    /// The solution comes in the createTask reply (CapSolver), with `status: "ready"`.
    pub(crate) sync: bool,
    /// `images[]` (up to 9) accepted instead of `body`, answered with `answers[]`.
    pub(crate) images_array: bool,
    /// `recognizingThreshold` is 0..=100.
    pub(crate) threshold: bool,
}

/// Proxy field rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProxyRules {
    /// Accepted `proxyType` values.
    pub(crate) types: &'static [&'static str],
    /// `proxyAddress` must be an IP address.
    pub(crate) ip_only: bool,
    /// One `proxy` string (`socks5:ip:port:user:pwd`) accepted as well.
    pub(crate) string_form: bool,
    /// `proxyPort` may be a string, `proxyType` any case.
    pub(crate) lenient: bool,
}

/// `minScore` rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MinScore {
    pub(crate) required: bool,
    /// The only values allowed; empty means the range 0.1..=0.9.
    pub(crate) values: &'static [f64],
}

/// Where each value is read from, per kind (first spelling present wins; `a.b` is field `b`
/// of object `a`), and which other fields the profile knows. Fields of the task object that
/// no list names are recorded as unread in the task info.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) turnstile_action: &'static [&'static str],
    pub(crate) turnstile_cdata: &'static [&'static str],
    pub(crate) turnstile_pagedata: &'static [&'static str],
    pub(crate) hcaptcha_rqdata: &'static [&'static str],
    pub(crate) v3_action: &'static [&'static str],
    pub(crate) image_module: &'static [&'static str],
    /// `enterprisePayload` may be a string as well as an object.
    pub(crate) enterprise_payload_string: bool,
    /// `funcaptchaApiJSSubdomain` must be a bare domain (no `https://`).
    pub(crate) subdomain_bare: bool,
    /// The proxy variant of FunCaptcha requires `userAgent`.
    pub(crate) funcaptcha_proxy_needs_ua: bool,
    /// `apiDomain` must be `www.google.com` or `www.recaptcha.net`.
    pub(crate) api_domain_checked: bool,
    /// Other known fields, per kind.
    pub(crate) image_known: &'static [&'static str],
    pub(crate) recaptcha_known: &'static [&'static str],
    pub(crate) hcaptcha_known: &'static [&'static str],
    pub(crate) funcaptcha_known: &'static [&'static str],
    pub(crate) turnstile_known: &'static [&'static str],
}

/// Extra solution fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SolutionShape {
    /// reCAPTCHA solutions carry `userAgent`.
    pub(crate) recaptcha_user_agent: bool,
    /// reCAPTCHA solutions carry a `cookies` object.
    pub(crate) recaptcha_cookies: bool,
    /// FunCaptcha solutions carry `userAgent`.
    pub(crate) funcaptcha_user_agent: bool,
    /// Image solutions carry `url`.
    pub(crate) image_url: bool,
}

/// What ready replies carry besides `solution`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadyExtras {
    /// `cost` (and `ip`, `createTime`, `endTime`, `solveCount`) present.
    pub(crate) cost: Option<Money>,
    /// `solveCount` as a string.
    pub(crate) solve_count_text: bool,
    /// `taskId` repeated in poll replies.
    pub(crate) task_id: bool,
}

/// One provider's dialect of the json protocol.
#[derive(Debug)]
pub(crate) struct Profile {
    /// The name, and the path prefix (`/capsolver/createTask`); `generic` is served at the
    /// root.
    pub(crate) name: &'static str,
    /// Accepted type names (empty for `generic`, which accepts every profile's names).
    pub(crate) types: &'static [TypeName],
    pub(crate) ids: IdFormat,
    pub(crate) not_ready: NotReady,
    pub(crate) success_codes: SuccessCodes,
    /// `status` of a createTask reply for a task that is not solved yet.
    pub(crate) create_status: Option<&'static str>,
    pub(crate) balance: Money,
    /// `captchaCredits` in getBalance replies (anti-captcha).
    pub(crate) balance_credits: bool,
    /// `packages` in getBalance replies (CapSolver).
    pub(crate) balance_packages: bool,
    pub(crate) ready: ReadyExtras,
    /// `taskId: 0` in createTask error replies (CapMonster).
    pub(crate) error_task_id_zero: bool,
    /// `status: "failed"` in the reply to a poll of a failed task (CapSolver's SDKs).
    pub(crate) failed_status: bool,
    pub(crate) codes: Codes,
    pub(crate) error_ids: ErrorIds,
    /// HTTP status of error replies, and exceptions by code.
    pub(crate) error_http: u16,
    pub(crate) error_http_by_code: &'static [(&'static str, u16)],
    pub(crate) polls: PollRules,
    pub(crate) reports: &'static [ReportMethod],
    pub(crate) report_rules: ReportRules,
    pub(crate) image: ImageRules,
    pub(crate) proxy: ProxyRules,
    pub(crate) min_score: MinScore,
    pub(crate) fields: Fields,
    pub(crate) solution: SolutionShape,
    /// `KEY__nocache` is the key `KEY` (CapMonster).
    pub(crate) nocache_suffix: bool,
}

use super::kind_tables::*;
use Kind::{FunCaptcha as Fun, HCaptcha as H, ImageToText as Img, RecaptchaV2 as V2};
use Kind::{RecaptchaV3 as V3, Turnstile as Ts};
use ProxyUse::{None as Pl, Optional as Opt, Required as Px};

const MINUTE: Duration = Duration::from_secs(60);
const FIVE_MINUTES: Duration = Duration::from_secs(300);

/// The family's numbered codes (anti-captcha's list; 2captcha's agrees on the shared part;
/// BAD_DUPLICATES is 12 or 13 by locale at anti-captcha, 13 at 2captcha: 13 here).
const FAMILY_IDS: &[(&str, u32)] = &[
    ("ERROR_KEY_DOES_NOT_EXIST", 1),
    ("ERROR_NO_SLOT_AVAILABLE", 2),
    ("ERROR_ZERO_CAPTCHA_FILESIZE", 3),
    ("ERROR_TOO_BIG_CAPTCHA_FILESIZE", 4),
    ("ERROR_ZERO_BALANCE", 10),
    ("ERROR_IP_NOT_ALLOWED", 11),
    ("ERROR_CAPTCHA_UNSOLVABLE", 12),
    ("ERROR_BAD_DUPLICATES", 13),
    ("ERROR_NO_SUCH_METHOD", 14),
    ("ERROR_IMAGE_TYPE_NOT_SUPPORTED", 15),
    ("ERROR_NO_SUCH_CAPCHA_ID", 16),
    ("ERROR_EMPTY_COMMENT", 20),
    ("ERROR_IP_BLOCKED", 21),
    ("ERROR_TASK_ABSENT", 22),
    ("ERROR_TASK_NOT_SUPPORTED", 23),
    ("ERROR_INCORRECT_SESSION_DATA", 24),
    ("ERROR_PROXY_CONNECT_REFUSED", 25),
    ("ERROR_PROXY_CONNECT_TIMEOUT", 26),
    ("ERROR_PROXY_READ_TIMEOUT", 27),
    ("ERROR_PROXY_BANNED", 28),
    ("ERROR_PROXY_TRANSPARENT", 29),
    ("ERROR_RECAPTCHA_TIMEOUT", 30),
    ("ERROR_RECAPTCHA_INVALID_SITEKEY", 31),
    ("ERROR_RECAPTCHA_INVALID_DOMAIN", 32),
    ("ERROR_RECAPTCHA_OLD_BROWSER", 33),
    ("ERROR_TOKEN_EXPIRED", 34),
    ("ERROR_PROXY_HAS_NO_IMAGE_SUPPORT", 35),
    ("ERROR_PROXY_INCOMPATIBLE_HTTP_VERSION", 36),
    ("ERROR_PROXY_NOT_AUTHORISED", 49),
    ("ERROR_FUNCAPTCHA_NOT_ALLOWED", 50),
    ("ERROR_INVISIBLE_RECAPTCHA", 51),
    ("ERROR_FAILED_LOADING_WIDGET", 52),
    ("ERROR_VISIBLE_RECAPTCHA", 53),
    ("ERROR_ALL_WORKERS_FILTERED", 54),
    ("ERROR_ACCOUNT_SUSPENDED", 55),
    ("ERROR_TEMPLATE_NOT_FOUND", 56),
    ("ERROR_TASK_CANCELED", 57),
];

const ALL_PROXY_TYPES: &[&str] = &["http", "https", "socks4", "socks5"];

/// The family's not-ready/ready shapes, numbers for money, no limits documented.
const FAMILY_READY: ReadyExtras = ReadyExtras {
    cost: None,
    solve_count_text: false,
    task_id: false,
};

const NO_SOLUTION_EXTRAS: SolutionShape = SolutionShape {
    recaptcha_user_agent: false,
    recaptcha_cookies: false,
    funcaptcha_user_agent: false,
    image_url: false,
};

// ---------------------------------------------------------------------------------------
// anti-captcha
// ---------------------------------------------------------------------------------------

const ANTI_CAPTCHA_TYPES: &[TypeName] = &[
    ty("ImageToTextTask", Img, Pl),
    ty("RecaptchaV2TaskProxyless", V2, Pl),
    ty("RecaptchaV2Task", V2, Px),
    // Legacy names, accepted "forever".
    ty("NoCaptchaTaskProxyless", V2, Pl),
    ty("NoCaptchaTask", V2, Px),
    ent("RecaptchaV2EnterpriseTaskProxyless", V2, Pl),
    ent("RecaptchaV2EnterpriseTask", V2, Px),
    // v3 has no proxy variant; Enterprise is `isEnterprise: true`.
    ty("RecaptchaV3TaskProxyless", V3, Pl),
    ty("HCaptchaTaskProxyless", H, Pl),
    ty("HCaptchaTask", H, Px),
    ty("FunCaptchaTaskProxyless", Fun, Pl),
    ty("FunCaptchaTask", Fun, Px),
    ty("TurnstileTaskProxyless", Ts, Pl),
    ty("TurnstileTask", Ts, Px),
    // GeeTest v3, and v4 with `version: 4`.
    tab(
        "GeeTestTaskProxyless",
        Kind::GeeTest,
        Pl,
        &AC_GEETEST_VARIANTS,
    ),
    tab("GeeTestTask", Kind::GeeTest, Px, &AC_GEETEST_VARIANTS),
    tab(
        "AmazonTaskProxyless",
        Kind::AmazonWaf,
        Pl,
        &AC_AMAZON_VARIANTS,
    ),
    tab("AmazonTask", Kind::AmazonWaf, Px, &AC_AMAZON_VARIANTS),
    tab(
        "FriendlyCaptchaTaskProxyless",
        Kind::FriendlyCaptcha,
        Pl,
        &AC_FRIENDLY_VARIANTS,
    ),
    tab(
        "FriendlyCaptchaTask",
        Kind::FriendlyCaptcha,
        Px,
        &AC_FRIENDLY_VARIANTS,
    ),
    tab(
        "ImageToCoordinatesTask",
        Kind::Coordinates,
        Pl,
        &AC_COORDINATES_VARIANTS,
    ),
];

pub(crate) static ANTI_CAPTCHA: Profile = Profile {
    name: "anti-captcha",
    types: ANTI_CAPTCHA_TYPES,
    ids: IdFormat::Int,
    not_ready: NotReady::Processing,
    success_codes: SuccessCodes::Absent,
    create_status: None,
    balance: Money::Number,
    balance_credits: true,
    balance_packages: false,
    // The documented example shows cost "0.000700" and solveCount "0" as strings.
    ready: ReadyExtras {
        cost: Some(Money::Text(6)),
        solve_count_text: true,
        task_id: false,
    },
    error_task_id_zero: false,
    failed_status: false,
    codes: Codes {
        bad_key: "ERROR_KEY_DOES_NOT_EXIST",
        malformed: "ERROR_KEY_DOES_NOT_EXIST",
        task_absent: "ERROR_TASK_ABSENT",
        not_supported: "ERROR_TASK_NOT_SUPPORTED",
        // No catch-all code is documented; "required values missing" is the nearest.
        invalid: "ERROR_INCORRECT_SESSION_DATA",
        bad_url: "ERROR_RECAPTCHA_INVALID_DOMAIN",
        bad_sitekey: "ERROR_RECAPTCHA_INVALID_SITEKEY",
        image_empty: "ERROR_ZERO_CAPTCHA_FILESIZE",
        image_too_big: "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        image_bad: "ERROR_IMAGE_TYPE_NOT_SUPPORTED",
        proxy_missing: "ERROR_INCORRECT_SESSION_DATA",
        proxy_bad: "ERROR_PROXY_CONNECT_REFUSED",
        zero_balance: "ERROR_ZERO_BALANCE",
        not_found: "ERROR_NO_SUCH_CAPCHA_ID",
        too_many: "ERROR_TOO_MUCH_REQUESTS",
        no_method: "ERROR_NO_SUCH_METHOD",
        report_refused: "ERROR_NO_SUCH_CAPCHA_ID",
        report_duplicate: None,
    },
    error_ids: ErrorIds::Table(FAMILY_IDS),
    error_http: 200,
    error_http_by_code: &[],
    polls: PollRules {
        max_polls: None,
        min_interval: None,
        // "don't call this method more than once every 30 seconds"
        balance_interval: Some(Duration::from_secs(30)),
        // Removed 60 s after a worker completes it.
        retention: Retention::AfterCompletion(MINUTE),
    },
    reports: &[
        report(
            "reportIncorrectImageCaptcha",
            Verdict::Bad,
            &[Img, Kind::Coordinates],
        ),
        report("reportIncorrectRecaptcha", Verdict::Bad, &[V2, V3]),
        report("reportCorrectRecaptcha", Verdict::Good, &[V2, V3]),
        report("reportIncorrectHcaptcha", Verdict::Bad, &[H]),
    ],
    // Within 60 s of completion, one report per task.
    report_rules: ReportRules {
        window: Some(MINUTE),
        complaint_cap: false,
        one_per_task: true,
    },
    image: ImageRules {
        max_bytes: 500_000,
        max_side: None,
        // "clean base64 only: no data: prefix, no line breaks"
        data_uri: false,
        line_breaks: false,
        numeric_max: 2,
        sync: false,
        images_array: false,
        threshold: false,
    },
    // No https; proxyAddress must be an IP address.
    proxy: ProxyRules {
        types: &["http", "socks4", "socks5"],
        ip_only: true,
        string_form: false,
        lenient: false,
    },
    min_score: MinScore {
        required: true,
        values: &[0.3, 0.7, 0.9],
    },
    fields: Fields {
        turnstile_action: &["action"],
        // The English pages say cData, five translations still say turnstileCData: both.
        turnstile_cdata: &["cData", "turnstileCData"],
        turnstile_pagedata: &["chlPageData"],
        hcaptcha_rqdata: &["enterprisePayload.rqdata"],
        v3_action: &["pageAction"],
        image_module: &[],
        enterprise_payload_string: false,
        subdomain_bare: false,
        funcaptcha_proxy_needs_ua: true,
        api_domain_checked: true,
        image_known: &[
            "body",
            "phrase",
            "case",
            "numeric",
            "math",
            "minLength",
            "maxLength",
            "comment",
            "websiteURL",
            "languagePool",
        ],
        recaptcha_known: &[
            "websiteKey",
            "recaptchaDataSValue",
            "websiteSToken",
            "isInvisible",
            "enterprisePayload",
            "apiDomain",
            "minScore",
            "pageAction",
            "isEnterprise",
        ],
        hcaptcha_known: &[
            "websiteKey",
            "isInvisible",
            "enterprisePayload",
            "isEnterprise",
        ],
        funcaptcha_known: &["websitePublicKey", "funcaptchaApiJSSubdomain", "data"],
        turnstile_known: &["websiteKey"],
    },
    solution: SolutionShape {
        image_url: true,
        ..NO_SOLUTION_EXTRAS
    },
    nocache_suffix: false,
};

// ---------------------------------------------------------------------------------------
// CapMonster Cloud
// ---------------------------------------------------------------------------------------

const CAPMONSTER_TYPES: &[TypeName] = &[
    ty("ImageToTextTask", Img, Pl),
    // One name per captcha, proxy optional.
    ty("RecaptchaV2Task", V2, Opt),
    // Legacy names the SDKs still send (CM-py, CM-net; CM-js the Proxyless one).
    ty("NoCaptchaTask", V2, Opt),
    ty("NoCaptchaTaskProxyless", V2, Pl),
    ent("RecaptchaV2EnterpriseTask", V2, Opt),
    ty("RecaptchaV3TaskProxyless", V3, Pl),
    ent("RecaptchaV3EnterpriseTask", V3, Pl),
    // No hCaptcha: CapMonster answers it with ERROR_TASK_NOT_SUPPORTED
    // (capmonster-python-captcha-solver#30; docs/kinds-choices.md 12).
    ty("FunCaptchaTask", Fun, Opt),
    // With `cloudflareTaskType: "cf_clearance"`, a Cloudflare challenge.
    tab("TurnstileTask", Ts, Opt, &CM_TURNSTILE_VARIANTS),
    tab("GeeTestTask", Kind::GeeTest, Opt, &CM_GEETEST_VARIANTS),
    tab(
        "GeeTestTaskProxyless",
        Kind::GeeTest,
        Pl,
        &CM_GEETEST_VARIANTS,
    ),
    tab("AmazonTask", Kind::AmazonWaf, Opt, &CM_AMAZON_VARIANTS),
    // `class: "DataDome"`; other classes are not solved.
    tab("CustomTask", Kind::DataDome, Opt, &CM_CUSTOM_VARIANTS),
    // MTCaptcha in capitals here (CM-JS TaskType.ts).
    tab("MTCaptchaTask", Kind::MtCaptcha, Opt, &CM_MT_VARIANTS),
    // `class: "recaptcha"`: a grid.
    tab(
        "ComplexImageTask",
        Kind::Grid,
        Pl,
        &CM_COMPLEX_IMAGE_VARIANTS,
    ),
];

/// What CapMonster's token report takes: every kind answered with a token or cookie.
const CAPMONSTER_TOKEN_KINDS: &[Kind] = &[
    V2,
    V3,
    H,
    Fun,
    Ts,
    Kind::CloudflareChallenge,
    Kind::GeeTest,
    Kind::GeeTestV4,
    Kind::AmazonWaf,
    Kind::DataDome,
    Kind::MtCaptcha,
];

pub(crate) static CAPMONSTER: Profile = Profile {
    name: "capmonster",
    types: CAPMONSTER_TYPES,
    ids: IdFormat::Int,
    not_ready: NotReady::AlternateNotReadyCode,
    success_codes: SuccessCodes::Null,
    create_status: None,
    balance: Money::Number,
    balance_credits: false,
    balance_packages: false,
    ready: FAMILY_READY,
    error_task_id_zero: true,
    failed_status: false,
    codes: Codes {
        bad_key: "ERROR_KEY_DOES_NOT_EXIST",
        malformed: "ERROR_KEY_DOES_NOT_EXIST",
        task_absent: "ERROR_TASK_ABSENT",
        not_supported: "ERROR_TASK_NOT_SUPPORTED",
        // "Task property is empty or not set": the nearest documented catch-all.
        invalid: "ERROR_TASK_ABSENT",
        bad_url: "ERROR_RECAPTCHA_INVALID_DOMAIN",
        bad_sitekey: "ERROR_RECAPTCHA_INVALID_SITEKEY",
        image_empty: "ERROR_ZERO_CAPTCHA_FILESIZE",
        image_too_big: "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        // No format code is listed: an image that cannot be read has no usable bytes.
        image_bad: "ERROR_ZERO_CAPTCHA_FILESIZE",
        proxy_missing: "ERROR_PROXY_MISSING",
        proxy_bad: "ERROR_PROXY_CONNECT_REFUSED",
        zero_balance: "ERROR_ZERO_BALANCE",
        not_found: "ERROR_NO_SUCH_CAPCHA_ID",
        too_many: "ERROR_TOO_MUCH_REQUESTS",
        no_method: "ERROR_NO_SUCH_METHOD",
        report_refused: "ERROR_NO_SUCH_CAPCHA_ID",
        report_duplicate: None,
    },
    error_ids: ErrorIds::One,
    error_http: 200,
    // Seen from createTask: 402 without balance, 403 for a missing or invalid key.
    error_http_by_code: &[
        ("ERROR_ZERO_BALANCE", 402),
        ("ERROR_KEY_DOES_NOT_EXIST", 403),
    ],
    polls: PollRules {
        max_polls: Some(120),
        // ERROR_TOO_MUCH_REQUESTS: "poll no more than once per 2 s".
        min_interval: Some(Duration::from_secs(2)),
        balance_interval: None,
        retention: Retention::AfterCreation(FIVE_MINUTES),
    },
    reports: &[
        report(
            "reportIncorrectImageCaptcha",
            Verdict::Bad,
            &[Img, Kind::Grid],
        ),
        report(
            "reportIncorrectTokenCaptcha",
            Verdict::Bad,
            CAPMONSTER_TOKEN_KINDS,
        ),
        // An alias of the token method.
        report(
            "reportIncorrectRecaptcha",
            Verdict::Bad,
            CAPMONSTER_TOKEN_KINDS,
        ),
    ],
    report_rules: ReportRules {
        window: None,
        complaint_cap: false,
        one_per_task: false,
    },
    image: ImageRules {
        // 50 KB in the current docs, 500,000 B on the old wiki: the stricter, read as bytes.
        max_bytes: 50_000,
        max_side: None,
        data_uri: false,
        line_breaks: false,
        numeric_max: 1,
        sync: false,
        images_array: false,
        threshold: true,
    },
    proxy: ProxyRules {
        types: ALL_PROXY_TYPES,
        ip_only: true,
        string_form: false,
        lenient: false,
    },
    min_score: MinScore {
        required: false,
        values: &[],
    },
    fields: Fields {
        turnstile_action: &["pageAction"],
        turnstile_cdata: &["data"],
        // CM-py sends pageData.
        turnstile_pagedata: &["pageData"],
        hcaptcha_rqdata: &["data"],
        v3_action: &["pageAction"],
        // The docs say capMonsterModule, CM-py and CM-net send CapMonsterModule: both.
        image_module: &["capMonsterModule", "CapMonsterModule"],
        // Listed as a string, shown as an object: both.
        enterprise_payload_string: true,
        subdomain_bare: true,
        funcaptcha_proxy_needs_ua: false,
        api_domain_checked: false,
        image_known: &[
            "body",
            "recognizingThreshold",
            "case",
            "Case",
            "numeric",
            "math",
            "nocache",
        ],
        recaptcha_known: &[
            "websiteKey",
            "recaptchaDataSValue",
            "isInvisible",
            "pageAction",
            "enterprisePayload",
            "apiDomain",
            "minScore",
            "isEnterprise",
            "nocache",
        ],
        hcaptcha_known: &["websiteKey", "isInvisible", "fallbackToActualUA", "nocache"],
        funcaptcha_known: &[
            "websitePublicKey",
            "data",
            "funcaptchaApiJSSubdomain",
            "nocache",
        ],
        turnstile_known: &[
            "websiteKey",
            "cloudflareTaskType",
            "htmlPageBase64",
            "apiJsUrl",
            "nocache",
        ],
    },
    // v2/v3 "sometimes also userAgent and a cookies object"; FunCaptcha token + userAgent.
    solution: SolutionShape {
        recaptcha_user_agent: true,
        recaptcha_cookies: true,
        funcaptcha_user_agent: true,
        image_url: false,
    },
    nocache_suffix: true,
};

// ---------------------------------------------------------------------------------------
// CapSolver
// ---------------------------------------------------------------------------------------

const CAPSOLVER_TYPES: &[TypeName] = &[
    ty("ImageToTextTask", Img, Pl),
    ty("ReCaptchaV2TaskProxyLess", V2, Pl),
    // On the zh, de and ru pages and in the SDK enums, not on the English page: accepted.
    ty("ReCaptchaV2Task", V2, Px),
    ent("ReCaptchaV2EnterpriseTaskProxyLess", V2, Pl),
    ent("ReCaptchaV2EnterpriseTask", V2, Px),
    ty("ReCaptchaV3TaskProxyLess", V3, Pl),
    ty("ReCaptchaV3Task", V3, Px),
    ent("ReCaptchaV3EnterpriseTaskProxyLess", V3, Pl),
    ent("ReCaptchaV3EnterpriseTask", V3, Px),
    // Possibly discontinued (not on the current task list): still accepted.
    ty("HCaptchaTaskProxyLess", H, Pl),
    ty("FunCaptchaTaskProxyLess", Fun, Pl),
    ty("AntiTurnstileTaskProxyLess", Ts, Pl),
    // cf_clearance, with a proxy only.
    tab(
        "AntiCloudflareTask",
        Kind::CloudflareChallenge,
        Px,
        &CS_CLOUDFLARE_VARIANTS,
    ),
    // GeeTest v3, and v4 with `captchaId`.
    tab(
        "GeeTestTaskProxyLess",
        Kind::GeeTest,
        Pl,
        &CS_GEETEST_VARIANTS,
    ),
    tab("GeeTestTask", Kind::GeeTest, Px, &CS_GEETEST_VARIANTS),
    tab(
        "DataDomeSliderTask",
        Kind::DataDome,
        Px,
        &CS_DATADOME_VARIANTS,
    ),
    tab(
        "MtCaptchaTaskProxyLess",
        Kind::MtCaptcha,
        Pl,
        &CS_MT_VARIANTS,
    ),
    tab("MtCaptchaTask", Kind::MtCaptcha, Px, &CS_MT_VARIANTS),
    // A grid tile question, answered in the createTask reply.
    tab(
        "ReCaptchaV2Classification",
        Kind::Grid,
        Pl,
        &CS_GRID_VARIANTS,
    ),
];

pub(crate) static CAPSOLVER: Profile = Profile {
    name: "capsolver",
    types: CAPSOLVER_TYPES,
    ids: IdFormat::Uuid,
    not_ready: NotReady::IdleThenProcessing,
    success_codes: SuccessCodes::Empty,
    // Since 2025 createTask answers status "idle".
    create_status: Some("idle"),
    balance: Money::Number,
    balance_credits: false,
    balance_packages: true,
    ready: ReadyExtras {
        cost: None,
        solve_count_text: false,
        task_id: true,
    },
    error_task_id_zero: false,
    failed_status: true,
    codes: Codes {
        bad_key: "ERROR_KEY_DENIED_ACCESS",
        malformed: "ERROR_BAD_REQUEST",
        task_absent: "ERROR_INVALID_TASK_DATA",
        not_supported: "ERROR_TASK_NOT_SUPPORTED",
        invalid: "ERROR_INVALID_TASK_DATA",
        bad_url: "ERROR_INVALID_TASK_DATA",
        bad_sitekey: "ERROR_INVALID_TASK_DATA",
        image_empty: "ERROR_INVALID_IMAGE",
        image_too_big: "ERROR_INVALID_IMAGE",
        image_bad: "ERROR_INVALID_IMAGE",
        proxy_missing: "ERROR_INVALID_TASK_DATA",
        proxy_bad: "ERROR_INVALID_TASK_DATA",
        zero_balance: "ERROR_ZERO_BALANCE",
        not_found: "ERROR_TASKID_INVALID",
        too_many: "ERROR_RATE_LIMIT",
        no_method: "ERROR_BAD_REQUEST",
        report_refused: "ERROR_TASKID_INVALID",
        report_duplicate: None,
    },
    error_ids: ErrorIds::One,
    // Documented: 200 with errorId 0, 400 with errorId 1, 401 for a bad key.
    error_http: 400,
    error_http_by_code: &[("ERROR_KEY_DENIED_ACCESS", 401)],
    polls: PollRules {
        max_polls: Some(120),
        min_interval: None,
        balance_interval: None,
        retention: Retention::AfterCreation(FIVE_MINUTES),
    },
    reports: &[report("feedbackTask", Verdict::FromInvalidFlag, &[])],
    report_rules: ReportRules {
        window: None,
        complaint_cap: false,
        one_per_task: false,
    },
    image: ImageRules {
        // No limit documented: the service-wide 600 kB of the form protocol's documentation.
        max_bytes: 600_000,
        max_side: None,
        data_uri: false,
        line_breaks: false,
        numeric_max: 4,
        sync: true,
        images_array: true,
        threshold: false,
    },
    // Split fields or one `proxy` string; the proxy page also lists SOCKS4.
    proxy: ProxyRules {
        types: ALL_PROXY_TYPES,
        ip_only: false,
        string_form: true,
        lenient: false,
    },
    min_score: MinScore {
        required: false,
        values: &[],
    },
    fields: Fields {
        // One revision spells it `acton`: both.
        turnstile_action: &["metadata.action", "metadata.acton"],
        turnstile_cdata: &["metadata.cdata"],
        turnstile_pagedata: &[],
        hcaptcha_rqdata: &["enterprisePayload.rqdata"],
        v3_action: &["pageAction"],
        image_module: &["module"],
        enterprise_payload_string: false,
        subdomain_bare: false,
        funcaptcha_proxy_needs_ua: false,
        api_domain_checked: false,
        image_known: &["body", "websiteURL", "images", "score", "case"],
        recaptcha_known: &[
            "websiteKey",
            "pageAction",
            "recaptchaDataSValue",
            "enterprisePayload",
            "isInvisible",
            "isSession",
            "apiDomain",
            "minScore",
            "anchor",
            "reload",
        ],
        hcaptcha_known: &["websiteKey", "isInvisible", "enterprisePayload"],
        funcaptcha_known: &["websitePublicKey", "funcaptchaApiJSSubdomain", "data"],
        turnstile_known: &["websiteKey", "metadata"],
    },
    solution: SolutionShape {
        recaptcha_user_agent: true,
        recaptcha_cookies: false,
        funcaptcha_user_agent: false,
        image_url: false,
    },
    nocache_suffix: false,
};

// ---------------------------------------------------------------------------------------
// NextCaptcha
// ---------------------------------------------------------------------------------------

const NEXTCAPTCHA_TYPES: &[TypeName] = &[
    ty("RecaptchaV2TaskProxyless", V2, Pl),
    // NextCaptcha's migration guide: RecaptchaV2Task is the proxy variant.
    ty("RecaptchaV2Task", V2, Px),
    ent("RecaptchaV2EnterpriseTaskProxyless", V2, Pl),
    ent("RecaptchaV2EnterpriseTask", V2, Px),
    ent("RecaptchaV2HSEnterpriseTaskProxyless", V2, Pl),
    ty("RecaptchaV3TaskProxyless", V3, Pl),
    ty("RecaptchaV3Task", V3, Px),
    ty("RecaptchaV3HSTaskProxyless", V3, Pl),
    ty("HCaptchaTaskProxyless", H, Pl),
    ty("HCaptchaTask", H, Px),
    ent("HCaptchaEnterpriseTask", H, Px),
    ty("FunCaptchaTaskProxyless", Fun, Pl),
    ty("FunCaptchaTask", Fun, Px),
    ty("TurnstileTaskProxyless", Ts, Pl),
    ty("TurnstileTask", Ts, Px),
    // The NextCaptcha to CaptchaAI guide maps NextCaptcha's ImageToTextTask (`body`) to
    // `method=base64` (issue 19; docs/kinds-choices.md 9).
    ty("ImageToTextTask", Img, Pl),
];

pub(crate) static NEXTCAPTCHA: Profile = Profile {
    name: "nextcaptcha",
    types: NEXTCAPTCHA_TYPES,
    ids: IdFormat::Int,
    not_ready: NotReady::Processing,
    success_codes: SuccessCodes::Absent,
    create_status: None,
    // NC-go asserts a string, NC-ts a number: a string, the harder case.
    balance: Money::Text(6),
    balance_credits: false,
    balance_packages: false,
    ready: FAMILY_READY,
    error_task_id_zero: false,
    failed_status: false,
    // Only ERROR_CAPTCHA_UNSOLVABLE (errorId 12) is documented: the family's codes.
    codes: Codes {
        bad_key: "ERROR_KEY_DOES_NOT_EXIST",
        malformed: "ERROR_KEY_DOES_NOT_EXIST",
        task_absent: "ERROR_TASK_ABSENT",
        not_supported: "ERROR_TASK_NOT_SUPPORTED",
        invalid: "ERROR_TASK_ABSENT",
        bad_url: "ERROR_RECAPTCHA_INVALID_DOMAIN",
        bad_sitekey: "ERROR_RECAPTCHA_INVALID_SITEKEY",
        image_empty: "ERROR_ZERO_CAPTCHA_FILESIZE",
        image_too_big: "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        image_bad: "ERROR_IMAGE_TYPE_NOT_SUPPORTED",
        proxy_missing: "ERROR_TASK_ABSENT",
        proxy_bad: "ERROR_PROXY_CONNECT_REFUSED",
        zero_balance: "ERROR_ZERO_BALANCE",
        not_found: "ERROR_NO_SUCH_CAPCHA_ID",
        too_many: "ERROR_TOO_MUCH_REQUESTS",
        no_method: "ERROR_NO_SUCH_METHOD",
        report_refused: "ERROR_NO_SUCH_CAPCHA_ID",
        report_duplicate: None,
    },
    error_ids: ErrorIds::Table(FAMILY_IDS),
    error_http: 200,
    error_http_by_code: &[],
    polls: PollRules {
        max_polls: None,
        min_interval: None,
        balance_interval: None,
        retention: Retention::AfterCreation(FIVE_MINUTES),
    },
    // No report method was found.
    reports: &[],
    report_rules: ReportRules {
        window: None,
        complaint_cap: false,
        one_per_task: false,
    },
    // No limits documented: the form protocol's (600 kB, 1000 px) of the service the guide
    // maps the task to; clean base64 only.
    image: ImageRules {
        max_bytes: 600_000,
        max_side: Some(1000),
        data_uri: false,
        line_breaks: false,
        numeric_max: 4,
        sync: false,
        images_array: false,
        threshold: false,
    },
    proxy: ProxyRules {
        types: ALL_PROXY_TYPES,
        ip_only: false,
        string_form: false,
        lenient: false,
    },
    min_score: MinScore {
        required: false,
        values: &[],
    },
    fields: Fields {
        turnstile_action: &["pageAction"],
        turnstile_cdata: &["data"],
        turnstile_pagedata: &["pagedata"],
        hcaptcha_rqdata: &["enterprisePayload.rqdata"],
        v3_action: &["pageAction"],
        image_module: &[],
        enterprise_payload_string: false,
        subdomain_bare: false,
        funcaptcha_proxy_needs_ua: false,
        api_domain_checked: false,
        // Only `body` is documented (the guide).
        image_known: &["body"],
        recaptcha_known: &[
            "websiteKey",
            "recaptchaDataSValue",
            "isInvisible",
            "apiDomain",
            "pageAction",
            "websiteInfo",
            "enterprisePayload",
            "minScore",
        ],
        hcaptcha_known: &["websiteKey", "isInvisible", "enterprisePayload"],
        funcaptcha_known: &["websitePublicKey", "funcaptchaApiJSSubdomain", "data"],
        turnstile_known: &["websiteKey", "htmlPageBase64"],
    },
    solution: NO_SOLUTION_EXTRAS,
    nocache_suffix: false,
};

// ---------------------------------------------------------------------------------------
// 2captcha API v2
// ---------------------------------------------------------------------------------------

const TWOCAPTCHA_V2_TYPES: &[TypeName] = &[
    ty("ImageToTextTask", Img, Pl),
    ty("RecaptchaV2TaskProxyless", V2, Pl),
    // Not confirmed from official pages: the family's `...Proxyless` spelling.
    ty("RecaptchaV2Task", V2, Px),
    ent("RecaptchaV2EnterpriseTaskProxyless", V2, Pl),
    ent("RecaptchaV2EnterpriseTask", V2, Px),
    ty("RecaptchaV3TaskProxyless", V3, Pl),
    // No hCaptcha: withdrawn from 2captcha's documentation (docs/kinds-choices.md 12).
    ty("FunCaptchaTaskProxyless", Fun, Pl),
    ty("FunCaptchaTask", Fun, Px),
    ty("TurnstileTaskProxyless", Ts, Pl),
    ty("TurnstileTask", Ts, Px),
    // GeeTest v3, and v4 with `version: 4` and `initParameters`.
    tab(
        "GeeTestTaskProxyless",
        Kind::GeeTest,
        Pl,
        &TC_GEETEST_VARIANTS,
    ),
    tab("GeeTestTask", Kind::GeeTest, Px, &TC_GEETEST_VARIANTS),
    tab(
        "AmazonTaskProxyless",
        Kind::AmazonWaf,
        Pl,
        &TC_AMAZON_VARIANTS,
    ),
    tab("AmazonTask", Kind::AmazonWaf, Px, &TC_AMAZON_VARIANTS),
    tab(
        "DataDomeSliderTask",
        Kind::DataDome,
        Px,
        &TC_DATADOME_VARIANTS,
    ),
    tab(
        "MtCaptchaTaskProxyless",
        Kind::MtCaptcha,
        Pl,
        &TC_MT_VARIANTS,
    ),
    tab("MtCaptchaTask", Kind::MtCaptcha, Px, &TC_MT_VARIANTS),
    tab("LeminTaskProxyless", Kind::Lemin, Pl, &TC_LEMIN_VARIANTS),
    tab("LeminTask", Kind::Lemin, Px, &TC_LEMIN_VARIANTS),
    tab(
        "FriendlyCaptchaTaskProxyless",
        Kind::FriendlyCaptcha,
        Pl,
        &TC_FRIENDLY_VARIANTS,
    ),
    tab(
        "FriendlyCaptchaTask",
        Kind::FriendlyCaptcha,
        Px,
        &TC_FRIENDLY_VARIANTS,
    ),
    tab(
        "CoordinatesTask",
        Kind::Coordinates,
        Pl,
        &TC_COORDINATES_VARIANTS,
    ),
    tab("GridTask", Kind::Grid, Pl, &TC_GRID_VARIANTS),
    tab("TextCaptchaTask", Kind::TextCaptcha, Pl, &TC_TEXT_VARIANTS),
    tab("AudioTask", Kind::Audio, Pl, &TC_AUDIO_VARIANTS),
    tab("RotateTask", Kind::Rotate, Pl, &TC_ROTATE_VARIANTS),
];

pub(crate) static TWOCAPTCHA_V2: Profile = Profile {
    name: "2captcha-v2",
    types: TWOCAPTCHA_V2_TYPES,
    ids: IdFormat::Int,
    not_ready: NotReady::Processing,
    success_codes: SuccessCodes::Absent,
    create_status: None,
    // getBalance is unconfirmed: a number.
    balance: Money::Number,
    balance_credits: false,
    balance_packages: false,
    // cost is a String ("0.00299"), solveCount an Integer.
    ready: ReadyExtras {
        cost: Some(Money::Text(5)),
        solve_count_text: false,
        task_id: false,
    },
    error_task_id_zero: false,
    failed_status: false,
    // The error page's excerpt stops after id 31: codes beyond it (BAD_PARAMETERS,
    // BAD_PROXY, REPORT_NOT_RECORDED, DUPLICATE_REPORT) are the form protocol's, which the
    // same service speaks.
    codes: Codes {
        bad_key: "ERROR_KEY_DOES_NOT_EXIST",
        malformed: "ERROR_KEY_DOES_NOT_EXIST",
        task_absent: "ERROR_TASK_ABSENT",
        not_supported: "ERROR_TASK_NOT_SUPPORTED",
        invalid: "ERROR_BAD_PARAMETERS",
        bad_url: "ERROR_BAD_PARAMETERS",
        bad_sitekey: "ERROR_RECAPTCHA_INVALID_SITEKEY",
        image_empty: "ERROR_ZERO_CAPTCHA_FILESIZE",
        image_too_big: "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        image_bad: "ERROR_IMAGE_TYPE_NOT_SUPPORTED",
        proxy_missing: "ERROR_BAD_PARAMETERS",
        proxy_bad: "ERROR_BAD_PROXY",
        zero_balance: "ERROR_ZERO_BALANCE",
        not_found: "ERROR_NO_SUCH_CAPCHA_ID",
        too_many: "ERROR_TOO_MUCH_REQUESTS",
        no_method: "ERROR_NO_SUCH_METHOD",
        report_refused: "ERROR_REPORT_NOT_RECORDED",
        report_duplicate: Some("ERROR_DUPLICATE_REPORT"),
    },
    error_ids: ErrorIds::Table(FAMILY_IDS),
    error_http: 200,
    error_http_by_code: &[],
    polls: PollRules {
        max_polls: None,
        min_interval: None,
        balance_interval: None,
        retention: Retention::AfterCreation(FIVE_MINUTES),
    },
    reports: &[
        report("reportCorrect", Verdict::Good, &[]),
        report("reportIncorrect", Verdict::Bad, &[]),
    ],
    // ERROR_REPORT_NOT_RECORDED past 40% of complaints.
    report_rules: ReportRules {
        window: None,
        complaint_cap: true,
        one_per_task: true,
    },
    image: ImageRules {
        // 100 kB, 1000 px (600 px on the Russian page: the stricter).
        max_bytes: 100_000,
        max_side: Some(600),
        // "a data-URI prefix is allowed"
        data_uri: true,
        line_breaks: false,
        numeric_max: 4,
        sync: false,
        images_array: false,
        threshold: false,
    },
    proxy: ProxyRules {
        types: ALL_PROXY_TYPES,
        ip_only: false,
        string_form: false,
        lenient: false,
    },
    min_score: MinScore {
        required: true,
        values: &[0.3, 0.7, 0.9],
    },
    fields: Fields {
        turnstile_action: &["action"],
        turnstile_cdata: &["data"],
        turnstile_pagedata: &["pagedata"],
        hcaptcha_rqdata: &["enterprisePayload.rqdata"],
        v3_action: &["pageAction"],
        image_module: &[],
        enterprise_payload_string: false,
        subdomain_bare: false,
        funcaptcha_proxy_needs_ua: false,
        api_domain_checked: false,
        image_known: &[
            "body",
            "phrase",
            "case",
            "numeric",
            "math",
            "minLength",
            "maxLength",
            "comment",
            "imgInstructions",
        ],
        recaptcha_known: &[
            "websiteKey",
            "recaptchaDataSValue",
            "isInvisible",
            "enterprisePayload",
            "minScore",
            "pageAction",
            "isEnterprise",
            "apiDomain",
        ],
        hcaptcha_known: &["websiteKey", "isInvisible", "enterprisePayload"],
        funcaptcha_known: &["websitePublicKey", "funcaptchaApiJSSubdomain", "data"],
        turnstile_known: &["websiteKey"],
    },
    solution: NO_SOLUTION_EXTRAS,
    nocache_suffix: false,
};

// ---------------------------------------------------------------------------------------
// generic: the root paths, tolerant
// ---------------------------------------------------------------------------------------

/// Served at the root (`/createTask`): every type name and field spelling any profile
/// accepts, either id form in polls, the family's codes and shapes, no polling limits.
pub(crate) static GENERIC: Profile = Profile {
    name: "generic",
    types: &[],
    ids: IdFormat::Int,
    not_ready: NotReady::Processing,
    success_codes: SuccessCodes::Absent,
    create_status: None,
    balance: Money::Number,
    balance_credits: false,
    balance_packages: false,
    ready: ReadyExtras {
        cost: Some(Money::Number),
        solve_count_text: false,
        task_id: false,
    },
    error_task_id_zero: false,
    failed_status: false,
    codes: Codes {
        bad_key: "ERROR_KEY_DOES_NOT_EXIST",
        malformed: "ERROR_KEY_DOES_NOT_EXIST",
        task_absent: "ERROR_TASK_ABSENT",
        not_supported: "ERROR_TASK_NOT_SUPPORTED",
        invalid: "ERROR_BAD_PARAMETERS",
        bad_url: "ERROR_RECAPTCHA_INVALID_DOMAIN",
        bad_sitekey: "ERROR_RECAPTCHA_INVALID_SITEKEY",
        image_empty: "ERROR_ZERO_CAPTCHA_FILESIZE",
        image_too_big: "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        image_bad: "ERROR_IMAGE_TYPE_NOT_SUPPORTED",
        proxy_missing: "ERROR_BAD_PARAMETERS",
        proxy_bad: "ERROR_PROXY_CONNECT_REFUSED",
        zero_balance: "ERROR_ZERO_BALANCE",
        not_found: "ERROR_NO_SUCH_CAPCHA_ID",
        too_many: "ERROR_TOO_MUCH_REQUESTS",
        no_method: "ERROR_NO_SUCH_METHOD",
        report_refused: "ERROR_NO_SUCH_CAPCHA_ID",
        report_duplicate: None,
    },
    error_ids: ErrorIds::Table(FAMILY_IDS),
    error_http: 200,
    error_http_by_code: &[],
    polls: PollRules {
        max_polls: None,
        min_interval: None,
        balance_interval: None,
        retention: Retention::AfterCreation(FIVE_MINUTES),
    },
    reports: &[
        report("reportIncorrectImageCaptcha", Verdict::Bad, &[]),
        report("reportIncorrectRecaptcha", Verdict::Bad, &[]),
        report("reportCorrectRecaptcha", Verdict::Good, &[]),
        report("reportIncorrectHcaptcha", Verdict::Bad, &[]),
        report("reportIncorrectTokenCaptcha", Verdict::Bad, &[]),
        report("reportCorrect", Verdict::Good, &[]),
        report("reportIncorrect", Verdict::Bad, &[]),
        report("feedbackTask", Verdict::FromInvalidFlag, &[]),
    ],
    report_rules: ReportRules {
        window: None,
        complaint_cap: false,
        one_per_task: false,
    },
    image: ImageRules {
        max_bytes: 600_000,
        max_side: None,
        data_uri: true,
        line_breaks: true,
        numeric_max: 4,
        sync: false,
        images_array: true,
        threshold: true,
    },
    proxy: ProxyRules {
        types: ALL_PROXY_TYPES,
        ip_only: false,
        string_form: true,
        lenient: true,
    },
    min_score: MinScore {
        required: false,
        values: &[],
    },
    fields: Fields {
        turnstile_action: &["action", "pageAction", "metadata.action", "metadata.acton"],
        turnstile_cdata: &["cData", "turnstileCData", "data", "metadata.cdata"],
        turnstile_pagedata: &["chlPageData", "pagedata", "pageData"],
        hcaptcha_rqdata: &["enterprisePayload.rqdata", "data"],
        v3_action: &["pageAction"],
        image_module: &["capMonsterModule", "CapMonsterModule", "module"],
        enterprise_payload_string: true,
        subdomain_bare: false,
        funcaptcha_proxy_needs_ua: false,
        api_domain_checked: false,
        image_known: &[
            "body",
            "phrase",
            "case",
            "Case",
            "numeric",
            "math",
            "minLength",
            "maxLength",
            "comment",
            "websiteURL",
            "languagePool",
            "imgInstructions",
            "recognizingThreshold",
            "images",
            "score",
            "nocache",
        ],
        recaptcha_known: &[
            "websiteKey",
            "recaptchaDataSValue",
            "websiteSToken",
            "isInvisible",
            "enterprisePayload",
            "apiDomain",
            "minScore",
            "pageAction",
            "isEnterprise",
            "isSession",
            "anchor",
            "reload",
            "websiteInfo",
            "nocache",
        ],
        hcaptcha_known: &[
            "websiteKey",
            "isInvisible",
            "enterprisePayload",
            "isEnterprise",
            "fallbackToActualUA",
            "nocache",
        ],
        funcaptcha_known: &[
            "websitePublicKey",
            "funcaptchaApiJSSubdomain",
            "data",
            "nocache",
        ],
        turnstile_known: &[
            "websiteKey",
            "metadata",
            "cloudflareTaskType",
            "htmlPageBase64",
            "apiJsUrl",
            "nocache",
        ],
    },
    solution: NO_SOLUTION_EXTRAS,
    nocache_suffix: true,
};

/// The strict profiles, each served under `/<name>/`.
pub(crate) static STRICT: [&Profile; 5] = [
    &ANTI_CAPTCHA,
    &CAPMONSTER,
    &CAPSOLVER,
    &NEXTCAPTCHA,
    &TWOCAPTCHA_V2,
];

/// The names of the json profiles served under their own prefix.
pub const JSON_PROFILES: [&str; 5] = [
    "anti-captcha",
    "capmonster",
    "capsolver",
    "nextcaptcha",
    "2captcha-v2",
];

/// The form-protocol presets served under their own prefix (identical to the root).
pub const FORM_PREFIXES: [&str; 4] = ["bigcaptcha", "captchaai", "2captcha", "rucaptcha"];

/// The methods every profile serves.
pub(crate) const CORE_METHODS: [&str; 3] = ["createTask", "getTaskResult", "getBalance"];

impl Profile {
    /// A strict profile by its path name.
    pub(crate) fn by_name(name: &str) -> Option<&'static Profile> {
        if name == GENERIC.name {
            return Some(&GENERIC);
        }
        STRICT.iter().copied().find(|p| p.name == name)
    }

    /// The accepted type name, with the proxy use this profile gives it.
    pub(crate) fn type_name(&self, name: &str) -> Option<TypeName> {
        if !self.types.is_empty() {
            return self.types.iter().copied().find(|t| t.name == name);
        }
        // generic: any profile's name; proxies optional except on ...Proxyless names.
        let found = STRICT
            .iter()
            .flat_map(|p| p.types.iter())
            .copied()
            .find(|t| t.name == name)?;
        let proxyless = name.to_ascii_lowercase().ends_with("proxyless");
        Some(TypeName {
            proxy: if proxyless { Pl } else { Opt },
            ..found
        })
    }

    /// The readings of a type name: this profile's; at the root every provider's that has
    /// the name (with the root's proxy rule), in the order of [`STRICT`].
    pub(crate) fn candidates(&self, name: &str) -> Vec<TypeName> {
        if !self.types.is_empty() {
            return self.type_name(name).into_iter().collect();
        }
        let proxyless = name.to_ascii_lowercase().ends_with("proxyless");
        STRICT
            .iter()
            .flat_map(|p| p.types.iter())
            .filter(|t| t.name == name)
            .map(|t| TypeName {
                proxy: if proxyless { Pl } else { Opt },
                ..*t
            })
            .collect()
    }

    /// Every name this profile accepts (generic: the union, once each).
    pub(crate) fn all_type_names(&self) -> Vec<TypeName> {
        if !self.types.is_empty() {
            return self.types.to_vec();
        }
        let mut out: Vec<TypeName> = Vec::new();
        for t in STRICT.iter().flat_map(|p| p.types.iter()) {
            if !out.iter().any(|o| o.name == t.name)
                && let Some(g) = self.type_name(t.name)
            {
                out.push(g);
            }
        }
        out
    }

    /// The report method of that name.
    pub(crate) fn report_method(&self, name: &str) -> Option<ReportMethod> {
        self.reports.iter().copied().find(|r| r.name == name)
    }

    /// `errorId` for a code.
    pub(crate) fn error_id(&self, code: &str) -> u32 {
        match self.error_ids {
            ErrorIds::One => 1,
            ErrorIds::Table(t) => t.iter().find(|(c, _)| *c == code).map_or(1, |(_, id)| *id),
        }
    }

    /// The HTTP status of an error reply with this code.
    pub(crate) fn error_status(&self, code: &str) -> u16 {
        self.error_http_by_code
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(self.error_http, |(_, s)| *s)
    }

    /// Whether a method name is one this profile serves.
    pub(crate) fn serves(&self, method: &str) -> bool {
        CORE_METHODS.contains(&method) || self.report_method(method).is_some()
    }
}

/// The kinds a profile offers, in the order of [`Kind::ALL`] (a type name with variants offers
/// each variant's kind).
fn kinds_of(p: &Profile) -> Vec<&'static str> {
    let names = p.all_type_names();
    Kind::ALL
        .iter()
        .filter(|k| {
            names.iter().any(|t| {
                (t.kind == **k && (t.kind.is_original() || t.variants.is_empty()))
                    || t.variants.iter().any(|v| v.spec.kind == **k)
            })
        })
        .map(|k| k.name())
        .collect()
}

/// The profiles as JSON, for `GET /emulator/profiles`.
pub(crate) fn summary() -> serde_json::Value {
    use serde_json::json;
    let describe = |p: &Profile, base: String| {
        let types: Vec<serde_json::Value> = p
            .all_type_names()
            .iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "kind": t.kind.name(),
                    "proxy": match t.proxy {
                        ProxyUse::None => "none",
                        ProxyUse::Required => "required",
                        ProxyUse::Optional => "optional",
                    },
                    "enterprise": t.enterprise,
                })
            })
            .collect();
        json!({
            "name": p.name,
            "base_path": base,
            "ids": match p.ids { IdFormat::Int => "integer", IdFormat::Uuid => "uuid" },
            "not_ready": match p.not_ready {
                NotReady::Processing => "processing",
                NotReady::IdleThenProcessing => "idle, then processing",
                NotReady::AlternateNotReadyCode => "processing / errorCode CAPTCHA_NOT_READY, alternating",
            },
            "image_in_create_reply": p.image.sync,
            "error_http": p.error_http,
            "error_http_by_code": p.error_http_by_code.iter().map(|(c, s)| json!([c, s])).collect::<Vec<_>>(),
            "bad_key": p.codes.bad_key,
            "not_found": p.codes.not_found,
            "reports": p.reports.iter().map(|r| r.name).collect::<Vec<_>>(),
            "max_polls_per_task": p.polls.max_polls,
            "min_poll_interval_ms": p.polls.min_interval.map(|d| d.as_millis() as u64),
            "min_balance_interval_ms": p.polls.balance_interval.map(|d| d.as_millis() as u64),
            "types": types,
            "kinds": kinds_of(p),
        })
    };
    let mut json_profiles = vec![describe(&GENERIC, "/".to_owned())];
    json_profiles.extend(STRICT.iter().map(|p| describe(p, format!("/{}/", p.name))));
    let dialects: Vec<serde_json::Value> = std::iter::once(&crate::protocol::dialect::ROOT)
        .chain(crate::protocol::dialect::FORM_DIALECTS.iter().copied())
        .map(|d| {
            json!({
                "base_path": if d.name.is_empty() { "/".to_owned() } else { format!("/{}/", d.name) },
                "kinds": d.kinds.iter().map(|k| k.name()).collect::<Vec<_>>(),
                "answers_objects_as_text": d.objects_as_text,
            })
        })
        .collect();
    json!({
        "json": json_profiles,
        "form": std::iter::once("/".to_owned())
            .chain(FORM_PREFIXES.iter().map(|p| format!("/{p}/")))
            .collect::<Vec<_>>(),
        "form_dialects": dialects,
    })
}

/// Whether a root path segment is a json method of the generic profile.
pub(crate) fn is_root_method(method: &str) -> bool {
    GENERIC.serves(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_strict_type_is_accepted_at_the_root_and_names_are_unique_per_profile() {
        for p in STRICT {
            for (i, t) in p.types.iter().enumerate() {
                assert!(GENERIC.type_name(t.name).is_some(), "{}", t.name);
                assert!(
                    p.types[..i].iter().all(|o| o.name != t.name),
                    "{} twice in {}",
                    t.name,
                    p.name
                );
            }
        }
        assert!(GENERIC.type_name("ReCaptchaV2TaskProxyLess").unwrap().proxy == ProxyUse::None);
        assert!(GENERIC.type_name("RecaptchaV2Task").unwrap().proxy == ProxyUse::Optional);
        assert!(GENERIC.type_name("NoSuchTask").is_none());
    }

    #[test]
    fn profile_names_match_the_public_lists() {
        let names: Vec<&str> = STRICT.iter().map(|p| p.name).collect();
        assert_eq!(names, JSON_PROFILES);
        for p in STRICT {
            assert!(Profile::by_name(p.name).is_some());
        }
        assert!(Profile::by_name("bigcaptcha").is_none());
    }
}
