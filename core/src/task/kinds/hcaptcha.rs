//! hCaptcha. 2captcha withdrew it from its documentation (its maintainers say it is no longer
//! supported) and CapMonster answers it with `ERROR_TASK_NOT_SUPPORTED`, so neither offers
//! it here: a solve there fails with `usage` before anything is sent, and failover moves on.

use super::prelude::*;

kind! {
    /// hCaptcha. The solution's user agent must be used with the token.
    HCaptcha {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The site key (`data-sitekey`).
            website_key: key,
        }
        optional {
            /// Domain the captcha loads from: `hcaptcha.com` (default) or `js.hcaptcha.com`.
            api_domain: domain,
            /// Invisible hCaptcha.
            invisible: flag,
            /// The enterprise `rqdata` value.
            rqdata: text,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

const FIELDS: &[WireField] = &[
    f("website_url", "websiteURL"),
    f("website_key", "websiteKey"),
    f("invisible", "isInvisible"),
    f("rqdata", "enterprisePayload.rqdata"),
    f("api_domain", "apiDomain"),
    f("user_agent", "userAgent"),
];

const PAIR: TypeNames = TypeNames::pair("HCaptchaTaskProxyless", "HCaptchaTask");

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::HCaptcha,
    doc: HCaptcha::DOC,
    fields: HCaptcha::FIELDS,
    answer: "the token to put in `h-captcha-response` (with the returned user agent)",
    data: &[
        DataSpec {
            name: "user_agent",
            ty: "string",
            always: false,
            doc: "the worker's user agent: send it with the token",
        },
        DataSpec {
            name: "resp_key",
            ty: "string",
            always: false,
            doc: "hCaptcha's `respKey`, for sites that check it",
        },
    ],
    class: Class::HCaptcha,
    // No documented wait; the document's speed table puts hCaptcha at about 10.7 s.
    form_waits: (10, 120),
    example: r#"{"type": "HCaptcha", "website_url": "https://accounts.hcaptcha.com/demo", "website_key": "10000000-ffff-ffff-ffff-000000000001"}"#,
    wire: Wire {
        form: &[(
            &[
                FormDialect::CaptchaAi,
                FormDialect::BigCaptcha,
                FormDialect::Generic,
            ],
            FormWire {
                fields: &[
                    f("website_key", "sitekey"),
                    f("website_url", "pageurl"),
                    f("api_domain", "domain"),
                    f("invisible", "invisible"),
                    f("rqdata", "data"),
                    f("user_agent", "userAgent"),
                ],
                // The user agent and respKey come only in JSON replies.
                poll: FormPoll::AloneJson,
                ..FormWire::named("hcaptcha")
            },
        )],
        json: &[
            // anti-captcha: `rqdata` in `enterprisePayload`, with `isEnterprise: true`.
            (
                &[JsonDialect::AntiCaptcha],
                JsonWire {
                    when: When::AnySet(&["rqdata"]),
                    constants: &[("isEnterprise", Const::Bool(true))],
                    ..JsonWire::new(PAIR, FIELDS)
                },
            ),
            (&[JsonDialect::AntiCaptcha], JsonWire::new(PAIR, FIELDS)),
            (
                &[JsonDialect::NextCaptcha, JsonDialect::Generic],
                JsonWire::new(PAIR, FIELDS),
            ),
            // Only the ProxyLess name is documented (the current task list may have dropped
            // the kind: unconfirmed, so it stays and the service's refusal says so).
            (
                &[JsonDialect::CapSolver],
                JsonWire::new(TypeNames::proxyless("HCaptchaTaskProxyLess"), FIELDS),
            ),
        ],
    },
};
