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
