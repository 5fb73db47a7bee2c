//! Every dialect x every kind, over raw HTTP: each dialect takes the kinds its provider
//! offers in the provider's own spelling (type names with and without a proxy), refuses a
//! missing required field with the provider's code, refuses a kind it does not offer with
//! its "unsupported" code, and answers in the provider's shape, the same answer as the task
//! info's neutral `data`.
//!
//! The tables below are typed from `PROVIDERS-KINDS.md` and `docs/kinds-choices.md`, not read
//! from the emulator's own tables.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use serde_json::{Value, json};

const KINDS: [&str; 19] = [
    "ImageToText",
    "RecaptchaV2",
    "RecaptchaV3",
    "HCaptcha",
    "FunCaptcha",
    "Turnstile",
    "CloudflareChallenge",
    "GeeTest",
    "GeeTestV4",
    "AmazonWaf",
    "DataDome",
    "MtCaptcha",
    "FriendlyCaptcha",
    "Coordinates",
    "Grid",
    "TextCaptcha",
    "Audio",
    "Rotate",
    "Lemin",
];
/// Kinds of 2captcha's form API outside capbridge's catalogue, which its clients send as
/// their own requests: VK's image captcha (`vkimage`; its own tests: `several_files.rs`).
const FORM_ONLY: [&str; 1] = ["VkImage"];
const ORIGINAL: [&str; 6] = [
    "ImageToText",
    "RecaptchaV2",
    "RecaptchaV3",
    "HCaptcha",
    "FunCaptcha",
    "Turnstile",
];
const FORM: [&str; 5] = ["", "bigcaptcha", "captchaai", "2captcha", "rucaptcha"];
const STRICT_JSON: [&str; 5] = [
    "anti-captcha",
    "capmonster",
    "capsolver",
    "nextcaptcha",
    "2captcha-v2",
];

const GT: &str = "81388ea1fc187e0c335c0a8907ff2625";
const CHALLENGE: &str = "2e2f0f65240058b683cb6ea21c303eea";
const CAPTCHA_ID: &str = "e392e1d7fd421dc63325744d5a2b9c73";
const AWS_KEY: &str = "AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTbNg96AHMDLodoefdvyOnsHMRtEKQAAAAfjB8BgkqhkiG9w0BBwagbzBtAgEAMGgGCSqGSIb3DQEHATAeBglghkgBZQMEAS4wEQQMpXGwJ0rjG1a5v2TzAgEQgDuRrBK6R7kPQ1pt8X1OZ9n4TGS0PzX1dbsoN9Ut3RbmgwYq9WTeEAZN5J1bUpyZumEuJHYR4UFYPUrkDA==";
const MTKEY: &str = "MTPublic-DemoKey9M";
const FRIENDLY_KEY: &str = "FCMST5VUMCBOCGQ9";
const CAPTCHA_URL: &str = "https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAA";
const UA: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const PROXY_FORM: &str = "user:pw@1.2.3.4:3128";
const LEMIN_ID: &str = "CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b";

/// What a docs/kinds-choices.md row says: does this dialect offer this kind?
fn offers(json: bool, dialect: &str, kind: &str) -> bool {
    let list: &[&str] = match (json, dialect) {
        (_, "") => return true,
        (false, "bigcaptcha") => &ORIGINAL,
        (false, "captchaai") => &[
            "ImageToText",
            "RecaptchaV2",
            "RecaptchaV3",
            "HCaptcha",
            "FunCaptcha",
            "Turnstile",
            "CloudflareChallenge",
            "GeeTest",
            "GeeTestV4",
            "Grid",
        ],
        (false, "2captcha" | "rucaptcha") | (true, "2captcha-v2") => {
            return !matches!(kind, "HCaptcha" | "CloudflareChallenge");
        }
        (true, "anti-captcha") => &[
            "ImageToText",
            "RecaptchaV2",
            "RecaptchaV3",
            "HCaptcha",
            "FunCaptcha",
            "Turnstile",
            "GeeTest",
            "GeeTestV4",
            "AmazonWaf",
            "FriendlyCaptcha",
            "Coordinates",
        ],
        (true, "capmonster") => &[
            "ImageToText",
            "RecaptchaV2",
            "RecaptchaV3",
            "FunCaptcha",
            "Turnstile",
            "CloudflareChallenge",
            "GeeTest",
            "GeeTestV4",
            "AmazonWaf",
            "DataDome",
            "MtCaptcha",
            "Grid",
        ],
        (true, "capsolver") => &[
            "ImageToText",
            "RecaptchaV2",
            "RecaptchaV3",
            "HCaptcha",
            "FunCaptcha",
            "Turnstile",
            "CloudflareChallenge",
            "GeeTest",
            "GeeTestV4",
            "DataDome",
            "MtCaptcha",
            "Grid",
        ],
        (true, "nextcaptcha") => &ORIGINAL,
        other => panic!("no dialect {other:?}"),
    };
    list.contains(&kind)
}

fn png() -> String {
    b64(&image("captcha.png"))
}

/// A small mp3: an ID3 tag, one MPEG frame header, silence.
fn mp3() -> String {
    let mut b = b"ID3\x03\x00\x00\x00\x00\x00\x00".to_vec();
    b.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x64]);
    b.extend(std::iter::repeat_n(0u8, 600));
    b64(&b)
}

fn emulator() -> Config {
    Config {
        default_delay: Delay::fixed(0),
        limits: false,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// The form protocol
// ---------------------------------------------------------------------------------------

/// A task in 2captcha's spelling (CaptchaAI's where it differs): `in.php` fields.
fn form_task(dialect: &str, kind: &str) -> Vec<(&'static str, String)> {
    let s = |v: &str| v.to_owned();
    let mut p: Vec<(&'static str, String)> = match kind {
        "ImageToText" => vec![("method", s("base64")), ("body", png())],
        "RecaptchaV2" => vec![
            ("method", s("userrecaptcha")),
            ("googlekey", s(SITEKEY)),
            ("pageurl", s(PAGE)),
            ("enterprise", s("1")),
            ("data-s", s("ds")),
            ("domain", s("recaptcha.net")),
            ("cookies", s("a:b;c:d")),
            ("userAgent", s(UA)),
            ("invisible", s("1")),
        ],
        "RecaptchaV3" => vec![
            ("method", s("userrecaptcha")),
            ("version", s("v3")),
            ("googlekey", s(SITEKEY)),
            ("pageurl", s(PAGE)),
            ("action", s("verify")),
            ("min_score", s("0.3")),
            ("enterprise", s("1")),
        ],
        "HCaptcha" => vec![
            ("method", s("hcaptcha")),
            ("sitekey", s(HSITEKEY)),
            ("pageurl", s(PAGE)),
        ],
        "FunCaptcha" => vec![
            ("method", s("funcaptcha")),
            ("publickey", s(FUNKEY)),
            ("pageurl", s(PAGE)),
        ],
        "Turnstile" => {
            let mut t = vec![
                ("method", s("turnstile")),
                ("sitekey", s(TSKEY)),
                ("pageurl", s(PAGE)),
                ("action", s("login")),
            ];
            if dialect != "captchaai" {
                t.extend([
                    ("data", s("cd")),
                    ("pagedata", s("pd")),
                    ("userAgent", s(UA)),
                ]);
            }
            t
        }
        "CloudflareChallenge" => vec![
            ("method", s("cloudflare_challenge")),
            ("pageurl", s(PAGE)),
            ("proxy", s(PROXY_FORM)),
            ("proxytype", s("HTTP")),
        ],
        "GeeTest" => vec![
            ("method", s("geetest")),
            ("gt", s(GT)),
            ("challenge", s(CHALLENGE)),
            ("pageurl", s(PAGE)),
            ("api_server", s("api-na.geetest.com")),
        ],
        "GeeTestV4" if dialect == "captchaai" => vec![
            ("method", s("geetest")),
            ("version", s("4")),
            ("gt", s(CAPTCHA_ID)),
            ("pageurl", s(PAGE)),
        ],
        "GeeTestV4" => vec![
            ("method", s("geetest_v4")),
            ("captcha_id", s(CAPTCHA_ID)),
            ("pageurl", s(PAGE)),
            ("risk_type", s("slide")),
        ],
        "AmazonWaf" => vec![
            ("method", s("amazon_waf")),
            ("sitekey", s(AWS_KEY)),
            ("iv", s("CgAHbCe2GgAAAAAj")),
            (
                "context",
                s("9BUgmlm48F92WUoqv97a49ZuEJJ50TCk9MVr3C7WMtQ0X6flVbufM4n8mjFLmbLVAPgaQ"),
            ),
            ("pageurl", s(PAGE)),
            (
                "challenge_script",
                s(
                    "https://41bcdd4fb3cb.610cd090.us-east-1.token.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/challenge.js",
                ),
            ),
            (
                "captcha_script",
                s(
                    "https://41bcdd4fb3cb.610cd090.us-east-1.captcha.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/captcha.js",
                ),
            ),
        ],
        "DataDome" => vec![
            ("method", s("datadome")),
            ("captcha_url", s(CAPTCHA_URL)),
            ("pageurl", s(PAGE)),
            ("userAgent", s(UA)),
            ("proxy", s(PROXY_FORM)),
            ("proxytype", s("HTTP")),
        ],
        "MtCaptcha" => vec![
            ("method", s("mt_captcha")),
            ("sitekey", s(MTKEY)),
            ("pageurl", s(PAGE)),
        ],
        "FriendlyCaptcha" => vec![
            ("method", s("friendly_captcha")),
            ("sitekey", s(FRIENDLY_KEY)),
            ("pageurl", s(PAGE)),
        ],
        "Coordinates" => vec![
            ("method", s("base64")),
            ("coordinatescaptcha", s("1")),
            ("body", png()),
            ("textinstructions", s("click the red circles")),
            ("min_clicks", s("2")),
            ("max_clicks", s("2")),
        ],
        "Grid" => vec![
            ("method", s("base64")),
            ("recaptcha", s("1")),
            ("body", png()),
            ("textinstructions", s("select all traffic lights")),
            ("recaptcharows", s("4")),
            ("recaptchacols", s("4")),
        ],
        "TextCaptcha" => vec![
            ("method", s("post")),
            (
                "textcaptcha",
                s("If tomorrow is Saturday, what day is today?"),
            ),
            ("lang", s("en")),
        ],
        "Audio" => vec![("method", s("audio")), ("body", mp3()), ("lang", s("en"))],
        "Rotate" => vec![
            ("method", s("rotatecaptcha")),
            ("body", png()),
            ("angle", s("30")),
        ],
        "Lemin" => vec![
            ("method", s("lemin")),
            ("captcha_id", s(LEMIN_ID)),
            ("div_id", s("lemin-cropped-captcha")),
            ("pageurl", s(PAGE)),
            ("api_server", s("api.leminnow.com")),
        ],
        other => panic!("no kind {other}"),
    };
    p.insert(0, ("key", s(KEY)));
    p
}

/// The field a missing-field check drops, and the code the form protocol answers.
fn form_missing(dialect: &str, kind: &str) -> (&'static str, &'static str) {
    match kind {
        "ImageToText" | "Coordinates" | "Rotate" => ("body", "ERROR_UPLOAD"),
        "RecaptchaV2" => ("googlekey", "ERROR_WRONG_GOOGLEKEY"),
        "RecaptchaV3" | "MtCaptcha" => ("pageurl", "ERROR_PAGEURL"),
        "HCaptcha" | "Turnstile" | "AmazonWaf" | "FriendlyCaptcha" => ("sitekey", "ERROR_SITEKEY"),
        "FunCaptcha" => ("publickey", "ERROR_BAD_PARAMETERS"),
        "CloudflareChallenge" => ("proxy", "ERROR_BAD_PARAMETERS"),
        "GeeTest" => ("challenge", "ERROR_BAD_PARAMETERS"),
        "GeeTestV4" if dialect == "captchaai" => ("gt", "ERROR_BAD_PARAMETERS"),
        "GeeTestV4" => ("captcha_id", "ERROR_BAD_PARAMETERS"),
        "DataDome" => ("captcha_url", "ERROR_BAD_PARAMETERS"),
        "Grid" => ("textinstructions", "ERROR_BAD_PARAMETERS"),
        // Without the question, a `post` is an image task without its file.
        "TextCaptcha" => ("textcaptcha", "ERROR_UPLOAD"),
        "Audio" => ("lang", "ERROR_BAD_PARAMETERS"),
        "Lemin" => ("div_id", "ERROR_BAD_PARAMETERS"),
        other => panic!("no kind {other}"),
    }
}

fn in_php(dialect: &str) -> String {
    format!("{}in.php", base(dialect))
}

fn res_php(dialect: &str) -> String {
    format!("{}res.php", base(dialect))
}

fn pairs<'a>(p: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    p.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Submits with `json=1`: `Ok(id)` or `Err(code)`.
async fn form_submit(
    http: &Http,
    dialect: &str,
    p: &[(&'static str, String)],
) -> Result<String, String> {
    let mut p = pairs(p);
    p.push(("json", "1"));
    let v = http.post(&in_php(dialect), &p).await.json();
    match v["status"].as_i64() {
        Some(1) => Ok(v["request"].as_str().unwrap_or_default().to_owned()),
        _ => Err(v["request"].as_str().unwrap_or_default().to_owned()),
    }
}

/// What the emulator knows of a task, over its admin API.
async fn info(http: &Http, id: &str) -> Value {
    http.admin(reqwest::Method::GET, &format!("tasks/{id}"), None)
        .await
}

/// Checks a form answer (plain text and `json=1` reply) against the task's neutral data.
fn check_form_answer(dialect: &str, kind: &str, plain: &str, reply: &Value, info: &Value) {
    let ctx = format!("{dialect:?} {kind}: {plain} / {reply} / {info}");
    let text = plain.strip_prefix("OK|").unwrap_or_else(|| panic!("{ctx}"));
    assert_eq!(info["answer"], text, "{ctx}");
    let data = &info["data"];
    let request = &reply["request"];
    match kind {
        "GeeTest" | "GeeTestV4" | "AmazonWaf" | "Lemin" => {
            // An object (2captcha), or the same object as JSON text (CaptchaAI).
            let obj: Value = if dialect == "captchaai" {
                serde_json::from_str(request.as_str().unwrap_or_else(|| panic!("{ctx}"))).unwrap()
            } else {
                assert!(request.is_object(), "{ctx}");
                request.clone()
            };
            assert_eq!(serde_json::from_str::<Value>(text).unwrap(), obj, "{ctx}");
            let names: &[(&str, &str)] = match kind {
                "GeeTest" => &[
                    ("geetest_challenge", "challenge"),
                    ("geetest_validate", "validate"),
                    ("geetest_seccode", "seccode"),
                ],
                "GeeTestV4" => &[
                    ("captcha_id", "captcha_id"),
                    ("lot_number", "lot_number"),
                    ("pass_token", "pass_token"),
                    ("gen_time", "gen_time"),
                    ("captcha_output", "captcha_output"),
                ],
                "Lemin" => &[("answer", "answer"), ("challenge_id", "challenge_id")],
                _ => &[
                    ("captcha_voucher", "captcha_voucher"),
                    ("existing_token", "existing_token"),
                ],
            };
            assert_eq!(obj.as_object().unwrap().len(), names.len(), "{ctx}");
            for (wire, neutral) in names {
                assert!(obj[wire].as_str().is_some_and(|s| !s.is_empty()), "{ctx}");
                assert_eq!(obj[wire], data[neutral], "{ctx}");
            }
            match kind {
                "GeeTest" => assert_eq!(data["challenge"], CHALLENGE, "{ctx}"),
                "GeeTestV4" => assert_eq!(data["captcha_id"], CAPTCHA_ID, "{ctx}"),
                _ => {}
            }
        }
        "DataDome" => {
            assert_eq!(request, &data["cookie"], "{ctx}");
            assert!(text.starts_with("datadome=") && text.contains("; Domain=.example.com;"));
        }
        "CloudflareChallenge" => {
            assert_eq!(request, &data["cf_clearance"], "{ctx}");
            assert_eq!(reply["user_agent"], data["user_agent"], "{ctx}");
        }
        "Coordinates" => {
            let points = data["points"].as_array().unwrap();
            assert_eq!(points.len(), 2, "min_clicks = max_clicks = 2: {ctx}");
            let want: Vec<String> = points
                .iter()
                .map(|p| format!("x={},y={}", p["x"], p["y"]))
                .collect();
            assert_eq!(text, format!("coordinates:{}", want.join(";")), "{ctx}");
            assert!(
                points
                    .iter()
                    .all(|p| p["x"].as_u64().unwrap() < 160 && p["y"].as_u64().unwrap() < 60)
            );
            assert_eq!(request, text, "{ctx}");
        }
        "Grid" => {
            let cells: Vec<u64> = data["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_u64().unwrap())
                .collect();
            assert!(
                !cells.is_empty() && cells.iter().all(|c| (1..=16).contains(c)),
                "{ctx}"
            );
            let want: Vec<String> = cells.iter().map(u64::to_string).collect();
            assert_eq!(text, format!("click:{}", want.join("/")), "{ctx}");
            assert_eq!(request, text, "{ctx}");
        }
        "Rotate" => {
            let angle = data["angle"].as_u64().unwrap();
            assert!(
                angle.is_multiple_of(30) && angle > 0 && angle < 360,
                "{ctx}"
            );
            assert_eq!(text, angle.to_string(), "{ctx}");
        }
        "Turnstile" | "HCaptcha" => {
            assert!(data.is_null(), "{ctx}");
            assert_eq!(request, text, "{ctx}");
            assert!(
                reply["useragent"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("Mozilla/5.0")),
                "{ctx}"
            );
        }
        _ => {
            assert!(data.is_null(), "{ctx}");
            assert_eq!(request, text, "{ctx}");
            assert!(!text.is_empty(), "{ctx}");
        }
    }
}

#[tokio::test]
async fn every_form_dialect_x_every_kind() {
    let emu = Emulator::start(emulator()).await.unwrap();
    let http = Http::new(&emu);
    let mut table = Vec::new();
    for dialect in FORM {
        for kind in KINDS {
            if !offers(false, dialect, kind) {
                // The root's spelling of a kind the provider does not offer.
                let code = form_submit(&http, dialect, &form_task("", kind)).await;
                assert_eq!(
                    code,
                    Err("ERROR_BAD_PARAMETERS".into()),
                    "{dialect:?} {kind}"
                );
                table.push(format!("{dialect:>10} {kind:<20} refused"));
                continue;
            }
            let task = form_task(dialect, kind);
            let id = form_submit(&http, dialect, &task)
                .await
                .unwrap_or_else(|e| panic!("{dialect:?} {kind}: {e}"));
            let plain = http
                .get(
                    &res_php(dialect),
                    &[("key", KEY), ("action", "get"), ("id", &id)],
                )
                .await
                .body;
            let reply = http
                .get(
                    &res_php(dialect),
                    &[("key", KEY), ("action", "get"), ("id", &id), ("json", "1")],
                )
                .await
                .json();
            assert_eq!(reply["status"], 1, "{dialect:?} {kind}: {reply}");
            let info = info(&http, &id).await;
            assert_eq!(info["kind"], kind, "{dialect:?}: {info}");
            assert_eq!(info["prefix"], dialect, "{info}");
            assert_eq!(info["status"], "solved");
            check_form_answer(dialect, kind, &plain, &reply, &info);
            // Every field sent reached the task (the proxy and user agent too).
            for (k, v) in &task {
                if !matches!(*k, "key" | "body") {
                    assert_eq!(info["params"][*k], v.as_str(), "{dialect:?} {kind} {k}");
                }
            }
            // A required field missing: the provider's code.
            let (field, code) = form_missing(dialect, kind);
            let without: Vec<_> = task.iter().filter(|(k, _)| *k != field).cloned().collect();
            assert_eq!(without.len() + 1, task.len(), "{kind} has {field}");
            let got = form_submit(&http, dialect, &without).await;
            assert_eq!(
                got,
                Err(code.to_owned()),
                "{dialect:?} {kind} without {field}"
            );
            table.push(format!(
                "{dialect:>10} {kind:<20} solved; without {field}: {code}"
            ));
        }
    }
    eprintln!("{}", table.join("\n"));
    let c = emu.counters();
    let offered = FORM
        .iter()
        .map(|d| KINDS.iter().filter(|k| offers(false, d, k)).count() as u64)
        .sum::<u64>();
    assert_eq!(c.tasks_accepted, offered);
    assert_eq!(offered, 19 + 10 + 6 + 17 + 17);
}

#[tokio::test]
async fn form_details_per_dialect() {
    let emu = Emulator::start(emulator()).await.unwrap();
    let http = Http::new(&emu);
    // CaptchaAI's Turnstile takes `action` only: cData and chlPageData are refused.
    for extra in [("data", "cd"), ("pagedata", "pd")] {
        let mut t = form_task("captchaai", "Turnstile");
        t.push((extra.0, extra.1.to_owned()));
        assert_eq!(
            form_submit(&http, "captchaai", &t).await,
            Err("ERROR_BAD_PARAMETERS".into()),
            "{extra:?}"
        );
        assert!(form_submit(&http, "2captcha", &t).await.is_ok());
    }
    // GeeTest v4 is `geetest` + `version=4` at CaptchaAI only; 2captcha's `geetest` needs a
    // challenge (version is not its field), CaptchaAI has no `geetest_v4`; the root takes both.
    let cai = form_task("captchaai", "GeeTestV4");
    assert_eq!(
        form_submit(&http, "2captcha", &cai).await,
        Err("ERROR_BAD_PARAMETERS".into())
    );
    let two = form_task("2captcha", "GeeTestV4");
    assert_eq!(
        form_submit(&http, "captchaai", &two).await,
        Err("ERROR_BAD_PARAMETERS".into())
    );
    for t in [&cai, &two] {
        let id = form_submit(&http, "", t).await.unwrap();
        assert_eq!(info(&http, &id).await["kind"], "GeeTestV4");
    }
    // 2captcha's v4 risk type is `risk_type` (2C-JS `geetestV4`): the page's `riskType` is no
    // field of its API, refused rather than ignored, wherever `geetest_v4` is served.
    let camel: Vec<_> = two
        .iter()
        .map(|(k, v)| (if *k == "risk_type" { "riskType" } else { *k }, v.clone()))
        .collect();
    assert!(camel.iter().any(|(k, _)| *k == "riskType"));
    for dialect in ["2captcha", "rucaptcha", ""] {
        let id = form_submit(&http, dialect, &two).await.unwrap();
        assert_eq!(info(&http, &id).await["params"]["risk_type"], "slide");
        assert_eq!(
            form_submit(&http, dialect, &camel).await,
            Err("ERROR_BAD_PARAMETERS".into()),
            "{dialect:?}"
        );
    }
    // Grids: CaptchaAI needs the words; 2captcha takes a picture of them instead.
    let mut grid = form_task("2captcha", "Grid");
    grid.retain(|(k, _)| *k != "textinstructions");
    grid.push(("imginstructions", png()));
    assert!(form_submit(&http, "2captcha", &grid).await.is_ok());
    assert_eq!(
        form_submit(&http, "captchaai", &grid).await,
        Err("ERROR_BAD_PARAMETERS".into())
    );
    // Multipart uploads (`method=post` with a file) of a click task and a rotation.
    for (prefix, fields) in [
        (
            "2captcha",
            vec![("method", "post"), ("coordinatescaptcha", "1")],
        ),
        (
            "rucaptcha",
            vec![("method", "rotatecaptcha"), ("angle", "90")],
        ),
    ] {
        let mut form = reqwest::multipart::Form::new()
            .text("key", KEY)
            .text("json", "1");
        for (k, v) in fields {
            form = form.text(k, v);
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(image("captcha.png")).file_name("captcha.png"),
        );
        let v: Value = http
            .client
            .post(format!("{}{}", http.base, in_php(prefix)))
            .multipart(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["status"], 1, "{prefix}: {v}");
        let i = info(&http, v["request"].as_str().unwrap()).await;
        assert_eq!(i["image"][0], "png");
        if prefix == "rucaptcha" {
            assert_eq!(i["data"]["angle"].as_u64().unwrap() % 90, 0);
        }
    }
    // Values out of range.
    for (kind, field, value) in [
        ("Audio", "lang", "xx"),
        ("Rotate", "angle", "400"),
        ("Grid", "recaptcharows", "0"),
        ("RecaptchaV2", "domain", "example.com"),
        ("DataDome", "captcha_url", "not a url"),
        ("Coordinates", "min_clicks", "zero"),
    ] {
        let mut t = form_task("2captcha", kind);
        for (k, v) in t.iter_mut() {
            if *k == field {
                *v = value.to_owned();
            }
        }
        assert_eq!(
            form_submit(&http, "2captcha", &t).await,
            Err("ERROR_BAD_PARAMETERS".into()),
            "{kind} {field}={value}"
        );
    }
    // The batch poll joins the answers' texts.
    let a = form_submit(&http, "2captcha", &form_task("2captcha", "Grid"))
        .await
        .unwrap();
    let b = form_submit(&http, "2captcha", &form_task("2captcha", "GeeTest"))
        .await
        .unwrap();
    let ids = format!("{a},{b}");
    let batch = http
        .get(
            "2captcha/res.php",
            &[("key", KEY), ("action", "get"), ("ids", &ids)],
        )
        .await
        .body;
    let (ga, gb) = batch.split_once('|').unwrap();
    assert_eq!(info(&http, &a).await["answer"], ga);
    assert_eq!(info(&http, &b).await["answer"], gb);
    assert!(ga.starts_with("click:") && gb.starts_with("{\"geetest_challenge\""));
}

// ---------------------------------------------------------------------------------------
// The json protocol
// ---------------------------------------------------------------------------------------

fn with(mut task: Value, extra: Value) -> Value {
    if let (Some(t), Some(e)) = (task.as_object_mut(), extra.as_object()) {
        t.extend(e.clone());
    }
    task
}

/// Split proxy fields (an IP address and `http`: what every profile takes).
fn split_proxy() -> Value {
    json!({"proxyType": "http", "proxyAddress": "1.2.3.4", "proxyPort": 3128,
        "proxyLogin": "u", "proxyPassword": "p"})
}

/// A kind's tasks in a provider's own spelling: the type without a proxy first, then the
/// one with (where the provider has both).
fn json_tasks(profile: &str, kind: &str) -> Vec<Value> {
    if profile.is_empty() {
        // The root reads every provider's spelling.
        return STRICT_JSON
            .iter()
            .filter(|p| offers(true, p, kind))
            .flat_map(|p| json_tasks(p, kind))
            .collect();
    }
    if !offers(true, profile, kind) {
        return Vec::new();
    }
    let proxied = |t: Value| with(t, split_proxy());
    let two = |a: Value, b: Value| vec![a, b];
    match (profile, kind) {
        (_, "ImageToText") => vec![json!({"type": "ImageToTextTask", "body": png()})],
        (_, "FunCaptcha") => {
            let ty = if profile == "capsolver" {
                "FunCaptchaTaskProxyLess"
            } else if profile == "capmonster" {
                "FunCaptchaTask"
            } else {
                "FunCaptchaTaskProxyless"
            };
            vec![json!({"type": ty, "websiteURL": PAGE, "websitePublicKey": FUNKEY})]
        }
        (_, "HCaptcha") => {
            let ty = if profile == "capsolver" {
                "HCaptchaTaskProxyLess"
            } else {
                "HCaptchaTaskProxyless"
            };
            vec![json!({"type": ty, "websiteURL": PAGE, "websiteKey": HSITEKEY})]
        }

        ("anti-captcha", "RecaptchaV2") => {
            let t = json!({"type": "RecaptchaV2EnterpriseTaskProxyless", "websiteURL": PAGE,
                "websiteKey": SITEKEY, "enterprisePayload": {"s": "S"}, "apiDomain": "www.recaptcha.net"});
            let p = with(
                t.clone(),
                json!({"type": "RecaptchaV2EnterpriseTask", "userAgent": UA,
                "cookies": "a=b; c=d"}),
            );
            two(t, proxied(p))
        }
        ("anti-captcha", "RecaptchaV3") => vec![json!({"type": "RecaptchaV3TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.3, "pageAction": "verify",
            "isEnterprise": true})],
        ("anti-captcha", "Turnstile") => {
            let t = json!({"type": "TurnstileTaskProxyless", "websiteURL": PAGE, "websiteKey": TSKEY,
                "action": "login", "cData": "cd", "chlPageData": "pd"});
            let p = with(t.clone(), json!({"type": "TurnstileTask", "userAgent": UA}));
            two(t, proxied(p))
        }
        ("anti-captcha", "GeeTest") => {
            let t = json!({"type": "GeeTestTaskProxyless", "websiteURL": PAGE, "gt": GT,
                "challenge": CHALLENGE, "geetestApiServerSubdomain": "api-na.geetest.com"});
            let p = with(t.clone(), json!({"type": "GeeTestTask", "userAgent": UA}));
            two(t, proxied(p))
        }
        ("anti-captcha", "GeeTestV4") => vec![json!({"type": "GeeTestTaskProxyless",
            "websiteURL": PAGE, "gt": CAPTCHA_ID, "version": 4,
            "initParameters": {"riskType": "slide"}})],
        ("anti-captcha", "AmazonWaf") => {
            let t = amazon("AmazonTaskProxyless");
            two(t, proxied(amazon("AmazonTask")))
        }
        ("anti-captcha", "FriendlyCaptcha") => two(
            json!({"type": "FriendlyCaptchaTaskProxyless", "websiteURL": PAGE, "websiteKey": FRIENDLY_KEY}),
            proxied(
                json!({"type": "FriendlyCaptchaTask", "websiteURL": PAGE, "websiteKey": FRIENDLY_KEY}),
            ),
        ),
        ("anti-captcha", "Coordinates") => vec![json!({"type": "ImageToCoordinatesTask",
            "body": png(), "comment": "click the red circles", "mode": "points"})],

        ("capmonster", "RecaptchaV2") => two(
            json!({"type": "RecaptchaV2EnterpriseTask", "websiteURL": PAGE, "websiteKey": SITEKEY,
                "enterprisePayload": {"s": "S"}, "apiDomain": "www.recaptcha.net",
                "pageAction": "login", "userAgent": UA, "cookies": "a=b; c=d"}),
            proxied(
                json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY,
                "userAgent": UA}),
            ),
        ),
        ("capmonster", "RecaptchaV3") => vec![json!({"type": "RecaptchaV3EnterpriseTask",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.5, "pageAction": "verify"})],
        ("capmonster", "Turnstile") => vec![json!({"type": "TurnstileTask", "websiteURL": PAGE,
            "websiteKey": TSKEY, "cloudflareTaskType": "token", "pageAction": "login",
            "data": "cd", "pageData": "pd", "userAgent": UA})],
        ("capmonster", "CloudflareChallenge") => vec![proxied(json!({"type": "TurnstileTask",
            "websiteURL": PAGE, "websiteKey": TSKEY, "cloudflareTaskType": "cf_clearance",
            "htmlPageBase64": b64(b"<html>Just a moment...</html>"), "userAgent": UA}))],
        ("capmonster", "GeeTest") => {
            let t = json!({"type": "GeeTestTaskProxyless", "websiteURL": PAGE, "gt": GT,
                "challenge": CHALLENGE, "geetestApiServerSubdomain": "api-na.geetest.com",
                "geetestGetLib": "{\"v\":1}"});
            let p = with(t.clone(), json!({"type": "GeeTestTask", "userAgent": UA}));
            two(t, proxied(p))
        }
        ("capmonster", "GeeTestV4") => vec![json!({"type": "GeeTestTask", "websiteURL": PAGE,
            "gt": CAPTCHA_ID, "version": 4, "initParameters": {"riskType": "slide"}})],
        ("capmonster", "AmazonWaf") => two(amazon("AmazonTask"), proxied(amazon("AmazonTask"))),
        ("capmonster", "DataDome") => {
            vec![proxied(json!({"type": "CustomTask", "class": "DataDome",
            "websiteURL": PAGE, "userAgent": UA,
            "metadata": {"datadomeCookie": "datadome=abc", "captchaUrl": CAPTCHA_URL}}))]
        }
        ("capmonster", "MtCaptcha") => vec![json!({"type": "MTCaptchaTask", "websiteURL": PAGE,
            "websiteKey": MTKEY, "pageAction": "login", "isInvisible": false})],
        ("capmonster", "Grid") => vec![json!({"type": "ComplexImageTask", "class": "recaptcha",
            "imagesBase64": [png()], "metadata": {"Grid": "3x3", "Task": "Click on traffic lights"}})],

        ("capsolver", "RecaptchaV2") => two(
            json!({"type": "ReCaptchaV2EnterpriseTaskProxyLess", "websiteURL": PAGE,
                "websiteKey": SITEKEY, "enterprisePayload": {"s": "S"}, "apiDomain": "www.recaptcha.net",
                "pageAction": "login", "isInvisible": true, "userAgent": UA, "cookies": "a=b"}),
            json!({"type": "ReCaptchaV2EnterpriseTask", "websiteURL": PAGE, "websiteKey": SITEKEY,
                "proxy": "1.2.3.4:3128:u:p"}),
        ),
        ("capsolver", "RecaptchaV3") => vec![json!({"type": "ReCaptchaV3EnterpriseTaskProxyLess",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.7, "pageAction": "verify"})],
        ("capsolver", "Turnstile") => vec![json!({"type": "AntiTurnstileTaskProxyLess",
            "websiteURL": PAGE, "websiteKey": TSKEY, "metadata": {"action": "login", "cdata": "cd"}})],
        ("capsolver", "CloudflareChallenge") => vec![json!({"type": "AntiCloudflareTask",
            "websiteURL": PAGE, "proxy": "1.2.3.4:3128:u:p", "userAgent": UA,
            "html": "<html>Just a moment...</html>"})],
        ("capsolver", "GeeTest") => {
            let t = json!({"type": "GeeTestTaskProxyLess", "websiteURL": PAGE, "gt": GT,
                "challenge": CHALLENGE});
            let p = with(
                t.clone(),
                json!({"type": "GeeTestTask", "proxy": "1.2.3.4:3128:u:p"}),
            );
            two(t, p)
        }
        ("capsolver", "GeeTestV4") => vec![json!({"type": "GeeTestTaskProxyLess",
            "websiteURL": PAGE, "captchaId": CAPTCHA_ID})],
        ("capsolver", "DataDome") => vec![json!({"type": "DataDomeSliderTask",
            "captchaUrl": CAPTCHA_URL, "userAgent": UA, "proxy": "1.2.3.4:3128:u:p"})],
        ("capsolver", "MtCaptcha") => two(
            json!({"type": "MtCaptchaTaskProxyLess", "websiteURL": PAGE, "websiteKey": MTKEY}),
            json!({"type": "MtCaptchaTask", "websiteURL": PAGE, "websiteKey": MTKEY,
                "proxy": "1.2.3.4:3128:u:p"}),
        ),
        ("capsolver", "Grid") => vec![json!({"type": "ReCaptchaV2Classification",
            "image": png(), "question": "/m/015qff", "websiteURL": PAGE})],

        ("nextcaptcha", "RecaptchaV2") => two(
            json!({"type": "RecaptchaV2EnterpriseTaskProxyless", "websiteURL": PAGE,
                "websiteKey": SITEKEY, "enterprisePayload": {"s": "S"}, "apiDomain": "www.recaptcha.net",
                "pageAction": "login", "isInvisible": false, "websiteInfo": "x"}),
            proxied(
                json!({"type": "RecaptchaV2EnterpriseTask", "websiteURL": PAGE,
                "websiteKey": SITEKEY, "enterprisePayload": {"s": "S"}}),
            ),
        ),
        ("nextcaptcha", "RecaptchaV3") => vec![json!({"type": "RecaptchaV3TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.7, "pageAction": "verify"})],
        ("nextcaptcha", "Turnstile") => vec![json!({"type": "TurnstileTaskProxyless",
            "websiteURL": PAGE, "websiteKey": TSKEY, "pageAction": "login", "data": "cd",
            "pagedata": "pd", "htmlPageBase64": b64(b"<html></html>")})],

        ("2captcha-v2", "RecaptchaV2") => two(
            json!({"type": "RecaptchaV2EnterpriseTaskProxyless", "websiteURL": PAGE,
                "websiteKey": SITEKEY, "enterprisePayload": {"s": "S"}, "isInvisible": true,
                "userAgent": UA, "cookies": "a=b; c=d", "apiDomain": "recaptcha.net"}),
            proxied(
                json!({"type": "RecaptchaV2EnterpriseTask", "websiteURL": PAGE,
                "websiteKey": SITEKEY, "userAgent": UA}),
            ),
        ),
        ("2captcha-v2", "RecaptchaV3") => vec![json!({"type": "RecaptchaV3TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.3, "pageAction": "verify",
            "isEnterprise": true, "apiDomain": "recaptcha.net"})],
        ("2captcha-v2", "Turnstile") => {
            let t = json!({"type": "TurnstileTaskProxyless", "websiteURL": PAGE, "websiteKey": TSKEY,
                "action": "login", "data": "cd", "pagedata": "pd", "userAgent": UA});
            let p = with(t.clone(), json!({"type": "TurnstileTask"}));
            two(t, proxied(p))
        }
        ("2captcha-v2", "GeeTest") => {
            let t = json!({"type": "GeeTestTaskProxyless", "websiteURL": PAGE, "gt": GT,
                "challenge": CHALLENGE, "geetestApiServerSubdomain": "api-na.geetest.com",
                "version": 3, "userAgent": UA});
            let p = with(t.clone(), json!({"type": "GeeTestTask"}));
            two(t, proxied(p))
        }
        ("2captcha-v2", "GeeTestV4") => {
            let t = json!({"type": "GeeTestTaskProxyless", "websiteURL": PAGE, "version": 4,
                "initParameters": {"captcha_id": CAPTCHA_ID, "riskType": "slide"}});
            let p = with(t.clone(), json!({"type": "GeeTestTask"}));
            two(t, proxied(p))
        }
        ("2captcha-v2", "AmazonWaf") => {
            two(amazon("AmazonTaskProxyless"), proxied(amazon("AmazonTask")))
        }
        ("2captcha-v2", "DataDome") => vec![proxied(json!({"type": "DataDomeSliderTask",
            "websiteURL": PAGE, "captchaUrl": CAPTCHA_URL, "userAgent": UA}))],
        ("2captcha-v2", "MtCaptcha") => two(
            json!({"type": "MtCaptchaTaskProxyless", "websiteURL": PAGE, "websiteKey": MTKEY}),
            proxied(json!({"type": "MtCaptchaTask", "websiteURL": PAGE, "websiteKey": MTKEY})),
        ),
        ("2captcha-v2", "FriendlyCaptcha") => two(
            json!({"type": "FriendlyCaptchaTaskProxyless", "websiteURL": PAGE, "websiteKey": FRIENDLY_KEY}),
            proxied(json!({"type": "FriendlyCaptchaTask", "websiteURL": PAGE,
                "websiteKey": FRIENDLY_KEY})),
        ),
        ("2captcha-v2", "Coordinates") => vec![json!({"type": "CoordinatesTask", "body": png(),
            "comment": "click the red circles", "minClicks": 2, "maxClicks": 2})],
        ("2captcha-v2", "Grid") => vec![json!({"type": "GridTask", "body": png(),
            "comment": "select all traffic lights", "rows": 4, "columns": 4})],
        ("2captcha-v2", "TextCaptcha") => vec![json!({"type": "TextCaptchaTask",
            "comment": "If tomorrow is Saturday, what day is today?"})],
        ("2captcha-v2", "Audio") => vec![json!({"type": "AudioTask", "body": mp3(), "lang": "en"})],
        ("2captcha-v2", "Rotate") => vec![json!({"type": "RotateTask", "body": png(),
            "angle": 60, "comment": "turn the animal upright"})],
        ("2captcha-v2", "Lemin") => two(
            json!({"type": "LeminTaskProxyless", "websiteURL": PAGE, "captchaId": LEMIN_ID,
                "divId": "lemin-cropped-captcha", "leminApiServerSubdomain": "api.leminnow.com"}),
            proxied(
                json!({"type": "LeminTask", "websiteURL": PAGE, "captchaId": LEMIN_ID,
                "divId": "lemin-cropped-captcha"}),
            ),
        ),
        other => panic!("no task for {other:?}"),
    }
}

fn amazon(ty: &str) -> Value {
    json!({"type": ty, "websiteURL": PAGE, "websiteKey": AWS_KEY, "iv": "CgAHbCe2GgAAAAAj",
        "context": "9BUgmlm48F92WUoqv97a49ZuEJJ50TCk9MVr3C7WMtQ0X6flVbufM4n8mjFLmbLVAPgaQ",
        "challengeScript": "https://41bcdd4fb3cb.610cd090.us-east-1.token.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/challenge.js",
        "captchaScript": "https://41bcdd4fb3cb.610cd090.us-east-1.captcha.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/captcha.js"})
}

/// Which of a profile's codes a missing field gets.
#[derive(Clone, Copy, Debug)]
enum Missing {
    Invalid,
    Url,
    SiteKey,
    Image,
    Proxy,
}

/// The profile's code for a missing field (PROVIDERS-JSON.md's codes; the README's table).
fn json_code(profile: &str, m: Missing) -> &'static str {
    use Missing::*;
    match (profile, m) {
        ("capsolver", Image) => "ERROR_INVALID_IMAGE",
        ("capsolver", _) => "ERROR_INVALID_TASK_DATA",
        (_, Image) => "ERROR_ZERO_CAPTCHA_FILESIZE",
        (_, SiteKey) => "ERROR_RECAPTCHA_INVALID_SITEKEY",
        ("2captcha-v2" | "", Invalid | Proxy) => "ERROR_BAD_PARAMETERS",
        ("2captcha-v2", Url) => "ERROR_BAD_PARAMETERS",
        (_, Url) => "ERROR_RECAPTCHA_INVALID_DOMAIN",
        ("anti-captcha", Invalid | Proxy) => "ERROR_INCORRECT_SESSION_DATA",
        ("capmonster", Proxy) => "ERROR_PROXY_MISSING",
        ("capmonster" | "nextcaptcha", _) => "ERROR_TASK_ABSENT",
        other => panic!("no code for {other:?}"),
    }
}

/// The field a missing-field check drops from a task, and which code that gets.
fn json_missing(task: &Value, kind: &str) -> (&'static str, Missing) {
    use Missing::*;
    let ty = task["type"].as_str().unwrap_or_default();
    match kind {
        "ImageToText" | "Coordinates" | "Rotate" => ("body", Image),
        "RecaptchaV2" | "HCaptcha" | "Turnstile" | "MtCaptcha" | "FriendlyCaptcha" => {
            ("websiteKey", SiteKey)
        }
        "RecaptchaV3" => ("websiteURL", Url),
        "FunCaptcha" => ("websitePublicKey", Invalid),
        "CloudflareChallenge" if ty == "AntiCloudflareTask" => ("proxy", Proxy),
        "CloudflareChallenge" => ("htmlPageBase64", Invalid),
        "GeeTest" => ("challenge", Invalid),
        "GeeTestV4" if task.get("captchaId").is_some() => ("captchaId", Invalid),
        "GeeTestV4" if task.get("gt").is_some() => ("gt", Invalid),
        "GeeTestV4" => ("initParameters", Invalid),
        "AmazonWaf" => ("iv", Invalid),
        "DataDome" if ty == "CustomTask" => ("metadata", Invalid),
        "DataDome" => ("captchaUrl", Invalid),
        "Grid" if ty == "ComplexImageTask" => ("metadata", Invalid),
        "Grid" if ty == "ReCaptchaV2Classification" => ("question", Invalid),
        "Grid" | "TextCaptcha" => ("comment", Invalid),
        "Audio" => ("lang", Invalid),
        "Lemin" => ("divId", Invalid),
        other => panic!("no kind {other}"),
    }
}

/// A spelling of a kind from another provider, for the "not offered" check: 2captcha v2's,
/// else CapSolver's, CapMonster's, anti-captcha's.
fn foreign(kind: &str) -> Value {
    ["2captcha-v2", "capsolver", "capmonster", "anti-captcha"]
        .iter()
        .find(|p| offers(true, p, kind))
        .map(|p| json_tasks(p, kind).remove(0))
        .unwrap_or_else(|| panic!("nobody offers {kind}"))
}

/// Checks a json solution against the task's neutral data, in the provider's shape.
fn check_solution(profile: &str, kind: &str, task: &Value, sol: &Value, info: &Value) {
    let ctx = format!("{profile:?} {kind}: {sol} / {info}");
    let ty = task["type"].as_str().unwrap_or_default();
    let data = &info["data"];
    let keys = |want: &[&str]| {
        let mut got: Vec<&str> = sol
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        got.sort_unstable();
        let mut want = want.to_vec();
        want.sort_unstable();
        assert_eq!(got, want, "{ctx}");
    };
    // 0-based cells from the neutral 1-based ones.
    let cells0 = || -> Vec<u64> {
        data["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap() - 1)
            .collect()
    };
    // CapSolver's shapes: at its own prefix, and at the root for the names only it has (the
    // root reads a name several providers share by the first of them that reads the task).
    let is_capsolver = profile == "capsolver"
        || (profile.is_empty()
            && (ty.ends_with("ProxyLess")
                || matches!(ty, "AntiCloudflareTask" | "ReCaptchaV2Classification")));
    match kind {
        "GeeTest" => {
            if is_capsolver {
                // CapSolver sends no seccode.
                keys(&["challenge", "validate"]);
            } else {
                keys(&["challenge", "validate", "seccode"]);
                assert_eq!(sol["seccode"], data["seccode"], "{ctx}");
            }
            assert_eq!(sol["challenge"], CHALLENGE, "{ctx}");
            assert_eq!(sol["validate"], data["validate"], "{ctx}");
        }
        "GeeTestV4" => {
            let five = [
                "captcha_id",
                "lot_number",
                "pass_token",
                "gen_time",
                "captcha_output",
            ];
            if is_capsolver {
                let mut with_risk = five.to_vec();
                with_risk.push("risk_type");
                keys(&with_risk);
            } else {
                keys(&five);
            }
            for k in five {
                assert_eq!(sol[k], data[k], "{ctx}");
            }
            assert_eq!(sol["captcha_id"], CAPTCHA_ID, "{ctx}");
        }
        "AmazonWaf"
            if profile == "anti-captcha" || (profile.is_empty() && sol.get("token").is_some()) =>
        {
            keys(&["token"]);
            assert_eq!(sol["token"], data["existing_token"], "{ctx}");
        }
        "AmazonWaf" => {
            keys(&["captcha_voucher", "existing_token"]);
            assert_eq!(sol["captcha_voucher"], data["captcha_voucher"], "{ctx}");
            assert_eq!(sol["existing_token"], data["existing_token"], "{ctx}");
        }
        "DataDome" if ty == "CustomTask" => {
            keys(&["domains"]);
            let cookie = data["cookie"].as_str().unwrap();
            let value = cookie
                .split(';')
                .next()
                .unwrap()
                .strip_prefix("datadome=")
                .unwrap();
            assert_eq!(
                sol["domains"]["example.com"]["cookies"]["datadome"], value,
                "{ctx}"
            );
        }
        "DataDome" => {
            keys(&["cookie"]);
            assert_eq!(sol["cookie"], data["cookie"], "{ctx}");
        }
        "CloudflareChallenge" if ty == "AntiCloudflareTask" => {
            keys(&["token", "cookies", "userAgent"]);
            assert_eq!(
                sol["cookies"]["cf_clearance"], data["cf_clearance"],
                "{ctx}"
            );
            assert_eq!(
                sol["userAgent"], UA,
                "the clearance is bound to the UA sent: {ctx}"
            );
        }
        "CloudflareChallenge" => {
            keys(&["cf_clearance"]);
            assert_eq!(sol["cf_clearance"], data["cf_clearance"], "{ctx}");
        }
        "Coordinates" => {
            keys(&["coordinates"]);
            let points = data["points"].as_array().unwrap();
            let got = sol["coordinates"].as_array().unwrap();
            assert_eq!(got.len(), points.len(), "{ctx}");
            for (g, p) in got.iter().zip(points) {
                if ty == "ImageToCoordinatesTask" {
                    assert_eq!(g, &json!([p["x"], p["y"]]), "{ctx}");
                } else {
                    assert_eq!(g, p, "{ctx}");
                }
            }
        }
        "Grid" if ty == "ComplexImageTask" => {
            keys(&["answer"]);
            let answer = sol["answer"].as_array().unwrap();
            assert_eq!(answer.len(), 9, "a 3x3 grid: {ctx}");
            let trues: Vec<u64> = (0..9).filter(|i| answer[*i as usize] == true).collect();
            assert_eq!(trues, cells0(), "{ctx}");
        }
        "Grid" if ty == "ReCaptchaV2Classification" => {
            keys(&["type", "objects", "size"]);
            assert_eq!(sol["objects"], json!(cells0()), "{ctx}");
            assert_eq!(sol["size"], 3, "{ctx}");
        }
        "Grid" => {
            keys(&["click"]);
            assert_eq!(sol["click"], json!(cells0()), "{ctx}");
            assert!(cells0().iter().all(|c| *c < 16), "a 4x4 grid: {ctx}");
        }
        "Lemin" => {
            keys(&["answer", "challenge_id"]);
            assert_eq!(sol["answer"], data["answer"], "{ctx}");
            assert_eq!(sol["challenge_id"], data["challenge_id"], "{ctx}");
        }
        "Rotate" => {
            keys(&["rotate"]);
            assert_eq!(sol["rotate"], data["angle"], "{ctx}");
            assert_eq!(sol["rotate"].as_u64().unwrap() % 60, 0, "{ctx}");
        }
        "TextCaptcha" | "Audio" | "ImageToText" => {
            assert_eq!(sol["text"], info["answer"], "{ctx}");
            assert!(data.is_null());
        }
        "MtCaptcha" | "FriendlyCaptcha" => {
            keys(&["token"]);
            assert_eq!(sol["token"], info["answer"], "{ctx}");
        }
        "RecaptchaV2" | "RecaptchaV3" | "HCaptcha" => {
            assert_eq!(sol["gRecaptchaResponse"], info["answer"], "{ctx}")
        }
        "FunCaptcha" | "Turnstile" => assert_eq!(sol["token"], info["answer"], "{ctx}"),
        other => panic!("no kind {other}"),
    }
}

/// createTask then getTaskResult until ready: `(the task id, the ready reply)`.
async fn json_solve(http: &Http, profile: &str, task: &Value) -> Result<(Value, Value), Value> {
    let created = http.create(profile, KEY, task.clone()).await.json();
    if created["errorId"] != 0 {
        return Err(created);
    }
    let id = created["taskId"].clone();
    if created["status"] == "ready" {
        return Ok((id, created));
    }
    let v = http.wait_result(profile, KEY, &id, 5).await.json();
    Ok((id, v))
}

#[tokio::test]
async fn every_json_dialect_x_every_kind() {
    let emu = Emulator::start(emulator()).await.unwrap();
    let http = Http::new(&emu);
    let mut table = Vec::new();
    let mut solved = 0;
    for profile in std::iter::once("").chain(STRICT_JSON) {
        for kind in KINDS {
            if !offers(true, profile, kind) {
                let v = http.create(profile, KEY, foreign(kind)).await.json();
                assert_eq!(
                    v["errorCode"], "ERROR_TASK_NOT_SUPPORTED",
                    "{profile:?} {kind}: {v}"
                );
                table.push(format!("{profile:>12} {kind:<20} refused"));
                continue;
            }
            let tasks = json_tasks(profile, kind);
            assert!(!tasks.is_empty(), "{profile:?} {kind}");
            for task in &tasks {
                let ctx = format!("{profile:?} {kind} {}", task["type"]);
                let (id, v) = json_solve(&http, profile, task)
                    .await
                    .unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert_eq!(v["status"], "ready", "{ctx}: {v}");
                let wire = id.as_str().map_or_else(|| id.to_string(), str::to_owned);
                assert!(!id.is_null(), "{ctx}: {v}");
                let info = info(&http, &wire).await;
                assert_eq!(info["kind"], kind, "{ctx}: {info}");
                assert_eq!(info["method"], task["type"], "{ctx}");
                assert_eq!(info["prefix"], profile, "{ctx}");
                assert_eq!(info["unread_fields"], json!([]), "{ctx}: {info}");
                check_solution(profile, kind, task, &v["solution"], &info);
                if task.get("proxyAddress").is_some() || task.get("proxy").is_some() {
                    assert!(
                        info["params"]["proxy"]
                            .as_str()
                            .is_some_and(|p| p.contains("1.2.3.4:3128")),
                        "{ctx}: {info}"
                    );
                }
                // A required field missing: the profile's code.
                let (field, class) = json_missing(task, kind);
                let mut without = task.clone();
                assert!(
                    without.as_object_mut().unwrap().remove(field).is_some(),
                    "{ctx} has {field}"
                );
                let v = http.create(profile, KEY, without).await.json();
                assert_eq!(
                    v["errorCode"],
                    json_code(profile, class),
                    "{ctx} without {field}: {v}"
                );
                solved += 1;
                table.push(format!(
                    "{profile:>12} {kind:<20} {:<36} solved; without {field}: {}",
                    task["type"].as_str().unwrap(),
                    v["errorCode"].as_str().unwrap()
                ));
            }
        }
    }
    eprintln!("{}", table.join("\n"));
    assert_eq!(emu.counters().tasks_accepted, solved);
}

#[tokio::test]
async fn json_details_per_provider() {
    let emu = Emulator::start(emulator()).await.unwrap();
    let http = Http::new(&emu);
    // CapMonster's Amazon cookie mode; anti-captcha's rectangles.
    let t = with(amazon("AmazonTask"), json!({"cookieSolution": true}));
    let (_, v) = json_solve(&http, "capmonster", &t).await.unwrap();
    assert!(v["solution"]["cookies"]["aws-waf-token"].is_string(), "{v}");
    let t = json!({"type": "ImageToCoordinatesTask", "body": png(), "mode": "rectangles"});
    let (_, v) = json_solve(&http, "anti-captcha", &t).await.unwrap();
    for r in v["solution"]["coordinates"].as_array().unwrap() {
        assert_eq!(r.as_array().unwrap().len(), 4, "{v}");
    }
    // CapSolver answers its grid question in the createTask reply.
    let t = json_tasks("capsolver", "Grid").remove(0);
    let created = http.create("capsolver", KEY, t).await.json();
    assert_eq!(created["status"], "ready", "{created}");
    // Proxy types need their proxy; anti-captcha's need a user agent with it.
    let t = json_tasks("2captcha-v2", "DataDome").remove(0);
    let mut bare = t.clone();
    for f in [
        "proxyType",
        "proxyAddress",
        "proxyPort",
        "proxyLogin",
        "proxyPassword",
    ] {
        bare.as_object_mut().unwrap().remove(f);
    }
    let v = http.create("2captcha-v2", KEY, bare).await.json();
    assert_eq!(v["errorCode"], "ERROR_BAD_PARAMETERS", "{v}");
    let mut no_ua = json_tasks("anti-captcha", "GeeTest").remove(1);
    no_ua.as_object_mut().unwrap().remove("userAgent");
    let v = http.create("anti-captcha", KEY, no_ua).await.json();
    assert_eq!(v["errorCode"], "ERROR_INCORRECT_SESSION_DATA", "{v}");
    // CapMonster's DataDome: exactly one of captchaUrl and htmlPageBase64.
    let mut both = json_tasks("capmonster", "DataDome").remove(0);
    both["metadata"]["htmlPageBase64"] = json!(b64(b"<html></html>"));
    let v = http.create("capmonster", KEY, both).await.json();
    assert_eq!(v["errorCode"], "ERROR_TASK_ABSENT", "{v}");
    // A CustomTask or ComplexImageTask of another class is not solved.
    for (ty, class) in [("CustomTask", "Tencent"), ("ComplexImageTask", "hcaptcha")] {
        let v = http
            .create(
                "capmonster",
                KEY,
                json!({"type": ty, "class": class, "websiteURL": PAGE}),
            )
            .await
            .json();
        assert_eq!(
            v["errorCode"], "ERROR_TASK_NOT_SUPPORTED",
            "{ty} {class}: {v}"
        );
    }
    // MTCaptcha is spelled in capitals at CapMonster only.
    let v = http
        .create(
            "capsolver",
            KEY,
            json!({"type": "MTCaptchaTask", "websiteURL": PAGE, "websiteKey": MTKEY}),
        )
        .await
        .json();
    assert_eq!(v["errorCode"], "ERROR_TASK_NOT_SUPPORTED", "{v}");
    // An audio that is not an mp3; an unknown language.
    let t = json!({"type": "AudioTask", "body": png(), "lang": "en"});
    let v = http.create("2captcha-v2", KEY, t).await.json();
    assert_eq!(v["errorCode"], "ERROR_IMAGE_TYPE_NOT_SUPPORTED", "{v}");
    let t = json!({"type": "AudioTask", "body": mp3(), "lang": "xx"});
    assert_eq!(
        http.create("2captcha-v2", KEY, t).await.json()["errorCode"],
        "ERROR_BAD_PARAMETERS"
    );
    // NextCaptcha's image task: clean base64 only.
    let t = json!({"type": "ImageToTextTask", "body": format!("data:image/png;base64,{}", png())});
    let v = http.create("nextcaptcha", KEY, t).await.json();
    assert_eq!(v["errorCode"], "ERROR_IMAGE_TYPE_NOT_SUPPORTED", "{v}");
}

// ---------------------------------------------------------------------------------------
// Scripting the new kinds
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn scripted_answers_outcomes_and_prices_of_the_new_kinds() {
    let emu = Emulator::start(emulator()).await.unwrap();
    let http = Http::new(&emu);
    let admin = |body: Value| {
        let http = &http;
        async move {
            http.client
                .post(format!("{}emulator/rules", http.base))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // The exact answer of the next two GeeTest tasks, whatever the dialect.
    assert_eq!(
        admin(json!({"when": {"kind": "GeeTest"}, "answer_data": {"challenge": "c1", "validate": "v1"},
            "times": 2}))
        .await,
        200
    );
    let id = form_submit(&http, "captchaai", &form_task("captchaai", "GeeTest"))
        .await
        .unwrap();
    let v = http
        .get(
            "captchaai/res.php",
            &[("key", KEY), ("action", "get"), ("id", &id), ("json", "1")],
        )
        .await
        .json();
    let obj: Value = serde_json::from_str(v["request"].as_str().unwrap()).unwrap();
    assert_eq!(
        obj,
        json!({"geetest_challenge": "c1", "geetest_validate": "v1", "geetest_seccode": "v1|jordan"})
    );
    let t = json_tasks("capsolver", "GeeTest").remove(0);
    let (_, v) = json_solve(&http, "capsolver", &t).await.unwrap();
    assert_eq!(v["solution"], json!({"challenge": "c1", "validate": "v1"}));
    let (_, v) = json_solve(&http, "capsolver", &t).await.unwrap();
    assert_ne!(v["solution"]["validate"], "v1", "only the next two");
    // Points, cells, an angle, a cookie: each dialect writes them its own way.
    for (data, profile, kind, field, want) in [
        (
            json!({"points": [[10, 20], {"x": 30, "y": 40}]}),
            "2captcha-v2",
            "Coordinates",
            "coordinates",
            json!([{"x": 10, "y": 20}, {"x": 30, "y": 40}]),
        ),
        (
            json!({"points": [[10, 20]]}),
            "anti-captcha",
            "Coordinates",
            "coordinates",
            json!([[10, 20]]),
        ),
        (
            json!({"cells": [1, 5, 9]}),
            "2captcha-v2",
            "Grid",
            "click",
            json!([0, 4, 8]),
        ),
        (
            json!({"cells": [1, 5, 9]}),
            "capmonster",
            "Grid",
            "answer",
            json!([true, false, false, false, true, false, false, false, true]),
        ),
        (
            json!({"cells": [2]}),
            "capsolver",
            "Grid",
            "objects",
            json!([1]),
        ),
        (
            json!({"angle": 120}),
            "2captcha-v2",
            "Rotate",
            "rotate",
            json!(120),
        ),
        (
            json!({"cookie": "datadome=XYZ; Path=/"}),
            "capsolver",
            "DataDome",
            "cookie",
            json!("datadome=XYZ; Path=/"),
        ),
        (
            json!({"cf_clearance": "CF"}),
            "capmonster",
            "CloudflareChallenge",
            "cf_clearance",
            json!("CF"),
        ),
    ] {
        assert_eq!(
            admin(json!({"when": {"kind": kind}, "answer_data": data, "times": 1})).await,
            200
        );
        let t = json_tasks(profile, kind).remove(0);
        let (_, v) = json_solve(&http, profile, &t).await.unwrap();
        assert_eq!(v["solution"][field], want, "{profile} {kind}: {v}");
    }
    assert_eq!(
        admin(json!({"when": {"kind": "Grid"}, "answer_data": {"cells": [1, 2]}, "times": 1}))
            .await,
        200
    );
    let id = form_submit(&http, "2captcha", &form_task("2captcha", "Grid"))
        .await
        .unwrap();
    let plain = http
        .get(
            "2captcha/res.php",
            &[("key", KEY), ("action", "get"), ("id", &id)],
        )
        .await;
    assert_eq!(plain.body, "OK|click:1/2");
    // `answer` replaces the form text verbatim.
    assert_eq!(
        admin(json!({"when": {"kind": "DataDome"}, "answer": "datadome=raw", "times": 1})).await,
        200
    );
    let id = form_submit(&http, "2captcha", &form_task("2captcha", "DataDome"))
        .await
        .unwrap();
    let v = http
        .get(
            "2captcha/res.php",
            &[("key", KEY), ("action", "get"), ("id", &id), ("json", "1")],
        )
        .await
        .json();
    assert_eq!(v["request"], "datadome=raw");
    // Bad answer_data is refused by the admin API.
    for bad in [
        json!({"cells": [0]}),
        json!({"colour": "red"}),
        json!({"angle": "x"}),
    ] {
        assert_eq!(admin(json!({"answer_data": bad})).await, 400, "{bad}");
    }
    // Outcomes: a refused submit, a failed task, in both families.
    emu.add_rule(Rule {
        when: Match {
            kind: Some("AmazonWaf".into()),
            ..Match::default()
        },
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        times: Some(2),
        ..Rule::default()
    });
    assert_eq!(
        form_submit(&http, "2captcha", &form_task("2captcha", "AmazonWaf")).await,
        Err("ERROR_NO_SLOT_AVAILABLE".into())
    );
    let v = http
        .create("anti-captcha", KEY, amazon("AmazonTaskProxyless"))
        .await
        .json();
    assert_eq!(v["errorCode"], "ERROR_NO_SLOT_AVAILABLE");
    emu.add_rule(Rule {
        when: Match {
            kind: Some("Audio".into()),
            ..Match::default()
        },
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        ..Rule::default()
    });
    let id = form_submit(&http, "rucaptcha", &form_task("rucaptcha", "Audio"))
        .await
        .unwrap();
    let r = http
        .get(
            "rucaptcha/res.php",
            &[("key", KEY), ("action", "get"), ("id", &id)],
        )
        .await;
    assert_eq!(r.body, "ERROR_CAPTCHA_UNSOLVABLE");
    let created = http
        .create(
            "2captcha-v2",
            KEY,
            json_tasks("2captcha-v2", "Audio").remove(0),
        )
        .await
        .json();
    let v = http
        .wait_result("2captcha-v2", KEY, &created["taskId"], 5)
        .await
        .json();
    assert_eq!(v["errorCode"], "ERROR_CAPTCHA_UNSOLVABLE");
    // Prices per kind: the configured price is what the balance loses.
    emu.update_config(|c| {
        c.prices.insert("MtCaptcha".into(), 0.25);
    });
    let before = emu.balance(KEY).unwrap();
    form_submit(&http, "2captcha", &form_task("2captcha", "MtCaptcha"))
        .await
        .unwrap();
    assert!((before - emu.balance(KEY).unwrap() - 0.25).abs() < 1e-9);
    // A fault on a new kind's submit, by path prefix.
    emu.add_fault(
        Fault::new(FaultKind::Html502, EndpointSel::In)
            .prefix("captchaai")
            .times(1),
    );
    let r = http
        .post(
            "captchaai/in.php",
            &pairs(&form_task("captchaai", "CloudflareChallenge")),
        )
        .await;
    assert_eq!(r.status, 502);
    assert!(
        form_submit(
            &http,
            "captchaai",
            &form_task("captchaai", "CloudflareChallenge")
        )
        .await
        .is_ok()
    );
}

#[tokio::test]
async fn the_profiles_page_lists_what_each_dialect_offers() {
    let emu = Emulator::start(emulator()).await.unwrap();
    let http = Http::new(&emu);
    let v = http.admin(reqwest::Method::GET, "profiles", None).await;
    let listed = |entries: &Value, path: &str| -> Vec<String> {
        let e = entries
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["base_path"] == path)
            .unwrap_or_else(|| panic!("{path} in {entries}"));
        e["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_owned())
            .collect()
    };
    let path = |d: &str| {
        if d.is_empty() {
            "/".to_owned()
        } else {
            format!("/{d}/")
        }
    };
    for (json, dialects, key) in [
        (false, FORM.to_vec(), "form_dialects"),
        (
            true,
            std::iter::once("").chain(STRICT_JSON).collect(),
            "json",
        ),
    ] {
        let form_only: &[&str] = if json { &[] } else { &FORM_ONLY };
        for d in dialects {
            let want: Vec<String> = KINDS
                .iter()
                .chain(form_only)
                .filter(|k| offers(json, d, k))
                .map(|k| k.to_string())
                .collect();
            assert_eq!(listed(&v[key], &path(d)), want, "{key} {d:?}");
        }
    }
}
