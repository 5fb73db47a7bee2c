//! Arkose Labs FunCaptcha (the token method).

use super::prelude::*;

kind! {
    /// Arkose Labs FunCaptcha (token method).
    FunCaptcha {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The public key (`pk` or `data-pkey`).
            public_key: key,
        }
        optional {
            /// The service URL (`surl`), when the page names one.
            surl: url,
            /// Data the page passes (`data[blob]` and the like).
            data: text_map,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

impl FunCaptcha {
    /// Adds a `data[key]` value.
    pub fn data(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.data.insert(key.into(), value.into());
        self
    }
}

const FIELDS: &[WireField] = &[
    f("website_url", "websiteURL"),
    f("public_key", "websitePublicKey"),
    fe("surl", "funcaptchaApiJSSubdomain", Enc::BareDomain),
    // A stringified JSON object: `{"blob":"..."}`.
    fe("data", "data", Enc::JsonText),
    f("user_agent", "userAgent"),
];

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::FunCaptcha,
    doc: FunCaptcha::DOC,
    fields: FunCaptcha::FIELDS,
    answer: "the token to put in the page's `fc-token` field",
    data: TOKEN_DATA,
    class: Class::Token,
    // "10-20 s".
    form_waits: (20, 120),
    example: r#"{"type": "FunCaptcha", "website_url": "https://example.com/signup", "public_key": "69A21A01-CC7B-B9C6-0F9A-E7FA06677FFC"}"#,
    wire: Wire {
        form: &[(
            &[
                FormDialect::TwoCaptcha,
                FormDialect::CaptchaAi,
                FormDialect::BigCaptcha,
                FormDialect::Generic,
            ],
            FormWire {
                fields: &[
                    f("public_key", "publickey"),
                    f("website_url", "pageurl"),
                    f("surl", "surl"),
                    fe("data", "data", Enc::Brackets),
                    f("user_agent", "userAgent"),
                ],
                // Tokens contain `|`, the separator of batch replies.
                poll: FormPoll::AloneJson,
                ..FormWire::named("funcaptcha")
            },
        )],
        json: &[
            (
                &[
                    JsonDialect::AntiCaptcha,
                    JsonDialect::NextCaptcha,
                    JsonDialect::TwoCaptchaV2,
                    JsonDialect::Generic,
                ],
                JsonWire::new(
                    TypeNames::pair("FunCaptchaTaskProxyless", "FunCaptchaTask"),
                    FIELDS,
                ),
            ),
            (
                &[JsonDialect::CapMonster],
                JsonWire::new(TypeNames::one("FunCaptchaTask"), FIELDS),
            ),
            (
                &[JsonDialect::CapSolver],
                JsonWire::new(TypeNames::proxyless("FunCaptchaTaskProxyLess"), FIELDS),
            ),
        ],
    },
};
