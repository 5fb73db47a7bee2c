//! Solve-time distributions (fixed, uniform, log-normal; for every kind or per kind), set by
//! the library's config, the admin API and the binary's flag. The verdicts read the solve
//! times the emulator drew for its tasks (the task info's `solve_ms`): seeded, so a run
//! repeats, and never measured with a clock.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;
use serde_json::{Value, json};

fn config(solve_time: Option<&str>) -> Config {
    Config {
        solve_time: solve_time.map(|s| SolveTime::parse(s).unwrap()),
        // Every task is ready at once: the draws are read, not waited for.
        time_scale: 0.0,
        limits: false,
        ..Config::default()
    }
}

/// A client that keeps its connection (thousands of requests in a row).
fn pooled(emu: &Emulator) -> Http {
    Http {
        client: common::http_client()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap(),
        base: emu.url().to_owned(),
    }
}

/// Submits `n` tasks at the root's json dialect and returns their drawn solve times.
async fn draws(emu: &Emulator, http: &Http, task: Value, n: usize) -> Vec<u64> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let id = http.create_ok("", KEY, task.clone()).await;
        let info = emu.task_by_id(&id.to_string()).unwrap();
        out.push(info.solve_ms);
    }
    out
}

fn v2_task() -> Value {
    json!({"type": "RecaptchaV2TaskProxyless", "websiteURL": PAGE, "websiteKey": SITEKEY})
}

fn geetest() -> Value {
    json!({"type": "GeeTestTaskProxyless", "websiteURL": PAGE,
        "gt": "81388ea1fc187e0c335c0a8907ff2625", "challenge": "2e2f0f65240058b683cb6ea21c303eea"})
}

fn quantile(v: &[u64], q: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_unstable();
    s[((s.len() - 1) as f64 * q).round() as usize] as f64
}

#[tokio::test]
async fn log_normal_solve_times_have_the_configured_median_and_tail() {
    let emu = Emulator::start(config(Some("lognormal:12000,0.35")))
        .await
        .unwrap();
    let http = pooled(&emu);
    let d = draws(&emu, &http, v2_task(), 2000).await;
    let median = quantile(&d, 0.5);
    let p90 = quantile(&d, 0.9);
    assert!((median / 12000.0 - 1.0).abs() < 0.03, "median {median}");
    // p90 of a log-normal is median x exp(1.2816 sigma): 18,800 ms here.
    let want = 12000.0 * (1.2816f64 * 0.35).exp();
    assert!((p90 / want - 1.0).abs() < 0.05, "p90 {p90}, want {want}");
    // Seeded per task: a second emulator with the same seed draws the same times.
    let again = Emulator::start(config(Some("lognormal:12000,0.35")))
        .await
        .unwrap();
    let http2 = pooled(&again);
    assert_eq!(draws(&again, &http2, v2_task(), 50).await, d[..50]);
    // Another seed, other times.
    let other = Emulator::start(Config {
        seed: 7,
        ..config(Some("lognormal:12000,0.35"))
    })
    .await
    .unwrap();
    let http3 = pooled(&other);
    assert_ne!(draws(&other, &http3, v2_task(), 50).await, d[..50]);
}

#[tokio::test]
async fn per_kind_times_win_over_the_global_one_and_form_tasks_draw_too() {
    let mut c = config(Some("uniform:100-300"));
    c.solve_times
        .insert("GeeTest".into(), SolveTime::parse("fixed:777").unwrap());
    let emu = Emulator::start(c).await.unwrap();
    let http = pooled(&emu);
    assert!(
        draws(&emu, &http, geetest(), 20)
            .await
            .iter()
            .all(|&ms| ms == 777)
    );
    let r = draws(&emu, &http, v2_task(), 200).await;
    assert!(r.iter().all(|ms| (100..=300).contains(ms)), "{r:?}");
    assert!(r.iter().any(|&ms| ms < 150) && r.iter().any(|&ms| ms > 250));
    // The form protocol draws from the same distributions.
    let id = http.submit(&recaptcha(KEY)).await;
    let ms = emu.task(id.parse().unwrap()).unwrap().solve_ms;
    assert!((100..=300).contains(&ms), "{ms}");
    // A rule's delay wins over every distribution.
    emu.add_rule(Rule {
        delay_ms: Some(4242),
        times: Some(1),
        ..Rule::default()
    });
    assert_eq!(draws(&emu, &http, geetest(), 1).await, [4242]);
}

#[tokio::test]
async fn the_admin_api_sets_distributions() {
    let emu = Emulator::start(config(None)).await.unwrap();
    let http = pooled(&emu);
    let post = |path: &'static str, body: Value| {
        let http = &http;
        async move {
            let r = http
                .client
                .post(format!("{}emulator/{path}", http.base))
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    // Per kind, and for every kind.
    let (s, _) = post(
        "delays",
        json!({"kind": "GeeTest", "solve_time": "fixed:31"}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = post("delays", json!({"solve_time": "lognormal:500,0.2"})).await;
    assert_eq!(s, 200);
    assert_eq!(draws(&emu, &http, geetest(), 3).await, [31, 31, 31]);
    let r = draws(&emu, &http, v2_task(), 400).await;
    assert!(
        (quantile(&r, 0.5) / 500.0 - 1.0).abs() < 0.05,
        "{}",
        quantile(&r, 0.5)
    );
    // The old form still works: a uniform range, and it replaces the distribution.
    let (s, _) = post("delays", json!({"min_ms": 40, "max_ms": 40})).await;
    assert_eq!(s, 200);
    assert_eq!(draws(&emu, &http, v2_task(), 2).await, [40, 40]);
    // A range upside down is refused, not quietly turned round.
    let (s, v) = post("delays", json!({"min_ms": 300, "max_ms": 100})).await;
    assert_eq!(s, 400, "{v}");
    assert_eq!(draws(&emu, &http, v2_task(), 1).await, [40]);
    // Through the config: the same text, per kind by name.
    let (s, v) = post(
        "config",
        json!({"solve_time": "uniform:5-6", "solve_times": {"Rotate": "fixed:9"}}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["solve_time"], "uniform:5-6");
    assert_eq!(v["solve_times"], json!({"Rotate": "fixed:9"}));
    assert!(
        draws(&emu, &http, v2_task(), 10)
            .await
            .iter()
            .all(|ms| (5..=6).contains(ms))
    );
    // Refused: unknown kinds, bad distributions, both forms at once.
    for (path, body) in [
        ("delays", json!({"kind": "Nope", "solve_time": "fixed:1"})),
        ("delays", json!({"solve_time": "gamma:1,2"})),
        ("delays", json!({"solve_time": "fixed:1", "min_ms": 3})),
        ("delays", json!({})),
        ("config", json!({"solve_time": "lognormal:100"})),
        ("config", json!({"solve_times": {"Nope": "fixed:1"}})),
    ] {
        let (s, v) = post(path, body.clone()).await;
        assert_eq!(s, 400, "{path} {body}: {v}");
    }
}

#[tokio::test]
async fn the_time_scale_applies_to_drawn_times() {
    // An hour's solve at full time is not ready at once (no test outlives it, however busy
    // the machine); at time scale 0 it is.
    for (scale, ready) in [(1.0, false), (0.0, true)] {
        let emu = Emulator::start(Config {
            time_scale: scale,
            solve_time: Some(SolveTime::parse("fixed:3600000").unwrap()),
            ..Config::default()
        })
        .await
        .unwrap();
        let http = pooled(&emu);
        let id = http.create_ok("", KEY, v2_task()).await;
        let v = http.result("", KEY, &id).await.json();
        assert_eq!(v["status"] == "ready", ready, "scale {scale}: {v}");
        assert_eq!(emu.task_by_id(&id.to_string()).unwrap().solve_ms, 3_600_000);
    }
}

#[test]
fn the_binary_takes_solve_time_flags() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_capbridge-emulator");
    let mut child = Command::new(bin)
        .args([
            "--port",
            "0",
            "--delay-ms",
            "10-20",
            "--solve-time",
            "lognormal:12000,0.35",
            "--solve-time=GeeTest=fixed:5",
            "--solve-time",
            "Grid=uniform:1-2",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let config: Value = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            common::http_client()
                .build()
                .unwrap()
                .get(format!("{}emulator/config", url.trim()))
                .timeout(std::time::Duration::from_secs(10))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(config["solve_time"], "lognormal:12000,0.35");
    assert_eq!(
        config["solve_times"],
        json!({"GeeTest": "fixed:5", "Grid": "uniform:1-2"})
    );
    assert_eq!(config["default_delay"], json!({"min_ms": 10, "max_ms": 20}));
    // Bad flags stop the binary with a message naming the flag.
    for bad in [
        ["--solve-time", "Nope=fixed:1"],
        ["--solve-time", "lognormal:1"],
    ] {
        let out = Command::new(bin).args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--solve-time"));
    }
    // --help lists the flag and the kinds.
    let help = Command::new(bin).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--solve-time [KIND=]DIST") && help.contains("lognormal:MEDIAN,SIGMA"));
    assert!(help.contains("GeeTestV4") && help.contains("CloudflareChallenge"));
}
