//! Lemin's cropped puzzle: identified by the page's `captcha_id` and the id of the element it
//! renders into.

use super::prelude::*;

kind! {
    /// Lemin's cropped puzzle captcha.
    Lemin {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The `captcha_id` the page passes to Lemin's script (`CROPPED_...`).
            captcha_id: key,
            /// The id of the element the captcha renders into (`lemin-cropped-captcha`).
            div_id: text,
        }
        optional {
            /// The domain of Lemin's script, when the page loads it from another than `api.leminnow.com`.
            api_server: domain,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

/// Both families answer with these two values.
const KEYS: &[(&str, &str)] = &[("answer", "answer"), ("challenge_id", "challenge_id")];

/// The catalogue entry (2captcha's form `method=lemin` and its v2 `LeminTask[Proxyless]`).
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::Lemin,
    doc: Lemin::DOC,
    fields: Lemin::FIELDS,
    answer: "`data` as compact JSON",
    data: &[
        DataSpec {
            name: "answer",
            ty: "string",
            always: true,
            doc: "the value for the page's `answer` field",
        },
        DataSpec {
            name: "challenge_id",
            ty: "string",
            always: true,
            doc: "the value for the page's `challenge_id` field",
        },
    ],
    class: Class::Token,
    form_waits: (15, 120),
    example: r#"{"type": "Lemin", "website_url": "https://example.com/login", "captcha_id": "CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b", "div_id": "lemin-cropped-captcha"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                fields: &[
                    f("captcha_id", "captcha_id"),
                    f("div_id", "div_id"),
                    f("website_url", "pageurl"),
                    f("api_server", "api_server"),
                    f("user_agent", "userAgent"),
                ],
                poll: FormPoll::AloneJson,
                decode: Decode::Object(KEYS),
                ..FormWire::named("lemin")
            },
        )],
        json: &[(
            &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
            JsonWire {
                decode: Decode::Object(KEYS),
                ..JsonWire::new(
                    TypeNames::pair("LeminTaskProxyless", "LeminTask"),
                    &[
                        f("website_url", "websiteURL"),
                        f("captcha_id", "captchaId"),
                        f("div_id", "divId"),
                        f("api_server", "leminApiServerSubdomain"),
                        f("user_agent", "userAgent"),
                    ],
                )
            },
        )],
    },
};
