//! The json protocol per provider profile, over real HTTP: every profile x every kind it
//! supports, type-name spellings, id formats, money as strings, CapSolver's synchronous
//! image reply, the not-ready variants, error statuses and codes, polling rules (cap,
//! interval, balance interval), retention, reports. The expectations below are written from
//! PROVIDERS-JSON.md, not read from the emulator's tables.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use serde_json::{Value, json};
use std::time::Duration;

const PROFILES: [&str; 6] = [
    "",
    "anti-captcha",
    "capmonster",
    "capsolver",
    "nextcaptcha",
    "2captcha-v2",
];
const KINDS: [&str; 6] = [
    "ImageToText",
    "RecaptchaV2",
    "RecaptchaV3",
    "HCaptcha",
    "FunCaptcha",
    "Turnstile",
];

fn image_b64() -> String {
    b64(&image("captcha.png"))
}

/// A valid task for a kind in a profile's own dialect (type name and field spellings), or
/// `None` where the profile does not offer the kind.
fn task_for(profile: &str, kind: &str) -> Option<Value> {
    let fun = |ty: &str| {
        json!({"type": ty, "websiteURL": PAGE, "websitePublicKey": FUNKEY,
            "funcaptchaApiJSSubdomain": "client-api.arkoselabs.com", "data": "{\"blob\":\"b1\"}"})
    };
    Some(match (profile, kind) {
        ("anti-captcha", "ImageToText") => json!({"type": "ImageToTextTask", "body": image_b64(),
            "phrase": false, "case": true, "numeric": 0, "math": false, "minLength": 0, "maxLength": 0}),
        ("anti-captcha", "RecaptchaV2") => json!({"type": "RecaptchaV2TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "recaptchaDataSValue": "ds", "isInvisible": true}),
        ("anti-captcha", "RecaptchaV3") => json!({"type": "RecaptchaV3TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.3, "pageAction": "verify"}),
        ("anti-captcha", "HCaptcha") => json!({"type": "HCaptchaTaskProxyless", "websiteURL": PAGE,
            "websiteKey": HSITEKEY, "enterprisePayload": {"rqdata": "rq"}, "isEnterprise": true}),
        ("anti-captcha", "FunCaptcha") => fun("FunCaptchaTaskProxyless"),
        ("anti-captcha", "Turnstile") => {
            json!({"type": "TurnstileTaskProxyless", "websiteURL": PAGE,
            "websiteKey": TSKEY, "action": "login", "cData": "cd", "chlPageData": "pd"})
        }

        ("capmonster", "ImageToText") => json!({"type": "ImageToTextTask", "body": image_b64(),
            "capMonsterModule": "universal", "recognizingThreshold": 70, "case": true, "numeric": 1, "math": false}),
        ("capmonster", "RecaptchaV2") => json!({"type": "RecaptchaV2Task", "websiteURL": PAGE,
            "websiteKey": SITEKEY, "cookies": "a=b; c=d", "userAgent": "UA/1"}),
        ("capmonster", "RecaptchaV3") => json!({"type": "RecaptchaV3TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.5, "pageAction": "verify"}),
        // CapMonster answers hCaptcha with ERROR_TASK_NOT_SUPPORTED (docs/kinds-choices.md, 12).
        ("capmonster", "HCaptcha") => return None,
        ("capmonster", "FunCaptcha") => fun("FunCaptchaTask"),
        ("capmonster", "Turnstile") => json!({"type": "TurnstileTask", "websiteURL": PAGE,
            "websiteKey": TSKEY, "pageAction": "login", "data": "cd"}),

        ("capsolver", "ImageToText") => json!({"type": "ImageToTextTask", "body": image_b64(),
            "module": "common", "websiteURL": PAGE}),
        ("capsolver", "RecaptchaV2") => json!({"type": "ReCaptchaV2TaskProxyLess",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "pageAction": "submit", "isInvisible": false}),
        ("capsolver", "RecaptchaV3") => json!({"type": "ReCaptchaV3TaskProxyLess",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.7, "pageAction": "verify"}),
        ("capsolver", "HCaptcha") => json!({"type": "HCaptchaTaskProxyLess", "websiteURL": PAGE,
            "websiteKey": HSITEKEY, "enterprisePayload": {"rqdata": "rq"}}),
        ("capsolver", "FunCaptcha") => fun("FunCaptchaTaskProxyLess"),
        ("capsolver", "Turnstile") => json!({"type": "AntiTurnstileTaskProxyLess",
            "websiteURL": PAGE, "websiteKey": TSKEY, "metadata": {"action": "login", "cdata": "cd"}}),

        // The NextCaptcha to CaptchaAI guide's ImageToTextTask (issue 19).
        ("nextcaptcha", "ImageToText") => json!({"type": "ImageToTextTask", "body": image_b64()}),
        ("nextcaptcha", "RecaptchaV2") => json!({"type": "RecaptchaV2TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "websiteInfo": "x"}),
        ("nextcaptcha", "RecaptchaV3") => json!({"type": "RecaptchaV3TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.7, "pageAction": "verify"}),
        ("nextcaptcha", "HCaptcha") => json!({"type": "HCaptchaTaskProxyless", "websiteURL": PAGE,
            "websiteKey": HSITEKEY, "enterprisePayload": {"rqdata": "rq"}}),
        ("nextcaptcha", "FunCaptcha") => fun("FunCaptchaTaskProxyless"),
        ("nextcaptcha", "Turnstile") => {
            json!({"type": "TurnstileTaskProxyless", "websiteURL": PAGE,
            "websiteKey": TSKEY, "pageAction": "login", "data": "cd", "pagedata": "pd"})
        }

        ("2captcha-v2", "ImageToText") => json!({"type": "ImageToTextTask", "body": image_b64(),
            "phrase": false, "case": true, "numeric": 4, "math": false, "minLength": 1,
            "maxLength": 6, "comment": "type the red letters"}),
        ("2captcha-v2", "RecaptchaV2") => json!({"type": "RecaptchaV2TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY}),
        ("2captcha-v2", "RecaptchaV3") => json!({"type": "RecaptchaV3TaskProxyless",
            "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.9, "pageAction": "verify"}),
        // Withdrawn from 2captcha's documentation (docs/kinds-choices.md, 12).
        ("2captcha-v2", "HCaptcha") => return None,
        ("2captcha-v2", "FunCaptcha") => fun("FunCaptchaTaskProxyless"),
        ("2captcha-v2", "Turnstile") => {
            json!({"type": "TurnstileTaskProxyless", "websiteURL": PAGE,
            "websiteKey": TSKEY, "action": "login", "data": "cd", "pagedata": "pd"})
        }

        ("", "ImageToText") => json!({"type": "ImageToTextTask", "body": image_b64()}),
        ("", "RecaptchaV2") => json!({"type": "NoCaptchaTaskProxyless", "websiteURL": PAGE,
            "websiteKey": SITEKEY}),
        ("", "RecaptchaV3") => json!({"type": "ReCaptchaV3TaskProxyLess", "websiteURL": PAGE,
            "websiteKey": SITEKEY, "minScore": 0.5}),
        ("", "HCaptcha") => json!({"type": "HCaptchaTask", "websiteURL": PAGE,
            "websiteKey": HSITEKEY, "data": "rq"}),
        ("", "FunCaptcha") => fun("FunCaptchaTask"),
        ("", "Turnstile") => json!({"type": "AntiTurnstileTaskProxyLess", "websiteURL": PAGE,
            "websiteKey": TSKEY, "metadata": {"action": "login", "cdata": "cd"}}),
        _ => unreachable!("{profile} {kind}"),
    })
}

/// The solution fields a kind must carry at a profile.
fn solution_fields(profile: &str, kind: &str) -> Vec<&'static str> {
    let mut f = match kind {
        "ImageToText" => vec!["text"],
        "RecaptchaV2" | "RecaptchaV3" => vec!["gRecaptchaResponse"],
        "HCaptcha" => vec!["gRecaptchaResponse", "respKey", "userAgent"],
        "FunCaptcha" => vec!["token"],
        "Turnstile" => vec!["token", "userAgent"],
        _ => unreachable!(),
    };
    match (profile, kind) {
        ("capmonster", "RecaptchaV2" | "RecaptchaV3") => f.extend(["userAgent", "cookies"]),
        ("capmonster", "FunCaptcha") => f.push("userAgent"),
        ("capsolver", "RecaptchaV2" | "RecaptchaV3") => f.push("userAgent"),
        ("anti-captcha", "ImageToText") => f.push("url"),
        _ => {}
    }
    f
}

fn check_id_format(profile: &str, id: &Value) {
    if profile == "capsolver" {
        let s = id.as_str().unwrap_or_else(|| panic!("capsolver id {id}"));
        let parts: Vec<usize> = s.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{s}");
    } else {
        let n = id.as_u64().unwrap_or_else(|| panic!("{profile} id {id}"));
        assert!(n > 1 << 32, "{profile} id {n} must not fit 32 bits");
    }
}

fn check_success_codes(profile: &str, v: &Value) {
    match profile {
        "capsolver" => {
            assert_eq!(v["errorCode"], "", "{v}");
            assert_eq!(v["errorDescription"], "", "{v}");
        }
        "capmonster" => {
            assert!(v.get("errorCode").is_some_and(Value::is_null), "{v}");
            assert!(v.get("errorDescription").is_some_and(Value::is_null), "{v}");
        }
        _ => assert!(v.get("errorCode").is_none(), "{v}"),
    }
}

#[tokio::test]
async fn every_profile_solves_every_kind_it_supports() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let mut solved = 0;
    for profile in PROFILES {
        for kind in KINDS {
            let Some(task) = task_for(profile, kind) else {
                // Not offered in the dialect: the root's spelling is refused as unsupported.
                let t = task_for("", kind).unwrap();
                let v = http.create(profile, KEY, t).await.json();
                assert_eq!(
                    v["errorCode"], "ERROR_TASK_NOT_SUPPORTED",
                    "{profile} {kind}"
                );
                continue;
            };
            let r = http.create(profile, KEY, task.clone()).await;
            assert_eq!(r.status, 200, "{profile} {kind}: {}", r.body);
            let created = r.json();
            assert_eq!(created["errorId"], 0, "{profile} {kind}: {}", r.body);
            check_success_codes(profile, &created);
            let id = created["taskId"].clone();
            check_id_format(profile, &id);
            let v = if profile == "capsolver" && kind == "ImageToText" {
                // Recognition tasks are answered in the createTask reply itself.
                assert_eq!(created["status"], "ready", "{created}");
                created
            } else {
                if profile == "capsolver" {
                    assert_eq!(created["status"], "idle", "{created}");
                } else {
                    assert!(created.get("status").is_none(), "{created}");
                }
                http.wait_result(profile, KEY, &id, 30).await.json()
            };
            assert_eq!(v["errorId"], 0, "{profile} {kind}: {v}");
            assert_eq!(v["status"], "ready", "{profile} {kind}: {v}");
            check_success_codes(profile, &v);
            for field in solution_fields(profile, kind) {
                assert!(
                    v["solution"].get(field).is_some(),
                    "{profile} {kind}: solution lacks {field}: {v}"
                );
            }
            // The task reached the emulator intact, in the profile's own dialect.
            let info = emu.task_by_id(id.to_string().trim_matches('"')).unwrap();
            assert_eq!(info.kind, kind);
            assert_eq!(
                info.profile,
                if profile.is_empty() {
                    "generic"
                } else {
                    profile
                }
            );
            assert_eq!(info.method, task["type"].as_str().unwrap());
            assert_eq!(info.raw.as_ref(), Some(&task), "{profile} {kind}");
            assert!(
                info.unread_fields.is_empty(),
                "{profile} {kind}: unread {:?}",
                info.unread_fields
            );
            assert_eq!(info.status, "solved");
            if kind == "Turnstile" {
                assert_eq!(info.params["cdata"], "cd", "{profile}");
                assert_eq!(info.params["action"], "login", "{profile}");
            }
            if kind == "HCaptcha" {
                assert_eq!(info.params["rqdata"], "rq", "{profile}");
            }
            if kind == "FunCaptcha" {
                assert_eq!(
                    info.params["surl"], "client-api.arkoselabs.com",
                    "{profile}"
                );
                assert!(
                    v["solution"]["token"]
                        .as_str()
                        .unwrap()
                        .contains("surl=https://client-api.arkoselabs.com")
                );
            }
            solved += 1;
        }
    }
    assert_eq!(solved, 34);
    let c = emu.counters();
    assert_eq!(c.tasks_accepted, 34);
    assert_eq!(c.in_requests + c.res_requests, 0);
    assert_eq!(c.violations_total(), 0, "{:?}", c.violations);
}

#[tokio::test]
async fn money_and_counts_as_the_documents_show_them() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let v2 = |p: &str| task_for(p, "RecaptchaV2").unwrap();
    // anti-captcha: cost "0.000350"-style and solveCount as strings; createTime/endTime ints.
    let id = http
        .create_ok("anti-captcha", KEY, v2("anti-captcha"))
        .await;
    let v = http.wait_result("anti-captcha", KEY, &id, 30).await.json();
    let cost = v["cost"].as_str().unwrap();
    assert_eq!(cost.split('.').nth(1).unwrap().len(), 6, "{cost}");
    assert_eq!(cost.parse::<f64>().unwrap(), 0.00035);
    assert_eq!(v["solveCount"], "1");
    assert!(v["createTime"].is_u64() && v["endTime"].is_u64() && v["ip"].is_string());
    // 2captcha v2: cost a string, solveCount an integer.
    let id = http.create_ok("2captcha-v2", KEY, v2("2captcha-v2")).await;
    let v = http.wait_result("2captcha-v2", KEY, &id, 30).await.json();
    assert_eq!(v["cost"], "0.00035");
    assert_eq!(v["solveCount"], 1);
    // Balances: NextCaptcha's a string; anti-captcha adds captchaCredits; CapSolver packages.
    let bal = |p: &'static str| call(&http, p, "getBalance", json!({"clientKey": KEY}));
    let v = bal("nextcaptcha").await.json();
    let b: f64 = v["balance"].as_str().unwrap().parse().unwrap();
    assert!((b - (10.0 - 0.0007)).abs() < 1e-9, "{v}");
    let v = bal("anti-captcha").await.json();
    assert!(v["balance"].is_f64() && v["captchaCredits"].is_u64(), "{v}");
    let v = bal("capsolver").await.json();
    assert!(v["balance"].is_f64() && v["packages"].is_array(), "{v}");
    check_success_codes("capsolver", &v);
    for p in ["", "capmonster", "2captcha-v2"] {
        assert!(bal(p).await.json()["balance"].is_f64(), "{p}");
    }
    // One account behind both protocols.
    let form = http
        .get("res.php", &[("key", KEY), ("action", "getbalance")])
        .await;
    assert_eq!(form.body.parse::<f64>().unwrap(), b);
}

#[tokio::test]
async fn type_names_accepted_and_refused_per_profile() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    // (profile, type, accepted): every row is a fact of PROVIDERS-JSON.md.
    let table: &[(&str, &str, bool)] = &[
        ("anti-captcha", "RecaptchaV2TaskProxyless", true),
        ("anti-captcha", "NoCaptchaTaskProxyless", true),
        ("anti-captcha", "NoCaptchaTask", true),
        ("anti-captcha", "RecaptchaV2EnterpriseTaskProxyless", true),
        ("anti-captcha", "ReCaptchaV2TaskProxyLess", false),
        ("anti-captcha", "RecaptchaV2TaskProxyLess", false),
        ("anti-captcha", "RecaptchaV3Task", false),
        ("anti-captcha", "AntiTurnstileTaskProxyLess", false),
        ("anti-captcha", "TurnstileTask", true),
        ("capmonster", "RecaptchaV2Task", true),
        ("capmonster", "NoCaptchaTask", true),
        ("capmonster", "NoCaptchaTaskProxyless", true),
        ("capmonster", "RecaptchaV2EnterpriseTask", true),
        ("capmonster", "RecaptchaV3EnterpriseTask", true),
        ("capmonster", "HCaptchaTaskProxyless", false),
        ("capmonster", "RecaptchaV2TaskProxyless", false),
        ("capmonster", "TurnstileTaskProxyless", false),
        ("capmonster", "ReCaptchaV2TaskProxyLess", false),
        ("capsolver", "ReCaptchaV2TaskProxyLess", true),
        ("capsolver", "ReCaptchaV2EnterpriseTaskProxyLess", true),
        ("capsolver", "ReCaptchaV3EnterpriseTaskProxyLess", true),
        ("capsolver", "AntiTurnstileTaskProxyLess", true),
        ("capsolver", "RecaptchaV2TaskProxyless", false),
        ("capsolver", "ReCaptchaV2TaskProxyless", false),
        ("capsolver", "TurnstileTaskProxyless", false),
        ("capsolver", "HCaptchaTaskProxyless", false),
        ("nextcaptcha", "RecaptchaV2TaskProxyless", true),
        ("nextcaptcha", "RecaptchaV2HSEnterpriseTaskProxyless", true),
        ("nextcaptcha", "RecaptchaV3HSTaskProxyless", true),
        ("nextcaptcha", "TurnstileTaskProxyless", true),
        ("nextcaptcha", "ReCaptchaV2TaskProxyLess", false),
        ("nextcaptcha", "NoCaptchaTaskProxyless", false),
        ("2captcha-v2", "RecaptchaV2TaskProxyless", true),
        ("2captcha-v2", "RecaptchaV3TaskProxyless", true),
        ("2captcha-v2", "NoCaptchaTaskProxyless", false),
        ("2captcha-v2", "ReCaptchaV2TaskProxyLess", false),
        ("", "RecaptchaV2TaskProxyless", true),
        ("", "ReCaptchaV2TaskProxyLess", true),
        ("", "NoCaptchaTaskProxyless", true),
        ("", "NoCaptchaTask", true),
        ("", "RecaptchaV2HSEnterpriseTaskProxyless", true),
        ("", "AntiTurnstileTaskProxyLess", true),
        ("", "TurnstileTaskProxyless", true),
        ("", "RecaptchaV2TaskProxyLess", false),
        ("", "NoSuchTask", false),
        ("", "recaptchav2taskproxyless", false),
    ];
    for &(profile, ty, accepted) in table {
        let site = if ty.contains("Turnstile") {
            TSKEY
        } else {
            SITEKEY
        };
        // A proxy every profile can use: proxy types need it, proxyless ones ignore it.
        let task = json!({"type": ty, "websiteURL": PAGE, "websiteKey": site, "minScore": 0.3,
            "proxyType": "http", "proxyAddress": "10.0.0.1", "proxyPort": 3128});
        let r = http.create(profile, KEY, task).await;
        let v = r.json();
        if accepted {
            assert_eq!(v["errorId"], 0, "{profile:?} {ty}: {}", r.body);
        } else {
            assert_eq!(
                v["errorCode"], "ERROR_TASK_NOT_SUPPORTED",
                "{profile:?} {ty}: {}",
                r.body
            );
            assert_eq!(r.status, if profile == "capsolver" { 400 } else { 200 });
        }
    }
}

#[tokio::test]
async fn not_ready_variants() {
    let emu = scaled(1000, 1.0).await;
    let http = Http::new(&emu);
    // Tasks that stay unsolved for an hour: the polls below move the clock 2.1 s at a time.
    emu.add_rule(Rule {
        delay_ms: Some(3_600_000),
        ..Rule::default()
    });
    let mut seen = Vec::new();
    for profile in PROFILES {
        let id = http
            .create_ok(profile, KEY, task_for(profile, "RecaptchaV2").unwrap())
            .await;
        let mut replies = Vec::new();
        for _ in 0..4 {
            let r = http.result(profile, KEY, &id).await;
            assert_eq!(r.status, 200, "{profile}: {}", r.body);
            replies.push(r.json());
            // CapMonster's 2 s between polls, on the emulator's clock.
            emu.advance(Duration::from_millis(2100));
        }
        seen.push((profile, replies));
    }
    for (profile, replies) in seen {
        let statuses: Vec<String> = replies
            .iter()
            .map(|v| {
                v["status"]
                    .as_str()
                    .map_or_else(|| v["errorCode"].to_string(), str::to_owned)
            })
            .collect();
        match profile {
            "capsolver" => {
                assert_eq!(statuses, ["idle", "processing", "processing", "processing"]);
                check_success_codes("capsolver", &replies[0]);
            }
            "capmonster" => {
                assert_eq!(
                    statuses,
                    [
                        "processing",
                        "\"CAPTCHA_NOT_READY\"",
                        "processing",
                        "\"CAPTCHA_NOT_READY\""
                    ]
                );
                assert!(replies[0]["errorCode"].is_null());
                assert_eq!(replies[1]["errorId"], 1);
            }
            _ => {
                assert!(statuses.iter().all(|s| s == "processing"), "{profile}");
                assert_eq!(replies[0]["errorId"], 0);
            }
        }
    }
    assert_eq!(emu.counters().violations_total(), 0);
}

#[tokio::test]
async fn capsolver_answers_images_in_the_create_reply() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let v = http
        .create(
            "capsolver",
            KEY,
            task_for("capsolver", "ImageToText").unwrap(),
        )
        .await
        .json();
    assert_eq!(v["status"], "ready");
    let text = v["solution"]["text"].as_str().unwrap().to_owned();
    assert!(!text.is_empty());
    // Polling it afterwards gives the same answer.
    let again = http.result("capsolver", KEY, &v["taskId"]).await.json();
    assert_eq!(again["solution"]["text"], text.as_str());
    // The number module: images[] answered with answers[].
    let b = image_b64();
    let v = http
        .create(
            "capsolver",
            KEY,
            json!({"type": "ImageToTextTask", "images": [b, b, b], "module": "number"}),
        )
        .await
        .json();
    assert_eq!(v["solution"]["answers"].as_array().unwrap().len(), 3, "{v}");
    // An unsolvable image fails in the create reply, uncharged.
    emu.add_rule(Rule {
        when: Match {
            kind: Some("ImageToText".into()),
            ..Match::default()
        },
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        times: Some(1),
        ..Rule::default()
    });
    let before = emu.balance(KEY).unwrap();
    let r = http
        .create(
            "capsolver",
            KEY,
            task_for("capsolver", "ImageToText").unwrap(),
        )
        .await;
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(
        (v["errorId"].clone(), v["errorCode"].clone()),
        (json!(1), json!("ERROR_CAPTCHA_UNSOLVABLE"))
    );
    assert_eq!(v["status"], "failed");
    assert_eq!(emu.balance(KEY).unwrap(), before);
    // Elsewhere images are polled.
    let id = http
        .create_ok(
            "anti-captcha",
            KEY,
            task_for("anti-captcha", "ImageToText").unwrap(),
        )
        .await;
    let v = http.wait_result("anti-captcha", KEY, &id, 30).await.json();
    assert!(v["solution"]["text"].is_string());
}

#[tokio::test]
async fn error_codes_and_http_statuses_per_profile() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    // (profile, bad-key code, its status, its errorId)
    for (profile, code, status, error_id) in [
        ("anti-captcha", "ERROR_KEY_DOES_NOT_EXIST", 200, 1),
        ("capmonster", "ERROR_KEY_DOES_NOT_EXIST", 403, 1),
        ("capsolver", "ERROR_KEY_DENIED_ACCESS", 401, 1),
        ("nextcaptcha", "ERROR_KEY_DOES_NOT_EXIST", 200, 1),
        ("2captcha-v2", "ERROR_KEY_DOES_NOT_EXIST", 200, 1),
        ("", "ERROR_KEY_DOES_NOT_EXIST", 200, 1),
    ] {
        for method in ["createTask", "getTaskResult", "getBalance"] {
            let r = http
                .json(
                    &format!("{}{method}", base(profile)),
                    json!({"clientKey": "short", "taskId": 1, "task": task_for("capsolver", "RecaptchaV2")}),
                )
                .await;
            let v = r.json();
            assert_eq!(
                (r.status, v["errorCode"].as_str()),
                (status, Some(code)),
                "{profile} {method}"
            );
            assert_eq!(v["errorId"], error_id);
            assert!(v["errorDescription"].is_string());
        }
    }
    // A removed account is a bad key too.
    emu.remove_account(KEY2);
    let r = http
        .create(
            "capmonster",
            KEY2,
            task_for("capmonster", "RecaptchaV2").unwrap(),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["taskId"], 0, "CapMonster errors carry taskId 0");

    // Zero balance: 402 at CapMonster, 400 at CapSolver, errorId 10 in the family's table.
    emu.set_account(KEY2, 0.0);
    for (profile, status, error_id) in [
        ("capmonster", 402, 1),
        ("capsolver", 400, 1),
        ("anti-captcha", 200, 10),
        ("2captcha-v2", 200, 10),
    ] {
        let r = http
            .create(profile, KEY2, task_for(profile, "RecaptchaV2").unwrap())
            .await;
        let v = r.json();
        assert_eq!(
            (r.status, v["errorCode"].as_str(), v["errorId"].as_u64()),
            (status, Some("ERROR_ZERO_BALANCE"), Some(error_id)),
            "{profile}"
        );
    }

    // Unknown task ids.
    for (profile, id, code, status) in [
        (
            "anti-captcha",
            json!(5_999_999_999u64),
            "ERROR_NO_SUCH_CAPCHA_ID",
            200,
        ),
        ("capmonster", json!(1), "ERROR_NO_SUCH_CAPCHA_ID", 200),
        (
            "capsolver",
            json!("8f7e0b1c-0000-4000-8000-000000000000"),
            "ERROR_TASKID_INVALID",
            400,
        ),
        (
            "capsolver",
            json!(5_000_000_001u64),
            "ERROR_TASKID_INVALID",
            400,
        ),
        ("nextcaptcha", json!("abc"), "ERROR_NO_SUCH_CAPCHA_ID", 200),
        ("2captcha-v2", json!(null), "ERROR_NO_SUCH_CAPCHA_ID", 200),
        ("", json!([1]), "ERROR_NO_SUCH_CAPCHA_ID", 200),
        ("", json!(-5), "ERROR_NO_SUCH_CAPCHA_ID", 200),
        ("", json!(5.5), "ERROR_NO_SUCH_CAPCHA_ID", 200),
    ] {
        let r = http.result(profile, KEY, &id).await;
        assert_eq!(
            (r.status, r.json()["errorCode"].as_str()),
            (status, Some(code)),
            "{profile} {id}"
        );
    }
    assert_eq!(
        http.result("anti-captcha", KEY, &json!(5_999_999_999u64))
            .await
            .json()["errorId"],
        16
    );

    // Missing and invalid fields, by each profile's codes.
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE}),
            "ERROR_RECAPTCHA_INVALID_SITEKEY",
        ),
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2TaskProxyless", "websiteKey": SITEKEY}),
            "ERROR_RECAPTCHA_INVALID_DOMAIN",
        ),
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": "example.com", "websiteKey": SITEKEY}),
            "ERROR_RECAPTCHA_INVALID_DOMAIN",
        ),
        (
            "capsolver",
            json!({"type": "ReCaptchaV2TaskProxyLess", "websiteURL": PAGE}),
            "ERROR_INVALID_TASK_DATA",
        ),
        (
            "2captcha-v2",
            json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE}),
            "ERROR_RECAPTCHA_INVALID_SITEKEY",
        ),
        (
            "nextcaptcha",
            json!({"type": "TurnstileTaskProxyless", "websiteURL": PAGE}),
            "ERROR_RECAPTCHA_INVALID_SITEKEY",
        ),
        ("", json!({"websiteURL": PAGE}), "ERROR_TASK_ABSENT"),
        ("anti-captcha", json!("a string"), "ERROR_TASK_ABSENT"),
        ("capsolver", json!(null), "ERROR_INVALID_TASK_DATA"),
        // minScore: 0.3/0.7/0.9 only at anti-captcha and 2captcha (and required there),
        // 0.1..0.9 at CapMonster, CapSolver.
        (
            "anti-captcha",
            json!({"type": "RecaptchaV3TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.5}),
            "ERROR_INCORRECT_SESSION_DATA",
        ),
        (
            "anti-captcha",
            json!({"type": "RecaptchaV3TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}),
            "ERROR_INCORRECT_SESSION_DATA",
        ),
        (
            "2captcha-v2",
            json!({"type": "RecaptchaV3TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}),
            "ERROR_BAD_PARAMETERS",
        ),
        (
            "capmonster",
            json!({"type": "RecaptchaV3TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.95}),
            "ERROR_TASK_ABSENT",
        ),
        (
            "capsolver",
            json!({"type": "ReCaptchaV3TaskProxyLess", "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.05}),
            "ERROR_INVALID_TASK_DATA",
        ),
        (
            "capsolver",
            json!({"type": "ReCaptchaV3TaskProxyLess", "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": "0.5"}),
            "ERROR_INVALID_TASK_DATA",
        ),
        // anti-captcha's apiDomain is one of two.
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2EnterpriseTaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY, "apiDomain": "evil.com"}),
            "ERROR_INCORRECT_SESSION_DATA",
        ),
        // enterprisePayload is an object (a string too at CapMonster).
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2EnterpriseTaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY, "enterprisePayload": "s"}),
            "ERROR_INCORRECT_SESSION_DATA",
        ),
        // CapMonster's funcaptchaApiJSSubdomain is a bare domain.
        (
            "capmonster",
            json!({"type": "FunCaptchaTask", "websiteURL": PAGE, "websitePublicKey": FUNKEY, "funcaptchaApiJSSubdomain": "https://x.arkoselabs.com"}),
            "ERROR_TASK_ABSENT",
        ),
        // FunCaptcha with a proxy needs a userAgent at anti-captcha.
        (
            "anti-captcha",
            json!({"type": "FunCaptchaTask", "websiteURL": PAGE, "websitePublicKey": FUNKEY, "proxyType": "http", "proxyAddress": "1.2.3.4", "proxyPort": 8080}),
            "ERROR_INCORRECT_SESSION_DATA",
        ),
        // Images.
        (
            "anti-captcha",
            json!({"type": "ImageToTextTask", "body": "not base64!"}),
            "ERROR_IMAGE_TYPE_NOT_SUPPORTED",
        ),
        (
            "anti-captcha",
            json!({"type": "ImageToTextTask", "body": format!("data:image/png;base64,{}", image_b64())}),
            "ERROR_IMAGE_TYPE_NOT_SUPPORTED",
        ),
        (
            "anti-captcha",
            json!({"type": "ImageToTextTask", "body": b64(b"tiny")}),
            "ERROR_ZERO_CAPTCHA_FILESIZE",
        ),
        (
            "anti-captcha",
            json!({"type": "ImageToTextTask"}),
            "ERROR_ZERO_CAPTCHA_FILESIZE",
        ),
        (
            "capmonster",
            json!({"type": "ImageToTextTask", "body": b64(&big_png(60_000))}),
            "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        ),
        (
            "capmonster",
            json!({"type": "ImageToTextTask", "body": image_b64(), "recognizingThreshold": 101}),
            "ERROR_TASK_ABSENT",
        ),
        (
            "capmonster",
            json!({"type": "ImageToTextTask", "body": image_b64(), "numeric": 2}),
            "ERROR_TASK_ABSENT",
        ),
        (
            "2captcha-v2",
            json!({"type": "ImageToTextTask", "body": b64(&big_png(150_000))}),
            "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        ),
        (
            "2captcha-v2",
            json!({"type": "ImageToTextTask", "body": b64(&image("too_wide.png"))}),
            "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        ),
        (
            "2captcha-v2",
            json!({"type": "ImageToTextTask", "body": image_b64(), "numeric": 5}),
            "ERROR_BAD_PARAMETERS",
        ),
        (
            "capsolver",
            json!({"type": "ImageToTextTask", "body": "%%%"}),
            "ERROR_INVALID_IMAGE",
        ),
        (
            "",
            json!({"type": "ImageToTextTask", "body": b64(&big_png(700_000))}),
            "ERROR_TOO_BIG_CAPTCHA_FILESIZE",
        ),
        // Proxies: anti-captcha takes IPs only and no https.
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY}),
            "ERROR_INCORRECT_SESSION_DATA",
        ),
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxyType": "http", "proxyAddress": "proxy.example.com", "proxyPort": 8080}),
            "ERROR_PROXY_CONNECT_REFUSED",
        ),
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxyType": "https", "proxyAddress": "1.2.3.4", "proxyPort": 8080}),
            "ERROR_PROXY_CONNECT_REFUSED",
        ),
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxyType": "http", "proxyAddress": "1.2.3.4", "proxyPort": "8080"}),
            "ERROR_PROXY_CONNECT_REFUSED",
        ),
        (
            "capsolver",
            json!({"type": "ReCaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxy": "1.2.3.4"}),
            "ERROR_INVALID_TASK_DATA",
        ),
        (
            "2captcha-v2",
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxyType": "ftp", "proxyAddress": "1.2.3.4", "proxyPort": 21}),
            "ERROR_BAD_PROXY",
        ),
    ];
    for (profile, task, code) in cases {
        let r = http.create(profile, KEY, task.clone()).await;
        let v = r.json();
        assert_eq!(v["errorCode"], code, "{profile:?} {task}: {}", r.body);
        assert_eq!(r.status, if profile == "capsolver" { 400 } else { 200 });
    }
    // What the same profiles accept.
    let ok: Vec<(&str, Value)> = vec![
        (
            "anti-captcha",
            json!({"type": "RecaptchaV3TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.3}),
        ),
        (
            "capmonster",
            json!({"type": "RecaptchaV3TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY, "minScore": 0.1}),
        ),
        (
            "capmonster",
            json!({"type": "RecaptchaV2EnterpriseTask", "websiteURL": PAGE, "websiteKey": SITEKEY, "enterprisePayload": "s-value"}),
        ),
        (
            "capmonster",
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxyType": "https", "proxyAddress": "2001:db8::1", "proxyPort": 8080}),
        ),
        (
            "2captcha-v2",
            json!({"type": "ImageToTextTask", "body": format!("data:image/png;base64,{}", image_b64())}),
        ),
        (
            "anti-captcha",
            json!({"type": "RecaptchaV2EnterpriseTaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY, "apiDomain": "www.recaptcha.net", "enterprisePayload": {"s": "x"}}),
        ),
        (
            "anti-captcha",
            json!({"type": "FunCaptchaTask", "websiteURL": PAGE, "websitePublicKey": FUNKEY, "userAgent": "UA", "proxyType": "socks5", "proxyAddress": "1.2.3.4", "proxyPort": 1080}),
        ),
        (
            "capsolver",
            json!({"type": "ReCaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxy": "socks5:1.2.3.4:1080:user:pw"}),
        ),
        (
            "",
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY, "proxyType": "HTTP", "proxyAddress": "proxy.example.com", "proxyPort": "8080"}),
        ),
    ];
    for (profile, task) in ok {
        let r = http.create(profile, KEY, task.clone()).await;
        assert_eq!(r.json()["errorId"], 0, "{profile:?} {task}: {}", r.body);
    }
    let ids = emu.task_ids(KEY);
    let info = emu.task_by_id(&ids[ids.len() - 2].to_string()).unwrap();
    assert_eq!(info.params["proxy"], "socks5://user:pw@1.2.3.4:1080");
    // CapMonster's API_KEY__nocache is the key.
    let r = http
        .create(
            "capmonster",
            &format!("{KEY}__nocache"),
            task_for("capmonster", "RecaptchaV2").unwrap(),
        )
        .await;
    assert_eq!(r.json()["errorId"], 0, "{}", r.body);
    // Bodies that are not JSON objects, unknown methods.
    let r = http.raw("capsolver/createTask", b"clientKey=abc").await;
    assert_eq!(
        (r.status, r.json()["errorCode"].as_str()),
        (400, Some("ERROR_BAD_REQUEST"))
    );
    let r = http.raw("anti-captcha/createTask", b"[1,2]").await;
    assert_eq!(r.json()["errorCode"], "ERROR_KEY_DOES_NOT_EXIST");
    let r = http
        .json("anti-captcha/getQueueStatz", json!({"clientKey": KEY}))
        .await;
    assert_eq!(r.json()["errorCode"], "ERROR_NO_SUCH_METHOD");
    let r = http
        .json("capsolver/getToken", json!({"clientKey": KEY}))
        .await;
    assert_eq!(
        (r.status, r.json()["errorCode"].as_str()),
        (400, Some("ERROR_BAD_REQUEST"))
    );
    let r = http
        .json("noprofile/createTask", json!({"clientKey": KEY}))
        .await;
    assert_eq!(r.status, 404);
}

/// POSTs `body` to a profile's method.
async fn call(http: &Http, profile: &str, method: &str, body: Value) -> Reply {
    http.json(&format!("{}{method}", base(profile)), body).await
}

/// A PNG of about `n` bytes (a valid header, then padding).
fn big_png(n: usize) -> Vec<u8> {
    let mut b = image("captcha.png");
    b.resize(n, 0);
    b
}

#[tokio::test]
async fn poll_cap_per_task_at_capsolver_and_capmonster() {
    let emu = scaled(1000, 1.0).await;
    let http = Http::new(&emu);
    // CapSolver: 120 polls are fine, the 121st is refused with ERROR_RATE_LIMIT (400).
    let id = http
        .create_ok(
            "capsolver",
            KEY,
            task_for("capsolver", "RecaptchaV2").unwrap(),
        )
        .await;
    for i in 1..=120 {
        let r = http.result("capsolver", KEY, &id).await;
        assert_eq!(r.status, 200, "poll {i}: {}", r.body);
    }
    assert_eq!(emu.counters().violation("json_poll_cap"), 0);
    for _ in 0..3 {
        let r = http.result("capsolver", KEY, &id).await;
        assert_eq!(
            (r.status, r.json()["errorCode"].as_str()),
            (400, Some("ERROR_RATE_LIMIT"))
        );
    }
    // One violation per task, however far over.
    assert_eq!(emu.counters().violation("json_poll_cap"), 1);
    // CapMonster: polled back to back (each too soon as well), the cap still counts.
    let id = http
        .create_ok(
            "capmonster",
            KEY,
            task_for("capmonster", "RecaptchaV2").unwrap(),
        )
        .await;
    for _ in 0..121 {
        http.result("capmonster", KEY, &id).await;
    }
    let c = emu.counters();
    assert_eq!(c.violation("json_poll_cap"), 2);
    assert_eq!(c.violation("json_poll_interval"), 119);
    assert_eq!(c.max_polls_per_task, 123);
    assert_eq!(emu.task_by_id(&id.to_string()).unwrap().polls, 121);
    // No cap elsewhere.
    let id = http
        .create_ok(
            "anti-captcha",
            KEY,
            task_for("anti-captcha", "RecaptchaV2").unwrap(),
        )
        .await;
    for _ in 0..125 {
        assert_eq!(
            http.result("anti-captcha", KEY, &id).await.json()["errorId"],
            0
        );
    }
    assert_eq!(emu.counters().violation("json_poll_cap"), 2);
}

#[tokio::test]
async fn capmonster_polls_two_seconds_apart() {
    // The documented 2 s: back-to-back polls are too soon however slow the machine, polls
    // 2.1 s apart (the emulator's clock moved ahead) never.
    let emu = scaled(100, 1.0).await;
    let http = Http::new(&emu);
    let id = http
        .create_ok(
            "capmonster",
            KEY,
            task_for("capmonster", "RecaptchaV2").unwrap(),
        )
        .await;
    let first = http.result("capmonster", KEY, &id).await.json();
    assert_ne!(first["errorCode"], "ERROR_TOO_MUCH_REQUESTS");
    let r = http.result("capmonster", KEY, &id).await;
    assert_eq!(
        (r.status, r.json()["errorCode"].as_str()),
        (200, Some("ERROR_TOO_MUCH_REQUESTS"))
    );
    assert_eq!(emu.counters().violation("json_poll_interval"), 1);
    emu.advance(Duration::from_millis(2100));
    let v = http.result("capmonster", KEY, &id).await.json();
    assert_eq!(v["status"], "ready", "{v}");
    assert_eq!(emu.counters().violation("json_poll_interval"), 1);
    // Other profiles take back-to-back polls.
    let id = http
        .create_ok(
            "capsolver",
            KEY,
            task_for("capsolver", "RecaptchaV2").unwrap(),
        )
        .await;
    for _ in 0..3 {
        assert_eq!(http.result("capsolver", KEY, &id).await.status, 200);
    }
    assert_eq!(emu.counters().violation("json_poll_interval"), 1);
}

#[tokio::test]
async fn anti_captcha_balance_at_most_every_30_seconds() {
    // The documented 30 s; the emulator's clock is moved past them.
    let emu = scaled(100, 1.0).await;
    let http = Http::new(&emu);
    let bal = |p: &'static str| call(&http, p, "getBalance", json!({"clientKey": KEY}));
    assert_eq!(bal("anti-captcha").await.json()["balance"], 10.0);
    // Too soon: counted, still answered.
    assert_eq!(bal("anti-captcha").await.json()["balance"], 10.0);
    assert_eq!(emu.counters().violation("json_balance_interval"), 1);
    emu.advance(Duration::from_secs(31));
    bal("anti-captcha").await;
    assert_eq!(emu.counters().violation("json_balance_interval"), 1);
    // Other keys and other profiles are not limited.
    http.json("anti-captcha/getBalance", json!({"clientKey": KEY2}))
        .await;
    for p in ["capmonster", "capsolver", "nextcaptcha", "2captcha-v2", ""] {
        bal(p).await;
        bal(p).await;
    }
    assert_eq!(emu.counters().violation("json_balance_interval"), 1);
}

#[tokio::test]
async fn results_expire() {
    // The documented windows (5 minutes after creation; anti-captcha's 60 s after
    // completion), the emulator's clock moved past them.
    let emu = scaled(1000, 1.0).await;
    let http = Http::new(&emu);
    let mut ids = Vec::new();
    for p in ["capsolver", "capmonster", "", "nextcaptcha", "2captcha-v2"] {
        let id = http
            .create_ok(p, KEY, task_for(p, "RecaptchaV2").unwrap())
            .await;
        emu.advance(Duration::from_millis(1100)); // solved
        assert_eq!(
            http.wait_result(p, KEY, &id, 30).await.json()["status"],
            "ready"
        );
        ids.push((p, id));
    }
    let ac = http
        .create_ok(
            "anti-captcha",
            KEY,
            task_for("anti-captcha", "RecaptchaV2").unwrap(),
        )
        .await;
    emu.advance(Duration::from_millis(1100)); // solved
    assert_eq!(
        http.wait_result("anti-captcha", KEY, &ac, 30).await.json()["status"],
        "ready"
    );
    emu.advance(Duration::from_secs(61));
    let r = http.result("anti-captcha", KEY, &ac).await;
    assert_eq!(r.json()["errorCode"], "ERROR_NO_SUCH_CAPCHA_ID");
    // The others still answer ...
    for (p, id) in &ids {
        assert_eq!(
            http.result(p, KEY, id).await.json()["status"],
            "ready",
            "{p}"
        );
    }
    emu.advance(Duration::from_secs(5 * 60));
    // ... until 5 minutes after creation.
    for (p, id) in &ids {
        let r = http.result(p, KEY, id).await;
        let code = if *p == "capsolver" {
            "ERROR_TASKID_INVALID"
        } else {
            "ERROR_NO_SUCH_CAPCHA_ID"
        };
        assert_eq!(r.json()["errorCode"], code, "{p}");
    }
    // The emulator still knows them.
    assert_eq!(emu.task_ids(KEY).len(), 6);
    assert_eq!(emu.task_by_id(&ac.to_string()).unwrap().status, "solved");
}

#[tokio::test]
async fn reports_per_profile() {
    // The documented windows (anti-captcha: 60 s after completion); tasks are solved, and
    // the late report made late, by moving the emulator's clock.
    let emu = scaled(1000, 1.0).await;
    let http = Http::new(&emu);
    let report = |p: &'static str, method: &'static str, body: Value| call(&http, p, method, body);
    let control = emu.control();
    let solved = |p: &'static str, kind: &'static str| {
        let http = &http;
        let control = control.clone();
        async move {
            let id = http.create_ok(p, KEY, task_for(p, kind).unwrap()).await;
            control.advance(Duration::from_millis(1100));
            http.wait_result(p, KEY, &id, 30).await;
            id
        }
    };

    // anti-captcha: per-kind methods, one report per task, within 60 s of completion.
    let id = solved("anti-captcha", "RecaptchaV2").await;
    let v = report(
        "anti-captcha",
        "reportIncorrectRecaptcha",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v, json!({"errorId": 0, "status": "success"}));
    assert_eq!(
        emu.task_by_id(&id.to_string()).unwrap().report.as_deref(),
        Some("bad")
    );
    let v = report(
        "anti-captcha",
        "reportCorrectRecaptcha",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v["errorCode"], "ERROR_NO_SUCH_CAPCHA_ID");
    let img = solved("anti-captcha", "ImageToText").await;
    let v = report(
        "anti-captcha",
        "reportIncorrectRecaptcha",
        json!({"clientKey": KEY, "taskId": img}),
    )
    .await
    .json();
    assert_eq!(v["errorCode"], "ERROR_NO_SUCH_CAPCHA_ID", "wrong kind");
    let v = report(
        "anti-captcha",
        "reportIncorrectImageCaptcha",
        json!({"clientKey": KEY, "taskId": img}),
    )
    .await
    .json();
    assert_eq!(v["status"], "success");
    let h = solved("anti-captcha", "HCaptcha").await;
    let v = report(
        "anti-captcha",
        "reportIncorrectHcaptcha",
        json!({"clientKey": KEY, "taskId": h}),
    )
    .await
    .json();
    assert_eq!(v["status"], "success");

    // CapMonster: image and token methods (reportIncorrectRecaptcha is an alias).
    let id = solved("capmonster", "Turnstile").await;
    let v = report(
        "capmonster",
        "reportIncorrectTokenCaptcha",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v["status"], "success", "{v}");
    let id = solved("capmonster", "RecaptchaV2").await;
    let v = report(
        "capmonster",
        "reportIncorrectRecaptcha",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v["status"], "success", "{v}");
    let v = report(
        "capmonster",
        "reportIncorrectImageCaptcha",
        json!({"clientKey": KEY, "taskId": 77}),
    )
    .await
    .json();
    assert_eq!(v["errorCode"], "ERROR_NO_SUCH_CAPCHA_ID");

    // CapSolver: feedbackTask with result.invalid.
    let id = solved("capsolver", "RecaptchaV2").await;
    let r = report("capsolver", "feedbackTask", json!({"clientKey": KEY, "taskId": id, "result": {"invalid": true, "code": 1, "message": "rejected"}})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["errorId"], 0);
    assert_eq!(
        emu.task_by_id(id.as_str().unwrap())
            .unwrap()
            .report
            .as_deref(),
        Some("bad")
    );
    let r = report(
        "capsolver",
        "feedbackTask",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["errorCode"].as_str()),
        (400, Some("ERROR_INVALID_TASK_DATA"))
    );

    // NextCaptcha has no report method.
    let id = solved("nextcaptcha", "RecaptchaV2").await;
    let v = report(
        "nextcaptcha",
        "reportIncorrectRecaptcha",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v["errorCode"], "ERROR_NO_SUCH_METHOD");

    // 2captcha v2: reportCorrect / reportIncorrect; duplicates and unsolved tasks refused.
    let id = solved("2captcha-v2", "RecaptchaV2").await;
    let v = report(
        "2captcha-v2",
        "reportCorrect",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v, json!({"errorId": 0, "status": "success"}));
    let v = report(
        "2captcha-v2",
        "reportIncorrect",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v["errorCode"], "ERROR_DUPLICATE_REPORT");
    emu.add_rule(Rule {
        delay_ms: Some(600_000),
        times: Some(1),
        ..Rule::default()
    });
    let pending = http
        .create_ok(
            "2captcha-v2",
            KEY,
            task_for("2captcha-v2", "RecaptchaV2").unwrap(),
        )
        .await;
    let v = report(
        "2captcha-v2",
        "reportIncorrect",
        json!({"clientKey": KEY, "taskId": pending}),
    )
    .await
    .json();
    assert_eq!(v["errorCode"], "ERROR_REPORT_NOT_RECORDED");

    // anti-captcha refuses reports later than 60 s after completion.
    let id = solved("anti-captcha", "RecaptchaV2").await;
    emu.advance(Duration::from_secs(61));
    let v = report(
        "anti-captcha",
        "reportCorrectRecaptcha",
        json!({"clientKey": KEY, "taskId": id}),
    )
    .await
    .json();
    assert_eq!(v["errorCode"], "ERROR_NO_SUCH_CAPCHA_ID");

    let c = emu.counters();
    assert!(c.action("json:reportIncorrectRecaptcha") >= 3);
    assert_eq!(c.action("json:feedbackTask"), 2);
}

#[tokio::test]
async fn lifting_the_limits_lifts_the_polling_rules() {
    let emu = Emulator::start(Config {
        limits: false,
        default_delay: Delay::fixed(10),
        ..Config::default()
    })
    .await
    .unwrap();
    let http = Http::new(&emu);
    let cm = http
        .create_ok(
            "capmonster",
            KEY,
            task_for("capmonster", "RecaptchaV2").unwrap(),
        )
        .await;
    let cs = http
        .create_ok(
            "capsolver",
            KEY,
            task_for("capsolver", "RecaptchaV2").unwrap(),
        )
        .await;
    for _ in 0..125 {
        let v = http.result("capmonster", KEY, &cm).await.json();
        assert_ne!(v["errorCode"], "ERROR_TOO_MUCH_REQUESTS");
        assert_eq!(http.result("capsolver", KEY, &cs).await.status, 200);
    }
    for _ in 0..3 {
        call(
            &http,
            "anti-captcha",
            "getBalance",
            json!({"clientKey": KEY}),
        )
        .await;
    }
    assert_eq!(emu.counters().violations_total(), 0);
}
