//! Every reply parser of the form protocol (`in.php` / `res.php`), on any status and bytes.
//! Input: see `capbridge_fuzz::ReplyInput` (the extra byte is the batch poll's id count).

#![no_main]

use capbridge::codec::form::{self, Parsed};
use capbridge::codec::{Accepted, Outcome};
use capbridge_fuzz::*;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

static CODEC: OnceLock<Arc<dyn capbridge::codec::Codec>> = OnceLock::new();

fn trim(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = ReplyInput::parse(data) else {
        return;
    };
    let reply = input.reply(None);
    let count = usize::from(input.extra % 8);

    // The functions of the module, then the codec that wraps them.
    let parsed = form::parse_reply(reply.status, &reply.body);
    if let Parsed::Fault(f) = &parsed {
        check_error("form fault", &f.to_error());
    }
    let submit = form::read_submit(&reply);
    check_outcome("read_submit", &submit, |a| check_accepted("read_submit", a));
    let poll = form::read_poll(&reply, capbridge::task::spec::Decode::Token);
    check_outcome("read_poll", &poll, |a| check_answer("read_poll", a));
    let balance = form::read_balance(&reply);
    check_outcome("read_balance", &balance, |m| check_money("read_balance", m));
    let report = form::read_report(&reply);
    check_outcome("read_report", &report, |_| {});
    let batch = form::read_batch(&reply, &vec![capbridge::task::spec::Decode::Token; count]);
    check_batch("read_batch", &batch, count);
    if let Ok(text) = std::str::from_utf8(&reply.body) {
        let (dump, rest) = form::split_debug_dump(text);
        if let Some(d) = dump {
            assert!(text.contains(d) && text.contains(rest));
        }
    }
    let codec =
        CODEC.get_or_init(|| capbridge::codec::for_provider(&capbridge::Provider::two_captcha()));
    check_codec_replies("2captcha", codec.as_ref(), &reply, count);

    // The token rule: below 500, `OK|<answer>` is that answer, whatever it holds (an answer
    // containing ERROR is an answer), and a submit's id when it looks like one.
    if reply.status < 500
        && let Ok(text) = std::str::from_utf8(&reply.body)
        && let Some(rest) = text.strip_prefix("OK|")
    {
        let answer = rest.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if !trim(answer).is_empty() {
            match &poll {
                Outcome::Done(a) => assert_eq!(a.text, answer, "OK|answer read as another answer"),
                other => panic!("OK|{answer:?} is not read as an answer: {other:?}"),
            }
            let id = answer.trim();
            let id_like = id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if id_like {
                assert!(
                    matches!(&submit, Outcome::Done(Accepted::Id(got)) if got == id),
                    "OK|{id} is not read as task id {id}: {submit:?}"
                );
            }
        }
    }
    // A reply the parser calls a success is never read as a failure by a poll.
    if let Parsed::Ok(ok) = &parsed
        && !trim(&ok.request).is_empty()
    {
        assert!(
            matches!(poll, Outcome::Done(_)),
            "a success reply read as {poll:?}"
        );
    }
});
