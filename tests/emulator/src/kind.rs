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
    /// A Cloudflare challenge page's `cf_clearance` cookie: form `method=cloudflare_challenge`
    /// (CaptchaAI); json `AntiCloudflareTask` (CapSolver), `TurnstileTask` with
    /// `cloudflareTaskType: "cf_clearance"` (CapMonster).
    CloudflareChallenge,
    /// GeeTest v3: form `method=geetest`; json `GeeTestTask[Proxyless]`, ...
    GeeTest,
    /// GeeTest v4: form `method=geetest_v4` (2captcha) or `method=geetest&version=4`
    /// (CaptchaAI); json `GeeTestTask[Proxyless]` with `version: 4`, or CapSolver's with
    /// `captchaId`.
    GeeTestV4,
    /// Amazon WAF: form `method=amazon_waf`; json `AmazonTask[Proxyless]`.
    AmazonWaf,
    /// DataDome: form `method=datadome`; json `DataDomeSliderTask`, CapMonster's
    /// `CustomTask` with `class: "DataDome"`.
    DataDome,
    /// MTCaptcha: form `method=mt_captcha`; json `MtCaptchaTask[Proxyless|ProxyLess]`,
    /// CapMonster's `MTCaptchaTask`.
    MtCaptcha,
    /// Friendly Captcha: form `method=friendly_captcha`; json
    /// `FriendlyCaptchaTask[Proxyless]`.
    FriendlyCaptcha,
    /// Clicks on an image: form `post`/`base64` with `coordinatescaptcha=1`; json
    /// `CoordinatesTask` (2captcha), `ImageToCoordinatesTask` (anti-captcha).
    Coordinates,
    /// Grid cells of an image: form `post`/`base64` with `recaptcha=1`; json `GridTask`,
    /// `ComplexImageTask` (CapMonster), `ReCaptchaV2Classification` (CapSolver).
    Grid,
    /// A question in text: form `method=post` with `textcaptcha`; json `TextCaptchaTask`.
    TextCaptcha,
    /// An mp3 to transcribe: form `method=audio`; json `AudioTask`.
    Audio,
    /// An image to turn upright: form `method=rotatecaptcha`; json `RotateTask`.
    Rotate,
    /// Lemin's cropped puzzle: form `method=lemin`; json `LeminTask[Proxyless]` (2captcha v2).
    Lemin,
    /// VK's image captcha, a slider: form `method=vkimage` with the image (`body`, `file`, or
    /// several as `file_1`, `file_2`, ...) and its `steps` (2C-PY `vkimage`). No kind of
    /// capbridge's catalogue: clients send it as their own request. The answer is the number
    /// of the slider's step, counted from 0 (its shape is unconfirmed: no source shows a
    /// reply).
    VkImage,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 20] = [
        Kind::ImageToText,
        Kind::RecaptchaV2,
        Kind::RecaptchaV3,
        Kind::HCaptcha,
        Kind::FunCaptcha,
        Kind::Turnstile,
        Kind::CloudflareChallenge,
        Kind::GeeTest,
        Kind::GeeTestV4,
        Kind::AmazonWaf,
        Kind::DataDome,
        Kind::MtCaptcha,
        Kind::FriendlyCaptcha,
        Kind::Coordinates,
        Kind::Grid,
        Kind::TextCaptcha,
        Kind::Audio,
        Kind::Rotate,
        Kind::Lemin,
        Kind::VkImage,
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
            Kind::CloudflareChallenge => "CloudflareChallenge",
            Kind::GeeTest => "GeeTest",
            Kind::GeeTestV4 => "GeeTestV4",
            Kind::AmazonWaf => "AmazonWaf",
            Kind::DataDome => "DataDome",
            Kind::MtCaptcha => "MtCaptcha",
            Kind::FriendlyCaptcha => "FriendlyCaptcha",
            Kind::Coordinates => "Coordinates",
            Kind::Grid => "Grid",
            Kind::TextCaptcha => "TextCaptcha",
            Kind::Audio => "Audio",
            Kind::Rotate => "Rotate",
            Kind::Lemin => "Lemin",
            Kind::VkImage => "VkImage",
        }
    }

    /// From a name.
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Default price of one task in dollars. The first six are the API documentation's price
    /// table per 1000 requests (Turnstile is not listed there and costs as much as hCaptcha
    /// here); the others are not in that document and cost about what 2captcha's public price
    /// list asks. Scripted prices ([`crate::Config::prices`]) take precedence.
    pub fn price(self) -> f64 {
        match self {
            Kind::ImageToText | Kind::FunCaptcha => 0.0002,
            Kind::RecaptchaV2 => 0.00035,
            Kind::RecaptchaV3 | Kind::HCaptcha | Kind::Turnstile => 0.0005,
            Kind::TextCaptcha | Kind::Audio | Kind::Rotate | Kind::Grid => 0.0005,
            Kind::Coordinates => 0.001,
            Kind::AmazonWaf
            | Kind::MtCaptcha
            | Kind::FriendlyCaptcha
            | Kind::Lemin
            | Kind::VkImage => 0.00145,
            Kind::GeeTest | Kind::GeeTestV4 | Kind::DataDome | Kind::CloudflareChallenge => 0.00299,
        }
    }

    /// Whether the kind is one of the six the API documentation (the form protocol's
    /// reference) describes.
    pub(crate) fn is_original(self) -> bool {
        matches!(
            self,
            Kind::ImageToText
                | Kind::RecaptchaV2
                | Kind::RecaptchaV3
                | Kind::HCaptcha
                | Kind::FunCaptcha
                | Kind::Turnstile
        )
    }
}
