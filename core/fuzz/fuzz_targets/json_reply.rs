//! Every reply reader of the json protocol, for every json preset's dialect and the generic
//! one, on any status, `Retry-After` and bytes. Input: see `capbridge_fuzz::ReplyInput` (the
//! extra byte is the `Retry-After` in seconds, 0 for none).

#![no_main]

use capbridge::codec::Outcome;
use capbridge_fuzz::*;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static CODECS: OnceLock<Vec<(&'static str, std::sync::Arc<dyn capbridge::codec::Codec>)>> =
    OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some(input) = ReplyInput::parse(data) else {
        return;
    };
    let reply = input.reply((input.extra != 0).then_some(input.extra));
    for (name, codec) in CODECS.get_or_init(json_codecs) {
        check_codec_replies(name, codec.as_ref(), &reply, 2);
        // A reply that is not UTF-8 is never a success.
        if std::str::from_utf8(&reply.body).is_err() {
            assert!(
                !matches!(codec.read_poll(&reply, None), Outcome::Done(_)),
                "{name}: bytes that are not UTF-8 read as an answer"
            );
        }
    }
});
