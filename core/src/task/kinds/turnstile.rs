//! Cloudflare Turnstile: a widget, or the Turnstile of a challenge page (`page_data`).

use super::prelude::*;

kind! {
    /// Cloudflare Turnstile (a widget or a challenge page). The solution carries the worker's
    /// user agent: send it with the token.
    Turnstile {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The site key (`data-sitekey`).
            website_key: key,
        }
        optional {
            /// The widget's `data-action` (or the `action` given to `turnstile.render`).
            action: text,
            /// The widget's `data-cdata` (`cData`).
            cdata: text,
            /// The challenge page's `chlPageData`.
            page_data: text,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

/// `action`, `cdata` and `page_data` under these names.
macro_rules! flat {
    ($action:literal, $cdata:literal, $page:literal) => {
        &[
            f("website_url", "websiteURL"),
            f("website_key", "websiteKey"),
            f("action", $action),
            f("cdata", $cdata),
            f("page_data", $page),
            f("user_agent", "userAgent"),
        ]
    };
}

const PAIR: TypeNames = TypeNames::pair("TurnstileTaskProxyless", "TurnstileTask");

/// The form fields of 2captcha's `turnstile` method.
const FORM_FIELDS: &[WireField] = &[
    f("website_key", "sitekey"),
    f("website_url", "pageurl"),
    f("action", "action"),
    f("cdata", "data"),
    f("page_data", "pagedata"),
    f("user_agent", "userAgent"),
];

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::Turnstile,
    doc: Turnstile::DOC,
    fields: Turnstile::FIELDS,
    answer: "the token to put in `cf-turnstile-response` (or pass to the widget's callback)",
    data: TOKEN_DATA,
    class: Class::Token,
    form_waits: (10, 120),
    example: r#"{"type": "Turnstile", "website_url": "https://example.com/", "website_key": "0x4AAAAAAAC3DHQFLr1GavRN", "action": "login"}"#,
    wire: Wire {
        form: &[
            (
                &[
                    FormDialect::TwoCaptcha,
                    FormDialect::BigCaptcha,
                    FormDialect::Generic,
                ],
                FormWire {
                    fields: FORM_FIELDS,
                    // The worker's user agent comes only in JSON replies.
                    poll: FormPoll::AloneJson,
                    ..FormWire::named("turnstile")
                },
            ),
            // CaptchaAI documents `action` only: a challenge page's fields cannot reach it.
            (
                &[FormDialect::CaptchaAi],
                FormWire {
                    fields: FORM_FIELDS,
                    refuses: &["cdata", "page_data"],
                    poll: FormPoll::AloneJson,
                    ..FormWire::named("turnstile")
                },
            ),
        ],
        json: &[
            (
                AC_LIKE,
                // The English pages and the SDKs say `cData`; older translations
                // `turnstileCData`.
                JsonWire::new(PAIR, flat!("action", "cData", "chlPageData")),
            ),
            (
                &[JsonDialect::TwoCaptchaV2],
                // 2captcha's own form names, as its v2 pages name them too.
                JsonWire::new(PAIR, flat!("action", "data", "pagedata")),
            ),
            (
                &[JsonDialect::NextCaptcha],
                JsonWire::new(PAIR, flat!("pageAction", "data", "pagedata")),
            ),
            (
                &[JsonDialect::CapMonster],
                // CapMonster's py client spells the page data `pageData`; no proxyless type
                // is documented (`TurnstileTask`, proxy optional).
                JsonWire::new(
                    TypeNames::one("TurnstileTask"),
                    flat!("pageAction", "data", "pageData"),
                ),
            ),
            (
                &[JsonDialect::CapSolver],
                JsonWire {
                    fields: &[
                        f("website_url", "websiteURL"),
                        f("website_key", "websiteKey"),
                        f("action", "metadata.action"),
                        f("cdata", "metadata.cdata"),
                        f("user_agent", "userAgent"),
                    ],
                    // CapSolver's Turnstile takes no challenge-page data.
                    refuses: &["page_data"],
                    ..JsonWire::new(TypeNames::proxyless("AntiTurnstileTaskProxyLess"), &[])
                },
            ),
        ],
    },
};
