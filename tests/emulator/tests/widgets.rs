//! The stand-in widgets and the vendors' siteverify: tokens a solve issued pass once, for
//! their site key and vendor only; anything else is refused with the vendor's error code.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

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

// ---------------------------------------------------------------------------------------
// Secrets and site keys: declared pairs, trust on first use, the `sitekey` field.
// ---------------------------------------------------------------------------------------

const HSITEKEY2: &str = "20000000-ffff-ffff-ffff-000000000002";
const TSKEY2: &str = "0x4AAAAAAABUYP0XeMJF0xo2";

fn verify_path(vendor: &str) -> &'static str {
    match vendor {
        "recaptcha" => "recaptcha/api/siteverify",
        "hcaptcha" => "hcaptcha/siteverify",
        _ => "turnstile/v0/siteverify",
    }
}

/// A token of `vendor` for `sitekey`, solved through the form protocol.
async fn token_for(http: &Http, vendor: &str, sitekey: &str) -> String {
    let (method, field) = match vendor {
        "recaptcha" => ("userrecaptcha", "googlekey"),
        "hcaptcha" => ("hcaptcha", "sitekey"),
        _ => ("turnstile", "sitekey"),
    };
    form_token(
        http,
        &[
            ("key", KEY),
            ("method", method),
            (field, sitekey),
            ("pageurl", PAGE),
        ],
    )
    .await
}

/// Verifies as a real reCAPTCHA or Turnstile backend does: `secret` and `response` only.
async fn check(http: &Http, vendor: &str, secret: &str, token: &str) -> Value {
    verify(
        http,
        verify_path(vendor),
        &[("secret", secret), ("response", token)],
    )
    .await
}

/// Whether [`check`] passes.
async fn passes(http: &Http, vendor: &str, secret: &str, token: &str) -> bool {
    let v = check(http, vendor, secret, token).await;
    v["success"] == true
}

#[tokio::test]
async fn a_secret_is_bound_to_the_site_key_of_the_first_token_it_verified() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let a1 = token_for(&http, "recaptcha", GOOGLEKEY).await;
    let a2 = token_for(&http, "recaptcha", GOOGLEKEY).await;
    let b1 = token_for(&http, "recaptcha", SITEKEY).await;

    // A fresh secret verifies site key A's token, and is now A's.
    let ok = check(&http, "recaptcha", "secret-s", &a1).await;
    assert_eq!(ok["success"], true, "{ok}");
    // Site key B's token with A's secret: the mix-up a real backend would catch.
    let mixed = check(&http, "recaptcha", "secret-s", &b1).await;
    assert_eq!(
        (mixed["success"].clone(), codes(&mixed)),
        (json!(false), vec!["invalid-input-response".to_owned()])
    );
    // Naming B does not help: the secret is A's.
    let named = verify(
        &http,
        "recaptcha/api/siteverify",
        &[
            ("secret", "secret-s"),
            ("response", &b1),
            ("sitekey", SITEKEY),
        ],
    )
    .await;
    assert_eq!(codes(&named), ["invalid-input-response"]);
    // A named site key other than the token's is refused, even with the token's secret.
    let wrong_name = verify(
        &http,
        "recaptcha/api/siteverify",
        &[
            ("secret", "secret-s"),
            ("response", &a2),
            ("sitekey", SITEKEY),
        ],
    )
    .await;
    assert_eq!(codes(&wrong_name), ["invalid-input-response"]);
    // The refusals redeemed nothing: A's second token with A's secret, B's with a secret of
    // its own.
    assert!(passes(&http, "recaptcha", "secret-s", &a2).await);
    assert!(passes(&http, "recaptcha", "secret-b", &b1).await);

    // Bindings are per vendor: the same text as a Turnstile secret is a secret of its own.
    let t1 = token_for(&http, "turnstile", TSKEY).await;
    let t2 = token_for(&http, "turnstile", TSKEY2).await;
    assert!(passes(&http, "turnstile", "secret-s", &t1).await);
    let t_mixed = check(&http, "turnstile", "secret-s", &t2).await;
    assert_eq!(
        (t_mixed["success"].clone(), codes(&t_mixed)),
        (json!(false), vec!["invalid-input-response".to_owned()])
    );
    assert!(t_mixed["messages"].is_array(), "{t_mixed}");

    // hCaptcha says it in its own words.
    let h1 = token_for(&http, "hcaptcha", HSITEKEY).await;
    let h2 = token_for(&http, "hcaptcha", HSITEKEY2).await;
    assert!(passes(&http, "hcaptcha", "0xsecret-h", &h1).await);
    let h_mixed = check(&http, "hcaptcha", "0xsecret-h", &h2).await;
    assert_eq!(codes(&h_mixed), ["sitekey-secret-mismatch"]);

    // A reset forgets the bindings with the tokens.
    http.admin(Method::POST, "reset", None).await;
    let b2 = token_for(&http, "recaptcha", SITEKEY).await;
    assert!(passes(&http, "recaptcha", "secret-s", &b2).await);
}

#[tokio::test]
async fn a_declared_pair_refuses_other_site_keys_from_the_first_call() {
    let mut settings =
        Settings::from_args(["--site".to_owned(), format!("{GOOGLEKEY}=secret-a")]).unwrap();
    settings.config.default_delay = Delay::fixed(10);
    let emu = Emulator::start(settings.config).await.unwrap();
    let http = Http::new(&emu);
    assert_eq!(
        http.admin(Method::GET, "config", None).await["sites"],
        json!({GOOGLEKEY: "secret-a"})
    );
    let a = token_for(&http, "recaptcha", GOOGLEKEY).await;
    let b = token_for(&http, "recaptcha", SITEKEY).await;

    // The declared secret has never verified anything, and still refuses another key.
    let first = check(&http, "recaptcha", "secret-a", &b).await;
    assert_eq!(codes(&first), ["invalid-input-response"]);
    // A declared site key verifies only with its own secret.
    let other = check(&http, "recaptcha", "some-other-secret", &a).await;
    assert_eq!(codes(&other), ["invalid-input-response"]);
    assert!(passes(&http, "recaptcha", "secret-a", &a).await);

    // The admin API declares pairs too (the whole map, as every config field); one secret may
    // stand for several site keys, as an hCaptcha account's does.
    http.admin(
        Method::POST,
        "config",
        Some(json!({"sites": {
            GOOGLEKEY: "secret-a",
            SITEKEY: "secret-a",
            HSITEKEY: "0xsecret-h",
        }})),
    )
    .await;
    assert!(passes(&http, "recaptcha", "secret-a", &b).await);
    let h2 = token_for(&http, "hcaptcha", HSITEKEY2).await;
    let h_first = check(&http, "hcaptcha", "0xsecret-h", &h2).await;
    assert_eq!(codes(&h_first), ["sitekey-secret-mismatch"]);
    let h1 = token_for(&http, "hcaptcha", HSITEKEY).await;
    assert!(passes(&http, "hcaptcha", "0xsecret-h", &h1).await);

    // Declared pairs are settings: a reset keeps them.
    http.admin(Method::POST, "reset", None).await;
    let b2 = token_for(&http, "recaptcha", SITEKEY).await;
    assert_eq!(
        codes(&check(&http, "recaptcha", "other", &b2).await),
        ["invalid-input-response"]
    );
    assert!(passes(&http, "recaptcha", "secret-a", &b2).await);
}

#[tokio::test]
async fn a_site_that_names_each_site_key_may_share_one_secret() {
    // The browser tests' sites (bindings-python/browser_tests/conftest.py,
    // bindings-node/test-browser/site.mjs) verify every page, of every vendor and site key,
    // with one secret, naming the page's site key.
    let emu = fast().await;
    let http = Http::new(&emu);
    let pages = [
        ("recaptcha", GOOGLEKEY),
        ("recaptcha", SITEKEY),
        ("recaptcha", V3KEY),
        ("hcaptcha", HSITEKEY),
        ("hcaptcha", HSITEKEY2),
        ("turnstile", TSKEY),
        ("turnstile", TSKEY2),
    ];
    for round in 0..2 {
        for (vendor, sitekey) in pages {
            let token = token_for(&http, vendor, sitekey).await;
            let v = verify(
                &http,
                verify_path(vendor),
                &[
                    ("secret", "the-site-secret"),
                    ("response", &token),
                    ("sitekey", sitekey),
                    ("remoteip", "127.0.0.1"),
                ],
            )
            .await;
            assert_eq!(v["success"], true, "round {round}, {vendor} {sitekey}: {v}");
        }
    }
    // Naming binds nothing: the shared secret is still free for a first sitekey-less use.
    let b = token_for(&http, "recaptcha", SITEKEY).await;
    assert!(passes(&http, "recaptcha", "the-site-secret", &b).await);
    let a = token_for(&http, "recaptcha", GOOGLEKEY).await;
    assert_eq!(
        codes(&check(&http, "recaptcha", "the-site-secret", &a).await),
        ["invalid-input-response"]
    );
}
