//! Arbitrary input to every parser: no panic, and the outcome is always one of the typed ones.

use capbridge::codec::form;
use capbridge::task::ImageFormat;
use capbridge::{Proxy, Task};
use proptest::prelude::*;

/// Bytes biased towards the protocol's alphabet, so that near-misses of real replies are tried.
fn reply_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"OK|".to_vec()),
        Just(b"CAPCHA_NOT_READY".to_vec()),
        Just(b"ERROR_".to_vec()),
        Just(b"ERROR: 1005".to_vec()),
        Just(b"{\"status\":".to_vec()),
        Just(b"\"request\":".to_vec()),
        Just(b"<html><title>".to_vec()),
        Just(b"array(1) {\n".to_vec()),
        Just(b"|".to_vec()),
        Just(b"\n".to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..16),
    ];
    proptest::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn reply_parsers_never_panic(status in 100u16..600, body in reply_bytes(), n in 0usize..5) {
        let reply = capbridge::codec::Reply::new(status, body.clone());
        let _ = form::parse_reply(status, &body);
        let _ = form::read_submit(&reply);
        let _ = form::read_poll(&reply, capbridge::task::spec::Decode::Token);
        let _ = form::read_balance(&reply);
        let _ = form::read_report(&reply);
        let _ = form::read_batch(&reply, &vec![capbridge::task::spec::Decode::Token; n]);
        let text = String::from_utf8_lossy(&body);
        let _ = form::split_debug_dump(&text);
    }

    #[test]
    fn raw_bytes_never_panic(status in any::<u16>(), body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let reply = capbridge::codec::Reply::new(status, body.clone());
        let _ = form::read_poll(&reply, capbridge::task::spec::Decode::Token);
        let _ = form::read_batch(&reply, &[capbridge::task::spec::Decode::Points; 3]);
        for f in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::Gif] {
            let _ = f.dimensions(&body);
        }
    }

    #[test]
    fn proxy_and_task_parsers_never_panic(s in "\\PC{0,64}", t in "[a-z:/@\\[\\]0-9.%]{0,40}") {
        let _ = Proxy::parse(&s);
        let _ = Proxy::parse(&t);
        let _ = Task::from_json(&s);
        let _ = Task::from_json(&format!(r#"{{"type":"RecaptchaV2","website_url":"{t}","website_key":"k","proxy":"{t}"}}"#));
    }
}
