//! What a hostile or broken server does, for a client's fault matrix: redirects to a
//! stranger, gateway timeouts after the work was done, oversized and non-UTF-8 replies,
//! stalls, echoes of the request; where faults land (selectors by json method and path
//! prefix); and what the emulator records of it all (the request log, the task list).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

fn v2_task() -> Value {
    json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY})
}

fn cs_proxy_task() -> Value {
    json!({"type": "ReCaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY,
        "proxyType": "http", "proxyAddress": "1.2.3.4", "proxyPort": 8080,
        "proxyLogin": "proxyuser", "proxyPassword": "s3cret-proxy-pw"})
}

fn no_redirects() -> reqwest::Client {
    common::http_client()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn redirect_points_at_a_stranger_with_the_request_attached() {
    let emu = fast().await;
    let client = no_redirects();
    emu.add_fault(Fault::new(FaultKind::Redirect, EndpointSel::Res).times(1));
    let r = client
        .get(format!("{}res.php?key={KEY}&action=getbalance", emu.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        loc,
        format!("http://redirect.invalid/steal?key={KEY}&action=getbalance")
    );
    // json, with the status of the fault, the key and the proxy password in the body.
    emu.add_fault(
        Fault::new(FaultKind::Redirect, EndpointSel::Create)
            .status(307)
            .times(1),
    );
    let r = client
        .post(format!("{}capsolver/createTask", emu.url()))
        .json(&json!({"clientKey": KEY, "task": cs_proxy_task()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 307);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(loc.starts_with("http://redirect.invalid/steal?{"), "{loc}");
    assert!(
        loc.contains(KEY) && loc.contains("s3cret-proxy-pw"),
        "{loc}"
    );
    // Not processed.
    assert_eq!(emu.counters().tasks_accepted, 0);
    // Form POST bodies too.
    emu.add_fault(Fault::new(FaultKind::Redirect, EndpointSel::In).times(1));
    let r = client
        .post(format!("{}in.php", emu.url()))
        .form(&recaptcha(KEY))
        .send()
        .await
        .unwrap();
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        loc.contains(&format!("key={KEY}&method=userrecaptcha")),
        "{loc}"
    );
    assert_eq!(emu.counters().tasks_accepted, 0);
}

#[tokio::test]
async fn http504_after_processing_keeps_what_was_done() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Http504After, EndpointSel::Create).times(1));
    let r = http
        .create(
            "capmonster",
            KEY,
            json!({"type": "RecaptchaV2Task", "websiteURL": PAGE, "websiteKey": SITEKEY}),
        )
        .await;
    assert_eq!(r.status, 504);
    assert!(
        r.body.contains("<title>504 Gateway Time-out</title>"),
        "{}",
        r.body
    );
    // The task exists although its id never reached the client.
    let ids = emu.task_ids(KEY);
    assert_eq!(ids.len(), 1);
    assert_eq!(emu.counters().tasks_accepted, 1);
    // A poll hit by it is consumed.
    let id = json!(ids[0]);
    emu.add_fault(Fault::new(FaultKind::Http504After, EndpointSel::Result).times(1));
    assert_eq!(http.result("capmonster", KEY, &id).await.status, 504);
    assert_eq!(emu.task_by_id(&ids[0].to_string()).unwrap().polls, 1);
    // Form submits too.
    emu.add_fault(Fault::new(FaultKind::Http504After, EndpointSel::In).times(1));
    assert_eq!(http.post("in.php", &recaptcha(KEY)).await.status, 504);
    assert_eq!(emu.task_ids(KEY).len(), 2);
}

#[tokio::test]
async fn oversized_bodies() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Oversized, EndpointSel::Any).times(2));
    let r = http.create("", KEY, v2_task()).await;
    assert_eq!((r.status, r.body.len()), (200, 2 * 1024 * 1024));
    let r = http.post("in.php", &recaptcha(KEY)).await;
    assert_eq!((r.status, r.body.len()), (200, 2 * 1024 * 1024));
    assert_eq!(emu.counters().tasks_accepted, 0);
}

#[tokio::test]
async fn non_utf8_replies_after_processing() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::NonUtf8, EndpointSel::In).times(1));
    let bytes = http
        .client
        .post(format!("{}in.php", http.base))
        .form(&recaptcha(KEY))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with(b"OK|\xff\xfe"), "{bytes:?}");
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(emu.counters().tasks_accepted, 1);
    // Inside the JSON string of a json reply.
    let id = http.create_ok("", KEY, v2_task()).await;
    http.wait_result("", KEY, &id, 10).await;
    emu.add_fault(Fault::new(FaultKind::NonUtf8, EndpointSel::Result).times(1));
    let bytes = http
        .client
        .post(format!("{}getTaskResult", http.base))
        .json(&json!({"clientKey": KEY, "taskId": id}))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
    let cleaned: Vec<u8> = bytes.iter().copied().filter(|b| *b < 0x80).collect();
    let v: Value = serde_json::from_slice(&cleaned).unwrap();
    assert_eq!(v["status"], "ready");
}

#[tokio::test]
async fn stall_never_answers_and_nothing_else_waits() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Stall, EndpointSel::Balance).times(1));
    let err = http
        .client
        .post(format!("{}capsolver/getBalance", http.base))
        .json(&json!({"clientKey": KEY}))
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    // Other requests are served meanwhile and afterwards.
    let v = http
        .json("capsolver/getBalance", json!({"clientKey": KEY}))
        .await
        .json();
    assert_eq!(v["balance"], 10.0);
    assert_eq!(emu.counters().faults_injected, 1);
    // A stalled submit is not processed.
    emu.add_fault(Fault::new(FaultKind::Stall, EndpointSel::Create).times(1));
    let err = http
        .client
        .post(format!("{}createTask", http.base))
        .json(&json!({"clientKey": KEY, "task": v2_task()}))
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(emu.counters().tasks_accepted, 0);
    // Shutting down with a stalled connection open does not hang.
    emu.add_fault(Fault::new(FaultKind::Stall, EndpointSel::Any));
    let url = format!("{}res.php?key={KEY}&action=getbalance", http.base);
    let pending =
        tokio::spawn(async move { common::http_client().build().unwrap().get(url).send().await });
    // Once the emulator holds the stalled request (the fault counted it), it shuts down
    // (a minute is a guard against a hang, not a speed).
    let until = std::time::Instant::now() + Duration::from_secs(60);
    while emu.counters().faults_injected < 3 {
        assert!(
            std::time::Instant::now() < until,
            "the request never arrived"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    tokio::time::timeout(Duration::from_secs(60), emu.shutdown())
        .await
        .unwrap();
    assert!(pending.await.unwrap().is_err());
}

#[tokio::test]
async fn echo_repeats_the_request_verbatim() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_fault(Fault::new(FaultKind::Echo, EndpointSel::Json).times(1));
    let r = http
        .client
        .post(format!("{}capsolver/createTask", http.base))
        .header("user-agent", "fault-matrix/1")
        .json(&json!({"clientKey": KEY, "task": cs_proxy_task()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    let body = r.text().await.unwrap();
    assert!(
        body.starts_with("POST /capsolver/createTask HTTP/1.1\r\n"),
        "{body}"
    );
    assert!(body.contains("user-agent: fault-matrix/1\r\n"), "{body}");
    assert!(body.contains(&format!("\"clientKey\":\"{KEY}\"")), "{body}");
    assert!(body.contains("s3cret-proxy-pw"), "{body}");
    assert_eq!(emu.counters().tasks_accepted, 0);
    // Keys in a query string, another status.
    emu.add_fault(
        Fault::new(FaultKind::Echo, EndpointSel::Res)
            .status(502)
            .times(1),
    );
    let r = http
        .get("res.php", &[("key", KEY), ("action", "getbalance")])
        .await;
    assert_eq!(r.status, 502);
    assert!(
        r.body.starts_with(&format!(
            "GET /res.php?key={KEY}&action=getbalance HTTP/1.1\r\n"
        )),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn every_hostile_fault_works_on_both_families_over_the_admin_api() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let client = no_redirects();
    for (fault, status) in [
        ("redirect", 302),
        ("http504_after", 504),
        ("oversized", 200),
        ("non_utf8", 200),
        ("echo", 500),
    ] {
        for (endpoint, path, body) in [
            ("form", "in.php", None),
            (
                "create",
                "anti-captcha/createTask",
                Some(json!({"clientKey": KEY, "task": v2_task()})),
            ),
            (
                "result",
                "getTaskResult",
                Some(json!({"clientKey": KEY, "taskId": 5})),
            ),
            (
                "balance",
                "nextcaptcha/getBalance",
                Some(json!({"clientKey": KEY})),
            ),
            (
                "report",
                "2captcha-v2/reportCorrect",
                Some(json!({"clientKey": KEY, "taskId": 5})),
            ),
        ] {
            http.admin(
                Method::POST,
                "faults",
                Some(json!({"fault": fault, "endpoint": endpoint, "count": 1})),
            )
            .await;
            let req = client.post(format!("{}{path}", http.base));
            let req = match body {
                Some(b) => req.json(&b),
                None => req.form(&recaptcha(KEY)),
            };
            let r = req.send().await.unwrap();
            assert_eq!(r.status().as_u16(), status, "{fault} on {endpoint}");
            let bytes = r.bytes().await.unwrap();
            match fault {
                "oversized" => assert_eq!(bytes.len(), 2 << 20),
                "non_utf8" => assert!(
                    std::str::from_utf8(&bytes).is_err(),
                    "{fault} on {endpoint}"
                ),
                "echo" => assert!(bytes.starts_with(format!("POST /{path} ").as_bytes())),
                _ => {}
            }
        }
    }
    let c = emu.counters();
    assert_eq!(c.faults_injected, 25);
    let log = emu.requests(25);
    assert!(log.iter().all(|r| r.fault.is_some()));
    assert_eq!(log[0].fault.as_deref(), Some("redirect"));
    assert_eq!(log[24].fault.as_deref(), Some("echo"));
}

#[tokio::test]
async fn selectors_hit_their_endpoints_only() {
    let emu = fast().await;
    let http = Http::new(&emu);
    // One request to each endpoint; which of them does a selector hit?
    async fn sweep(http: &Http) -> Vec<&'static str> {
        let mut hit = Vec::new();
        let reqs: [(&str, Reply); 7] = [
            ("in", http.post("in.php", &recaptcha(KEY)).await),
            (
                "res",
                http.get("res.php", &[("key", KEY), ("action", "getbalance")])
                    .await,
            ),
            ("create", http.create("", KEY, v2_task()).await),
            ("result", http.result("", KEY, &json!(1)).await),
            (
                "balance",
                http.json("capmonster/getBalance", json!({"clientKey": KEY}))
                    .await,
            ),
            (
                "report",
                http.json(
                    "reportIncorrectRecaptcha",
                    json!({"clientKey": KEY, "taskId": 1}),
                )
                .await,
            ),
            (
                "json_other",
                http.json("capsolver/getToken", json!({"clientKey": KEY}))
                    .await,
            ),
        ];
        for (name, r) in reqs {
            if r.status == 500 && r.body == "Internal Server Error" {
                hit.push(name);
            }
        }
        hit
    }
    let cases: [(EndpointSel, &[&str]); 9] = [
        (EndpointSel::In, &["in"]),
        (EndpointSel::Res, &["res"]),
        (EndpointSel::Form, &["in", "res"]),
        (EndpointSel::Create, &["create"]),
        (EndpointSel::Result, &["result"]),
        (EndpointSel::Balance, &["balance"]),
        (EndpointSel::Report, &["report"]),
        (
            EndpointSel::Json,
            &["create", "result", "balance", "report", "json_other"],
        ),
        (
            EndpointSel::Any,
            &[
                "in",
                "res",
                "create",
                "result",
                "balance",
                "report",
                "json_other",
            ],
        ),
    ];
    for (sel, expected) in cases {
        emu.add_fault(Fault::new(FaultKind::Http500, sel));
        assert_eq!(sweep(&http).await, expected, "{sel:?}");
        emu.clear_faults();
    }
    // By path prefix: only /capsolver/..., only the root, only /bigcaptcha/...
    emu.add_fault(Fault::new(FaultKind::Http500, EndpointSel::Any).prefix("capsolver"));
    assert_eq!(
        http.json("capsolver/getBalance", json!({"clientKey": KEY}))
            .await
            .status,
        500
    );
    assert_eq!(
        http.json("capmonster/getBalance", json!({"clientKey": KEY}))
            .await
            .status,
        200
    );
    assert_eq!(
        http.json("getBalance", json!({"clientKey": KEY}))
            .await
            .status,
        200
    );
    emu.clear_faults();
    http.admin(
        Method::POST,
        "faults",
        Some(json!({"fault": "http500", "prefix": ""})),
    )
    .await;
    assert_eq!(
        http.json("getBalance", json!({"clientKey": KEY}))
            .await
            .status,
        500
    );
    assert_eq!(
        http.get("res.php", &[("key", KEY), ("action", "getbalance")])
            .await
            .status,
        500
    );
    assert_eq!(
        http.get(
            "bigcaptcha/res.php",
            &[("key", KEY), ("action", "getbalance")]
        )
        .await
        .status,
        200
    );
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::Html502, EndpointSel::In).prefix("bigcaptcha"));
    assert_eq!(
        http.post("bigcaptcha/in.php", &recaptcha(KEY)).await.status,
        502
    );
    assert!(
        http.post("2captcha/in.php", &recaptcha(KEY))
            .await
            .body
            .starts_with("OK|")
    );
    // Existing faults on json endpoints: drop, truncate, slow, reply.
    emu.clear_faults();
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::Create).times(1));
    let err = http
        .client
        .post(format!("{}createTask", http.base))
        .json(&json!({"clientKey": KEY, "task": v2_task()}))
        .send()
        .await;
    assert!(err.is_err());
    emu.add_fault(
        Fault::reply(EndpointSel::Result, 503, "{\"errorId\":0,\"status\":\"proc").times(1),
    );
    let r = http.result("", KEY, &json!(1)).await;
    assert_eq!(
        (r.status, r.body.as_str()),
        (503, "{\"errorId\":0,\"status\":\"proc")
    );
    emu.add_fault(Fault::new(FaultKind::Truncate, EndpointSel::Balance).times(1));
    let resp = http
        .client
        .post(format!("{}getBalance", http.base))
        .json(&json!({"clientKey": KEY}))
        .send()
        .await
        .unwrap();
    assert!(resp.bytes().await.is_err());
}

#[tokio::test]
async fn the_request_log_shows_what_went_on_the_wire() {
    let emu = fast().await;
    let http = Http::new(&emu);
    http.client
        .post(format!("{}capsolver/createTask", http.base))
        .header("referer", "https://leak.example/")
        .header("user-agent", "client/1.0")
        .json(&json!({"clientKey": KEY, "task": v2_task()}))
        .send()
        .await
        .unwrap();
    http.get("res.php", &[("key", KEY2), ("action", "getbalance")])
        .await;
    http.post("2captcha/in.php", &recaptcha(KEY)).await;
    http.get("nowhere", &[]).await;
    emu.add_fault(Fault::new(FaultKind::Empty, EndpointSel::Balance).times(1));
    http.json("anti-captcha/getBalance", json!({"clientKey": KEY2}))
        .await;
    http.admin(Method::GET, "counters", None).await; // admin requests are not logged
    let log = emu.requests(100);
    assert_eq!(log.len(), 5);
    let cs = &log[0];
    assert_eq!(
        (cs.method.as_str(), cs.path.as_str()),
        ("POST", "/capsolver/createTask")
    );
    assert_eq!(cs.referer.as_deref(), Some("https://leak.example/"));
    assert_eq!(cs.user_agent.as_deref(), Some("client/1.0"));
    assert_eq!(cs.key.as_deref(), Some(KEY));
    assert_eq!(
        (cs.endpoint.as_str(), cs.prefix.as_str()),
        ("create", "capsolver")
    );
    assert!(cs.body_len > 50);
    assert_eq!(cs.query, None);
    let res = &log[1];
    assert_eq!(
        res.query.as_deref(),
        Some(format!("key={KEY2}&action=getbalance").as_str())
    );
    assert_eq!(
        (res.referer.as_ref(), res.user_agent.as_ref()),
        (None, None)
    );
    assert_eq!((res.key.as_deref(), res.body_len), (Some(KEY2), 0));
    assert_eq!(log[2].key.as_deref(), Some(KEY));
    assert_eq!(
        (log[2].endpoint.as_str(), log[2].prefix.as_str()),
        ("in", "2captcha")
    );
    assert_eq!(
        (log[3].endpoint.as_str(), log[3].key.as_ref()),
        ("other", None)
    );
    assert_eq!(log[4].fault.as_deref(), Some("empty"));
    assert_eq!(log[4].key.as_deref(), Some(KEY2));
    assert!(
        log.windows(2)
            .all(|w| w[0].seq < w[1].seq && w[0].at_ms <= w[1].at_ms)
    );
    // The latest N, oldest first; over HTTP too.
    let last2 = emu.requests(2);
    assert_eq!(last2, log[3..].to_vec());
    let v = http.admin(Method::GET, "requests?limit=2", None).await;
    assert_eq!(v["requests"].as_array().unwrap().len(), 2);
    assert_eq!(v["requests"][1]["fault"], "empty");
    assert_eq!(v["requests"][0]["referer"], Value::Null);
    let r = http
        .client
        .get(format!("{}emulator/requests?limit=lots", http.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Bounded.
    for _ in 0..(REQUEST_LOG_MAX + 10) / 100 {
        let futs: Vec<_> = (0..100).map(|_| http.get("nowhere", &[])).collect();
        futures_util::future::join_all(futs).await;
    }
    let all = emu.requests(usize::MAX);
    assert_eq!(all.len(), REQUEST_LOG_MAX);
    assert!(all[0].seq > 5);
}

#[tokio::test]
async fn every_task_the_emulator_created_is_listed_per_key() {
    let emu = fast().await;
    let http = Http::new(&emu);
    // A drop after processing: the client never saw this id, the list has it.
    emu.add_fault(Fault::new(FaultKind::Drop, EndpointSel::Create).times(1));
    let _ = http
        .client
        .post(format!("{}anti-captcha/createTask", http.base))
        .json(&json!({"clientKey": KEY, "task": v2_task()}))
        .send()
        .await;
    let seen = http.create_ok("anti-captcha", KEY, v2_task()).await;
    let ids = emu.task_ids(KEY);
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[1], TaskId::Number(seen.as_u64().unwrap()));
    let unseen = &ids[0];
    assert!(emu.task_by_id(&unseen.to_string()).is_some());
    let v = http
        .admin(Method::GET, &format!("tasks?key={KEY}"), None)
        .await;
    assert_eq!(v["ids"].as_array().unwrap().len(), 2);
    assert_eq!(
        http.admin(Method::GET, &format!("tasks?key={KEY2}"), None)
            .await["ids"],
        json!([])
    );
}
