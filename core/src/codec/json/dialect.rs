//! One table per json-family provider: type names, field spellings, wire quirks, report
//! methods. Everything that differs between providers is a value here; `encode.rs` and
//! `reply.rs` read the table and never ask which provider they serve.
//!
//! Sources are `PROVIDERS-JSON.md` (sections 1-5) and NextCaptcha's migration guide. Where the
//! sources disagree, the choice is made here once and its reason given beside it.

use crate::error::ErrorKind;
use crate::provider::JsonDialect;
use crate::task::TaskKind;

/// A task type's names without and with a proxy. `None`: the provider has no such variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeNames {
    /// The type the provider solves through its own proxies.
    pub proxyless: Option<&'static str>,
    /// The type that carries the caller's proxy.
    pub proxied: Option<&'static str>,
}

impl TypeNames {
    /// `…TaskProxyless` / `…Task`: two names.
    const fn pair(proxyless: &'static str, proxied: &'static str) -> TypeNames {
        TypeNames {
            proxyless: Some(proxyless),
            proxied: Some(proxied),
        }
    }

    /// One name, proxy optional (CapMonster's style).
    const fn one(name: &'static str) -> TypeNames {
        TypeNames::pair(name, name)
    }

    /// Only the proxyless variant exists.
    const fn proxyless(name: &'static str) -> TypeNames {
        TypeNames {
            proxyless: Some(name),
            proxied: None,
        }
    }

    /// The provider does not solve this kind.
    const NONE: TypeNames = TypeNames {
        proxyless: None,
        proxied: None,
    };

    /// Whether any variant exists.
    pub fn exists(&self) -> bool {
        self.proxyless.is_some() || self.proxied.is_some()
    }
}

/// How reCAPTCHA v3 Enterprise is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum V3Enterprise {
    /// The v3 type with this boolean field set (`isEnterprise: true`).
    Flag(&'static str),
    /// A type of its own.
    Types(TypeNames),
    /// Not offered.
    Unsupported,
}

/// How cookies travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cookies {
    /// One string, as a `Cookie` header reads: `a=1; b=2`.
    Header,
    /// An array of `{"name": .., "value": ..}` objects (CapSolver's cookie page).
    Objects,
}

/// Where hCaptcha's `rqdata` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rqdata {
    /// `enterprisePayload: {"rqdata": ..}`, and this boolean set to true when named
    /// (anti-captcha's `isEnterprise`).
    EnterprisePayload(Option<&'static str>),
    /// A plain string field (CapMonster's `data`).
    Field(&'static str),
}

/// Where Turnstile's `action`, `cdata` and `page_data` go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TurnstileFields {
    /// Three flat fields, by name.
    Flat {
        /// The `data-action` value.
        action: &'static str,
        /// The `data-cdata` value.
        cdata: &'static str,
        /// The challenge page's `chlPageData`.
        page_data: &'static str,
    },
    /// `metadata: {"action": .., "cdata": ..}`; no page data (CapSolver).
    Metadata,
}

/// How the integrator's id is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SoftId {
    /// A JSON number in this top-level field (`softId`).
    Number(&'static str),
    /// A JSON string in this top-level field (CapSolver's `appId`).
    Text(&'static str),
}

/// Where an image task's language (`lang`) goes, as `languagePool` (`en` or `rn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LanguagePool {
    /// Not sent.
    None,
    /// In the task object (anti-captcha: "moved into ImageToTextTask").
    InTask,
    /// Beside `task` in the createTask body (2captcha v2).
    TopLevel,
}

/// Report method names by task kind. `None`: no such report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ByKind {
    /// Image tasks.
    pub image: Option<&'static str>,
    /// reCAPTCHA v2 and v3, and tasks whose kind is unknown.
    pub recaptcha: Option<&'static str>,
    /// hCaptcha.
    pub hcaptcha: Option<&'static str>,
    /// FunCaptcha and Turnstile.
    pub other: Option<&'static str>,
}

impl ByKind {
    const NONE: ByKind = ByKind {
        image: None,
        recaptcha: None,
        hcaptcha: None,
        other: None,
    };

    /// The same method for every kind.
    const fn all(method: &'static str) -> ByKind {
        ByKind {
            image: Some(method),
            recaptcha: Some(method),
            hcaptcha: Some(method),
            other: Some(method),
        }
    }

    /// The method for `kind`; a task of unknown kind takes the reCAPTCHA one.
    pub fn get(&self, kind: Option<TaskKind>) -> Option<&'static str> {
        match kind {
            Some(TaskKind::ImageToText) => self.image,
            Some(TaskKind::RecaptchaV2 | TaskKind::RecaptchaV3) | None => self.recaptcha,
            Some(TaskKind::HCaptcha) => self.hcaptcha,
            Some(TaskKind::FunCaptcha | TaskKind::Turnstile) => self.other,
        }
    }

    /// Whether any kind has one.
    pub fn any(&self) -> bool {
        self.image.is_some()
            || self.recaptcha.is_some()
            || self.hcaptcha.is_some()
            || self.other.is_some()
    }
}

/// The reports a provider takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reports {
    /// "The site accepted the answer."
    pub good: ByKind,
    /// "The site refused the answer."
    pub bad: ByKind,
    /// The body carries `result: {"invalid": !good}` (CapSolver's `feedbackTask`).
    pub feedback: bool,
}

/// Everything that differs between json-family providers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dialect {
    /// The provider's name in error messages.
    pub name: &'static str,
    /// `ImageToTextTask` (its proxied name is never used: images have no proxy).
    pub image: TypeNames,
    /// reCAPTCHA v2.
    pub recaptcha_v2: TypeNames,
    /// reCAPTCHA v2 Enterprise (`enterprisePayload: {"s": data_s}`).
    pub recaptcha_v2_enterprise: TypeNames,
    /// reCAPTCHA v3.
    pub recaptcha_v3: TypeNames,
    /// reCAPTCHA v3 Enterprise.
    pub recaptcha_v3_enterprise: V3Enterprise,
    /// hCaptcha.
    pub hcaptcha: TypeNames,
    /// FunCaptcha.
    pub funcaptcha: TypeNames,
    /// Turnstile.
    pub turnstile: TypeNames,
    /// Turnstile's optional fields.
    pub turnstile_fields: TurnstileFields,
    /// reCAPTCHA v2 cookies.
    pub cookies: Cookies,
    /// hCaptcha `rqdata`.
    pub rqdata: Rqdata,
    /// `minScore` sent when the task sets none, where the provider requires one (the lowest
    /// documented value: any score satisfies a caller who named none).
    pub default_min_score: Option<f64>,
    /// Whether `proxyType: "https"` exists; without it an HTTPS proxy is sent as `http`
    /// (anti-captcha: "http - usual http/https proxy").
    pub https_proxy: bool,
    /// The integrator's id.
    pub soft_id: SoftId,
    /// Where an image task's language goes.
    pub language_pool: LanguagePool,
    /// What HTTP 403 without an error code means: a bad key (`Auth`) or no money
    /// (`Balance`, CapSolver's SDK).
    pub http_403: ErrorKind,
    /// Report methods.
    pub reports: Reports,
}

impl Dialect {
    /// The type names of a kind (v2 and v3 Enterprise are chosen in `encode.rs`).
    pub fn types(&self, kind: TaskKind) -> TypeNames {
        match kind {
            TaskKind::ImageToText => self.image,
            TaskKind::RecaptchaV2 => self.recaptcha_v2,
            TaskKind::RecaptchaV3 => self.recaptcha_v3,
            TaskKind::HCaptcha => self.hcaptcha,
            TaskKind::FunCaptcha => self.funcaptcha,
            TaskKind::Turnstile => self.turnstile,
        }
    }

    /// The kinds this provider solves.
    pub fn kinds(&self) -> Vec<TaskKind> {
        TaskKind::ALL
            .into_iter()
            .filter(|k| self.types(*k).exists())
            .collect()
    }
}

/// The table of a dialect.
pub(crate) fn table(dialect: JsonDialect) -> &'static Dialect {
    match dialect {
        JsonDialect::AntiCaptcha => &ANTI_CAPTCHA,
        JsonDialect::CapMonster => &CAPMONSTER,
        JsonDialect::CapSolver => &CAPSOLVER,
        JsonDialect::NextCaptcha => &NEXTCAPTCHA,
        JsonDialect::TwoCaptchaV2 => &TWO_CAPTCHA_V2,
        JsonDialect::Generic => &GENERIC,
    }
}

const AC_TURNSTILE: TurnstileFields = TurnstileFields::Flat {
    action: "action",
    // The English pages and the SDKs say `cData`; older translations `turnstileCData`.
    cdata: "cData",
    page_data: "chlPageData",
};

const AC_REPORTS: Reports = Reports {
    good: ByKind {
        recaptcha: Some("reportCorrectRecaptcha"),
        ..ByKind::NONE
    },
    bad: ByKind {
        image: Some("reportIncorrectImageCaptcha"),
        recaptcha: Some("reportIncorrectRecaptcha"),
        hcaptcha: Some("reportIncorrectHcaptcha"),
        other: None,
    },
    feedback: false,
};

/// anti-captcha (PROVIDERS-JSON §1).
pub(crate) const ANTI_CAPTCHA: Dialect = Dialect {
    name: "anti-captcha",
    image: TypeNames::proxyless("ImageToTextTask"),
    recaptcha_v2: TypeNames::pair("RecaptchaV2TaskProxyless", "RecaptchaV2Task"),
    recaptcha_v2_enterprise: TypeNames::pair(
        "RecaptchaV2EnterpriseTaskProxyless",
        "RecaptchaV2EnterpriseTask",
    ),
    // "v3 has no proxy variant."
    recaptcha_v3: TypeNames::proxyless("RecaptchaV3TaskProxyless"),
    recaptcha_v3_enterprise: V3Enterprise::Flag("isEnterprise"),
    hcaptcha: TypeNames::pair("HCaptchaTaskProxyless", "HCaptchaTask"),
    funcaptcha: TypeNames::pair("FunCaptchaTaskProxyless", "FunCaptchaTask"),
    turnstile: TypeNames::pair("TurnstileTaskProxyless", "TurnstileTask"),
    turnstile_fields: AC_TURNSTILE,
    cookies: Cookies::Header,
    rqdata: Rqdata::EnterprisePayload(Some("isEnterprise")),
    // "minScore (required; 0.3, 0.7 or 0.9)".
    default_min_score: Some(0.3),
    https_proxy: false,
    soft_id: SoftId::Number("softId"),
    language_pool: LanguagePool::InTask,
    http_403: ErrorKind::Auth,
    reports: AC_REPORTS,
};

/// CapMonster Cloud (PROVIDERS-JSON §2): one type name per kind, proxy optional.
pub(crate) const CAPMONSTER: Dialect = Dialect {
    name: "CapMonster",
    image: TypeNames::proxyless("ImageToTextTask"),
    // The docs' current name; the SDKs' legacy `NoCaptchaTask` is not known to be accepted
    // still, the documented name is.
    recaptcha_v2: TypeNames::one("RecaptchaV2Task"),
    recaptcha_v2_enterprise: TypeNames::one("RecaptchaV2EnterpriseTask"),
    recaptcha_v3: TypeNames::proxyless("RecaptchaV3TaskProxyless"),
    // The docs offer both `isEnterprise` and a type of its own; the type is the newer page.
    recaptcha_v3_enterprise: V3Enterprise::Types(TypeNames::one("RecaptchaV3EnterpriseTask")),
    hcaptcha: TypeNames::one("HCaptchaTask"),
    funcaptcha: TypeNames::one("FunCaptchaTask"),
    turnstile: TypeNames::one("TurnstileTask"),
    turnstile_fields: TurnstileFields::Flat {
        action: "pageAction",
        cdata: "data",
        // CM-py's spelling; the docs name no page-data field.
        page_data: "pageData",
    },
    cookies: Cookies::Header,
    rqdata: Rqdata::Field("data"),
    default_min_score: None,
    https_proxy: true,
    soft_id: SoftId::Number("softId"),
    language_pool: LanguagePool::None,
    http_403: ErrorKind::Auth,
    reports: Reports {
        good: ByKind::NONE,
        bad: ByKind {
            image: Some("reportIncorrectImageCaptcha"),
            recaptcha: Some("reportIncorrectTokenCaptcha"),
            hcaptcha: Some("reportIncorrectTokenCaptcha"),
            other: Some("reportIncorrectTokenCaptcha"),
        },
        feedback: false,
    },
};

/// CapSolver (PROVIDERS-JSON §3): `ReCaptcha…` and `…ProxyLess` with a capital L.
pub(crate) const CAPSOLVER: Dialect = Dialect {
    name: "CapSolver",
    image: TypeNames::proxyless("ImageToTextTask"),
    // `ReCaptchaV2Task` is missing from the current English page but on the zh/de/ru pages,
    // the SDK enums and the cookie page's example: kept.
    recaptcha_v2: TypeNames::pair("ReCaptchaV2TaskProxyLess", "ReCaptchaV2Task"),
    recaptcha_v2_enterprise: TypeNames::pair(
        "ReCaptchaV2EnterpriseTaskProxyLess",
        "ReCaptchaV2EnterpriseTask",
    ),
    recaptcha_v3: TypeNames::pair("ReCaptchaV3TaskProxyLess", "ReCaptchaV3Task"),
    recaptcha_v3_enterprise: V3Enterprise::Types(TypeNames::pair(
        "ReCaptchaV3EnterpriseTaskProxyLess",
        "ReCaptchaV3EnterpriseTask",
    )),
    // Only the ProxyLess names are documented (and the current task list may have dropped
    // both kinds: unconfirmed, so they stay and the service's refusal says so).
    hcaptcha: TypeNames::proxyless("HCaptchaTaskProxyLess"),
    funcaptcha: TypeNames::proxyless("FunCaptchaTaskProxyLess"),
    turnstile: TypeNames::proxyless("AntiTurnstileTaskProxyLess"),
    turnstile_fields: TurnstileFields::Metadata,
    // The cookie page's array of objects (the getting-started string is one example only).
    cookies: Cookies::Objects,
    rqdata: Rqdata::EnterprisePayload(None),
    default_min_score: None,
    https_proxy: true,
    soft_id: SoftId::Text("appId"),
    language_pool: LanguagePool::None,
    // CS-py maps 403 to "insufficient credit"; a bad key is 401 there.
    http_403: ErrorKind::Balance,
    reports: Reports {
        good: ByKind::all("feedbackTask"),
        bad: ByKind::all("feedbackTask"),
        feedback: true,
    },
};

/// NextCaptcha (PROVIDERS-JSON §4 and the migration guide): no image tasks, no v3 Enterprise,
/// no reports.
pub(crate) const NEXTCAPTCHA: Dialect = Dialect {
    name: "NextCaptcha",
    // "No ImageToText [was] found" in the SDKs; the migration guide's table maps an
    // `ImageToTextTask`, but as the other service's method, so it is left out.
    image: TypeNames::NONE,
    // The guide names `RecaptchaV2Task` as the proxy variant.
    recaptcha_v2: TypeNames::pair("RecaptchaV2TaskProxyless", "RecaptchaV2Task"),
    recaptcha_v2_enterprise: TypeNames::pair(
        "RecaptchaV2EnterpriseTaskProxyless",
        "RecaptchaV2EnterpriseTask",
    ),
    recaptcha_v3: TypeNames::pair("RecaptchaV3TaskProxyless", "RecaptchaV3Task"),
    recaptcha_v3_enterprise: V3Enterprise::Unsupported,
    hcaptcha: TypeNames::pair("HCaptchaTaskProxyless", "HCaptchaTask"),
    funcaptcha: TypeNames::pair("FunCaptchaTaskProxyless", "FunCaptchaTask"),
    turnstile: TypeNames::pair("TurnstileTaskProxyless", "TurnstileTask"),
    turnstile_fields: TurnstileFields::Flat {
        action: "pageAction",
        cdata: "data",
        page_data: "pagedata",
    },
    cookies: Cookies::Header,
    rqdata: Rqdata::EnterprisePayload(None),
    default_min_score: None,
    https_proxy: true,
    soft_id: SoftId::Number("softId"),
    language_pool: LanguagePool::None,
    http_403: ErrorKind::Auth,
    reports: Reports {
        good: ByKind::NONE,
        bad: ByKind::NONE,
        feedback: false,
    },
};

/// 2captcha API v2 (PROVIDERS-JSON §5). Only images, v2 proxyless and v3 are confirmed; the
/// rest takes the generic (anti-captcha) spellings until confirmed, except Turnstile, whose
/// fields follow 2captcha's own form protocol names (`action`, `data`, `pagedata`), as its
/// v2 pages name them too.
pub(crate) const TWO_CAPTCHA_V2: Dialect = Dialect {
    name: "2captcha v2",
    turnstile_fields: TurnstileFields::Flat {
        action: "action",
        cdata: "data",
        page_data: "pagedata",
    },
    default_min_score: Some(0.3),
    language_pool: LanguagePool::TopLevel,
    reports: Reports {
        good: ByKind::all("reportCorrect"),
        bad: ByKind::all("reportIncorrect"),
        feedback: false,
    },
    ..GENERIC
};

/// A custom json service: the spellings most providers share (anti-captcha's, which the
/// others clone), every kind, every variant.
pub(crate) const GENERIC: Dialect = Dialect {
    name: "the json service",
    image: TypeNames::proxyless("ImageToTextTask"),
    recaptcha_v2: TypeNames::pair("RecaptchaV2TaskProxyless", "RecaptchaV2Task"),
    recaptcha_v2_enterprise: TypeNames::pair(
        "RecaptchaV2EnterpriseTaskProxyless",
        "RecaptchaV2EnterpriseTask",
    ),
    recaptcha_v3: TypeNames::pair("RecaptchaV3TaskProxyless", "RecaptchaV3Task"),
    recaptcha_v3_enterprise: V3Enterprise::Flag("isEnterprise"),
    hcaptcha: TypeNames::pair("HCaptchaTaskProxyless", "HCaptchaTask"),
    funcaptcha: TypeNames::pair("FunCaptchaTaskProxyless", "FunCaptchaTask"),
    turnstile: TypeNames::pair("TurnstileTaskProxyless", "TurnstileTask"),
    turnstile_fields: AC_TURNSTILE,
    cookies: Cookies::Header,
    rqdata: Rqdata::EnterprisePayload(None),
    default_min_score: None,
    https_proxy: true,
    soft_id: SoftId::Number("softId"),
    language_pool: LanguagePool::None,
    http_403: ErrorKind::Auth,
    reports: AC_REPORTS,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialect_has_a_table_and_the_documented_gaps() {
        for d in [
            JsonDialect::Generic,
            JsonDialect::AntiCaptcha,
            JsonDialect::CapMonster,
            JsonDialect::CapSolver,
            JsonDialect::NextCaptcha,
            JsonDialect::TwoCaptchaV2,
        ] {
            let t = table(d);
            assert!(t.recaptcha_v2.exists(), "{}", t.name);
            let expected = if d == JsonDialect::NextCaptcha { 5 } else { 6 };
            assert_eq!(t.kinds().len(), expected, "{}", t.name);
        }
        assert!(!NEXTCAPTCHA.kinds().contains(&TaskKind::ImageToText));
        assert!(!NEXTCAPTCHA.reports.good.any() && !NEXTCAPTCHA.reports.bad.any());
        assert!(!CAPMONSTER.reports.good.any());
        assert_eq!(
            ANTI_CAPTCHA.reports.good.get(None),
            Some("reportCorrectRecaptcha")
        );
        assert_eq!(
            ANTI_CAPTCHA.reports.bad.get(Some(TaskKind::HCaptcha)),
            Some("reportIncorrectHcaptcha")
        );
    }
}
