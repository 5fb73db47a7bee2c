//! One table per json-family provider for what differs between them beyond the kinds: the
//! name in messages, proxy types, the integrator's id, what HTTP 403 means, report methods.
//! How each kind is spelled at each provider is the kind's own declaration
//! (`task::kinds`); `encode.rs` and `reply.rs` read both and never ask which provider they
//! serve.
//!
//! Sources are `PROVIDERS-JSON.md` (sections 1-5) and NextCaptcha's migration guide. Where the
//! sources disagree, the choice is made here once and its reason given beside it.

use crate::error::ErrorKind;
use crate::provider::JsonDialect;
use crate::task::TaskKind;
use crate::task::spec::Class;

/// How the integrator's id is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SoftId {
    /// A JSON number in this top-level field (`softId`).
    Number(&'static str),
    /// A JSON string in this top-level field (CapSolver's `appId`).
    Text(&'static str),
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
    /// Every other kind.
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

    /// The method for `kind` (by its class: media kinds take the image method); a task of
    /// unknown kind takes the reCAPTCHA one.
    pub fn get(&self, kind: Option<TaskKind>) -> Option<&'static str> {
        match kind.map(|k| k.spec().class) {
            Some(Class::Media) => self.image,
            Some(Class::Recaptcha) | None => self.recaptcha,
            Some(Class::HCaptcha) => self.hcaptcha,
            Some(Class::Token | Class::Raw) => self.other,
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

/// What differs between json-family providers beyond the kinds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dialect {
    /// Which dialect (the key into every kind's wire table).
    pub id: JsonDialect,
    /// The provider's name in error messages.
    pub name: &'static str,
    /// Whether `proxyType: "https"` exists; without it an HTTPS proxy is sent as `http`
    /// (anti-captcha: "http - usual http/https proxy").
    pub https_proxy: bool,
    /// The integrator's id.
    pub soft_id: SoftId,
    /// What HTTP 403 without an error code means: a bad key (`Auth`) or no money
    /// (`Balance`, CapSolver's SDK).
    pub http_403: ErrorKind,
    /// Report methods.
    pub reports: Reports,
}

impl Dialect {
    /// The kinds this provider solves: those whose declaration spells them here.
    pub fn kinds(&self) -> Vec<TaskKind> {
        TaskKind::ALL
            .into_iter()
            .filter(|k| k.spec().wire.json(self.id).next().is_some())
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
    id: JsonDialect::AntiCaptcha,
    name: "anti-captcha",
    https_proxy: false,
    soft_id: SoftId::Number("softId"),
    http_403: ErrorKind::Auth,
    reports: AC_REPORTS,
};

/// CapMonster Cloud (PROVIDERS-JSON §2).
pub(crate) const CAPMONSTER: Dialect = Dialect {
    id: JsonDialect::CapMonster,
    name: "CapMonster",
    https_proxy: true,
    soft_id: SoftId::Number("softId"),
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

/// CapSolver (PROVIDERS-JSON §3).
pub(crate) const CAPSOLVER: Dialect = Dialect {
    id: JsonDialect::CapSolver,
    name: "CapSolver",
    https_proxy: true,
    soft_id: SoftId::Text("appId"),
    // CS-py maps 403 to "insufficient credit"; a bad key is 401 there.
    http_403: ErrorKind::Balance,
    reports: Reports {
        good: ByKind::all("feedbackTask"),
        bad: ByKind::all("feedbackTask"),
        feedback: true,
    },
};

/// NextCaptcha (PROVIDERS-JSON §4 and the migration guide): no reports.
pub(crate) const NEXTCAPTCHA: Dialect = Dialect {
    id: JsonDialect::NextCaptcha,
    name: "NextCaptcha",
    https_proxy: true,
    soft_id: SoftId::Number("softId"),
    http_403: ErrorKind::Auth,
    reports: Reports {
        good: ByKind::NONE,
        bad: ByKind::NONE,
        feedback: false,
    },
};

/// 2captcha API v2 (PROVIDERS-JSON §5).
pub(crate) const TWO_CAPTCHA_V2: Dialect = Dialect {
    id: JsonDialect::TwoCaptchaV2,
    name: "2captcha v2",
    reports: Reports {
        good: ByKind::all("reportCorrect"),
        bad: ByKind::all("reportIncorrect"),
        feedback: false,
    },
    ..GENERIC
};

/// A custom json service: the spellings most providers share (anti-captcha's, which the
/// others clone).
pub(crate) const GENERIC: Dialect = Dialect {
    id: JsonDialect::Generic,
    name: "the json service",
    https_proxy: true,
    soft_id: SoftId::Number("softId"),
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
            assert_eq!(t.id, d);
            assert!(t.kinds().contains(&TaskKind::RecaptchaV2), "{}", t.name);
            assert!(t.kinds().contains(&TaskKind::Raw), "{}", t.name);
        }
        assert!(NEXTCAPTCHA.kinds().contains(&TaskKind::ImageToText));
        assert!(!CAPMONSTER.kinds().contains(&TaskKind::HCaptcha));
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
