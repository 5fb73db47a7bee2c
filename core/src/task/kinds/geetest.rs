//! GeeTest v3 (`gt` and a fresh `challenge`) and v4 (`captcha_id`).

use super::prelude::*;
use crate::error::{Error, Result};

kind! {
    /// GeeTest v3: the slide puzzle identified by the page's `gt` and a fresh `challenge`.
    GeeTest {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The `gt` value the page passes to `initGeetest`.
            gt: key,
            /// The `challenge` value, fresh for each solve (it expires within minutes).
            challenge: text,
        }
        optional {
            /// The API server's domain, when the page names one (`api-na.geetest.com`).
            api_server: domain,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

kind! {
    /// GeeTest v4: identified by the page's `captcha_id`.
    GeeTestV4 {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The `captcha_id` the page passes to `initGeetest4`.
            captcha_id: key,
        }
        optional {
            /// Further values the page passes to `initGeetest4` (such as `riskType`).
            init_parameters: json_map,
            /// The API server's domain, when the page names one.
            api_server: domain,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
        rules: GeeTestV4::rules,
    }
}

/// The v4 init parameters the providers' documents name, as (the page's camelCase, as passed
/// to `initGeetest4`; the snake_case of GeeTest's load request). A caller may give either;
/// each provider receives its own ([`INIT_TO_SNAKE`], [`INIT_TO_CAMEL`]); any other key goes
/// as given.
///
/// - `riskType` / `risk_type`: 2captcha's form API names `risk_type` (2C-JS `geetestV4`,
///   `paramsGeeTestV4`); anti-captcha's SDK passes `initParameters: {riskType: ..}` (AC-JS
///   README, `solveGeeTestV4Proxyless`), and so does CapMonster's (CM-PY
///   `examples/geeTestv4.py`). 2captcha v2 documents only `captcha_id` inside
///   `initParameters`, in snake_case like its form API: we send `risk_type` there too.
const INIT_NAMES: &[(&str, &str)] = &[("riskType", "risk_type")];

/// [`INIT_NAMES`] from the page's spelling to snake_case (2captcha, form and v2).
const INIT_TO_SNAKE: &[(&str, &str)] = INIT_NAMES;

/// [`INIT_NAMES`] from snake_case to the page's spelling (anti-captcha, CapMonster).
const INIT_TO_CAMEL: &[(&str, &str)] = &[("risk_type", "riskType")];

impl GeeTestV4 {
    /// Both spellings of one init parameter are one value: two different ones are refused
    /// rather than one of them dropped.
    fn rules(&self) -> Result<()> {
        for (camel, snake) in INIT_NAMES {
            if let (Some(a), Some(b)) = (
                self.init_parameters.get(*camel),
                self.init_parameters.get(*snake),
            ) && a != b
            {
                return Err(Error::invalid_field(
                    "init_parameters",
                    format!(
                        "holds both {camel} and {snake} with different values: they are one parameter, give it once"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Adds an `initGeetest4` value, by the page's name (`riskType`): each provider receives
    /// the documented init parameters in its own spelling (`risk_type` at 2captcha, `riskType`
    /// at anti-captcha and CapMonster), and any other name as given.
    pub fn init_parameter(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.init_parameters.insert(name.into(), value.into());
        self
    }
}

/// The three values every provider returns for v3, by their json names.
const V3_JSON: &[(&str, &str)] = &[
    ("challenge", "challenge"),
    ("validate", "validate"),
    ("seccode", "seccode"),
];

/// The five values of v4, named alike everywhere.
const V4_KEYS: &[(&str, &str)] = &[
    ("captcha_id", "captcha_id"),
    ("lot_number", "lot_number"),
    ("pass_token", "pass_token"),
    ("gen_time", "gen_time"),
    ("captcha_output", "captcha_output"),
];

const V3_FIELDS: &[WireField] = &[
    f("website_url", "websiteURL"),
    f("gt", "gt"),
    f("challenge", "challenge"),
    f("api_server", "geetestApiServerSubdomain"),
    f("user_agent", "userAgent"),
];

const fn v3(types: TypeNames) -> JsonWire {
    JsonWire {
        decode: Decode::GeeTest(V3_JSON),
        ..JsonWire::new(types, V3_FIELDS)
    }
}

/// 2captcha v2 names the version (its v4 takes the same type names).
const V3_2C: JsonWire = JsonWire {
    constants: &[("version", Const::Int(3))],
    ..v3(V3_PAIR)
};

const V3_PAIR: TypeNames = TypeNames::pair("GeeTestTaskProxyless", "GeeTestTask");

/// The catalogue entry of v3.
pub(crate) static V3: KindSpec = KindSpec {
    kind: TaskKind::GeeTest,
    doc: GeeTest::DOC,
    fields: GeeTest::FIELDS,
    answer: "`data` as compact JSON",
    data: &[
        DataSpec {
            name: "challenge",
            ty: "string",
            always: true,
            doc: "`geetest_challenge`",
        },
        DataSpec {
            name: "validate",
            ty: "string",
            always: true,
            doc: "`geetest_validate`",
        },
        DataSpec {
            name: "seccode",
            ty: "string",
            always: true,
            doc: "`geetest_seccode`",
        },
    ],
    class: Class::Token,
    form_waits: (15, 120),
    example: r#"{"type": "GeeTest", "website_url": "https://example.com/login", "gt": "81388ea1fc187e0c335c0a8907ff2625", "challenge": "2e2f0f65240058b683cb6ea21c303eea"}"#,
    wire: Wire {
        form: &[
            (
                TWO_CAPTCHA,
                FormWire {
                    fields: &[
                        f("gt", "gt"),
                        f("challenge", "challenge"),
                        f("website_url", "pageurl"),
                        f("api_server", "api_server"),
                        f("user_agent", "userAgent"),
                    ],
                    poll: FormPoll::AloneJson,
                    decode: Decode::GeeTest(&[
                        ("geetest_challenge", "challenge"),
                        ("geetest_validate", "validate"),
                        ("geetest_seccode", "seccode"),
                    ]),
                    ..FormWire::named("geetest")
                },
            ),
            (
                // CaptchaAI's example names no user agent; its answer may be the JSON object
                // as a string (the decoder reads both).
                &[FormDialect::CaptchaAi],
                FormWire {
                    fields: &[
                        f("gt", "gt"),
                        f("challenge", "challenge"),
                        f("website_url", "pageurl"),
                        f("api_server", "api_server"),
                    ],
                    poll: FormPoll::AloneJson,
                    decode: Decode::GeeTest(&[
                        ("geetest_challenge", "challenge"),
                        ("geetest_validate", "validate"),
                        ("geetest_seccode", "seccode"),
                    ]),
                    ..FormWire::named("geetest")
                },
            ),
        ],
        json: &[
            (AC_LIKE, v3(V3_PAIR)),
            (&[JsonDialect::TwoCaptchaV2], V3_2C),
            // CapMonster's SDK sends `GeeTestTask` with the proxy optional.
            (
                &[JsonDialect::CapMonster],
                v3(TypeNames::one("GeeTestTask")),
            ),
            // CapSolver lists no `seccode`: the decoder derives it (`validate|jordan`).
            (
                &[JsonDialect::CapSolver],
                v3(TypeNames::pair("GeeTestTaskProxyLess", "GeeTestTask")),
            ),
        ],
    },
};

const V4_GT_SERVER: &[WireField] = &[
    f("website_url", "websiteURL"),
    f("captcha_id", "gt"),
    fe(
        "init_parameters",
        "initParameters",
        Enc::MergeRenamed(INIT_TO_CAMEL),
    ),
    f("api_server", "geetestApiServerSubdomain"),
    f("user_agent", "userAgent"),
];
const V4_GT: &[WireField] = &[
    f("website_url", "websiteURL"),
    f("captcha_id", "gt"),
    fe(
        "init_parameters",
        "initParameters",
        Enc::MergeRenamed(INIT_TO_CAMEL),
    ),
    f("user_agent", "userAgent"),
];

/// v4 at the providers that take `gt` = captcha_id and `version: 4`; init parameters in the
/// page's camelCase.
const fn v4_gt(types: TypeNames, api_server: bool) -> JsonWire {
    JsonWire {
        constants: &[("version", Const::Int(4))],
        decode: Decode::Object(V4_KEYS),
        ..JsonWire::new(types, if api_server { V4_GT_SERVER } else { V4_GT })
    }
}

/// The catalogue entry of v4.
pub(crate) static V4: KindSpec = KindSpec {
    kind: TaskKind::GeeTestV4,
    doc: GeeTestV4::DOC,
    fields: GeeTestV4::FIELDS,
    answer: "`data` as compact JSON",
    data: &[
        DataSpec {
            name: "captcha_id",
            ty: "string",
            always: true,
            doc: "the captcha id",
        },
        DataSpec {
            name: "lot_number",
            ty: "string",
            always: true,
            doc: "`lot_number`",
        },
        DataSpec {
            name: "pass_token",
            ty: "string",
            always: true,
            doc: "`pass_token`",
        },
        DataSpec {
            name: "gen_time",
            ty: "string",
            always: true,
            doc: "`gen_time`",
        },
        DataSpec {
            name: "captcha_output",
            ty: "string",
            always: true,
            doc: "`captcha_output`",
        },
    ],
    class: Class::Token,
    form_waits: (15, 120),
    example: r#"{"type": "GeeTestV4", "website_url": "https://example.com/login", "captcha_id": "e392e1d7fd421dc63325744d5a2b9c73"}"#,
    wire: Wire {
        form: &[
            (
                TWO_CAPTCHA,
                FormWire {
                    fields: &[
                        f("captcha_id", "captcha_id"),
                        f("website_url", "pageurl"),
                        // Each init parameter as a field of its own, in 2captcha's
                        // snake_case (`riskType` -> `risk_type`).
                        fe("init_parameters", "", Enc::MergeRenamed(INIT_TO_SNAKE)),
                        f("user_agent", "userAgent"),
                    ],
                    poll: FormPoll::AloneJson,
                    decode: Decode::Object(V4_KEYS),
                    ..FormWire::named("geetest_v4")
                },
            ),
            (
                // CaptchaAI: method `geetest` with `version=4` and the captcha id as `gt`.
                &[FormDialect::CaptchaAi],
                FormWire {
                    constants: &[("version", "4")],
                    fields: &[f("captcha_id", "gt"), f("website_url", "pageurl")],
                    refuses: &["init_parameters"],
                    poll: FormPoll::AloneJson,
                    decode: Decode::Object(V4_KEYS),
                    ..FormWire::named("geetest")
                },
            ),
        ],
        json: &[
            (
                // 2captcha v2: the captcha id inside `initParameters`, which is snake_case
                // (`captcha_id`, `risk_type`).
                &[JsonDialect::TwoCaptchaV2],
                JsonWire {
                    constants: &[("version", Const::Int(4))],
                    decode: Decode::Object(V4_KEYS),
                    ..JsonWire::new(
                        V3_PAIR,
                        &[
                            f("website_url", "websiteURL"),
                            fe(
                                "init_parameters",
                                "initParameters",
                                Enc::MergeRenamed(INIT_TO_SNAKE),
                            ),
                            f("captcha_id", "initParameters.captcha_id"),
                            f("user_agent", "userAgent"),
                        ],
                    )
                },
            ),
            (AC_LIKE, v4_gt(V3_PAIR, true)),
            (
                &[JsonDialect::CapMonster],
                v4_gt(TypeNames::one("GeeTestTask"), true),
            ),
            (
                // CapSolver (3P): `captchaId`, no version, no init parameters.
                &[JsonDialect::CapSolver],
                JsonWire {
                    refuses: &["init_parameters"],
                    decode: Decode::Object(V4_KEYS),
                    ..JsonWire::new(
                        TypeNames::pair("GeeTestTaskProxyLess", "GeeTestTask"),
                        &[
                            f("website_url", "websiteURL"),
                            f("captcha_id", "captchaId"),
                            f("api_server", "geetestApiServerSubdomain"),
                            f("user_agent", "userAgent"),
                        ],
                    )
                },
            ),
        ],
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_camel_table_is_the_names_reversed() {
        let camel: Vec<_> = INIT_NAMES.iter().map(|(c, s)| (*s, *c)).collect();
        assert_eq!(INIT_TO_CAMEL.to_vec(), camel);
    }
}
