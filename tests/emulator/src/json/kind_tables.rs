//! Each provider's table of the kinds read by [`super::kinds`]: per type name and variant,
//! the fields (spellings, required or not, value checks), the proxy rule and the solution's
//! shape. Facts from `PROVIDERS-KINDS.md`, the project's research document kept outside the
//! repository (its source keys are cited per provider; `docs/kinds-choices.md` lists them with
//! their commits and URLs); where it leaves them open, `docs/kinds-choices.md` decides, as
//! noted at the table.

use super::kinds::{
    AUDIO_LANGS, Check, Field, Need, Shape, Spec, Variant, When, always, group, opt, req, spec,
    when,
};
use super::profile::ProxyUse;
use crate::kind::Kind;

use Check::*;
use Need::{AnyOf, ExactlyOne, WithProxy};

const URL: Field = req(&["websiteURL"], "website_url", Url);
const KEY: Field = req(&["websiteKey"], "website_key", SiteKey);
/// Amazon's key (gokuProps.key) is base64.
const AWS_KEY: Field = req(&["websiteKey"], "website_key", AnyKey);
const UA: Field = opt(&["userAgent"], "user_agent", Text);
const UA_REQUIRED: Field = req(&["userAgent"], "user_agent", Text);
const UA_WITH_PROXY: Field = group(WithProxy, &["userAgent"], "user_agent", Text);
const GT: Field = req(&["gt"], "gt", Text);
const CHALLENGE: Field = req(&["challenge"], "challenge", Text);
const API_SERVER: Field = opt(&["geetestApiServerSubdomain"], "api_server", Text);
const GET_LIB: Field = opt(&["geetestGetLib"], "get_lib", Any);
/// v3 tasks may say `version: 3`; `version: 4` picks the v4 variant.
const VERSION_3: Field = opt(&["version"], "version", Int(3, 3));
const VERSION_4: Field = req(&["version"], "version", Int(4, 4));
const INIT: Field = opt(&["initParameters"], "init_parameters", Object);
const BODY: Field = req(&["body"], "image", Image);
const INSTRUCTIONS: Field = opt(&["comment"], "instructions", Text);
const INSTRUCTIONS_IMAGE: Field = opt(&["imgInstructions"], "instructions_image", Image);
const MIN_CLICKS: Field = opt(&["minClicks"], "min_clicks", Int(1, 20));
const MAX_CLICKS: Field = opt(&["maxClicks"], "max_clicks", Int(1, 20));

const V4: When = When::FieldIs("version", "4");

// anti-captcha (AC-DOC, AC-JS, AC-PY). GeeTest solutions: docs/kinds-choices.md 4.

static AC_GEETEST: Spec = spec(
    Kind::GeeTest,
    &[
        URL,
        GT,
        CHALLENGE,
        API_SERVER,
        GET_LIB,
        VERSION_3,
        UA_WITH_PROXY,
    ],
    Shape::GeeTest { seccode: true },
);
static AC_GEETEST_V4: Spec = spec(
    Kind::GeeTestV4,
    &[
        URL,
        req(&["gt"], "captcha_id", Text),
        VERSION_4,
        INIT,
        API_SERVER,
        GET_LIB,
        UA_WITH_PROXY,
    ],
    Shape::GeeTestV4 { risk_type: false },
);
pub(crate) static AC_GEETEST_VARIANTS: [Variant; 2] =
    [when(V4, &AC_GEETEST_V4), always(&AC_GEETEST)];

/// gokuProps mode; the widget mode (`jsapiScript`, `wafType`) is not used
/// (docs/kinds-choices.md 6).
static AC_AMAZON: Spec = spec(
    Kind::AmazonWaf,
    &[
        URL,
        AWS_KEY,
        req(&["iv"], "iv", Text),
        req(&["context"], "context", Text),
        opt(&["captchaScript"], "captcha_script", Link),
        opt(&["challengeScript"], "challenge_script", Link),
        UA,
    ],
    Shape::AmazonToken,
);
pub(crate) static AC_AMAZON_VARIANTS: [Variant; 1] = [always(&AC_AMAZON)];

static AC_FRIENDLY: Spec = spec(Kind::FriendlyCaptcha, &[URL, KEY, UA], Shape::Token);
pub(crate) static AC_FRIENDLY_VARIANTS: [Variant; 1] = [always(&AC_FRIENDLY)];

static AC_COORDINATES: Spec = spec(
    Kind::Coordinates,
    &[
        BODY,
        INSTRUCTIONS,
        opt(&["mode"], "mode", OneOf(&["points", "rectangles"])),
        opt(&["websiteURL"], "website_url", Link),
    ],
    Shape::PointsPairs,
);
pub(crate) static AC_COORDINATES_VARIANTS: [Variant; 1] = [always(&AC_COORDINATES)];

// CapMonster (CM-JS, CM-PY).

static CM_GEETEST: Spec = spec(
    Kind::GeeTest,
    &[URL, GT, CHALLENGE, API_SERVER, GET_LIB, VERSION_3, UA],
    Shape::GeeTest { seccode: true },
);
static CM_GEETEST_V4: Spec = spec(
    Kind::GeeTestV4,
    &[
        URL,
        req(&["gt"], "captcha_id", Text),
        VERSION_4,
        INIT,
        API_SERVER,
        GET_LIB,
        UA,
    ],
    Shape::GeeTestV4 { risk_type: false },
);
pub(crate) static CM_GEETEST_VARIANTS: [Variant; 2] =
    [when(V4, &CM_GEETEST_V4), always(&CM_GEETEST)];

/// Every gokuProps field is typed as required.
static CM_AMAZON: Spec = spec(
    Kind::AmazonWaf,
    &[
        URL,
        req(&["challengeScript"], "challenge_script", Link),
        req(&["captchaScript"], "captcha_script", Link),
        AWS_KEY,
        req(&["context"], "context", Text),
        req(&["iv"], "iv", Text),
        opt(&["cookieSolution"], "cookie_solution", Bool),
        UA,
    ],
    Shape::AmazonCapMonster,
);
pub(crate) static CM_AMAZON_VARIANTS: [Variant; 1] = [always(&CM_AMAZON)];

/// `CustomTask` with `class: "DataDome"`: the cookie is required, and exactly one of the
/// captcha URL or the page's HTML.
static CM_DATADOME: Spec = spec(
    Kind::DataDome,
    &[
        URL,
        req(&["class"], "class", Text),
        req(&["metadata.datadomeCookie"], "datadome_cookie", Text),
        group(ExactlyOne(1), &["metadata.captchaUrl"], "captcha_url", Link),
        group(ExactlyOne(1), &["metadata.htmlPageBase64"], "html", Text),
        opt(&["metadata.datadomeVersion"], "datadome_version", Text),
        UA,
    ],
    Shape::DataDomeDomains,
);
pub(crate) static CM_CUSTOM_VARIANTS: [Variant; 1] =
    [when(When::FieldIs("class", "DataDome"), &CM_DATADOME)];

static CM_MT: Spec = spec(
    Kind::MtCaptcha,
    &[
        URL,
        KEY,
        opt(&["pageAction"], "action", Text),
        opt(&["isInvisible"], "invisible", Bool),
        UA,
    ],
    Shape::Token,
);
pub(crate) static CM_MT_VARIANTS: [Variant; 1] = [always(&CM_MT)];

/// `ComplexImageTask` with `class: "recaptcha"`: images (base64 or URLs), the grid size and
/// the task's words.
static CM_GRID: Spec = spec(
    Kind::Grid,
    &[
        req(&["class"], "class", Text),
        group(AnyOf(1), &["imagesBase64"], "images", Images),
        group(AnyOf(1), &["imageUrls"], "image_urls", ImageUrls),
        req(&["metadata.Grid"], "grid", OneOf(&["3x3", "4x4", "1x1"])),
        group(AnyOf(2), &["metadata.Task"], "instructions", Text),
        group(
            AnyOf(2),
            &["metadata.TaskDefinition"],
            "task_definition",
            Text,
        ),
        opt(&["websiteURL"], "website_url", Link),
        UA,
    ],
    Shape::GridBools,
);
pub(crate) static CM_COMPLEX_IMAGE_VARIANTS: [Variant; 1] =
    [when(When::FieldIs("class", "recaptcha"), &CM_GRID)];

/// `TurnstileTask` in cf_clearance mode: the py client refuses it without the page's HTML,
/// the user agent and a proxy.
static CM_CLOUDFLARE: Spec = Spec {
    proxy: Some(ProxyUse::Required),
    ..spec(
        Kind::CloudflareChallenge,
        &[
            URL,
            KEY,
            req(&["cloudflareTaskType"], "cloudflare_task_type", Text),
            req(&["htmlPageBase64"], "html", Text),
            UA_REQUIRED,
            opt(&["pageAction"], "action", Text),
            opt(&["data"], "cdata", Text),
            opt(&["pageData"], "page_data", Text),
            opt(&["apiJsUrl"], "api_js_url", Link),
        ],
        Shape::CfClearance,
    )
};
pub(crate) static CM_TURNSTILE_VARIANTS: [Variant; 1] = [when(
    When::FieldIs("cloudflareTaskType", "cf_clearance"),
    &CM_CLOUDFLARE,
)];

// CapSolver (CS-GO, CS-DOC, CL-CS).

static CS_CLOUDFLARE: Spec = Spec {
    proxy: Some(ProxyUse::Required),
    ..spec(
        Kind::CloudflareChallenge,
        &[URL, UA, opt(&["html"], "html", Text)],
        Shape::CfTokenCookies,
    )
};
pub(crate) static CS_CLOUDFLARE_VARIANTS: [Variant; 1] = [always(&CS_CLOUDFLARE)];

/// CapSolver's GeeTest v3 answer has no `seccode` (docs/kinds-choices.md 8); v4 is told apart by
/// `captchaId`.
static CS_GEETEST: Spec = spec(
    Kind::GeeTest,
    &[URL, GT, CHALLENGE, API_SERVER, UA],
    Shape::GeeTest { seccode: false },
);
static CS_GEETEST_V4: Spec = spec(
    Kind::GeeTestV4,
    &[URL, req(&["captchaId"], "captcha_id", Text), API_SERVER, UA],
    Shape::GeeTestV4 { risk_type: true },
);
pub(crate) static CS_GEETEST_VARIANTS: [Variant; 2] = [
    when(When::Has("captchaId"), &CS_GEETEST_V4),
    always(&CS_GEETEST),
];

/// `DataDomeSliderTask`: no `websiteURL` required, a proxy always.
static CS_DATADOME: Spec = Spec {
    proxy: Some(ProxyUse::Required),
    ..spec(
        Kind::DataDome,
        &[
            req(&["captchaUrl"], "captcha_url", Link),
            UA_REQUIRED,
            opt(&["websiteURL"], "website_url", Link),
        ],
        Shape::DataDomeCookie,
    )
};
pub(crate) static CS_DATADOME_VARIANTS: [Variant; 1] = [always(&CS_DATADOME)];

static CS_MT: Spec = spec(Kind::MtCaptcha, &[URL, KEY], Shape::Token);
pub(crate) static CS_MT_VARIANTS: [Variant; 1] = [always(&CS_MT)];

/// `ReCaptchaV2Classification`: one tile image and the question's code; answered in the
/// createTask reply.
static CS_GRID: Spec = Spec {
    sync: true,
    ..spec(
        Kind::Grid,
        &[
            req(&["image"], "image", Image),
            req(&["question"], "question", Text),
            opt(&["websiteURL"], "website_url", Link),
            opt(&["websiteKey"], "website_key", Text),
        ],
        Shape::GridObjects,
    )
};
pub(crate) static CS_GRID_VARIANTS: [Variant; 1] = [always(&CS_GRID)];

// 2captcha API v2 (2C-DOC for coordinates and grid; CL and OX for the others).

static TC_GEETEST: Spec = spec(
    Kind::GeeTest,
    &[URL, GT, CHALLENGE, API_SERVER, UA, VERSION_3],
    Shape::GeeTest { seccode: true },
);
/// v4: `version: 4` and `initParameters.captcha_id`.
static TC_GEETEST_V4: Spec = spec(
    Kind::GeeTestV4,
    &[
        URL,
        VERSION_4,
        req(&["initParameters.captcha_id"], "captcha_id", Text),
        INIT,
        UA,
    ],
    Shape::GeeTestV4 { risk_type: false },
);
pub(crate) static TC_GEETEST_VARIANTS: [Variant; 2] =
    [when(V4, &TC_GEETEST_V4), always(&TC_GEETEST)];

static TC_AMAZON: Spec = spec(
    Kind::AmazonWaf,
    &[
        URL,
        AWS_KEY,
        req(&["iv"], "iv", Text),
        req(&["context"], "context", Text),
        opt(&["challengeScript"], "challenge_script", Link),
        opt(&["captchaScript"], "captcha_script", Link),
        UA,
    ],
    Shape::AmazonVoucher,
);
pub(crate) static TC_AMAZON_VARIANTS: [Variant; 1] = [always(&TC_AMAZON)];

static TC_DATADOME: Spec = Spec {
    proxy: Some(ProxyUse::Required),
    ..spec(
        Kind::DataDome,
        &[URL, req(&["captchaUrl"], "captcha_url", Link), UA_REQUIRED],
        Shape::DataDomeCookie,
    )
};
pub(crate) static TC_DATADOME_VARIANTS: [Variant; 1] = [always(&TC_DATADOME)];

static TC_MT: Spec = spec(Kind::MtCaptcha, &[URL, KEY, UA], Shape::Token);
pub(crate) static TC_MT_VARIANTS: [Variant; 1] = [always(&TC_MT)];

/// Lemin (2C v2 `LeminTask[Proxyless]`: websiteURL, captchaId, divId,
/// leminApiServerSubdomain; solution `{answer, challenge_id}`).
static TC_LEMIN: Spec = spec(
    Kind::Lemin,
    &[
        URL,
        req(&["captchaId"], "captcha_id", Text),
        req(&["divId"], "div_id", Text),
        opt(&["leminApiServerSubdomain"], "api_server", Text),
        UA,
    ],
    Shape::Lemin,
);
pub(crate) static TC_LEMIN_VARIANTS: [Variant; 1] = [always(&TC_LEMIN)];

static TC_FRIENDLY: Spec = spec(Kind::FriendlyCaptcha, &[URL, KEY, UA], Shape::Token);
pub(crate) static TC_FRIENDLY_VARIANTS: [Variant; 1] = [always(&TC_FRIENDLY)];

static TC_COORDINATES: Spec = spec(
    Kind::Coordinates,
    &[
        BODY,
        INSTRUCTIONS,
        INSTRUCTIONS_IMAGE,
        MIN_CLICKS,
        MAX_CLICKS,
    ],
    Shape::PointsXY,
);
pub(crate) static TC_COORDINATES_VARIANTS: [Variant; 1] = [always(&TC_COORDINATES)];

/// `GridTask`: words or a picture of them, one of the two.
static TC_GRID: Spec = spec(
    Kind::Grid,
    &[
        BODY,
        group(AnyOf(1), &["comment"], "instructions", Text),
        group(AnyOf(1), &["imgInstructions"], "instructions_image", Image),
        opt(&["rows"], "rows", Int(1, 10)),
        opt(&["columns"], "columns", Int(1, 10)),
        MIN_CLICKS,
        MAX_CLICKS,
        opt(&["canNoAnswer"], "can_no_answer", Int(0, 1)),
        opt(&["previousId"], "previous_id", Any),
        opt(&["imgType"], "img_type", Text),
    ],
    Shape::GridClick0,
);
pub(crate) static TC_GRID_VARIANTS: [Variant; 1] = [always(&TC_GRID)];

static TC_TEXT: Spec = spec(
    Kind::TextCaptcha,
    &[req(&["comment"], "text", Text)],
    Shape::Text,
);
pub(crate) static TC_TEXT_VARIANTS: [Variant; 1] = [always(&TC_TEXT)];

static TC_AUDIO: Spec = spec(
    Kind::Audio,
    &[
        req(&["body"], "audio", Audio),
        req(&["lang"], "language", OneOf(AUDIO_LANGS)),
    ],
    Shape::Text,
);
pub(crate) static TC_AUDIO_VARIANTS: [Variant; 1] = [always(&TC_AUDIO)];

static TC_ROTATE: Spec = spec(
    Kind::Rotate,
    &[
        BODY,
        opt(&["angle"], "angle_step", Int(1, 359)),
        INSTRUCTIONS,
        INSTRUCTIONS_IMAGE,
    ],
    Shape::Rotate,
);
pub(crate) static TC_ROTATE_VARIANTS: [Variant; 1] = [always(&TC_ROTATE)];
