//! reCAPTCHA v2 and v3, with their Enterprise variants.

use super::prelude::*;

kind! {
    /// reCAPTCHA v2: the checkbox, invisible and enterprise variants.
    RecaptchaV2 {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The site key (the `k` or `data-sitekey` value).
            website_key: key,
        }
        optional {
            /// Invisible reCAPTCHA.
            invisible: flag,
            /// The `data-s` value some Google services use.
            data_s: text,
            /// reCAPTCHA Enterprise.
            enterprise: flag,
            /// Enterprise payload values, such as `{"s": ...}` (implies `enterprise`).
            enterprise_payload: json_map,
            /// Domain the captcha loads from: `google.com` (default) or `recaptcha.net`, with or without `www.` (each provider gets its own spelling).
            api_domain: domain,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Cookies to solve with, as name/value pairs.
            cookies: cookies,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

kind! {
    /// reCAPTCHA v3: score based, no challenge.
    RecaptchaV3 {
        required {
            /// Full URL of the page with the captcha.
            website_url: url,
            /// The site key (the `render=` value of api.js).
            website_key: key,
        }
        optional {
            /// The action passed to `grecaptcha.execute` (default `verify`, as the services assume).
            action: text_or("verify"),
            /// The score needed, 0.1 to 0.9; unset lets the service choose.
            min_score: number(0.1, 0.9),
            /// reCAPTCHA Enterprise.
            enterprise: flag,
            /// Enterprise payload values, such as `{"s": ...}` (implies `enterprise`).
            enterprise_payload: json_map,
            /// Domain the captcha loads from: `google.com` (default) or `recaptcha.net`, with or without `www.` (each provider gets its own spelling).
            api_domain: domain,
            /// The browser user agent to solve with.
            user_agent: text,
            /// Cookies to solve with, as name/value pairs.
            cookies: cookies,
            /// Proxy for the worker; without one the service solves from its own addresses.
            proxy: proxy,
        }
    }
}

impl RecaptchaV2 {
    /// Adds a cookie.
    pub fn cookie(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.cookies.push((name.into(), value.into()));
        self
    }

    /// Adds an enterprise payload value (and makes the task an Enterprise one).
    pub fn enterprise_payload(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.enterprise_payload.insert(name.into(), value.into());
        self
    }
}

impl RecaptchaV3 {
    /// The action the services assume when none is given.
    pub const DEFAULT_ACTION: &'static str = "verify";

    /// Adds a cookie.
    pub fn cookie(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.cookies.push((name.into(), value.into()));
        self
    }

    /// Adds an enterprise payload value (and makes the task an Enterprise one).
    pub fn enterprise_payload(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.enterprise_payload.insert(name.into(), value.into());
        self
    }
}

/// The form protocol's `enterprise=1`, sent for the flag or for a payload alone: a payload
/// makes the task an Enterprise one in every family (the json ones choose the Enterprise type
/// by the same rule, `When::AnySet`).
const IMPLIED_BY_PAYLOAD: Enc = Enc::FlagIfAny(&["enterprise_payload"]);

/// The form protocol's `domain`: `google.com` or `recaptcha.net`, never with `www.`.
const FORM_DOMAIN: Enc = Enc::WwwHost(false);
/// anti-captcha's `apiDomain`: only `www.google.com` or `www.recaptcha.net`.
const AC_DOMAIN: Enc = Enc::WwwHost(true);
/// 2captcha API v2's `apiDomain`: `google.com` or `recaptcha.net`, as in its form protocol.
const TWO_DOMAIN: Enc = Enc::WwwHost(false);

/// Fields every json dialect sends for v2, cookies written as `cookies`, `apiDomain` as
/// `$domain` has it.
macro_rules! v2_fields {
    ($cookies:expr, $data_s:expr) => {
        v2_fields!($cookies, $data_s, Enc::Plain)
    };
    ($cookies:expr, $data_s:expr, $domain:expr) => {
        &[
            f("website_url", "websiteURL"),
            f("website_key", "websiteKey"),
            fe("enterprise_payload", "enterprisePayload", Enc::Merge),
            f("data_s", $data_s),
            f("invisible", "isInvisible"),
            fe("api_domain", "apiDomain", $domain),
            f("user_agent", "userAgent"),
            fe("cookies", "cookies", $cookies),
        ]
    };
}

/// Enterprise types carry `s` in the payload object every provider documents; plain ones
/// in `recaptchaDataSValue`.
const V2_HEADER_ENT: &[WireField] = v2_fields!(Enc::CookiesHeader, "enterprisePayload.s");
const V2_HEADER: &[WireField] = v2_fields!(Enc::CookiesHeader, "recaptchaDataSValue");
const V2_OBJECTS_ENT: &[WireField] = v2_fields!(Enc::CookiesObjects, "enterprisePayload.s");
const V2_OBJECTS: &[WireField] = v2_fields!(Enc::CookiesObjects, "recaptchaDataSValue");
const V2_AC_ENT_FIELDS: &[WireField] =
    v2_fields!(Enc::CookiesHeader, "enterprisePayload.s", AC_DOMAIN);
const V2_AC_FIELDS: &[WireField] = v2_fields!(Enc::CookiesHeader, "recaptchaDataSValue", AC_DOMAIN);
const V2_TWO_ENT_FIELDS: &[WireField] =
    v2_fields!(Enc::CookiesHeader, "enterprisePayload.s", TWO_DOMAIN);
const V2_TWO_FIELDS: &[WireField] =
    v2_fields!(Enc::CookiesHeader, "recaptchaDataSValue", TWO_DOMAIN);

/// The Enterprise variant (`enterprise` or a payload given) and the plain one, with these
/// type names and cookie encoding.
const fn v2(plain: TypeNames, enterprise: TypeNames, cookies: Enc) -> [JsonWire; 2] {
    match cookies {
        Enc::CookiesObjects => v2_with(plain, enterprise, V2_OBJECTS_ENT, V2_OBJECTS),
        _ => v2_with(plain, enterprise, V2_HEADER_ENT, V2_HEADER),
    }
}

/// [`v2`] with these fields for the Enterprise variant and the plain one.
const fn v2_with(
    plain: TypeNames,
    enterprise: TypeNames,
    ent: &'static [WireField],
    pl: &'static [WireField],
) -> [JsonWire; 2] {
    [
        JsonWire {
            when: When::AnySet(&["enterprise", "enterprise_payload"]),
            ..JsonWire::new(enterprise, ent)
        },
        JsonWire::new(plain, pl),
    ]
}

const V2_AC_PLAIN: TypeNames = TypeNames::pair("RecaptchaV2TaskProxyless", "RecaptchaV2Task");
const V2_AC_ENT: TypeNames = TypeNames::pair(
    "RecaptchaV2EnterpriseTaskProxyless",
    "RecaptchaV2EnterpriseTask",
);
/// NextCaptcha and custom services: anti-captcha's names, `apiDomain` as given.
const V2_AC: [JsonWire; 2] = v2(V2_AC_PLAIN, V2_AC_ENT, Enc::CookiesHeader);
/// anti-captcha itself: `apiDomain` with `www.`.
const V2_ANTI: [JsonWire; 2] = v2_with(V2_AC_PLAIN, V2_AC_ENT, V2_AC_ENT_FIELDS, V2_AC_FIELDS);
/// 2captcha API v2: `apiDomain` without `www.`.
const V2_TWO: [JsonWire; 2] = v2_with(V2_AC_PLAIN, V2_AC_ENT, V2_TWO_ENT_FIELDS, V2_TWO_FIELDS);
/// CapMonster: one type name per kind, proxy optional. The docs' current names; the SDKs'
/// legacy `NoCaptchaTask` is not known to be accepted still.
const V2_CM: [JsonWire; 2] = v2(
    TypeNames::one("RecaptchaV2Task"),
    TypeNames::one("RecaptchaV2EnterpriseTask"),
    Enc::CookiesHeader,
);
/// CapSolver: `ReCaptcha…` and `…ProxyLess`; cookies as its cookie page's array of objects.
/// `ReCaptchaV2Task` is missing from the current English page but on the other languages'
/// pages, the SDK enums and the cookie page's example: kept.
const V2_CS: [JsonWire; 2] = v2(
    TypeNames::pair("ReCaptchaV2TaskProxyLess", "ReCaptchaV2Task"),
    TypeNames::pair(
        "ReCaptchaV2EnterpriseTaskProxyLess",
        "ReCaptchaV2EnterpriseTask",
    ),
    Enc::CookiesObjects,
);

/// NextCaptcha and custom services share anti-captcha's names (as 2captcha v2 does, with its
/// own `apiDomain` spelling).
const V2_SHARED: &[JsonDialect] = &[JsonDialect::NextCaptcha, JsonDialect::Generic];

const FORM_DIALECTS: &[FormDialect] = &[
    FormDialect::TwoCaptcha,
    FormDialect::CaptchaAi,
    FormDialect::BigCaptcha,
    FormDialect::Generic,
];

const TOKEN: &str = "the token to put in `g-recaptcha-response` (or pass to the page's callback)";

/// The catalogue entry of v2.
pub(crate) static V2: KindSpec = KindSpec {
    kind: TaskKind::RecaptchaV2,
    doc: RecaptchaV2::DOC,
    fields: RecaptchaV2::FIELDS,
    answer: TOKEN,
    data: TOKEN_DATA,
    class: Class::Recaptcha,
    // "15-20 s", and "20 seconds for reCAPTCHA" in the introduction; the service gives up
    // after 300 s.
    form_waits: (20, 330),
    example: r#"{"type": "RecaptchaV2", "website_url": "https://example.com/login", "website_key": "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"}"#,
    wire: Wire {
        form: &[(
            FORM_DIALECTS,
            FormWire {
                fields: &[
                    f("website_key", "googlekey"),
                    f("website_url", "pageurl"),
                    f("invisible", "invisible"),
                    f("data_s", "data-s"),
                    fe("enterprise_payload", "data-s", Enc::PayloadS),
                    fe("enterprise", "enterprise", IMPLIED_BY_PAYLOAD),
                    fe("api_domain", "domain", FORM_DOMAIN),
                    f("user_agent", "userAgent"),
                    fe("cookies", "cookies", Enc::CookiesColon),
                ],
                ..FormWire::named("userrecaptcha")
            },
        )],
        json: &[
            (&[JsonDialect::AntiCaptcha], V2_ANTI[0]),
            (&[JsonDialect::AntiCaptcha], V2_ANTI[1]),
            (&[JsonDialect::TwoCaptchaV2], V2_TWO[0]),
            (&[JsonDialect::TwoCaptchaV2], V2_TWO[1]),
            (V2_SHARED, V2_AC[0]),
            (V2_SHARED, V2_AC[1]),
            (&[JsonDialect::CapMonster], V2_CM[0]),
            (&[JsonDialect::CapMonster], V2_CM[1]),
            (&[JsonDialect::CapSolver], V2_CS[0]),
            (&[JsonDialect::CapSolver], V2_CS[1]),
        ],
    },
};

/// Fields every json dialect sends for v3, `apiDomain` as `$domain` has it.
macro_rules! v3_fields {
    ($score:expr, $cookies:expr) => {
        v3_fields!($score, $cookies, Enc::Plain)
    };
    ($score:expr, $cookies:expr, $domain:expr) => {
        &[
            f("website_url", "websiteURL"),
            f("website_key", "websiteKey"),
            fe("min_score", "minScore", $score),
            f("action", "pageAction"),
            fe("enterprise_payload", "enterprisePayload", Enc::Merge),
            fe("api_domain", "apiDomain", $domain),
            f("user_agent", "userAgent"),
            fe("cookies", "cookies", $cookies),
        ]
    };
}

const ENTERPRISE: When = When::AnySet(&["enterprise", "enterprise_payload"]);

/// anti-captcha (and 2captcha v2, custom services): "v3 has no proxy variant" at
/// anti-captcha; Enterprise is the v3 type with `isEnterprise: true`; "minScore (required;
/// 0.3, 0.7 or 0.9)".
const V3_AC: TypeNames = TypeNames::proxyless("RecaptchaV3TaskProxyless");
const V3_2C: TypeNames = TypeNames::pair("RecaptchaV3TaskProxyless", "RecaptchaV3Task");

/// anti-captcha and 2captcha v2 require a score (the lowest is sent when none is given) and
/// spell `apiDomain` their own ways.
const V3_AC_FIELDS: &[WireField] = v3_fields!(Enc::ScoreOrLowest, Enc::CookiesHeader, AC_DOMAIN);
const V3_TWO_FIELDS: &[WireField] = v3_fields!(Enc::ScoreOrLowest, Enc::CookiesHeader, TWO_DOMAIN);
const V3_HEADER: &[WireField] = v3_fields!(Enc::Score, Enc::CookiesHeader);
const V3_OBJECTS: &[WireField] = v3_fields!(Enc::Score, Enc::CookiesObjects);

const fn v3_flag(types: TypeNames, fields: &'static [WireField]) -> [JsonWire; 2] {
    [
        JsonWire {
            when: ENTERPRISE,
            constants: &[("isEnterprise", Const::Bool(true))],
            ..JsonWire::new(types, fields)
        },
        JsonWire::new(types, fields),
    ]
}

const V3_ANTI: [JsonWire; 2] = v3_flag(V3_AC, V3_AC_FIELDS);
const V3_TWO: [JsonWire; 2] = v3_flag(V3_2C, V3_TWO_FIELDS);
const V3_GENERIC: [JsonWire; 2] = v3_flag(V3_2C, V3_HEADER);

/// CapMonster: the docs offer both `isEnterprise` and a type of its own; the type is the
/// newer page.
const V3_CM: [JsonWire; 2] = [
    JsonWire {
        when: ENTERPRISE,
        ..JsonWire::new(TypeNames::one("RecaptchaV3EnterpriseTask"), V3_HEADER)
    },
    JsonWire::new(TypeNames::proxyless("RecaptchaV3TaskProxyless"), V3_HEADER),
];

const V3_CS: [JsonWire; 2] = [
    JsonWire {
        when: ENTERPRISE,
        ..JsonWire::new(
            TypeNames::pair(
                "ReCaptchaV3EnterpriseTaskProxyLess",
                "ReCaptchaV3EnterpriseTask",
            ),
            V3_OBJECTS,
        )
    },
    JsonWire::new(
        TypeNames::pair("ReCaptchaV3TaskProxyLess", "ReCaptchaV3Task"),
        V3_OBJECTS,
    ),
];

/// NextCaptcha: no v3 Enterprise type is documented.
const V3_NC: [JsonWire; 2] = [
    JsonWire {
        when: ENTERPRISE,
        types: TypeNames {
            proxyless: None,
            proxied: None,
        },
        refusal: "has no reCAPTCHA v3 Enterprise task",
        ..JsonWire::new(V3_2C, &[])
    },
    JsonWire::new(V3_2C, V3_HEADER),
];

/// The catalogue entry of v3.
pub(crate) static V3: KindSpec = KindSpec {
    kind: TaskKind::RecaptchaV3,
    doc: RecaptchaV3::DOC,
    fields: RecaptchaV3::FIELDS,
    answer: TOKEN,
    data: TOKEN_DATA,
    class: Class::Recaptcha,
    // "10-15 s"; the service gives up after 90 s.
    form_waits: (15, 120),
    example: r#"{"type": "RecaptchaV3", "website_url": "https://example.com/", "website_key": "6LfB5_IbAAAAAMCtsjEHEHKqcB9iQocwwxTiihJu", "action": "login", "min_score": 0.7}"#,
    wire: Wire {
        form: &[(
            FORM_DIALECTS,
            FormWire {
                constants: &[("version", "v3")],
                fields: &[
                    f("website_key", "googlekey"),
                    f("website_url", "pageurl"),
                    f("action", "action"),
                    fe("min_score", "min_score", Enc::Score),
                    fe("enterprise_payload", "data-s", Enc::PayloadS),
                    fe("enterprise", "enterprise", IMPLIED_BY_PAYLOAD),
                    fe("api_domain", "domain", FORM_DOMAIN),
                    f("user_agent", "userAgent"),
                    fe("cookies", "cookies", Enc::CookiesColon),
                ],
                ..FormWire::named("userrecaptcha")
            },
        )],
        json: &[
            (&[JsonDialect::AntiCaptcha], V3_ANTI[0]),
            (&[JsonDialect::AntiCaptcha], V3_ANTI[1]),
            (&[JsonDialect::TwoCaptchaV2], V3_TWO[0]),
            (&[JsonDialect::TwoCaptchaV2], V3_TWO[1]),
            (&[JsonDialect::Generic], V3_GENERIC[0]),
            (&[JsonDialect::Generic], V3_GENERIC[1]),
            (&[JsonDialect::CapMonster], V3_CM[0]),
            (&[JsonDialect::CapMonster], V3_CM[1]),
            (&[JsonDialect::CapSolver], V3_CS[0]),
            (&[JsonDialect::CapSolver], V3_CS[1]),
            (&[JsonDialect::NextCaptcha], V3_NC[0]),
            (&[JsonDialect::NextCaptcha], V3_NC[1]),
        ],
    },
};
