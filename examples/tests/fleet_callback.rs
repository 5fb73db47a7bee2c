//! A fleet whose answers are pushed to one member's receiver: 4 `fleet-member` processes on
//! one key, limits shared through Redis, only the first listening (`callback_listen`), the
//! others sending its URL (`callback_url`). 400 of 400 answers reach their callers, every one
//! pushed and none polled (the emulator counts no poll); then, with a member killed mid-run
//! while tasks it sent are unanswered (its events say which; the test fails if none is), the
//! answers it was waiting for are kept in Redis and a surviving member's `wait(task_id)`
//! collects each one, pushed, none polled. Decided from the members' figures and events, the
//! emulator's counters and its answers, never from timing. Needs `CAPBRIDGE_REDIS_URL` (one
//! server or a cluster's nodes; tests/run-redis and tests/run-all set it); without it, prints
//! a note and passes. About 70 s (the key's 10 submits per second).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failed unwrap is a failed test

use capbridge_emulator::{Config, Delay, Emulator, Match, Rule};
use serde_json::Value;
use std::io::{BufRead, BufReader, Lines, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn redis_url() -> Option<String> {
    match std::env::var("CAPBRIDGE_REDIS_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!("note: CAPBRIDGE_REDIS_URL is not set; skipped (tests/run-redis sets it)");
            None
        }
    }
}

/// A 32-character key of its own per run (the emulator takes any as an account).
fn fresh_key(n: u32) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:024x}{:08x}", t & ((1 << 96) - 1), n)
}

/// A member process: its output read a JSON line at a time, its stdin (with `--then-wait`)
/// the task ids it is to collect. Killed if the test fails.
struct Member {
    child: Child,
    out: Option<Lines<BufReader<ChildStdout>>>,
    stdin: Option<ChildStdin>,
}

impl Member {
    fn start(emu: &Emulator, key: &str, redis: &str, solves: usize, extra: &[&str]) -> Self {
        let then_wait = extra.contains(&"--then-wait");
        let mut child = Command::new(env!("CARGO_BIN_EXE_fleet-member"))
            .args([
                "--provider",
                "2captcha",
                "--base-url",
                emu.url(),
                "--api-key",
                key,
            ])
            .args(["--solves", &solves.to_string(), "--clients", "2"])
            .args(["--shared-limits", redis, "--timeout-s", "300"])
            .args(extra)
            .stdin(if then_wait {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .spawn()
            .expect("a fleet member starts");
        let out = child.stdout.take().map(|o| BufReader::new(o).lines());
        let stdin = child.stdin.take();
        Member { child, out, stdin }
    }

    /// The next JSON line of its output (`Null` once it ended).
    fn next(&mut self) -> Value {
        let out = self.out.as_mut().unwrap();
        for line in out.by_ref().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<Value>(&line) {
                return v;
            }
        }
        Value::Null
    }

    /// Its figures: the line naming the member, printed once its own solves are done.
    fn summary(&mut self) -> Value {
        loop {
            let v = self.next();
            if v.is_null() || v.get("member").is_some() {
                return v;
            }
        }
    }

    /// Closes its stdin (a `--then-wait` member then ends) and checks that it ended well.
    fn finish(&mut self) {
        drop(self.stdin.take());
        assert!(self.child.wait().unwrap().success());
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the listening member (which stays, serving the fleet, until its stdin closes) and
/// reads its receiver's URL.
fn receiver(emu: &Emulator, key: &str, redis: &str, solves: usize) -> (Member, String) {
    let mut m = Member::start(
        emu,
        key,
        redis,
        solves,
        &[
            "--callback-listen",
            "127.0.0.1:0",
            "--name",
            "receiver",
            "--then-wait",
        ],
    );
    let v = m.next();
    let url = v["callback_url"]
        .as_str()
        .expect("the receiver's URL first")
        .to_owned();
    (m, url)
}

/// Pushes the emulator has made so far (sent, failed or skipped), over every key.
fn pushes_made(emu: &Emulator) -> u64 {
    let c = emu.counters();
    c.callbacks_sent + c.callbacks_failed + c.callbacks_skipped
}

#[test]
fn a_fleet_s_answers_are_pushed_to_one_receiver_and_none_is_lost() {
    let Some(redis) = redis_url() else { return };
    let emu = Emulator::start_background(
        Config {
            default_delay: Delay::fixed(3000),
            ..Config::default()
        },
        2,
    )
    .unwrap();

    // 400 solves, 4 members, one receiver.
    let key = fresh_key(1);
    let (mut rx, url) = receiver(&emu, &key, &redis, 100);
    let mut others: Vec<Member> = (1..4)
        .map(|i| {
            let name = format!("m{i}");
            Member::start(
                &emu,
                &key,
                &redis,
                100,
                &["--callback-url", &url, "--name", &name],
            )
        })
        .collect();
    let mut figures = vec![rx.summary()];
    for m in &mut others {
        figures.push(m.summary());
        m.finish();
    }
    rx.finish();
    println!("members: {figures:?}");
    for f in &figures {
        assert_eq!(f["solved"], 100, "{f}");
        assert_eq!(f["pushed"], 100, "every answer pushed: {f}");
    }
    let c = emu.counters();
    let k = &c.keys[&key];
    println!(
        "400 solves: {} submits, {} polls, {} callbacks sent, {} failed, {} violations",
        k.in_requests,
        k.res_requests,
        c.callbacks_sent,
        c.callbacks_failed,
        c.violations_total()
    );
    assert_eq!(k.in_requests, 400);
    assert_eq!(k.res_requests, 0, "no answer was polled");
    assert_eq!(c.callbacks_sent, 400);
    assert_eq!(c.violations_total(), 0);
    let pushes_before = pushes_made(&emu);

    // A member killed mid-run: the answers it waited for are kept, and collected by `wait`
    // from a surviving member (m1, which does not listen). This run's tasks are held at the
    // emulator until the victim has reported 8 tasks sent and been killed; then the test lets
    // every task go (their callbacks go with them) and later tasks solve as usual. So the
    // victim dies with every task it sent unanswered, whatever the machine's speed. Its events
    // still decide which tasks it left (the test fails if it left none, instead of checking
    // nothing).
    let key = fresh_key(2);
    emu.control().add_rule(Rule {
        when: Match {
            key: Some(key.clone()),
            ..Match::default()
        },
        // Held: let go by the test, long before this.
        delay_ms: Some(3_600_000),
        ..Rule::default()
    });
    let (mut rx, url) = receiver(&emu, &key, &redis, 25);
    let mut m1 = Member::start(
        &emu,
        &key,
        &redis,
        25,
        &["--callback-url", &url, "--name", "m1", "--then-wait"],
    );
    let mut victim = Member::start(
        &emu,
        &key,
        &redis,
        25,
        &["--callback-url", &url, "--name", "m2", "--events"],
    );
    let mut m3 = Member::start(
        &emu,
        &key,
        &redis,
        25,
        &["--callback-url", &url, "--name", "m3"],
    );
    // The victim's events, as they come, on a thread of its own.
    let (tx, events) = mpsc::channel::<Value>();
    let victim_out = victim.out.take().unwrap();
    let watcher = std::thread::spawn(move || {
        for v in victim_out
            .map_while(Result::ok)
            .filter_map(|l| serde_json::from_str::<Value>(&l).ok())
        {
            if tx.send(v).is_err() {
                break;
            }
        }
    });
    // Killed once it has reported 8 tasks sent (a minute guards a hang).
    let (mut sent, mut answered) = (Vec::<String>::new(), Vec::<String>::new());
    let note = |v: &Value, sent: &mut Vec<String>, answered: &mut Vec<String>| {
        if let Some(id) = v["submitted"].as_str() {
            sent.push(id.to_owned());
        }
        if let Some(id) = v["answered"].as_str() {
            answered.push(id.to_owned());
        }
    };
    while sent.len() < 8 {
        let v = events
            .recv_timeout(Duration::from_secs(60))
            .expect("the victim sends 8 tasks");
        note(&v, &mut sent, &mut answered);
    }
    victim.child.kill().unwrap();
    let _ = victim.child.wait();
    // Every task goes now, and those sent from here on solve as usual.
    emu.control().clear_rules();
    emu.control().finish_pending();
    watcher.join().unwrap();
    for v in events.try_iter() {
        note(&v, &mut sent, &mut answered);
    }
    // What it left: the tasks it reported sent and not answered, up to its last line.
    let left: Vec<String> = sent
        .iter()
        .filter(|id| !answered.contains(id))
        .cloned()
        .collect();
    assert!(
        !left.is_empty(),
        "the killed member had every task it sent answered ({} sent, {} answered): nothing \
         was left to collect, so this run checks nothing",
        sent.len(),
        answered.len()
    );
    let survivors = [rx.summary(), m1.summary(), m3.summary()];
    m3.finish();
    println!("survivors: {survivors:?}");
    for f in &survivors {
        assert_eq!(f["solved"], 25, "{f}");
    }
    let submits = emu.counters().keys[&key].in_requests;
    println!(
        "killed member: {} tasks sent, {} answered before it died, {} left; {submits} submits in all",
        sent.len(),
        answered.len(),
        left.len()
    );
    assert!(!sent.is_empty());
    // Every task it sent was submitted (a task submitted as it died is one more, not one less).
    assert!(submits >= 75 + sent.len() as u64, "{submits} submits");

    // Until the emulator has pushed every task of this run (the answers the victim left are
    // then kept in Redis: none is still to come). Ten minutes guard a hang.
    for _ in 0..6000 {
        if pushes_made(&emu) >= pushes_before + submits {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The surviving m1 collects what the dead member left, by `wait(task_id)`.
    {
        let stdin = m1.stdin.as_mut().unwrap();
        for id in &left {
            writeln!(stdin, "{id}").unwrap();
        }
        stdin.flush().unwrap();
    }
    let collected: Vec<Value> = left.iter().map(|_| m1.next()).collect();
    m1.finish();
    rx.finish();
    println!("collected by m1's wait: {collected:?}");
    for (id, v) in left.iter().zip(&collected) {
        assert_eq!(v["waited"].as_str(), Some(id.as_str()), "{v}");
        let want = emu.control().task_by_id(id).unwrap().answer.unwrap();
        assert_eq!(v["answer"].as_str(), Some(want.as_str()), "{v}");
        assert_eq!(v["pushed"], true, "the answer kept in Redis: {v}");
    }
    let c = emu.counters();
    println!(
        "collected {} of {} left; {} polls; {} callbacks sent, {} failed",
        collected.len(),
        left.len(),
        c.keys[&key].res_requests,
        c.callbacks_sent,
        c.callbacks_failed
    );
    assert_eq!(c.callbacks_failed, 0);
    assert_eq!(c.keys[&key].res_requests, 0, "no answer was polled");
}
