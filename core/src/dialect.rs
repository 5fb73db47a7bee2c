//! Which provider's spelling a request takes, within its protocol family. Providers hold a
//! dialect; the catalogue of kinds (`task::kinds`) lists each kind's wire spelling per dialect;
//! the codecs look one up by the other. Kept apart from both so that neither imports the
//! other for it.

/// The form protocol's providers, as far as their spellings and offers differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FormDialect {
    /// 2captcha and rucaptcha: every method of 2captcha's own libraries.
    TwoCaptcha,
    /// CaptchaAI: the methods its examples show.
    CaptchaAi,
    /// BigCaptcha: the methods its API document lists.
    BigCaptcha,
    /// A custom form service: every method the family knows, as 2captcha spells it.
    Generic,
}

/// Which json-family service a provider is: type names, field spellings, id formats and
/// reply quirks differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonDialect {
    /// A custom json service: the most common spellings, tolerant replies.
    Generic,
    /// anti-captcha.com
    AntiCaptcha,
    /// CapMonster Cloud
    CapMonster,
    /// CapSolver
    CapSolver,
    /// NextCaptcha
    NextCaptcha,
    /// 2captcha's API v2
    TwoCaptchaV2,
}

/// The fields a client writes into requests itself, in both families' spellings, with where
/// a caller sets each instead: a task's `extra`, a `Raw` request or its file parts holding one
/// would send it twice, or put a request's own field inside a task object, so validation
/// refuses them, naming where instead (`option NAME`, which every binding spells its own
/// way). The form encoder writes exactly the form names (a test holds it to that).
pub(crate) const CLIENT_FIELDS: &[(&str, &str)] = &[
    ("key", "option api_key"),
    ("soft_id", "option soft_id"),
    ("json", "option json_replies"),
    ("header_acao", "option header_acao"),
    ("debug_dump", "option debug_dump"),
    ("pingback", "the task's pingback field"),
    ("clientKey", "option api_key"),
    ("softId", "option soft_id"),
    ("callbackUrl", "the task's pingback field"),
];

/// Where a caller sets the field `name` that the client writes itself, or `None` when the
/// name is the caller's to use.
pub(crate) fn client_field(name: &str) -> Option<&'static str> {
    CLIENT_FIELDS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, instead)| *instead)
}
