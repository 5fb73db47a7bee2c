//! Every method of the API documentation, both reply forms, header_acao, debug_dump, reports, balance,
//! batch polls: raw HTTP against the emulator.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

#[tokio::test]
async fn recaptcha_v2_by_post_get_and_json() {
    let emu = fast().await;
    let http = Http::new(&emu);
    // POST form, plain reply.
    let id = http.submit(&recaptcha(KEY)).await;
    assert!(id.bytes().all(|b| b.is_ascii_digit()), "{id}");
    // Not ready straight away (10 ms solve), then the token.
    let r = http.poll(KEY, &id, false).await;
    assert!(
        r.body == "CAPCHA_NOT_READY" || r.body.starts_with("OK|03AG"),
        "{}",
        r.body
    );
    let r = http.wait(KEY, &id, false).await;
    let token = r.body.strip_prefix("OK|").unwrap();
    assert!(token.starts_with("03AG") && !token.contains('|'));
    // GET to in.php works too, with a JSON reply.
    let mut p = recaptcha(KEY);
    p.push(("json", "1"));
    let r = http.get("in.php", &p).await;
    let v = r.json();
    assert_eq!(v["status"], 1);
    let id2 = v["request"].as_str().unwrap().to_owned();
    let v = http.wait(KEY, &id2, true).await.json();
    assert_eq!(v["status"], 1);
    assert!(v["request"].as_str().unwrap().starts_with("03AG"));
    // JSON not-ready shape.
    let id3 = http.submit(&recaptcha(KEY)).await;
    let v = http.poll(KEY, &id3, true).await.json();
    if v["status"] == 0 {
        assert_eq!(v["request"], "CAPCHA_NOT_READY");
    }
    // What the emulator recorded.
    let t = emu.task(id.parse().unwrap()).unwrap();
    assert_eq!(t.kind, "RecaptchaV2");
    assert_eq!(t.params["googlekey"], GOOGLEKEY);
    assert!(!t.params.contains_key("key"));
}

#[tokio::test]
async fn every_token_kind_and_its_answer_shape() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "RecaptchaV3",
            vec![
                ("method", "userrecaptcha"),
                ("version", "v3"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
                ("action", "verify"),
                ("min_score", "0.3"),
            ],
        ),
        (
            "HCaptcha",
            vec![
                ("method", "hcaptcha"),
                ("sitekey", "10000000-ffff-ffff-ffff-000000000001"),
                ("pageurl", PAGEURL),
            ],
        ),
        (
            "FunCaptcha",
            vec![
                ("method", "funcaptcha"),
                ("publickey", "12AB34CD-56F7-AB8C-9D01-2EF3456789A0"),
                ("pageurl", PAGEURL),
                ("surl", "https://client-api.arkoselabs.com"),
                ("data[blob]", "x"),
            ],
        ),
        (
            "Turnstile",
            vec![
                ("method", "turnstile"),
                ("sitekey", "0x4AAAAAAAC3DHQFLr1GavRN"),
                ("pageurl", PAGEURL),
                ("action", "managed"),
                ("data", "cd"),
                ("pagedata", "pd"),
            ],
        ),
    ];
    for (kind, params) in cases {
        let mut p = vec![("key", KEY)];
        p.extend(params);
        let id = http.submit(&p).await;
        assert_eq!(emu.task(id.parse().unwrap()).unwrap().kind, kind);
        let v = http.wait(KEY, &id, true).await.json();
        assert_eq!(v["status"], 1, "{kind}: {v}");
        let answer = v["request"].as_str().unwrap();
        match kind {
            "HCaptcha" => {
                assert!(answer.starts_with("P1_"));
                assert!(v["useragent"].as_str().unwrap().starts_with("Mozilla/5.0"));
                assert!(v["respKey"].as_str().unwrap().starts_with("E0_"));
            }
            "Turnstile" => {
                assert!(answer.starts_with("0."));
                assert!(v["useragent"].is_string());
            }
            "FunCaptcha" => {
                assert!(
                    answer.contains("|pk=12AB34CD-56F7-AB8C-9D01-2EF3456789A0|"),
                    "{answer}"
                );
                assert!(answer.contains("surl=https://client-api.arkoselabs.com"));
            }
            _ => assert!(!answer.contains('|')),
        }
        // Plain replies carry the token only.
        let plain = http.poll(KEY, &id, false).await.body;
        assert_eq!(plain, format!("OK|{answer}"));
    }
}

#[tokio::test]
async fn images_by_multipart_and_base64() {
    let emu = fast().await;
    let http = Http::new(&emu);
    for name in ["captcha.png", "captcha.jpg", "captcha.gif"] {
        let r = http
            .multipart(
                &[("key", KEY), ("method", "post"), ("numeric", "4")],
                Some((name, image(name))),
            )
            .await;
        let id = r
            .body
            .strip_prefix("OK|")
            .unwrap_or_else(|| panic!("{name}: {}", r.body))
            .to_owned();
        let t = emu.task(id.parse().unwrap()).unwrap();
        assert_eq!(t.kind, "ImageToText");
        assert_eq!(t.image.as_ref().unwrap().1, image(name).len());
        let answer = http.wait(KEY, &id, false).await.body;
        assert!(answer.starts_with("OK|") && answer.len() == 8, "{answer}");
    }
    let body = b64(&image("captcha.png"));
    let id = http
        .submit(&[
            ("key", KEY),
            ("method", "base64"),
            ("body", &body),
            ("phrase", "1"),
            ("regsense", "1"),
            ("calc", "0"),
            ("min_len", "4"),
            ("max_len", "6"),
            ("textinstructions", "red letters"),
        ])
        .await;
    let t = emu.task(id.parse().unwrap()).unwrap();
    assert_eq!(
        t.image,
        Some(("png".to_owned(), image("captcha.png").len()))
    );
    assert_eq!(t.params["textinstructions"], "red letters");
    assert!(!t.params.contains_key("body"));
}

#[tokio::test]
async fn header_acao_and_debug_dump() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let mut p = recaptcha(KEY);
    p.push(("header_acao", "1"));
    let r = http.post("in.php", &p).await;
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    let id = r.body.strip_prefix("OK|").unwrap().to_owned();
    let r = http
        .get(
            "res.php",
            &[
                ("key", KEY),
                ("action", "get"),
                ("id", &id),
                ("header_acao", "1"),
            ],
        )
        .await;
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    let r = http
        .get("res.php", &[("key", KEY), ("action", "get"), ("id", &id)])
        .await;
    assert!(r.headers.get("access-control-allow-origin").is_none());

    // the API documentation's debugging example: a var_dump of the parameters, two empty arrays, the reply.
    let mut p = recaptcha(KEY);
    p.extend([("json", "1"), ("debug_dump", "1")]);
    let r = http.post("in.php", &p).await;
    assert!(
        r.body.starts_with(
            "array(6) {\n  [\"key\"]=>\n  string(32) \"1abc234de56fab7c89012d34e56fa7b8\"\n"
        ),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("  [\"method\"]=>\n  string(13) \"userrecaptcha\"\n")
    );
    assert!(
        r.body
            .contains("}\narray(0) {\n}\narray(0) {\n}\n{\"status\":1,\"request\":\""),
        "{}",
        r.body
    );
    let r = http
        .get(
            "res.php",
            &[
                ("key", "x"),
                ("action", "get"),
                ("id", "1"),
                ("json", "1"),
                ("debug_dump", "1"),
            ],
        )
        .await;
    assert!(r.body.ends_with("{\"status\":0,\"request\":\"ERROR_WRONG_USER_KEY\",\"error_text\":\"The key format is wrong: 32 characters are expected.\"}"), "{}", r.body);
}

#[tokio::test]
async fn balance_and_charges() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.set_account(KEY, 1.0);
    assert_eq!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .body,
        "1.00000"
    );
    let id = http.submit(&recaptcha(KEY)).await;
    http.wait(KEY, &id, false).await;
    let v = http
        .get(
            "res.php",
            &[("key", KEY), ("action", "getbalance"), ("json", "1")],
        )
        .await
        .json();
    assert_eq!(v, serde_json::json!({"status": 1, "request": "0.99965"}));
    // Unsolvable tasks are refunded.
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("no".into()),
            ..Match::default()
        },
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        ..Rule::default()
    });
    let id = http
        .submit(&[
            ("key", KEY),
            ("method", "userrecaptcha"),
            ("googlekey", "no"),
            ("pageurl", PAGEURL),
        ])
        .await;
    assert!((emu.balance(KEY).unwrap() - 0.99930).abs() < 1e-9);
    assert_eq!(
        http.wait(KEY, &id, false).await.body,
        "ERROR_CAPTCHA_UNSOLVABLE"
    );
    assert!((emu.balance(KEY).unwrap() - 0.99965).abs() < 1e-9);
}

#[tokio::test]
async fn reports() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let id = http.submit(&recaptcha(KEY)).await;
    let rep = |action: &'static str, id: String| {
        let http = &http;
        async move {
            http.get("res.php", &[("key", KEY), ("action", action), ("id", &id)])
                .await
                .body
        }
    };
    // Not solved yet: nothing to report.
    assert_eq!(
        rep("reportbad", id.clone()).await,
        "ERROR_REPORT_NOT_RECORDED"
    );
    http.wait(KEY, &id, false).await;
    assert_eq!(rep("reportgood", id.clone()).await, "OK_REPORT_RECORDED");
    assert_eq!(rep("reportbad", id.clone()).await, "ERROR_DUPLICATE_REPORT");
    assert_eq!(
        emu.task(id.parse().unwrap()).unwrap().report.as_deref(),
        Some("good")
    );
    let v = http
        .get(
            "res.php",
            &[
                ("key", KEY),
                ("action", "reportgood"),
                ("id", &id),
                ("json", "1"),
            ],
        )
        .await
        .json();
    assert_eq!(v["request"], "ERROR_DUPLICATE_REPORT");
    assert_eq!(
        rep("reportgood", "123".into()).await,
        "ERROR_WRONG_CAPTCHA_ID"
    );
    assert_eq!(
        rep("reportgood", "abc".into()).await,
        "ERROR_WRONG_ID_FORMAT"
    );
    let id2 = http.submit(&recaptcha(KEY)).await;
    http.wait(KEY, &id2, false).await;
    let v = http
        .get(
            "res.php",
            &[
                ("key", KEY),
                ("action", "reportbad"),
                ("id", &id2),
                ("json", "1"),
            ],
        )
        .await
        .json();
    assert_eq!(
        v,
        serde_json::json!({"status": 1, "request": "OK_REPORT_RECORDED"})
    );

    // Too late: more than 15 (emulated) minutes after the submit.
    emu.update_config(|c| c.time_scale = 0.0001); // 15 min -> 90 ms
    let id3 = http.submit(&recaptcha(KEY)).await;
    http.wait(KEY, &id3, false).await;
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    assert_eq!(rep("reportgood", id3).await, "ERROR_REPORT_NOT_RECORDED");
}

#[tokio::test]
async fn complaints_about_more_than_40_percent_are_refused() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let mut ids = Vec::new();
    for _ in 0..10 {
        let id = http.submit(&recaptcha(KEY)).await;
        http.wait(KEY, &id, false).await;
        ids.push(id);
    }
    let mut results = Vec::new();
    for id in &ids {
        results.push(
            http.get(
                "res.php",
                &[("key", KEY), ("action", "reportbad"), ("id", id)],
            )
            .await
            .body,
        );
    }
    let recorded = results
        .iter()
        .filter(|r| *r == "OK_REPORT_RECORDED")
        .count();
    assert_eq!(recorded, 4, "{results:?}");
    assert!(
        results[4..]
            .iter()
            .all(|r| r == "ERROR_REPORT_NOT_RECORDED")
    );
}

#[tokio::test]
async fn batch_poll_answers_in_id_order() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("slow".into()),
            ..Match::default()
        },
        delay_ms: Some(3_600_000),
        ..Rule::default()
    });
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("bad".into()),
            ..Match::default()
        },
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        ..Rule::default()
    });
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some("fixed".into()),
            ..Match::default()
        },
        answer: Some("THE-ANSWER".into()),
        ..Rule::default()
    });
    let sub = |k: &'static str| {
        let http = &http;
        async move {
            http.submit(&[
                ("key", KEY),
                ("method", "userrecaptcha"),
                ("googlekey", k),
                ("pageurl", PAGEURL),
            ])
            .await
        }
    };
    let (a, b, c) = (sub("fixed").await, sub("slow").await, sub("bad").await);
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let ids = format!("{a},{b},{c},999");
    let r = http
        .get("res.php", &[("key", KEY), ("action", "get"), ("ids", &ids)])
        .await;
    assert_eq!(
        r.body,
        "THE-ANSWER|CAPCHA_NOT_READY|ERROR_CAPTCHA_UNSOLVABLE|ERROR_WRONG_CAPTCHA_ID"
    );
    // Plain even when JSON is asked for.
    let r = http
        .get(
            "res.php",
            &[
                ("key", KEY),
                ("action", "get"),
                ("ids", &ids),
                ("json", "1"),
            ],
        )
        .await;
    assert!(r.body.starts_with("THE-ANSWER|"));
    // A malformed id fails the whole request.
    let r = http
        .get(
            "res.php",
            &[("key", KEY), ("action", "get"), ("ids", &format!("{a},x"))],
        )
        .await;
    assert_eq!(r.body, "ERROR_WRONG_ID_FORMAT");
    // Each id of a batch counts as a poll of its task; the batch is one res.php request.
    let c = emu.counters();
    assert_eq!(c.action("res:get_batch"), 3);
    assert_eq!(emu.task(a.parse().unwrap()).unwrap().polls, 2);
    // Another key's task is unknown to this key.
    let r = http.poll(KEY2, &a, false).await;
    assert_eq!(r.body, "ERROR_WRONG_CAPTCHA_ID");
}

#[tokio::test]
async fn counters_by_endpoint_action_and_key_match_over_http() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let id = http.submit(&recaptcha(KEY)).await;
    http.wait(KEY, &id, false).await;
    http.get("res.php", &[("key", KEY2), ("action", "getbalance")])
        .await;
    http.get("nope.php", &[]).await;
    let c = emu.counters();
    assert_eq!(c.in_requests, 1);
    assert_eq!(c.tasks_accepted, 1);
    assert_eq!(c.keys[KEY].in_requests, 1);
    assert_eq!(c.keys[KEY].tasks, 1);
    assert_eq!(c.keys[KEY2].res_requests, 1);
    assert_eq!(c.action("in:userrecaptcha"), 1);
    assert_eq!(c.action("res:getbalance"), 1);
    assert_eq!(c.action("res:get"), c.polls);
    assert_eq!(c.requests, c.in_requests + c.res_requests + 1);
    let over_http: Counters =
        serde_json::from_value(http.admin(reqwest::Method::GET, "counters", None).await).unwrap();
    assert_eq!(over_http, emu.counters());
}
