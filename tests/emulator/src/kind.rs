//! Task kinds as the emulator sees them, named like the rest of the project.

use serde::{Deserialize, Serialize};

/// A task kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// form `method=post` or `method=base64`; json `ImageToTextTask`.
    ImageToText,
    /// form `method=userrecaptcha` (no `version=v3`); json `RecaptchaV2TaskProxyless`,
    /// `ReCaptchaV2TaskProxyLess`, `NoCaptchaTask`, ... and the Enterprise variants.
    RecaptchaV2,
    /// form `method=userrecaptcha&version=v3`; json `RecaptchaV3TaskProxyless`, ...
    RecaptchaV3,
    /// form `method=hcaptcha`; json `HCaptchaTask[Proxyless]`, ...
    HCaptcha,
    /// form `method=funcaptcha`; json `FunCaptchaTask[Proxyless]`, ...
    FunCaptcha,
    /// form `method=turnstile`; json `TurnstileTask[Proxyless]`, `AntiTurnstileTaskProxyLess`.
    Turnstile,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 6] = [
        Kind::ImageToText,
        Kind::RecaptchaV2,
        Kind::RecaptchaV3,
        Kind::HCaptcha,
        Kind::FunCaptcha,
        Kind::Turnstile,
    ];

    /// The name (`"RecaptchaV2"`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::ImageToText => "ImageToText",
            Kind::RecaptchaV2 => "RecaptchaV2",
            Kind::RecaptchaV3 => "RecaptchaV3",
            Kind::HCaptcha => "HCaptcha",
            Kind::FunCaptcha => "FunCaptcha",
            Kind::Turnstile => "Turnstile",
        }
    }

    /// From a name.
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Default price of one task in dollars (the API documentation's price table per 1000 requests;
    /// Turnstile is not listed there and costs as much as hCaptcha here). Scripted prices
    /// ([`crate::Config::prices`]) take precedence.
    pub fn price(self) -> f64 {
        match self {
            Kind::ImageToText | Kind::FunCaptcha => 0.0002,
            Kind::RecaptchaV2 => 0.00035,
            Kind::RecaptchaV3 | Kind::HCaptcha | Kind::Turnstile => 0.0005,
        }
    }
}
