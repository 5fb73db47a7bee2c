//! Each error code of the API documentation's in.php and res.php tables, provoked by raw requests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

async fn code(http: &Http, params: &[(&str, &str)]) -> String {
    http.post("in.php", params).await.body
}

#[tokio::test]
async fn key_errors() {
    let emu = fast().await;
    let http = Http::new(&emu);
    assert_eq!(
        code(&http, &[("method", "userrecaptcha")]).await,
        "ERROR_WRONG_USER_KEY"
    );
    assert_eq!(
        code(&http, &[("key", "short"), ("method", "userrecaptcha")]).await,
        "ERROR_WRONG_USER_KEY"
    );
    emu.remove_account(KEY2);
    let mut p = recaptcha(KEY2);
    assert_eq!(code(&http, &p).await, "ERROR_KEY_DOES_NOT_EXIST");
    p.push(("json", "1"));
    let v = http.post("in.php", &p).await.json();
    assert_eq!(
        (v["status"].as_i64(), v["request"].as_str()),
        (Some(0), Some("ERROR_KEY_DOES_NOT_EXIST"))
    );
    // Four wrong-key requests so far; a fifth would block this IP (ERROR: 1004, see limits.rs).
    emu.set_account(KEY2, 1.0);
    assert!(code(&http, &recaptcha(KEY2)).await.starts_with("OK|"));
}

#[tokio::test]
async fn strict_accounts_know_only_their_keys() {
    let emu = Emulator::start(Config {
        auto_accounts: false,
        ..Config::default()
    })
    .await
    .unwrap();
    let http = Http::new(&emu);
    assert_eq!(
        code(&http, &recaptcha(KEY)).await,
        "ERROR_KEY_DOES_NOT_EXIST"
    );
    emu.set_account(KEY, 5.0);
    assert!(code(&http, &recaptcha(KEY)).await.starts_with("OK|"));
}

#[tokio::test]
async fn zero_balance() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.set_account(KEY, 0.0001);
    assert_eq!(code(&http, &recaptcha(KEY)).await, "ERROR_ZERO_BALANCE");
    assert_eq!(emu.counters().replied("ERROR_ZERO_BALANCE"), 1);
}

#[tokio::test]
async fn token_task_parameter_errors() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let k = ("key", KEY);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![k, ("method", "userrecaptcha"), ("pageurl", PAGEURL)],
            "ERROR_WRONG_GOOGLEKEY",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("googlekey", "bad key!"),
                ("pageurl", PAGEURL),
            ],
            "ERROR_GOOGLEKEY",
        ),
        (
            vec![k, ("method", "userrecaptcha"), ("googlekey", GOOGLEKEY)],
            "ERROR_PAGEURL",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", "mysite.com"),
            ],
            "ERROR_PAGEURL",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("version", "v3"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
                ("min_score", "1.5"),
            ],
            "ERROR_BAD_PARAMETERS",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("version", "v4"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
            ],
            "ERROR_BAD_PARAMETERS",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
                ("cookies", "novalue"),
            ],
            "ERROR_BAD_PARAMETERS",
        ),
        (
            vec![k, ("method", "hcaptcha"), ("pageurl", PAGEURL)],
            "ERROR_SITEKEY",
        ),
        (
            vec![
                k,
                ("method", "hcaptcha"),
                ("sitekey", "a b"),
                ("pageurl", PAGEURL),
            ],
            "ERROR_SITEKEY",
        ),
        (
            vec![k, ("method", "hcaptcha"), ("sitekey", "abc")],
            "ERROR_PAGEURL",
        ),
        (
            vec![k, ("method", "turnstile"), ("pageurl", PAGEURL)],
            "ERROR_SITEKEY",
        ),
        (
            vec![k, ("method", "funcaptcha"), ("pageurl", PAGEURL)],
            "ERROR_BAD_PARAMETERS",
        ),
        (
            vec![
                k,
                ("method", "funcaptcha"),
                ("publickey", "K"),
                ("pageurl", PAGEURL),
                ("surl", "nope"),
            ],
            "ERROR_BAD_PARAMETERS",
        ),
        (vec![k, ("method", "geetest9")], "ERROR_BAD_PARAMETERS"),
        (vec![k], "ERROR_BAD_PARAMETERS"),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
                ("proxy", "1.2.3.4:80"),
            ],
            "ERROR_PROXY_FORMAT",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
                ("proxy", "1.2.3.4:80"),
                ("proxytype", "FTP"),
            ],
            "ERROR_PROXY_FORMAT",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
                ("proxy", "u:p@1.2.3.4"),
                ("proxytype", "HTTP"),
            ],
            "ERROR_PROXY_FORMAT",
        ),
        (
            vec![
                k,
                ("method", "userrecaptcha"),
                ("googlekey", GOOGLEKEY),
                ("pageurl", PAGEURL),
                ("pingback", "nope"),
            ],
            "ERROR_BAD_PARAMETERS",
        ),
    ];
    for (params, want) in cases {
        assert_eq!(code(&http, &params).await, want, "{params:?}");
    }
    // Valid proxies of every type pass.
    for (proxy, ty) in [
        ("u:p@1.2.3.4:3128", "HTTP"),
        ("h.example:443", "https"),
        ("[::1]:1080", "SOCKS5"),
        ("u@1.2.3.4:1", "SOCKS4"),
    ] {
        let mut p = recaptcha(KEY);
        p.extend([("proxy", proxy), ("proxytype", ty)]);
        assert!(code(&http, &p).await.starts_with("OK|"), "{proxy}");
    }
}

#[tokio::test]
async fn image_errors() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let post = |name: &'static str, bytes: Vec<u8>| {
        let http = &http;
        async move {
            http.multipart(&[("key", KEY), ("method", "post")], Some((name, bytes)))
                .await
                .body
        }
    };
    let mut small = image("captcha.png");
    small.truncate(99);
    assert_eq!(post("a.png", small).await, "ERROR_ZERO_CAPTCHA_FILESIZE");
    let mut big = image("captcha.png");
    big.resize(600_001, 0);
    assert_eq!(post("a.png", big).await, "ERROR_TOO_BIG_CAPTCHA_FILESIZE");
    let mut exact = image("captcha.png");
    exact.resize(600_000, 0);
    assert!(post("a.png", exact).await.starts_with("OK|"));
    assert_eq!(
        post("wide.png", image("too_wide.png")).await,
        "ERROR_TOO_BIG_CAPTCHA_FILESIZE"
    );
    assert_eq!(
        post("a.bmp", image("captcha.png")).await,
        "ERROR_WRONG_FILE_EXTENSION"
    );
    assert_eq!(
        post("noext", image("captcha.png")).await,
        "ERROR_WRONG_FILE_EXTENSION"
    );
    assert_eq!(
        post("a.png", vec![b'B'; 500]).await,
        "ERROR_IMAGE_TYPE_NOT_SUPPORTED"
    );
    // method=post without a file, base64 without a body or with garbage.
    assert_eq!(
        http.multipart(&[("key", KEY), ("method", "post")], None)
            .await
            .body,
        "ERROR_UPLOAD"
    );
    assert_eq!(
        code(&http, &[("key", KEY), ("method", "base64")]).await,
        "ERROR_UPLOAD"
    );
    assert_eq!(
        code(
            &http,
            &[("key", KEY), ("method", "base64"), ("body", "***")]
        )
        .await,
        "ERROR_UPLOAD"
    );
    let jpg = b64(&image("captcha.jpg"));
    assert_eq!(
        code(
            &http,
            &[
                ("key", KEY),
                ("method", "base64"),
                ("body", &jpg),
                ("numeric", "7")
            ]
        )
        .await,
        "ERROR_BAD_PARAMETERS"
    );
    assert_eq!(
        code(
            &http,
            &[
                ("key", KEY),
                ("method", "base64"),
                ("body", &jpg),
                ("max_len", "21")
            ]
        )
        .await,
        "ERROR_BAD_PARAMETERS"
    );
    assert!(
        code(&http, &[("key", KEY), ("method", "base64"), ("body", &jpg)])
            .await
            .starts_with("OK|")
    );
}

#[tokio::test]
async fn res_php_errors() {
    let emu = fast().await;
    let http = Http::new(&emu);
    let res = |p: Vec<(&'static str, &'static str)>| {
        let http = &http;
        async move { http.get("res.php", &p).await.body }
    };
    assert_eq!(res(vec![("key", KEY)]).await, "ERROR_EMPTY_ACTION");
    assert_eq!(
        res(vec![("key", KEY), ("action", "")]).await,
        "ERROR_EMPTY_ACTION"
    );
    assert_eq!(
        res(vec![("key", KEY), ("action", "dance")]).await,
        "ERROR_BAD_PARAMETERS"
    );
    assert_eq!(
        res(vec![("key", KEY), ("action", "get")]).await,
        "ERROR_WRONG_ID_FORMAT"
    );
    assert_eq!(
        res(vec![("key", KEY), ("action", "get"), ("id", "12a")]).await,
        "ERROR_WRONG_ID_FORMAT"
    );
    assert_eq!(
        res(vec![("key", KEY), ("action", "get"), ("id", "12")]).await,
        "ERROR_WRONG_CAPTCHA_ID"
    );
    assert_eq!(
        res(vec![("key", "x"), ("action", "get"), ("id", "12")]).await,
        "ERROR_WRONG_USER_KEY"
    );
    // Scripted result codes.
    for c in [
        "ERROR_CAPTCHA_UNSOLVABLE",
        "ERROR_BAD_DUPLICATES",
        "ERROR_PROXY_CONNECTION_FAILED",
        "ERROR_TOKEN_EXPIRED",
    ] {
        emu.clear_rules();
        emu.add_rule(Rule {
            result_error: Some(c.into()),
            ..Rule::default()
        });
        let id = http.submit(&recaptcha(KEY)).await;
        assert_eq!(http.wait(KEY, &id, false).await.body, c);
        assert_eq!(http.wait(KEY, &id, true).await.json()["request"], c);
    }
}

#[tokio::test]
async fn scripted_submit_errors_for_the_next_n_submits() {
    let emu = fast().await;
    let http = Http::new(&emu);
    emu.add_rule(Rule {
        when: Match {
            sitekey: Some(GOOGLEKEY.into()),
            ..Match::default()
        },
        submit_error: Some("ERROR_NO_SLOT_AVAILABLE".into()),
        times: Some(2),
        ..Rule::default()
    });
    assert_eq!(
        code(&http, &recaptcha(KEY)).await,
        "ERROR_NO_SLOT_AVAILABLE"
    );
    assert_eq!(
        code(&http, &recaptcha(KEY)).await,
        "ERROR_NO_SLOT_AVAILABLE"
    );
    assert!(code(&http, &recaptcha(KEY)).await.starts_with("OK|"));
    for c in [
        "ERROR_BAD_PROXY",
        "ERROR_CAPTCHAIMAGE_BLOCKED",
        "TOO_MANY_BAD_IMAGES",
        "ERROR_IP_NOT_ALLOWED",
        "IP_BANNED",
        "ERROR_BAD_TOKEN_OR_PAGEURL",
    ] {
        emu.add_rule(Rule {
            submit_error: Some(c.into()),
            times: Some(1),
            ..Rule::default()
        });
        assert_eq!(code(&http, &recaptcha(KEY)).await, c);
    }
    assert_eq!(emu.counters().replied("ERROR_NO_SLOT_AVAILABLE"), 2);
}
