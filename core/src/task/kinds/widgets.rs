//! Token widgets identified by a page URL and a site key alone: MTCaptcha and Friendly
//! Captcha.

use super::prelude::*;

kind! {
    /// MTCaptcha.
    MtCaptcha {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The site key (`MTPublic-...`).
            website_key: key,
        }
        optional {
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

kind! {
    /// Friendly Captcha.
    FriendlyCaptcha {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The site key (`data-sitekey`).
            website_key: key,
        }
        optional {
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

const SITE: &[WireField] = &[
    f("website_url", "websiteURL"),
    f("website_key", "websiteKey"),
];
const FORM_SITE: &[WireField] = &[f("website_key", "sitekey"), f("website_url", "pageurl")];

/// The catalogue entry of MTCaptcha. The spelling trap: CapMonster's `MTCaptchaTask`, everyone
/// else's `MtCaptchaTask`.
pub(crate) static MT: KindSpec = KindSpec {
    kind: TaskKind::MtCaptcha,
    doc: MtCaptcha::DOC,
    fields: MtCaptcha::FIELDS,
    answer: "the token to put in the page's `mtcaptcha-verifiedtoken` field",
    data: &[],
    class: Class::Token,
    form_waits: (15, 120),
    example: r#"{"type": "MtCaptcha", "website_url": "https://service.mtcaptcha.com/mtcv1/demo/index.html", "website_key": "MTPublic-DemoKey9M"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                fields: FORM_SITE,
                ..FormWire::named("mt_captcha")
            },
        )],
        json: &[
            (
                &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
                JsonWire::new(
                    TypeNames::pair("MtCaptchaTaskProxyless", "MtCaptchaTask"),
                    SITE,
                ),
            ),
            (
                &[JsonDialect::CapSolver],
                JsonWire::new(
                    TypeNames::pair("MtCaptchaTaskProxyLess", "MtCaptchaTask"),
                    SITE,
                ),
            ),
            (
                &[JsonDialect::CapMonster],
                JsonWire::new(TypeNames::one("MTCaptchaTask"), SITE),
            ),
        ],
    },
};

/// The catalogue entry of Friendly Captcha.
pub(crate) static FRIENDLY: KindSpec = KindSpec {
    kind: TaskKind::FriendlyCaptcha,
    doc: FriendlyCaptcha::DOC,
    fields: FriendlyCaptcha::FIELDS,
    answer: "the token to put in the page's `frc-captcha-solution` field",
    data: &[],
    class: Class::Token,
    form_waits: (15, 120),
    example: r#"{"type": "FriendlyCaptcha", "website_url": "https://example.com/contact", "website_key": "FCMST5VUMCBOCGQ9"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                fields: FORM_SITE,
                ..FormWire::named("friendly_captcha")
            },
        )],
        json: &[(
            &[
                JsonDialect::AntiCaptcha,
                JsonDialect::TwoCaptchaV2,
                JsonDialect::Generic,
            ],
            JsonWire::new(
                TypeNames::pair("FriendlyCaptchaTaskProxyless", "FriendlyCaptchaTask"),
                SITE,
            ),
        )],
    },
};
