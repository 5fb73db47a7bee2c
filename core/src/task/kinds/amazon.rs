//! Amazon WAF's captcha (the `gokuProps` of its challenge page).

use super::prelude::*;

kind! {
    /// Amazon WAF's captcha: the values of the page's `window.gokuProps`.
    AmazonWaf {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// `gokuProps.key`.
            website_key: text,
            /// `gokuProps.iv`.
            iv: text,
            /// `gokuProps.context`.
            context: text,
        }
        optional {
            /// The URL of the page's `challenge.js`.
            challenge_script: url,
            /// The URL of the page's `captcha.js`.
            captcha_script: url,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

const JSON_FIELDS: &[WireField] = &[
    f("website_url", "websiteURL"),
    f("website_key", "websiteKey"),
    f("iv", "iv"),
    f("context", "context"),
    f("challenge_script", "challengeScript"),
    f("captcha_script", "captchaScript"),
    f("user_agent", "userAgent"),
];

const fn json(types: TypeNames, needs: &'static [&'static str]) -> JsonWire {
    JsonWire {
        needs,
        decode: Decode::Amazon,
        ..JsonWire::new(types, JSON_FIELDS)
    }
}

/// The catalogue entry.
pub(crate) static SPEC: KindSpec = KindSpec {
    kind: TaskKind::AmazonWaf,
    doc: AmazonWaf::DOC,
    fields: AmazonWaf::FIELDS,
    answer: "`existing_token` when the provider returns a voucher and token, else the `aws-waf-token` cookie's value",
    data: &[
        DataSpec {
            name: "captcha_voucher",
            ty: "string",
            always: false,
            doc: "the voucher to post to the WAF's `verify` endpoint",
        },
        DataSpec {
            name: "existing_token",
            ty: "string",
            always: false,
            doc: "the token that goes with the voucher",
        },
        DataSpec {
            name: "cookie",
            ty: "string",
            always: false,
            doc: "the `aws-waf-token` cookie's value, where the provider returns the cookie instead (anti-captcha, CapMonster's cookie mode)",
        },
    ],
    class: Class::Token,
    form_waits: (15, 120),
    example: r#"{"type": "AmazonWaf", "website_url": "https://efw47fpad9.execute-api.us-east-1.amazonaws.com/latest", "website_key": "AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTbNg96AHMDLodoefdvyOnsHMRtEKQAAAAfjB8BgkqhkiG9w0BBwagbzBtAgEAMGgGCSqGSIb3DQEHATAeBglghkgBZQMEAS4wEQQMsYNQbVOLOfd/1ofjAgEQgDuhVKc1n4ZSzYMp6hvbRCN1aB/eWh8sCgLzRHuvzzk+RsWtBqqkT6nnlg7BFVSbaNMo2fNchu1zHwK2YQ==", "iv": "CgAHbCe2GgAAAAAj", "context": "9BUgmlm48F92WUoqv97a49ZuEJJ50TCk9MVr3C7WMtQ0X6flVbufM4n8mjFLmbLVAPgaQ1Jydeaja94iAS49ljb+sUNLoukWedAQZKrlY4RdbOOzvcFqmD/ZepQFS9N5w15Exr4VwnVq+HIxTsDJwRviElWCdzKDebN/mk8/eX2n7qJi5G3Riq0tdQw9+C4diFZU5E97RSeahejOAAJTDqduqW6uLw9NsjJBkDRBlRjxjn5CaMMo5pYOxYbGrM8Un1JH5DMOLeXbq1xWbC17YSEoM1cRFfTgOoc+VpCe36Ai9Kc=", "challenge_script": "https://41bcdd4fb3cb.610cd090.us-east-1.token.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/challenge.js", "captcha_script": "https://41bcdd4fb3cb.610cd090.us-east-1.captcha.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/captcha.js"}"#,
    wire: Wire {
        form: &[(
            TWO_CAPTCHA,
            FormWire {
                fields: &[
                    f("website_key", "sitekey"),
                    f("iv", "iv"),
                    f("context", "context"),
                    f("website_url", "pageurl"),
                    f("challenge_script", "challenge_script"),
                    f("captcha_script", "captcha_script"),
                ],
                poll: FormPoll::AloneJson,
                decode: Decode::Amazon,
                ..FormWire::named("amazon_waf")
            },
        )],
        json: &[
            (
                &[
                    JsonDialect::AntiCaptcha,
                    JsonDialect::TwoCaptchaV2,
                    JsonDialect::Generic,
                ],
                json(TypeNames::pair("AmazonTaskProxyless", "AmazonTask"), &[]),
            ),
            // CapMonster types both scripts as required.
            (
                &[JsonDialect::CapMonster],
                json(
                    TypeNames::one("AmazonTask"),
                    &["challenge_script", "captcha_script"],
                ),
            ),
        ],
    },
};
