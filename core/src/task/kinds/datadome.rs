//! DataDome's slider: the `datadome` cookie, earned from the caller's proxy and user agent.

use super::prelude::*;

kind! {
    /// DataDome's captcha: the answer is the `datadome` cookie, valid only with the proxy and
    /// user agent it was earned with.
    DataDome {
        required {
            /// Full URL of the protected page.
            website_url: url,
            /// The captcha's URL (the `src` of its iframe, `https://geo.captcha-delivery.com/captcha/?...`).
            captcha_url: url,
            /// The user agent the cookie will be used with.
            user_agent: text,
            /// The proxy the cookie will be used from.
            proxy: proxy,
        }
        optional {
            /// The page's current `datadome` cookie, where the provider needs it (CapMonster).
            datadome_cookie: text,
        }
    }
}

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::DataDome,
    doc: DataDome::DOC,
    fields: DataDome::FIELDS,
    answer: "the `datadome` cookie's value",
    data: &[DataSpec {
        name: "cookie",
        ty: "string",
        always: true,
        doc: "the whole cookie as the provider gave it (`datadome=...; Max-Age=...; Domain=...`), or `datadome=VALUE`",
    }],
    class: Class::Token,
    form_waits: (15, 120),
    example: r#"{"type": "DataDome", "website_url": "https://www.example.com/", "captcha_url": "https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA&hash=789361B674144528D0B7EE76B35826&cid=6QAEcL8Bqwd", "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "proxy": "http://user:pass@1.2.3.4:3128", "datadome_cookie": "datadome=6BvxqELMoorFNoo7GT1pdbpAPmO0Ez5e"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                fields: &[
                    f("captcha_url", "captcha_url"),
                    f("website_url", "pageurl"),
                    f("user_agent", "userAgent"),
                ],
                poll: FormPoll::AloneJson,
                decode: Decode::DataDome,
                ..FormWire::named("datadome")
            },
        )],
        json: &[
            (
                &[JsonDialect::TwoCaptchaV2, JsonDialect::Generic],
                JsonWire {
                    decode: Decode::DataDome,
                    ..JsonWire::new(
                        TypeNames::proxied("DataDomeSliderTask"),
                        &[
                            f("website_url", "websiteURL"),
                            f("captcha_url", "captchaUrl"),
                            f("user_agent", "userAgent"),
                        ],
                    )
                },
            ),
            (
                // CapSolver: its page takes the proxy as one string.
                &[JsonDialect::CapSolver],
                JsonWire {
                    proxy_text: true,
                    decode: Decode::DataDome,
                    ..JsonWire::new(
                        TypeNames::proxied("DataDomeSliderTask"),
                        &[
                            f("website_url", "websiteURL"),
                            f("captcha_url", "captchaUrl"),
                            f("user_agent", "userAgent"),
                        ],
                    )
                },
            ),
            (
                // CapMonster: a custom task of class DataDome, its values in `metadata`.
                &[JsonDialect::CapMonster],
                JsonWire {
                    constants: &[("class", Const::Text("DataDome"))],
                    needs: &["datadome_cookie"],
                    decode: Decode::DataDome,
                    ..JsonWire::new(
                        TypeNames::one("CustomTask"),
                        &[
                            f("website_url", "websiteURL"),
                            f("captcha_url", "metadata.captchaUrl"),
                            f("datadome_cookie", "metadata.datadomeCookie"),
                            f("user_agent", "userAgent"),
                        ],
                    )
                },
            ),
        ],
    },
};
