//! The json protocol next to the form protocol: the tolerant root profile, what a task
//! records, rules, shared accounts, counters, callbacks, form presets under their prefixes,
//! hostile bodies, and the admin endpoints for json tasks.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn the_root_accepts_every_spelling_and_records_what_arrived() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    // Turnstile cData under each provider's spelling reaches the same place.
    let spellings = [
        json!({"cData": "c1", "action": "a1", "chlPageData": "p1"}),
        json!({"turnstileCData": "c1", "action": "a1", "chlPageData": "p1"}),
        json!({"data": "c1", "pageAction": "a1", "pagedata": "p1"}),
        json!({"metadata": {"cdata": "c1", "action": "a1"}, "pageData": "p1"}),
    ];
    for extra in spellings {
        let mut task =
            json!({"type": "TurnstileTaskProxyless", "websiteURL": PAGE, "websiteKey": TSKEY});
        for (k, v) in extra.as_object().unwrap() {
            task[k] = v.clone();
        }
        let id = http.create_ok("", KEY, task.clone()).await;
        let info = emu.task(id.as_u64().unwrap()).unwrap();
        assert_eq!(info.params["cdata"], "c1", "{task}");
        assert_eq!(info.params["action"], "a1", "{task}");
        assert_eq!(info.raw, Some(task.clone()));
        assert!(info.unread_fields.is_empty(), "{:?}", info.unread_fields);
    }
    // hCaptcha rqdata: CapMonster's `data` or an enterprisePayload object.
    for rq in [
        json!({"data": "r1"}),
        json!({"enterprisePayload": {"rqdata": "r1", "sentry": true}}),
    ] {
        let mut task =
            json!({"type": "HCaptchaTaskProxyless", "websiteURL": PAGE, "websiteKey": HSITEKEY});
        for (k, v) in rq.as_object().unwrap() {
            task[k] = v.clone();
        }
        let id = http.create_ok("", KEY, task).await;
        assert_eq!(
            emu.task(id.as_u64().unwrap()).unwrap().params["rqdata"],
            "r1"
        );
    }
    // Every field exactly as it arrived (unicode, nesting, numbers), the envelope without
    // the key, fields nobody reads listed as unread.
    let task = json!({
        "type": "RecaptchaV2EnterpriseTask",
        "websiteURL": "https://пример.example/логин?a=1&b=%20",
        "websiteKey": SITEKEY,
        "enterprisePayload": {"s": "S-VALUE", "nested": [1, 2.5, {"deep": null}]},
        "userAgent": "Mozilla/5.0 \"quoted\" ✓",
        "cookies": "a=b; c=d",
        "proxyType": "socks5",
        "proxyAddress": "10.1.2.3",
        "proxyPort": 1080,
        "proxyLogin": "user",
        "proxyPassword": "p@ss:w/rd",
        "websiteKy": "typo",
        "softId": 42
    });
    let r = http
        .json(
            "createTask",
            json!({"clientKey": KEY, "task": task, "softId": 7, "callbackUrl": "",
                "languagePool": "en", "solftId": 8}),
        )
        .await;
    let id = r.json()["taskId"].clone();
    let info = emu.task(id.as_u64().unwrap()).unwrap();
    assert_eq!(info.raw.as_ref(), Some(&task));
    assert_eq!(info.method, "RecaptchaV2EnterpriseTask");
    assert_eq!(info.profile, "generic");
    assert_eq!(info.params["enterprise"], "1");
    assert_eq!(
        info.params["proxy"],
        "socks5://user:p@ss:w/rd@10.1.2.3:1080"
    );
    assert_eq!(info.params["user_agent"], "Mozilla/5.0 \"quoted\" ✓");
    assert_eq!(info.unread_fields, vec!["websiteKy", "softId"]);
    let env = info.envelope.unwrap();
    assert_eq!(
        env,
        json!({"softId": 7, "callbackUrl": "", "languagePool": "en", "solftId": 8})
    );
    assert!(env.get("clientKey").is_none());
    // The same over the admin API.
    let t = http.admin(Method::GET, &format!("tasks/{id}"), None).await;
    assert_eq!(t["raw"], task);
    assert_eq!(t["task_id"], id);
}

#[tokio::test]
async fn task_ids_arrive_as_numbers_or_strings() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let id = http
        .create_ok(
            "",
            KEY,
            json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}),
        )
        .await;
    let n = id.as_u64().unwrap();
    assert!(n > 1 << 32);
    http.result("", KEY, &id).await;
    http.result("", KEY, &json!(n.to_string())).await;
    http.result("", KEY, &json!(n.to_string())).await;
    let info = emu.task(n).unwrap();
    assert_eq!(
        (info.polls_with_number_id, info.polls_with_string_id),
        (1, 2)
    );
    assert_eq!(info.polls, 3);
    // Another key does not see it.
    let r = http.result("", KEY2, &id).await;
    assert_eq!(r.json()["errorCode"], "ERROR_NO_SUCH_CAPCHA_ID");
    // Nor does another profile, nor the form protocol.
    assert_eq!(
        http.result("anti-captcha", KEY, &id).await.json()["errorCode"],
        "ERROR_NO_SUCH_CAPCHA_ID"
    );
    assert_eq!(
        http.poll(KEY, &n.to_string(), false).await.body,
        "ERROR_WRONG_CAPTCHA_ID"
    );
}

#[tokio::test]
async fn rules_apply_to_json_tasks() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let v2 = json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY});
    // submit_error with a json code, by type name and profile.
    emu.add_rule(Rule {
        when: Match {
            method: Some("RecaptchaV2Task".into()),
            profile: Some("capmonster".into()),
            ..Match::default()
        },
        submit_error: Some("ERROR_ZERO_BALANCE".into()),
        times: Some(1),
        ..Rule::default()
    });
    let cm = json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY});
    let r = http.create("capmonster", KEY, cm.clone()).await;
    assert_eq!(
        (r.status, r.json()["errorCode"].as_str()),
        (402, Some("ERROR_ZERO_BALANCE"))
    );
    assert_eq!(
        http.create("capmonster", KEY, cm).await.json()["errorId"],
        0
    );
    // No slot at anti-captcha, by kind: errorId 2.
    emu.add_rule(Rule {
        when: Match {
            kind: Some("RecaptchaV2".into()),
            profile: Some("anti-captcha".into()),
            ..Match::default()
        },
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        times: Some(1),
        ..Rule::default()
    });
    let v = http.create("anti-captcha", KEY, v2.clone()).await.json();
    assert_eq!(
        (v["errorId"].as_u64(), v["errorCode"].as_str()),
        (Some(2), Some("ERROR_NO_SLOT_AVAILABLE"))
    );
    // result_error by sitekey: errorId 12, not charged.
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("unsolvable-key".into()),
            ..Match::default()
        },
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        ..Rule::default()
    });
    let before = emu.balance(KEY).unwrap();
    let bad = json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": "unsolvable-key"});
    for profile in ["", "nextcaptcha", "capsolver"] {
        let mut t = bad.clone();
        if profile == "capsolver" {
            t["type"] = json!("ReCaptchaV2TaskProxyLess");
        }
        let id = http.create_ok(profile, KEY, t).await;
        let r = http.wait_result(profile, KEY, &id, 30).await;
        let v = r.json();
        assert_eq!(v["errorCode"], "ERROR_CAPTCHA_UNSOLVABLE", "{profile}");
        if profile == "capsolver" {
            assert_eq!((r.status, v["errorId"].as_u64()), (400, Some(1)));
        } else {
            assert_eq!((r.status, v["errorId"].as_u64()), (200, Some(12)));
        }
        assert_eq!(
            emu.task_by_id(&id.to_string().replace('"', ""))
                .unwrap()
                .status,
            "failed"
        );
    }
    assert_eq!(emu.balance(KEY).unwrap(), before);
    // A fixed answer, by page URL, with a delay.
    emu.add_rule(Rule {
        when: Match {
            pageurl: Some("https://fixed.example/".into()),
            ..Match::default()
        },
        answer: Some("FIXED-TOKEN".into()),
        delay_ms: Some(60_000),
        ..Rule::default()
    });
    let t = json!({"type": "TurnstileTaskProxyless", "websiteURL": "https://fixed.example/", "websiteKey": TSKEY});
    let id = http.create_ok("2captcha-v2", KEY, t).await;
    let first = http.result("2captcha-v2", KEY, &id).await.json();
    assert_eq!(first["status"], "processing");
    let v = http.wait_result("2captcha-v2", KEY, &id, 20).await.json();
    assert_eq!(v["solution"]["token"], "FIXED-TOKEN");
    // Rules with `profile: form` leave json alone.
    emu.clear_rules();
    emu.add_rule(Rule {
        when: Match {
            profile: Some("form".into()),
            ..Match::default()
        },
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        ..Rule::default()
    });
    assert_eq!(http.create("", KEY, v2).await.json()["errorId"], 0);
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR_NO_SLOT_AVAILABLE"
    );
}

#[tokio::test]
async fn accounts_and_prices_are_shared_and_the_form_limits_do_not_apply() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    emu.set_account(KEY, 1.0);
    emu.update_config(|c| {
        c.prices.insert("RecaptchaV2".into(), 0.25);
    });
    let v2 = json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY});
    http.create_ok("", KEY, v2.clone()).await;
    http.submit(&recaptcha(KEY)).await;
    http.create_ok("anti-captcha", KEY, v2.clone()).await;
    assert_eq!(emu.balance(KEY), Some(0.25));
    http.create_ok("2captcha-v2", KEY, v2.clone()).await;
    let v = http.create("nextcaptcha", KEY, v2.clone()).await.json();
    assert_eq!(v["errorCode"], "ERROR_ZERO_BALANCE");
    assert_eq!(
        http.post("in.php", &recaptcha(KEY)).await.body,
        "ERROR_ZERO_BALANCE"
    );
    // 80 createTask in well under 3 s: no MAX_USER_TURN in the json family.
    emu.update_config(|c| c.prices.clear());
    emu.set_account(KEY2, 100.0);
    for _ in 0..80 {
        http.create_ok(
            "capsolver",
            KEY2,
            json!({"type": "ReCaptchaV2TaskProxyLess", "websiteURL": PAGE, "websiteKey": SITEKEY}),
        )
        .await;
    }
    let c = emu.counters();
    assert_eq!(c.violations_total(), 0, "{:?}", c.violations);
    assert_eq!(c.replied("MAX_USER_TURN"), 0);
    // Wrong json keys do not count towards the form protocol's ERROR: 1004.
    for _ in 0..6 {
        http.create("", "short", v2.clone()).await;
    }
    let left: f64 = http
        .get("res.php", &[("key", KEY2), ("action", "getbalance")])
        .await
        .body
        .parse()
        .unwrap();
    assert!((left - (100.0 - 80.0 * Kind::RecaptchaV2.price())).abs() < 1e-6);
    // Strict accounts: only known keys exist.
    emu.update_config(|c| c.auto_accounts = false);
    let other = "9abc234de56fab7c89012d34e56fa7b8";
    assert_eq!(
        http.create("", other, v2).await.json()["errorCode"],
        "ERROR_KEY_DOES_NOT_EXIST"
    );
}

#[tokio::test]
async fn counters_by_method_prefix_and_key() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let v2 = json!({"type": "ReCaptchaV2TaskProxyLess", "websiteURL": PAGE, "websiteKey": SITEKEY});
    let id = http.create_ok("capsolver", KEY, v2.clone()).await;
    http.wait_result("capsolver", KEY, &id, 20).await;
    http.json("capsolver/getBalance", json!({"clientKey": KEY}))
        .await;
    http.json(
        "capsolver/feedbackTask",
        json!({"clientKey": KEY, "taskId": id, "result": {"invalid": false}}),
    )
    .await;
    http.json("capsolver/getToken", json!({"clientKey": KEY}))
        .await;
    http.create("", KEY, json!({"type": "Nope"})).await;
    http.create("", "short", v2).await;
    let c = emu.counters();
    assert_eq!(c.action("json:createTask"), 3);
    assert!(c.action("json:getTaskResult") >= 1);
    assert_eq!(c.action("json:getBalance"), 1);
    assert_eq!(c.action("json:feedbackTask"), 1);
    assert_eq!(c.action("json:other"), 1);
    assert_eq!(c.json_requests, c.requests);
    assert_eq!((c.in_requests, c.res_requests), (0, 0));
    assert_eq!(c.prefixes["generic"], 2);
    assert_eq!(c.prefixes["capsolver"], c.requests - 2);
    assert_eq!(c.tasks_accepted, 1);
    assert_eq!(c.replied("ERROR_TASK_NOT_SUPPORTED"), 1);
    assert_eq!(c.replied("ERROR_KEY_DOES_NOT_EXIST"), 1);
    assert_eq!(c.replied("ERROR_BAD_REQUEST"), 1);
    let k = &c.keys[KEY];
    assert_eq!((k.json_requests, k.tasks), (c.requests - 2, 1));
    assert_eq!(k.in_requests + k.res_requests, 0);
    // Over HTTP as well.
    let v = http.admin(Method::GET, "counters", None).await;
    assert_eq!(v["actions"]["json:createTask"], 3);
    assert_eq!(v["json_requests"], c.json_requests);
}

#[tokio::test]
async fn form_presets_under_their_prefixes() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let mut ids = Vec::new();
    for prefix in FORM_PREFIXES {
        let r = http
            .post(&format!("{prefix}/in.php"), &recaptcha(KEY))
            .await;
        let id = r.body.strip_prefix("OK|").unwrap().to_owned();
        let r = http
            .get(
                &format!("{prefix}/res.php"),
                &[("key", KEY), ("action", "get"), ("id", &id)],
            )
            .await;
        assert!(
            r.body == "CAPCHA_NOT_READY" || r.body.starts_with("OK|"),
            "{}",
            r.body
        );
        ids.push(id);
    }
    // One service: a task submitted under one prefix is polled under another.
    let r = http.wait(KEY, &ids[0], false).await;
    assert!(r.body.starts_with("OK|03AG"));
    let c = emu.counters();
    for prefix in FORM_PREFIXES {
        assert_eq!(c.prefixes[prefix], 2, "{prefix}");
    }
    assert_eq!(c.tasks_accepted, 4);
    assert_eq!(emu.url_for("capsolver"), format!("{}capsolver/", emu.url()));
}

/// A held task's callback goes when the test lets the task go (`finish_pending`), or when
/// the emulator's clock is moved past its time (`advance`): never at the time drawn at submit.
#[tokio::test]
async fn callbacks_follow_a_task_let_go_or_a_clock_moved() {
    let emu = scaled(1000, 1.0).await;
    let http = Http::new(&emu);
    let mut hook = listener().await;
    // An hour's solve: without the test's step, no callback within the listener's 10 s.
    emu.add_rule(Rule {
        delay_ms: Some(3_600_000),
        ..Rule::default()
    });
    let mut p: Vec<(&str, &str)> = recaptcha(KEY);
    p.push(("pingback", hook.url.as_str()));
    let id = http.submit(&p).await;
    assert_eq!(emu.finish_pending(), 1);
    let (_, body) = hook.next().await;
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    assert_eq!(fields[0], ("id".to_owned(), id));
    // json, the clock moved past the task's time.
    let r = http
        .json(
            "capmonster/createTask",
            json!({"clientKey": KEY, "callbackUrl": hook.url,
                "task": {"type": "TurnstileTask", "websiteURL": PAGE, "websiteKey": TSKEY}}),
        )
        .await;
    let id = r.json()["taskId"].clone();
    emu.advance(Duration::from_secs(3601));
    let (_, body) = hook.next().await;
    let pushed: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(pushed["status"], "ready", "{pushed} for {id}");
}

#[tokio::test]
async fn callbacks_post_the_result_to_local_listeners() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let mut hook = listener().await;
    // json: the same content as getTaskResult.
    let r = http
        .json(
            "capmonster/createTask",
            json!({"clientKey": KEY, "callbackUrl": hook.url,
                "task": {"type": "TurnstileTask", "websiteURL": PAGE, "websiteKey": TSKEY}}),
        )
        .await;
    let id = r.json()["taskId"].clone();
    let (head, body) = hook.next().await;
    assert!(head.starts_with("POST /hook?from=emu HTTP/1.1"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json")
    );
    let pushed: Value = serde_json::from_slice(&body).unwrap();
    let polled = http.result("capmonster", KEY, &id).await.json();
    assert_eq!(pushed, polled);
    assert_eq!(pushed["status"], "ready");
    // form: the pingback's id and code.
    let mut p: Vec<(&str, &str)> = recaptcha(KEY);
    p.push(("pingback", hook.url.as_str()));
    let id = http.submit(&p).await;
    let (_, body) = hook.next().await;
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    assert_eq!(fields[0], ("id".to_owned(), id.clone()));
    assert_eq!(fields[1].0, "code");
    assert!(fields[1].1.starts_with("03AG"));
    // An unsolvable task calls back with its error.
    emu.add_rule(Rule {
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        times: Some(1),
        ..Rule::default()
    });
    http.json(
        "anti-captcha/createTask",
        json!({"clientKey": KEY, "callbackUrl": hook.url,
            "task": {"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}}),
    )
    .await;
    let (_, body) = hook.next().await;
    let pushed: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(pushed["errorCode"], "ERROR_CAPTCHA_UNSOLVABLE");
    // Not local: never called. Unreachable: failed.
    let far = http
        .json(
            "createTask",
            json!({"clientKey": KEY, "callbackUrl": "http://example.com/hook",
                "task": {"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}}),
        )
        .await
        .json()["taskId"]
        .clone();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dead = http
        .json(
            "createTask",
            json!({"clientKey": KEY, "callbackUrl": format!("http://127.0.0.1:{closed}/x"),
                "task": {"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}}),
        )
        .await
        .json()["taskId"]
        .clone();
    let mut c = emu.counters();
    // Delivered in the background: waited for (a minute at most, a guard against a hang).
    for _ in 0..3000 {
        if c.callbacks_sent >= 3 && c.callbacks_skipped + c.callbacks_failed >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        c = emu.counters();
    }
    assert_eq!(
        (c.callbacks_sent, c.callbacks_failed, c.callbacks_skipped),
        (3, 1, 1)
    );
    let far = emu.task(far.as_u64().unwrap()).unwrap();
    assert!(far.callback.unwrap().starts_with("skipped"));
    let dead = emu.task(dead.as_u64().unwrap()).unwrap();
    assert!(dead.callback.unwrap().starts_with("failed"));
    let sent = emu.task(id.parse().unwrap()).unwrap();
    assert_eq!(sent.callback.as_deref(), Some("sent (HTTP 200)"));
    // A callbackUrl that is not a URL is refused.
    let v = http
        .json(
            "capsolver/createTask",
            json!({"clientKey": KEY, "callbackUrl": {"url": "x"},
                "task": {"type": "ReCaptchaV2TaskProxyLess", "websiteURL": PAGE, "websiteKey": SITEKEY}}),
        )
        .await
        .json();
    assert_eq!(v["errorCode"], "ERROR_INVALID_TASK_DATA");
}

#[tokio::test]
async fn task_list_and_lookup_by_wire_id() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let form = http.submit(&recaptcha(KEY)).await;
    let cs = http
        .create_ok(
            "capsolver",
            KEY,
            json!({"type": "ReCaptchaV2TaskProxyLess", "websiteURL": PAGE, "websiteKey": SITEKEY}),
        )
        .await;
    let ac = http
        .create_ok(
            "anti-captcha",
            KEY,
            json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}),
        )
        .await;
    http.create_ok(
        "",
        KEY2,
        json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}),
    )
    .await;
    let ids = emu.task_ids(KEY);
    assert_eq!(
        ids,
        vec![
            TaskId::Number(form.parse().unwrap()),
            TaskId::Text(cs.as_str().unwrap().to_owned()),
            TaskId::Number(ac.as_u64().unwrap()),
        ]
    );
    let v = http
        .admin(Method::GET, &format!("tasks?key={KEY}"), None)
        .await;
    assert_eq!(v["ids"], json!([form.parse::<u64>().unwrap(), cs, ac]));
    let all = http.admin(Method::GET, "tasks", None).await;
    assert_eq!(all["keys"][KEY2].as_array().unwrap().len(), 1);
    let t = http
        .admin(
            Method::GET,
            &format!("tasks/{}", cs.as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(t["profile"], "capsolver");
    assert_eq!(t["task_id"], cs);
    let t = http
        .admin(Method::GET, &format!("tasks/{form}"), None)
        .await;
    assert_eq!(t["profile"], "form");
    let r = http
        .client
        .get(format!("{}emulator/tasks/not-a-task", http.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // The profiles, as JSON.
    let p = http.admin(Method::GET, "profiles", None).await;
    let names: Vec<&str> = p["json"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "generic",
            "anti-captcha",
            "capmonster",
            "capsolver",
            "nextcaptcha",
            "2captcha-v2"
        ]
    );
    assert_eq!(p["json"][3]["base_path"], "/capsolver/");
    assert_eq!(p["json"][3]["ids"], "uuid");
    assert!(
        p["form"]
            .as_array()
            .unwrap()
            .contains(&json!("/rucaptcha/"))
    );
    // Reset forgets json state too.
    emu.reset();
    assert!(emu.task_ids(KEY).is_empty());
    assert!(emu.task_by_id(cs.as_str().unwrap()).is_none());
}

#[tokio::test]
async fn hostile_bodies_get_error_replies_not_panics() {
    let emu = scaled(1000, 0.01).await;
    let http = Http::new(&emu);
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"null".to_vec(),
        b"\xff\xfe\x00garbage".to_vec(),
        deep.into_bytes(),
        format!("{{\"clientKey\":\"{KEY}\",\"task\":{}}}", "[".repeat(3000)).into_bytes(),
        format!(
            "{{\"clientKey\":\"{KEY}\",\"task\":{{\"type\":\"ImageToTextTask\",\"body\":{}}}}}",
            "1".repeat(400)
        )
        .into_bytes(),
        format!("{{\"clientKey\":\"{KEY}\",\"taskId\":1e400}}").into_bytes(),
        format!("{{\"clientKey\":{}}}", "9".repeat(100)).into_bytes(),
    ];
    for profile in ["", "capsolver", "capmonster", "anti-captcha"] {
        for method in [
            "createTask",
            "getTaskResult",
            "getBalance",
            "reportIncorrectRecaptcha",
            "feedbackTask",
        ] {
            for body in &bodies {
                let r = http
                    .client
                    .post(format!("{}{}{method}", http.base, base(profile)))
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let text = r.text().await.unwrap();
                if status == 404 {
                    continue; // a report method this profile does not have at the root
                }
                let v: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|_| panic!("{profile} {method}: {status} {text}"));
                assert_ne!(v["errorId"], 0, "{profile} {method}: {text}");
            }
        }
    }
    // GET works like a body-less POST.
    let r = http.get("capsolver/getBalance", &[]).await;
    assert_eq!(r.status, 400);
    // Still serving.
    let id = http
        .create_ok(
            "",
            KEY,
            json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY}),
        )
        .await;
    assert_eq!(
        http.wait_result("", KEY, &id, 20).await.json()["status"],
        "ready"
    );
}
