//! The stand-in widgets and the vendors' siteverify: tokens a solve issued pass once, for
//! their site key and vendor only; anything else is refused with the vendor's error code.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const V3KEY: &str = "6LcV3aaaAAAAAGbbbbbbbbbbbbbbbbbbbbbbbbbb";

async fn verify(http: &Http, path: &str, fields: &[(&str, &str)]) -> Value {
    let r = http.post(path, fields).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

fn codes(v: &Value) -> Vec<String> {
    v["error-codes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Solves through the form protocol and returns the token.
async fn form_token(http: &Http, params: &[(&str, &str)]) -> String {
    let id = http.submit(params).await;
    let r = http.wait(KEY, &id, true).await;
    r.json()["request"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_recaptcha_token_passes_once_for_its_site_key() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let token = form_token(&http, &recaptcha(KEY)).await;
    let path = "recaptcha/api/siteverify";

    // Another site key's secret (named by `sitekey`) cannot redeem it.
    let other = verify(
        &http,
        path,
        &[("secret", "s"), ("response", &token), ("sitekey", SITEKEY)],
    )
    .await;
    assert_eq!(other["success"], false);
    assert_eq!(codes(&other), ["invalid-input-response"]);
    // Nor another vendor.
    let h = verify(
        &http,
        "hcaptcha/siteverify",
        &[("secret", "s"), ("response", &token)],
    )
    .await;
    assert_eq!(codes(&h), ["invalid-input-response"]);

    let ok = verify(
        &http,
        path,
        &[
            ("secret", "any secret"),
            ("response", &token),
            ("remoteip", "127.0.0.1"),
            ("sitekey", GOOGLEKEY),
        ],
    )
    .await;
    assert_eq!(ok["success"], true, "{ok}");
    assert_eq!(ok["hostname"], "mysite.com");
    assert!(ok["challenge_ts"].as_str().unwrap().ends_with('Z'));
    assert!(ok.get("score").is_none(), "v2 has no score: {ok}");

    let again = verify(&http, path, &[("secret", "s"), ("response", &token)]).await;
    assert_eq!(again["success"], false);
    assert_eq!(codes(&again), ["timeout-or-duplicate"]);
}

#[tokio::test]
async fn refusals_name_what_is_missing_or_unknown() {
    let emu = fast().await;
    let http = Http::new(&emu);
    for path in [
        "recaptcha/api/siteverify",
        "hcaptcha/siteverify",
        "turnstile/v0/siteverify",
    ] {
        let v = verify(&http, path, &[("response", "x")]).await;
        assert_eq!(codes(&v), ["missing-input-secret"], "{path}");
        let v = verify(&http, path, &[("secret", "s")]).await;
        assert_eq!(codes(&v), ["missing-input-response"], "{path}");
        // What a stand-in widget hands out without a solve.
        let v = verify(
            &http,
            path,
            &[("secret", "s"), ("response", "stand-in-unverified-abc")],
        )
        .await;
        assert_eq!(
            (v["success"].clone(), codes(&v)),
            (json!(false), vec!["invalid-input-response".to_owned()]),
            "{path}"
        );
        let get = http.get(path, &[("secret", "s"), ("response", "x")]).await;
        assert_eq!(get.status, 405, "{path}");
    }
}

#[tokio::test]
async fn a_token_counts_only_once_a_client_collected_it() {
    // A rule fixes the answer, so the test knows the token before any client has it.
    let emu2 = fast().await;
    let http2 = Http::new(&emu2);
    http2
        .admin(
            Method::POST,
            "rules",
            Some(json!({"answer": "03AGdBq2-fixed-token", "times": 1})),
        )
        .await;
    let id2 = http2.submit(&recaptcha(KEY)).await;
    let early = verify(
        &http2,
        "recaptcha/api/siteverify",
        &[("secret", "s"), ("response", "03AGdBq2-fixed-token")],
    )
    .await;
    assert_eq!(
        codes(&early),
        ["invalid-input-response"],
        "before the client polled"
    );
    let r = http2.wait(KEY, &id2, false).await;
    assert_eq!(r.body, "OK|03AGdBq2-fixed-token");
    let late = verify(
        &http2,
        "recaptcha/api/siteverify",
        &[("secret", "s"), ("response", "03AGdBq2-fixed-token")],
    )
    .await;
    assert_eq!(late["success"], true, "{late}");
}

#[tokio::test]
async fn v3_hcaptcha_and_turnstile_replies_carry_what_the_vendors_send() {
    let emu = fast().await;
    let http = Http::new(&emu);

    let v3 = form_token(
        &http,
        &[
            ("key", KEY),
            ("method", "userrecaptcha"),
            ("version", "v3"),
            ("action", "login"),
            ("googlekey", V3KEY),
            ("pageurl", "http://127.0.0.1:9/v3"),
        ],
    )
    .await;
    let v = verify(
        &http,
        "recaptcha/api/siteverify",
        &[("secret", "s"), ("response", &v3), ("sitekey", V3KEY)],
    )
    .await;
    assert_eq!(
        (
            v["success"].clone(),
            v["action"].clone(),
            v["hostname"].clone()
        ),
        (json!(true), json!("login"), json!("127.0.0.1"))
    );
    assert!(v["score"].as_f64().is_some(), "{v}");

    // hCaptcha through the json protocol (anti-captcha's dialect).
    let id = http
        .create_ok(
            "anti-captcha",
            KEY,
            json!({"type": "HCaptchaTaskProxyless", "websiteURL": PAGE, "websiteKey": HSITEKEY}),
        )
        .await;
    let r = http.wait_result("anti-captcha", KEY, &id, 5).await.json();
    let htoken = r["solution"]["gRecaptchaResponse"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong = verify(
        &http,
        "hcaptcha/siteverify",
        &[
            ("secret", "s"),
            ("response", &htoken),
            ("sitekey", "20000000-ffff-ffff-ffff-000000000002"),
        ],
    )
    .await;
    assert_eq!(codes(&wrong), ["invalid-input-response"]);
    let ok = verify(
        &http,
        "hcaptcha/siteverify",
        &[
            ("secret", "s"),
            ("response", &htoken),
            ("sitekey", HSITEKEY),
        ],
    )
    .await;
    assert_eq!(
        (ok["success"].clone(), ok["hostname"].clone()),
        (json!(true), json!("example.com"))
    );
    let again = verify(
        &http,
        "hcaptcha/siteverify",
        &[("secret", "s"), ("response", &htoken)],
    )
    .await;
    assert_eq!(codes(&again), ["already-seen-response"]);

    // Turnstile through the form protocol, verified with a JSON body as Cloudflare allows.
    let ttoken = form_token(
        &http,
        &[
            ("key", KEY),
            ("method", "turnstile"),
            ("sitekey", TSKEY),
            ("pageurl", PAGE),
            ("action", "signup"),
            ("data", "session-42"),
        ],
    )
    .await;
    let r = http
        .json(
            "turnstile/v0/siteverify",
            json!({"secret": "s", "response": ttoken, "remoteip": "127.0.0.1"}),
        )
        .await
        .json();
    assert_eq!(
        (
            r["success"].clone(),
            r["action"].clone(),
            r["cdata"].clone()
        ),
        (json!(true), json!("signup"), json!("session-42")),
        "{r}"
    );
    let again = verify(
        &http,
        "turnstile/v0/siteverify",
        &[("secret", "s"), ("response", &ttoken)],
    )
    .await;
    assert_eq!(codes(&again), ["timeout-or-duplicate"]);
}

#[tokio::test]
async fn the_stand_in_scripts_and_frames_are_served() {
    let emu = fast().await;
    let http = Http::new(&emu);
    for (path, marks) in [
        (
            "recaptcha/api.js",
            &[
                "___grecaptcha_cfg",
                "g-recaptcha-response",
                "/recaptcha/api2/anchor",
            ][..],
        ),
        (
            "recaptcha/enterprise.js",
            &["/recaptcha/enterprise/anchor", "grecaptcha-badge"][..],
        ),
        (
            "hcaptcha/1/api.js",
            &["h-captcha-response", "data-hcaptcha-widget-id"][..],
        ),
        (
            "turnstile/v0/api.js",
            &["cf-turnstile-response", "attachShadow"][..],
        ),
    ] {
        let r = http.get(path, &[("render", "explicit")]).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/javascript"),
            "{path}"
        );
        assert!(
            r.body.starts_with("(function () {"),
            "{path}: wrapped in a closure"
        );
        for m in marks {
            assert!(r.body.contains(m), "{path} lacks {m}");
        }
    }
    for path in [
        "recaptcha/api2/anchor",
        "recaptcha/enterprise/anchor",
        "hcaptcha/checkbox.html",
        "turnstile/if/ov2/av0/rcv/abcde/0x4AAAAAAA/light/fbE/new/normal/auto/",
    ] {
        let r = http.get(path, &[("k", "x"), ("size", "normal")]).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.body.contains("<!doctype html>") && !r.body.contains("{{"),
            "{path}"
        );
    }
    // Nothing else under those prefixes.
    assert_eq!(http.get("recaptcha/other.js", &[]).await.status, 404);
}
