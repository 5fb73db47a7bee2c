//! Every task kind end to end through every preset (its base URL pointed at the emulator's
//! prefix for that provider), the same task objects everywhere; failover between providers;
//! and the seam: the engine never reaches into a protocol family.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

mod common;
use common::*;

const HCAPTCHA_KEY: &str = "10000000-ffff-ffff-ffff-000000000001";
const FUNCAPTCHA_KEY: &str = "12AB34CD-56F7-AB8C-9D01-2EF3456789A0";
const TURNSTILE_KEY: &str = "0x4AAAAAAAC3DHQFLr1GavRN";

fn tasks() -> Vec<Task> {
    vec![
        ImageToText::new(image("captcha.png")).into(),
        v2().invisible(true).data_s("ds").into(),
        v2().proxy(Proxy::parse("http://user:pw@1.2.3.4:3128").unwrap())
            .user_agent("Mozilla/5.0")
            .into(),
        RecaptchaV3::new(PAGE, SITEKEY)
            .action("login")
            .min_score(0.3)
            .into(),
        HCaptcha::new(PAGE, HCAPTCHA_KEY).into(),
        FunCaptcha::new(PAGE, FUNCAPTCHA_KEY)
            .data("blob", "b")
            .into(),
        Turnstile::new(PAGE, TURNSTILE_KEY)
            .action("managed")
            .cdata("cd")
            .into(),
    ]
}

/// A preset with its base URL at the emulator, and millisecond waits (its limits stay its own).
fn preset(emu: &Emulator, name: &str) -> Client {
    let provider = Provider::from_name(name).unwrap();
    let url = emu.url_for(name);
    Client::builder(provider, KEY)
        .base_url(url)
        .initial_delay(Duration::from_millis(20))
        .poll_interval(Duration::from_millis(40))
        .timeout(HANG)
        .request_timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A kind's example task from the catalogue, its files resolved (`@images/x.png` names the
/// shared vectors' files).
fn example(kind: TaskKind) -> Task {
    let mut v: serde_json::Value = serde_json::from_str(kind.spec().example).unwrap();
    if let Some(obj) = v.as_object_mut() {
        for (_, field) in obj.iter_mut() {
            if let Some(path) = field.as_str().and_then(|s| s.strip_prefix('@')) {
                let file = format!("{}/../tests/vectors/{path}", env!("CARGO_MANIFEST_DIR"));
                *field = serde_json::Value::from(file);
            }
        }
    }
    Task::from_value(v).unwrap_or_else(|e| panic!("{kind}: {e}"))
}

/// A Raw task for a preset's family, one every dialect of the emulator knows: an image as the
/// form protocol's `method=base64`, or the json protocol's `ImageToTextTask`.
fn raw_example(preset: &str) -> Task {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(image("captcha.png"));
    let request = match Provider::from_name(preset).unwrap().protocol() {
        Protocol::Form => serde_json::json!({"method": "base64", "body": body}),
        _ => serde_json::json!({"type": "ImageToTextTask", "body": body}),
    };
    let serde_json::Value::Object(m) = request else {
        unreachable!()
    };
    Raw::new(m.into_iter().collect()).into()
}

/// The table over every kind x preset pair the catalogue offers: each kind's example solves at
/// each preset that offers it, against that provider's dialect of the emulator, and its
/// solution holds the structured answer the kind declares. Raw is in the table too, with a
/// request of its preset's family ([`raw_example`]; the catalogue's example is a form one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_offered_pair_solves() {
    let emu = emulator(20, 1.0).await;
    let mut handles = Vec::new();
    let mut raw_pairs = 0;
    for (name, kinds) in capbridge::catalogue::offers() {
        let client = preset(&emu, name);
        for kind in kinds {
            let c = client.clone();
            let task = if kind == TaskKind::Raw {
                raw_pairs += 1;
                raw_example(name)
            } else {
                example(kind)
            };
            handles.push(tokio::spawn(
                async move { (name, kind, c.solve(task).await) },
            ));
        }
    }
    assert_eq!(raw_pairs, Provider::NAMES.len(), "Raw at every preset");
    let pairs = handles.len();
    for h in handles {
        let (name, kind, r) = h.await.unwrap();
        let s = r.unwrap_or_else(|e| panic!("{name} {kind}: {e}"));
        assert!(!s.answer.is_empty(), "{name} {kind}");
        assert_eq!(s.provider, name);
        for d in kind.spec().data.iter().filter(|d| d.always) {
            assert!(
                s.data.contains_key(d.name),
                "{name} {kind}: no data.{}: {:?}",
                d.name,
                s.data
            );
        }
        let info = emu
            .task_by_id(&s.task_id)
            .expect("the emulator has the task");
        // A Raw task is the kind its request names: an image here.
        let want = match kind {
            TaskKind::Raw => "ImageToText",
            k => k.as_str(),
        };
        assert_eq!(info.kind, want, "{name} {kind}: {info:?}");
        if kind == TaskKind::Raw {
            // The image's text, as the emulator answered it.
            assert_eq!(
                info.answer.as_deref(),
                Some(s.answer.as_str()),
                "{name} Raw"
            );
        }
    }
    assert!(pairs > 100, "{pairs} pairs");
    assert_eq!(
        emu.counters().violations_total(),
        0,
        "{:?}",
        emu.counters().violations
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_through_every_preset() {
    let emu = emulator(30, 1.0).await;
    let mut handles = Vec::new();
    for name in Provider::NAMES {
        let client = preset(&emu, name);
        for task in tasks() {
            let c = client.clone();
            let kind = task.kind();
            let has_proxy = task.proxy().is_some();
            handles.push(tokio::spawn(async move {
                (name, kind, has_proxy, c.solve(task).await)
            }));
        }
    }
    let mut solved = 0;
    let mut not_offered = 0;
    let total = handles.len();
    let mut table = Vec::new();
    for h in handles {
        let (name, kind, proxy, r) = h.await.unwrap();
        let provider = Provider::from_name(name).unwrap();
        let caps = capbridge::codec::for_provider(&provider);
        match r {
            Ok(s) => {
                solved += 1;
                assert!(!s.answer.is_empty(), "{name} {kind}");
                assert_eq!(s.provider, name);
                let info = emu
                    .task_by_id(&s.task_id)
                    .expect("the emulator has the task");
                assert_eq!(info.kind, kind.as_str(), "{name}: {info:?}");
                if provider.protocol() == Protocol::Json {
                    assert_eq!(info.profile, name, "{name} {kind}");
                    assert!(
                        info.unread_fields.is_empty(),
                        "{name} {kind}: the provider ignores fields we sent: {:?}",
                        info.unread_fields
                    );
                }
                if matches!(kind, TaskKind::HCaptcha | TaskKind::Turnstile)
                    && provider.protocol() == Protocol::Form
                {
                    assert!(s.user_agent.is_some(), "{name} {kind}");
                }
                table.push(format!("{name:>12} {kind:<12} proxy={proxy:<5} solved"));
            }
            Err(e) => {
                // Only what the provider does not offer may fail, and before anything is sent.
                assert_eq!(
                    e.kind(),
                    ErrorKind::Usage,
                    "{name} {kind} proxy={proxy}: {e}"
                );
                assert!(e.task_id().is_none());
                // The kind is not offered, or the provider cannot take a field the task sets
                // (CaptchaAI's Turnstile takes no cdata).
                assert!(
                    !caps.capabilities().solves(kind) || e.message().contains("cannot take"),
                    "{name} {kind}: {e}"
                );
                not_offered += 1;
                table.push(format!(
                    "{name:>12} {kind:<12} proxy={proxy:<5} not offered: {}",
                    e.message()
                ));
            }
        }
    }
    table.sort();
    eprintln!("{}", table.join("\n"));
    // Everything a provider offers solves: the only failures are kinds it does not offer
    // (hCaptcha where it was withdrawn) and fields it cannot take (each checked above).
    assert_eq!(solved + not_offered, total);
    assert_eq!(
        emu.counters().violations_total(),
        0,
        "{:?}",
        emu.counters().violations
    );
}

/// A Raw task is sent as given and answered as the provider answers: a json task object at
/// anti-captcha and CapSolver (each in its own type spelling), in.php fields at 2captcha and
/// CaptchaAI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_requests_solve_at_json_and_form_presets() {
    let emu = emulator(20, 1.0).await;
    let request = |v: serde_json::Value| -> Task {
        let serde_json::Value::Object(m) = v else {
            unreachable!()
        };
        Raw::new(m.into_iter().collect()).into()
    };
    for (name, ty) in [
        ("anti-captcha", "RecaptchaV2TaskProxyless"),
        ("capsolver", "ReCaptchaV2TaskProxyLess"),
    ] {
        let sent = serde_json::json!({"type": ty, "websiteURL": PAGE, "websiteKey": SITEKEY});
        let s = preset(&emu, name)
            .solve(request(sent.clone()))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let info = emu
            .task_by_id(&s.task_id)
            .expect("the emulator has the task");
        assert_eq!(info.profile, name);
        assert_eq!(info.kind, "RecaptchaV2", "{name}: {info:?}");
        assert_eq!(info.raw.as_ref(), Some(&sent), "{name}: sent as given");
        // The token is the answer; the whole solution is the data.
        assert!(s.answer.starts_with("03AG"), "{name}: {}", s.answer);
        assert_eq!(info.answer.as_deref(), Some(s.answer.as_str()), "{name}");
        assert_eq!(s.data["gRecaptchaResponse"], s.answer.as_str(), "{name}");
        assert_eq!(s.raw["solution"], serde_json::Value::Object(s.data.clone()));
    }
    for name in ["2captcha", "captchaai"] {
        let sent =
            serde_json::json!({"method": "userrecaptcha", "googlekey": SITEKEY, "pageurl": PAGE});
        let s = preset(&emu, name)
            .solve(request(sent))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let info = emu
            .task_by_id(&s.task_id)
            .expect("the emulator has the task");
        assert_eq!(info.prefix, name);
        assert_eq!(info.kind, "RecaptchaV2", "{name}: {info:?}");
        assert_eq!(info.params["googlekey"], SITEKEY, "{name}");
        assert_eq!(info.params["pageurl"], PAGE, "{name}");
        assert!(s.answer.starts_with("03AG"), "{name}: {}", s.answer);
        assert_eq!(info.answer.as_deref(), Some(s.answer.as_str()), "{name}");
    }
    assert_eq!(emu.counters().violations_total(), 0);
}

/// GeeTest v4's init parameters, given by the page's names (`riskType`, as passed to
/// `initGeetest4`) or in snake_case (`risk_type`), reach each provider in its own spelling:
/// `risk_type` at 2captcha (form and v2), `riskType` at anti-captcha and CapMonster, one of
/// them only; a key no provider documents goes as given. A custom service (the emulator's
/// root) takes 2captcha's spelling over the form protocol and anti-captcha's over json.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn geetest_v4_init_parameters_reach_each_provider_in_its_spelling() {
    const CAPTCHA_ID: &str = "e392e1d7fd421dc63325744d5a2b9c73";
    let emu = emulator(20, 1.0).await;
    let custom_json = Client::builder(
        Provider::custom_with(emu.url(), Protocol::Json).unwrap(),
        KEY,
    )
    .initial_delay(Duration::from_millis(20))
    .poll_interval(Duration::from_millis(40))
    .timeout(HANG)
    .build()
    .unwrap();
    // (the spelling that must arrive, the one that must not)
    const SNAKE: (&str, &str) = ("risk_type", "riskType");
    const CAMEL: (&str, &str) = ("riskType", "risk_type");
    let clients = [
        ("2captcha", preset(&emu, "2captcha"), SNAKE),
        ("rucaptcha", preset(&emu, "rucaptcha"), SNAKE),
        ("2captcha-v2", preset(&emu, "2captcha-v2"), SNAKE),
        ("anti-captcha", preset(&emu, "anti-captcha"), CAMEL),
        ("capmonster", preset(&emu, "capmonster"), CAMEL),
        ("custom form", fast(&emu, 1.0).build().unwrap(), SNAKE),
        ("custom json", custom_json, CAMEL),
    ];
    for given in ["riskType", "risk_type"] {
        for &(name, ref client, (wire, not)) in &clients {
            let task = GeeTestV4::new(PAGE, CAPTCHA_ID)
                .init_parameter(given, "slide")
                .init_parameter("product", "bind");
            let s = client
                .solve(task)
                .await
                .unwrap_or_else(|e| panic!("{name}, {given} given: {e}"));
            assert_eq!(s.data["captcha_id"], CAPTCHA_ID);
            let info = emu
                .task_by_id(&s.task_id)
                .expect("the emulator has the task");
            let ctx = format!("{name}, {given} given: {info:?}");
            match &info.raw {
                // json: what arrived inside `initParameters`.
                Some(raw) => {
                    let init = &raw["initParameters"];
                    assert_eq!(init[wire], "slide", "{ctx}");
                    assert!(init.get(not).is_none(), "{ctx}");
                    assert_eq!(init["product"], "bind", "{ctx}");
                }
                // form: each init parameter as an in.php field of its own.
                None => {
                    assert_eq!(
                        info.params.get(wire).map(String::as_str),
                        Some("slide"),
                        "{ctx}"
                    );
                    assert!(!info.params.contains_key(not), "{ctx}");
                    assert_eq!(
                        info.params.get("product").map(String::as_str),
                        Some("bind"),
                        "{ctx}"
                    );
                }
            }
        }
    }
    assert_eq!(emu.counters().violations_total(), 0);
}

#[tokio::test]
async fn money_is_exact_and_balance_reads_through_every_preset() {
    let emu = emulator(10, 1.0).await;
    // Read as the text the service sent (the form presets send 5 decimals): 1234.5678 has
    // no exact binary form. (Digits past an f64's are in the codec's unit tests: the
    // emulator keeps balances as f64.)
    emu.set_account(KEY, 1234.5678);
    for name in Provider::NAMES {
        let c = preset(&emu, name);
        let b = c.balance().await.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(b.as_str().trim_end_matches('0'), "1234.5678", "{name}");
    }
    for name in Provider::NAMES {
        let c = preset(&emu, name);
        let s = c.solve(v2()).await.unwrap();
        if let Some(cost) = &s.cost {
            assert!(
                cost.as_str().parse::<f64>().unwrap() > 0.0,
                "{name}: {cost}"
            );
        }
    }
}

#[tokio::test]
async fn capsolver_images_are_answered_in_the_submit_reply() {
    let emu = emulator(10, 1.0).await;
    let c = preset(&emu, "capsolver");
    let s = c
        .solve(ImageToText::new(image("captcha.png")))
        .await
        .unwrap();
    assert!(!s.answer.is_empty());
    assert_eq!(
        emu.counters().action("json:getTaskResult"),
        0,
        "no poll was needed"
    );
    // A UUID task id, kept as the service wrote it.
    assert_eq!(s.task_id.len(), 36, "{}", s.task_id);
}

#[tokio::test]
async fn reports_where_the_provider_takes_them_and_refused_before_sending_where_not() {
    let emu = emulator(10, 1.0).await;
    let next = preset(&emu, "nextcaptcha");
    let s = next.solve(v2()).await.unwrap();
    let before = emu.counters().requests;
    let e = next.report(&s.task_id, false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Usage, "{e}");
    assert_eq!(emu.counters().requests, before, "nothing was sent");
    let cm = preset(&emu, "capmonster");
    let s = cm.solve(v2()).await.unwrap();
    cm.report(&s.task_id, false).await.unwrap();
    assert_eq!(
        cm.report(&s.task_id, true).await.unwrap_err().kind(),
        ErrorKind::Usage
    );
    let ac = preset(&emu, "anti-captcha");
    let s = ac.solve(v2()).await.unwrap();
    ac.report(&s.task_id, true).await.unwrap();
}

#[tokio::test]
async fn a_zero_balance_hands_the_solve_to_the_next_provider() {
    let emu = emulator(10, 1.0).await;
    let broke = "00000000000000000000000000000bad";
    emu.set_account(broke, 0.0);
    let rec = Recorder::default();
    let client = Client::builder(Provider::capsolver(), broke)
        .base_url(emu.url_for("capsolver"))
        .fallback(
            Provider::two_captcha()
                .with_base_url(&emu.url_for("2captcha"))
                .unwrap(),
            KEY,
        )
        .initial_delay(Duration::from_millis(20))
        .poll_interval(Duration::from_millis(40))
        .on_event_handler(rec.handler())
        .build()
        .unwrap();
    let s = client.solve(v2()).await.unwrap();
    assert_eq!(s.provider, "2captcha");
    let events = rec.events();
    let switch = events
        .iter()
        .find(|e| e.step.name() == "switched_provider")
        .expect("an event says the solve moved");
    assert_eq!(switch.provider, "capsolver");
    assert!(
        events
            .iter()
            .any(|e| e.provider == "2captcha" && e.step == Step::Solved)
    );
    // The task was created once, at the provider that had money.
    assert_eq!(emu.task_ids(broke).len(), 0);
    assert_eq!(emu.task_ids(KEY).len(), 1);
    // The broken account is not asked again: its zero balance blocks submits for a while.
    let s = client.solve(v2()).await.unwrap();
    assert_eq!(s.provider, "2captcha");
    assert_eq!(emu.counters().replied("ERROR_ZERO_BALANCE"), 1);

    // When every provider fails, the error says where it ended and what came before.
    let broke2 = "0000000000000000000000000000bad2";
    emu.set_account(broke2, 0.0);
    let client = Client::builder(Provider::capsolver(), broke)
        .base_url(emu.url_for("capsolver"))
        .fallback(
            Provider::two_captcha()
                .with_base_url(&emu.url_for("2captcha"))
                .unwrap(),
            broke2,
        )
        .build()
        .unwrap();
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Balance, "{e}");
    assert!(e.message().starts_with("2captcha: "), "{e}");
    assert!(
        e.message()
            .ends_with(" (after capsolver: balance [ERROR_ZERO_BALANCE])"),
        "{e}"
    );
    // One provider: its error as it was.
    let e = Client::builder(Provider::capsolver(), broke)
        .base_url(emu.url_for("capsolver"))
        .build()
        .unwrap()
        .solve(v2())
        .await
        .unwrap_err();
    assert!(!e.message().contains("after"), "{e}");
}

#[tokio::test]
async fn a_stopped_service_hands_the_solve_to_a_running_one() {
    let running = emulator(10, 1.0).await;
    let stopped = emulator(10, 1.0).await;
    let dead_url = stopped.url().to_owned();
    stopped.shutdown().await;
    let client = Client::builder(
        Provider::custom_with(&dead_url, Protocol::Json).unwrap(),
        KEY,
    )
    .fallback(Provider::custom(running.url()).unwrap(), KEY)
    .initial_delay(Duration::from_millis(20))
    .poll_interval(Duration::from_millis(40))
    .retry(RetryPolicy {
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        ..RetryPolicy::default()
    })
    .build()
    .unwrap();
    let rec = Recorder::default();
    let s = client
        .solve_with(
            v2(),
            SolveOptions {
                on_event: Some(rec.handler()),
                ..SolveOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(s.provider, "custom");
    assert_eq!(running.task_ids(KEY).len(), 1);
    // It moved on after the retry policy's attempts at the dead address, not at its
    // deadline: the submits it tried there, then the switch, each seen once.
    let steps = rec.steps();
    let switch = steps
        .iter()
        .position(|s| s == "switched_provider")
        .unwrap_or_else(|| panic!("no switch: {steps:?}"));
    let tried = steps[..switch]
        .iter()
        .filter(|s| *s == "submitting")
        .count();
    assert!(
        (1..=RetryPolicy::default().max_attempts as usize).contains(&tried),
        "{steps:?}"
    );
    assert_eq!(
        steps.iter().filter(|s| *s == "switched_provider").count(),
        1
    );
}

/// A host that drops connection attempts (a firewall, a machine that is down) is a
/// connection not made in time: nothing was sent, so no task can exist there and the solve
/// moves on, with no word of a task that may have been charged for. So with the default
/// request timeout (connecting then takes at most 10 s) and with a short one (4 s: connecting
/// gives up at half of it, before the request's own timeout could leave the outcome unknown).
#[tokio::test]
async fn a_host_that_never_completes_a_connection_hands_the_solve_on() {
    let running = emulator(10, 1.0).await;
    // A listener whose accept queue is full and never read: Linux drops the SYNs of every
    // further connection attempt, which then hang until the client's connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    let full = loop {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            Ok(s) if queued.len() < 16 => queued.push(s),
            Ok(_) => break false,
            Err(_) => break true,
        }
    };
    assert!(
        full,
        "the accept queue never filled ({} queued)",
        queued.len()
    );
    for request_timeout in [Duration::from_secs(30), Duration::from_secs(4)] {
        let client = Client::builder(Provider::custom(&format!("http://{addr}/")).unwrap(), KEY)
            .fallback(Provider::custom(running.url()).unwrap(), KEY)
            .failover(FailoverPolicy {
                outage_attempts: 1,
                ..FailoverPolicy::default()
            })
            .initial_delay(Duration::from_millis(20))
            .poll_interval(Duration::from_millis(40))
            .request_timeout(request_timeout)
            .build()
            .unwrap();
        let rec = Recorder::default();
        let s = client
            .solve_with(
                v2(),
                SolveOptions {
                    on_event: Some(rec.handler()),
                    ..SolveOptions::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{request_timeout:?}: {e}"));
        assert!(s.answer.starts_with("03AG"), "{s:?}");
        let events = rec.events();
        let switch = events
            .iter()
            .find(|e| e.step.name() == "switched_provider")
            .unwrap_or_else(|| panic!("no switch: {:?}", rec.steps()));
        let why = switch.to_string();
        assert!(
            why.contains("could not connect to the service in time"),
            "{request_timeout:?}: {why}"
        );
        assert!(!why.contains("may have created"), "{why}");
    }
    assert_eq!(running.task_ids(KEY).len(), 2);
    drop((queued, listener));
}

#[tokio::test]
async fn unsolvable_moves_on_unless_turned_off_and_an_accepted_task_is_never_resubmitted() {
    let emu = emulator(10, 1.0).await;
    emu.add_rule(Rule {
        when: Match {
            key: Some(KEY.into()),
            ..Match::default()
        },
        result_error: Some("ERROR_CAPTCHA_UNSOLVABLE".into()),
        ..Rule::default()
    });
    let other = "1111111111111111111111111111111a";
    let build = |on: bool| {
        Client::builder(Provider::custom(emu.url()).unwrap(), KEY)
            .fallback(
                Provider::custom_with(&emu.url_for("anti-captcha"), Protocol::Json).unwrap(),
                other,
            )
            .failover(FailoverPolicy {
                on_unsolvable: on,
                ..FailoverPolicy::default()
            })
            .initial_delay(Duration::from_millis(20))
            .poll_interval(Duration::from_millis(40))
            .build()
            .unwrap()
    };
    let s = build(true).solve(v2()).await.unwrap();
    assert_eq!(s.provider, "custom");
    assert_eq!(emu.task_ids(other).len(), 1);
    let e = build(false).solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsolvable);
    assert!(e.task_id().is_some());
    // A task accepted and still being solved is not sent elsewhere when polling fails.
    emu.clear_rules();
    emu.add_fault(Fault::new(FaultKind::Http500, EndpointSel::Res));
    let e = build(true)
        .solve_with(
            v2(),
            SolveOptions::new().timeout(Duration::from_millis(800)),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert_eq!(
        emu.task_ids(other).len(),
        1,
        "not resubmitted at the next provider"
    );
}

/// A client whose first provider is anti-captcha and second 2captcha, on one emulator.
fn anti_then_two(emu: &Emulator, first_key: &str) -> Client {
    Client::builder(Provider::anti_captcha(), first_key)
        .base_url(emu.url_for("anti-captcha"))
        .fallback(
            Provider::two_captcha()
                .with_base_url(&emu.url_for("2captcha"))
                .unwrap(),
            KEY,
        )
        .initial_delay(Duration::from_millis(20))
        .poll_interval(Duration::from_millis(40))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_provider_that_says_it_does_not_solve_the_kind_hands_the_solve_on() {
    let emu = emulator(10, 1.0).await;
    let first = "2222222222222222222222222222222b";
    emu.add_rule(Rule {
        when: Match {
            key: Some(first.into()),
            ..Match::default()
        },
        submit_error: Some("ERROR_TASK_NOT_SUPPORTED".into()),
        ..Rule::default()
    });
    let s = anti_then_two(&emu, first).solve(v2()).await.unwrap();
    assert_eq!(s.provider, "2captcha");
    assert_eq!(emu.counters().replied("ERROR_TASK_NOT_SUPPORTED"), 1);
}

#[tokio::test]
async fn a_submit_that_may_have_created_a_task_is_never_sent_to_the_next_provider() {
    let emu = emulator(10, 1.0).await;
    let first = "3333333333333333333333333333333c";
    // Every createTask is processed (a task is created) and then answered by a gateway's
    // 504: the task may exist, so the solve stays with anti-captcha.
    emu.add_fault(Fault::new(FaultKind::Http504After, EndpointSel::Create).prefix("anti-captcha"));
    let e = anti_then_two(&emu, first).solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.message().contains("unknown_submit_retries"), "{e}");
    assert!(!e.retryable(), "a resubmit may pay for a second task: {e}");
    assert_eq!(
        emu.task_ids(KEY).len(),
        0,
        "a task that may exist at anti-captcha was also created at 2captcha"
    );
    let max = 1 + RetryPolicy::default().unknown_submit_retries as usize;
    assert!(
        emu.task_ids(first).len() <= max,
        "{:?}",
        emu.task_ids(first)
    );
}

/// The engine, the transport and the client speak to services only through the codec seam:
/// none of them imports a protocol family or names a service's code string.
#[test]
fn the_engine_never_reaches_into_a_protocol_family() {
    let src = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("transport.rs"), src.join("client.rs")];
    let mut dirs = vec![src.join("engine")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|n| n != "tests.rs") {
                files.push(path);
            }
        }
    }
    // Every code string of every service, as the code table knows them, besides the
    // families' paths and the form protocol's limit codes (`ERROR: 1005`).
    let mut forbidden: Vec<&str> = vec![
        "codec::form",
        "codec::json",
        "in.php",
        "res.php",
        "createTask",
        "getTaskResult",
        "ERROR_",
        "ERROR:",
        "CAPCHA_NOT_READY",
    ];
    forbidden.extend(capbridge::error::KNOWN_CODES.iter().map(|c| c.code));
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Unit tests may build errors from codes; the code under test may not.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for &word in &forbidden {
            // The poll budget's documentation may name the rule it keeps.
            let hits = text
                .lines()
                .filter(|l| l.contains(word) && !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>();
            assert!(hits.is_empty(), "{} names {word}: {hits:?}", f.display());
        }
    }
}

#[tokio::test]
async fn anti_captcha_balance_is_asked_at_most_once_per_30_s() {
    let emu = emulator(10, 1.0).await;
    let c = preset(&emu, "anti-captcha");
    let first = c.balance().await.unwrap();
    for _ in 0..5 {
        assert_eq!(
            c.balance().await.unwrap(),
            first,
            "served from the last reply"
        );
    }
    assert_eq!(emu.counters().action("json:getBalance"), 1);
    assert_eq!(emu.counters().violations_total(), 0);
}

/// A provider's cap on polls per task (CapMonster and CapSolver: 120) holds for the task,
/// not for one call: `wait` and `result` after a solve that stopped at the cap send nothing.
#[tokio::test]
async fn the_cap_on_polls_per_task_holds_across_solve_wait_and_result() {
    let emu = emulator(3_600_000, 1.0).await; // never ready within the test
    let capped = Provider::custom_with(emu.url(), Protocol::Json)
        .unwrap()
        .with_limits(Limits {
            max_polls_per_task: Some(3),
            ..Limits::unlimited()
        })
        .unwrap();
    let client = Client::builder(capped, KEY)
        .initial_delay(Duration::from_millis(10))
        .poll_interval(Duration::from_millis(10))
        .timeout(HANG) // the cap ends the solve, not the deadline
        .build()
        .unwrap();
    let e = client.solve(v2()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert!(e.message().contains("at most 3 polls"), "{e}");
    let id = e.task_id().expect("the task id is kept").to_owned();
    let polls = || emu.counters().action("json:getTaskResult");
    assert_eq!(polls(), 3);
    let e = client.wait(&id, SolveOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert_eq!(e.task_id(), Some(id.as_str()));
    let e = client.result(&id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert_eq!(polls(), 3, "nothing sent past the cap");
    assert_eq!(emu.counters().violations_total(), 0);
}

/// "No tile matches" is an answer where the provider gives it (CapMonster's all-false
/// `answer`, CapSolver's empty `objects`): the answer `""` with `cells: []`. 2captcha's
/// workers always pick a tile (capbridge sends no `can_no_answer`), so an empty `click:`
/// there is a malformed reply, never an empty answer.
#[tokio::test]
async fn no_matching_tile_is_an_answer_where_the_provider_gives_it() {
    let emu = emulator(10, 1.0).await;
    emu.add_rule(Rule {
        answer_data: Some(
            serde_json::json!({"cells": []})
                .as_object()
                .cloned()
                .unwrap(),
        ),
        ..Rule::default()
    });
    for name in ["capmonster", "capsolver"] {
        let s = preset(&emu, name).solve(example(TaskKind::Grid)).await;
        let s = s.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.answer, "", "{name}");
        assert_eq!(s.data["cells"], serde_json::json!([]), "{name}");
    }
    let e = preset(&emu, "2captcha")
        .solve(example(TaskKind::Grid))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    assert!(e.message().contains("no cell numbers"), "{e}");
    assert!(e.task_id().is_some(), "{e}");
}
