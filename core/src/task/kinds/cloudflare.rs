//! Cloudflare's challenge page ("Just a moment..."): the `cf_clearance` cookie, earned from
//! the caller's own proxy and user agent (the cookie is bound to both).

use super::prelude::*;

kind! {
    /// Cloudflare's challenge page: the answer is the `cf_clearance` cookie, valid only with
    /// the proxy and user agent it was earned with.
    CloudflareChallenge {
        required {
            /// Full URL of the protected page.
            website_url: url,
            /// The proxy the cookie will be used from (the cookie is bound to its address).
            proxy: proxy,
            /// The user agent the cookie will be used with.
            user_agent: text,
        }
        optional {
            /// The challenge page's HTML (the 403 "Just a moment..." page), where the provider reads it.
            html: long_text,
            /// The challenge's site key, where the provider needs it (CapMonster).
            website_key: key,
        }
    }
}

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::CloudflareChallenge,
    doc: CloudflareChallenge::DOC,
    fields: CloudflareChallenge::FIELDS,
    answer: "the `cf_clearance` cookie's value",
    data: &[
        DataSpec {
            name: "cookies",
            ty: "object",
            always: true,
            doc: "the cookies to set, `cf_clearance` among them",
        },
        DataSpec {
            name: "user_agent",
            ty: "string",
            always: false,
            doc: "the user agent the cookie was earned with",
        },
    ],
    class: Class::Token,
    form_waits: (20, 180),
    example: r#"{"type": "CloudflareChallenge", "website_url": "https://example.com/", "proxy": "http://user:pass@1.2.3.4:3128", "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "website_key": "0x4AAAAAAADnPIDROrmt1Wwj", "html": "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>"}"#,
    wire: Wire {
        form: &[(
            // A custom form service takes every method the family knows.
            &[FormDialect::CaptchaAi, FormDialect::Generic],
            FormWire {
                // CaptchaAI's example sends the page, the proxy and its type.
                fields: &[f("website_url", "pageurl")],
                poll: FormPoll::AloneJson,
                decode: Decode::Clearance,
                ..FormWire::named("cloudflare_challenge")
            },
        )],
        json: &[
            (
                &[JsonDialect::CapMonster],
                JsonWire {
                    constants: &[("cloudflareTaskType", Const::Text("cf_clearance"))],
                    // CapMonster's py client refuses the cf_clearance mode without them.
                    needs: &["website_key", "html"],
                    decode: Decode::Clearance,
                    ..JsonWire::new(
                        TypeNames::one("TurnstileTask"),
                        &[
                            f("website_url", "websiteURL"),
                            f("website_key", "websiteKey"),
                            fe("html", "htmlPageBase64", Enc::TextBase64),
                            f("user_agent", "userAgent"),
                        ],
                    )
                },
            ),
            (
                // A custom json service gets CapSolver's spelling: the fewest required fields.
                &[JsonDialect::CapSolver, JsonDialect::Generic],
                JsonWire {
                    // Its page takes the proxy as one string.
                    proxy_text: true,
                    decode: Decode::Clearance,
                    ..JsonWire::new(
                        TypeNames::proxied("AntiCloudflareTask"),
                        &[
                            f("website_url", "websiteURL"),
                            f("html", "html"),
                            f("user_agent", "userAgent"),
                        ],
                    )
                },
            ),
        ],
    },
};
