//! The form protocol's dialects: which kinds each provider's `in.php` offers, and how it
//! spells and answers them. One table per path prefix; the code that serves requests reads
//! these tables and holds no provider names of its own.
//!
//! Facts come from `PROVIDERS-KINDS.md`; where it leaves them open, from
//! `docs/kinds-choices.md` (the project's choices), noted next to the field that makes them.

use crate::kind::Kind;

/// One provider's dialect of the form protocol.
#[derive(Debug)]
pub(crate) struct FormDialect {
    /// The path prefix (`""` for the root).
    pub(crate) name: &'static str,
    /// The kinds it offers; any other is refused with `ERROR_BAD_PARAMETERS`.
    pub(crate) kinds: &'static [Kind],
    /// GeeTest (v3, v4) and Amazon answers go in `request` of a `json=1` reply as a JSON
    /// *string* rather than an object (CaptchaAI's examples parse a string).
    pub(crate) objects_as_text: bool,
    /// `method=geetest&version=4` with `gt` = the captcha id is GeeTest v4 (CaptchaAI).
    pub(crate) geetest_version_param: bool,
    /// `method=geetest_v4` with `captcha_id` is GeeTest v4 (2captcha).
    pub(crate) geetest_v4_method: bool,
    /// Turnstile takes `action` only: `data` (cData) and `pagedata` (chlPageData) are
    /// refused (CaptchaAI documents `action` alone).
    pub(crate) turnstile_action_only: bool,
    /// A grid task needs `textinstructions` (CaptchaAI's example); elsewhere
    /// `imginstructions` may stand in for it.
    pub(crate) grid_needs_text: bool,
}

use Kind::*;

/// 2captcha's kinds (rucaptcha is the same API): hCaptcha is withdrawn from its
/// documentation, and it has no cf_clearance method (challenge pages go through Turnstile).
const TWOCAPTCHA_KINDS: &[Kind] = &[
    ImageToText,
    RecaptchaV2,
    RecaptchaV3,
    FunCaptcha,
    Turnstile,
    GeeTest,
    GeeTestV4,
    AmazonWaf,
    DataDome,
    MtCaptcha,
    FriendlyCaptcha,
    Coordinates,
    Grid,
    TextCaptcha,
    Audio,
    Rotate,
    Lemin,
    VkImage,
];

/// The root: the API documentation's six kinds, everything 2captcha offers, and CaptchaAI's
/// cf_clearance method and `version=4` GeeTest, so that any form client finds its methods.
pub(crate) static ROOT: FormDialect = FormDialect {
    name: "",
    kinds: &Kind::ALL,
    objects_as_text: false,
    geetest_version_param: true,
    geetest_v4_method: true,
    turnstile_action_only: false,
    grid_needs_text: false,
};

pub(crate) static TWOCAPTCHA: FormDialect = FormDialect {
    name: "2captcha",
    kinds: TWOCAPTCHA_KINDS,
    objects_as_text: false,
    geetest_version_param: false,
    geetest_v4_method: true,
    turnstile_action_only: false,
    grid_needs_text: false,
};

pub(crate) static RUCAPTCHA: FormDialect = FormDialect {
    name: "rucaptcha",
    ..TWOCAPTCHA
};

/// CaptchaAI: what its examples repository shows (`userrecaptcha`, `hcaptcha`,
/// `funcaptcha`, `turnstile` with `action`, `cloudflare_challenge`, `geetest` v3 and v4 by
/// `version=4`, images and grids by `recaptcha=1`).
pub(crate) static CAPTCHAAI: FormDialect = FormDialect {
    name: "captchaai",
    kinds: &[
        ImageToText,
        RecaptchaV2,
        RecaptchaV3,
        HCaptcha,
        FunCaptcha,
        Turnstile,
        CloudflareChallenge,
        GeeTest,
        GeeTestV4,
        Grid,
    ],
    objects_as_text: true,
    geetest_version_param: true,
    geetest_v4_method: false,
    turnstile_action_only: true,
    grid_needs_text: true,
};

/// BigCaptcha: its API document lists the six original kinds only ("the same flow as
/// 2captcha" is not a list of methods).
pub(crate) static BIGCAPTCHA: FormDialect = FormDialect {
    name: "bigcaptcha",
    kinds: &[
        ImageToText,
        RecaptchaV2,
        RecaptchaV3,
        HCaptcha,
        FunCaptcha,
        Turnstile,
    ],
    objects_as_text: false,
    geetest_version_param: false,
    geetest_v4_method: false,
    turnstile_action_only: false,
    grid_needs_text: false,
};

/// The dialects served under their own prefix.
pub(crate) static FORM_DIALECTS: [&FormDialect; 4] =
    [&BIGCAPTCHA, &CAPTCHAAI, &TWOCAPTCHA, &RUCAPTCHA];

impl FormDialect {
    /// The dialect of a path prefix; the root's for the root and any prefix that is not a
    /// provider's (`/anything/in.php` keeps working as before).
    pub(crate) fn for_prefix(prefix: &str) -> &'static FormDialect {
        FORM_DIALECTS
            .iter()
            .copied()
            .find(|d| d.name == prefix)
            .unwrap_or(&ROOT)
    }

    pub(crate) fn offers(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_the_public_list() {
        let names: Vec<&str> = FORM_DIALECTS.iter().map(|d| d.name).collect();
        assert_eq!(names, crate::FORM_PREFIXES);
        assert_eq!(FormDialect::for_prefix("elsewhere").name, "");
        assert!(!TWOCAPTCHA.offers(HCaptcha) && ROOT.offers(HCaptcha));
        assert!(RUCAPTCHA.offers(Rotate) && !CAPTCHAAI.offers(Rotate));
    }
}
