//! `Proxy::parse` on any text: typed errors that never repeat the input, and proxies whose
//! `Display` masks the password and reads back as the same proxy.

#![no_main]

use capbridge::{ErrorKind, Proxy};
use capbridge_fuzz::*;
use libfuzzer_sys::fuzz_target;

fn unreserved(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let parsed = Proxy::parse(&input);
    assert_eq!(
        parsed.as_ref().ok(),
        input.parse::<Proxy>().as_ref().ok(),
        "FromStr differs from parse"
    );
    let p = match parsed {
        Ok(p) => p,
        Err(e) => {
            check_error("Proxy::parse", &e);
            assert_eq!(e.kind(), ErrorKind::InvalidTask, "{e:?}");
            assert_eq!(e.field(), Some("proxy"), "{e:?}");
            let text = format!("{e} {e:?}");
            for t in long_tokens(&input) {
                assert!(
                    !text.contains(t),
                    "the error repeats the input ({t:?}): {text}"
                );
            }
            return;
        }
    };
    assert!(!p.host().is_empty() && p.port() != 0, "{p:?}");
    let shown = p.to_string();
    assert!(
        shown.starts_with(&format!("{}://", p.kind().scheme())),
        "{shown}"
    );
    assert_eq!(format!("{p:?}"), format!("Proxy({shown})"));
    // The password never shows: another password prints the same.
    if let (Some(login), Some(_)) = (p.login(), p.password()) {
        let other = p.clone().with_credentials(login, "another password");
        assert_eq!(other.to_string(), shown, "Display depends on the password");
        assert!(
            shown.contains(":***@"),
            "the password is not masked: {shown}"
        );
    }
    // The form protocol's spelling, read from a request the codec builds.
    let task = capbridge::RecaptchaV2::new("https://example.com/", "k").proxy(p.clone());
    if let Ok(req) = capbridge::codec::form::submit_request(
        &task.into(),
        &capbridge::secret::Secret::new("k"),
        &capbridge::FormOptions::default(),
        None,
        capbridge::FormDialect::Generic,
        "custom",
    ) {
        let value = req.field("proxy").unwrap_or_default();
        assert!(value.ends_with(&format!(":{}", p.port())), "{value}");
    }
    // Display is a URL that reads back as the same proxy (the password as `***`). A login
    // with characters a URL must escape is shown unescaped, so only the address is compared
    // then, and only if it reads back at all.
    match Proxy::parse(&shown) {
        Ok(back) => {
            assert_eq!(
                (back.kind(), back.host(), back.port()),
                (p.kind(), p.host(), p.port()),
                "{input:?} -> {shown} reads back as another proxy"
            );
            if p.login().is_none_or(unreserved) {
                assert_eq!(back.login(), p.login(), "{shown}");
                assert_eq!(back.password().is_some(), p.password().is_some(), "{shown}");
            }
        }
        Err(e) => assert!(
            !p.login().is_none_or(unreserved),
            "{input:?} -> Display {shown} does not read back: {e}"
        ),
    }
});
