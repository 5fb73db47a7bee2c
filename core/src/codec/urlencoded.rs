//! `application/x-www-form-urlencoded`: the form protocol's query strings and POST bodies.
//!
//! Byte for byte what `form_urlencoded::Serializer` writes (alphanumerics and `*-._` kept, a
//! space as `+`, every other byte as `%XX`), written here because a submit carries an image
//! as a few kilobytes of base64: the general serializer went through it a byte at a time
//! behind an iterator (a third of the client's instructions per image solve). This one looks
//! at eight bytes at once and copies them with one store while they are letters and digits.

/// Whether a byte is written as it is.
const KEPT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'*' | b'-' | b'.' | b'_');
        b += 1;
    }
    t
};

const HEX: &[u8; 16] = b"0123456789ABCDEF";
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` set where that byte is an ASCII letter or digit.
fn alnum_bytes(w: u64) -> u64 {
    // With every byte at most 0x7F, `x + (0x80 - lo)` sets a byte's high bit exactly when the
    // byte is at least `lo`, and no byte carries into the next.
    let x = w & !HIGH;
    let between = |x: u64, lo: u8, hi: u8| {
        let at_least_lo = x.wrapping_add(ONES * u64::from(0x80 - lo));
        let above_hi = x.wrapping_add(ONES * u64::from(0x7F - hi));
        at_least_lo & !above_hi & HIGH
    };
    // `| 0x20` folds upper case onto lower case and moves no other byte into a..z.
    let alnum = between(x, b'0', b'9') | between(x | (ONES * 0x20), b'a', b'z');
    alnum & !w
}

/// Appends one byte, encoded.
fn push_byte(out: &mut Vec<u8>, b: u8) {
    if KEPT[usize::from(b)] {
        out.push(b);
    } else if b == b' ' {
        out.push(b'+');
    } else {
        out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
    }
}

/// Appends `s` encoded to `out`.
fn push_encoded(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(word) = bytes
        .get(i..i + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
    {
        let alnum = alnum_bytes(u64::from_le_bytes(word));
        // Eight bytes at once (one store), cut back to the letters and digits they start with.
        out.extend_from_slice(&word);
        if alnum == HIGH {
            i += 8;
            continue;
        }
        let first = ((!alnum & HIGH).trailing_zeros() / 8) as usize;
        out.truncate(out.len() - (8 - first));
        i += first;
        push_byte(out, bytes[i]);
        i += 1;
    }
    for &b in &bytes[i..] {
        push_byte(out, b);
    }
}

/// `name=value&name=value`, each part encoded.
pub(crate) fn encode(fields: &[(String, String)]) -> String {
    // Most bytes are kept; base64's `+` and `/` (one in 32) take two more each.
    let raw: usize = fields.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut out = Vec::with_capacity(raw + raw / 16 + 16);
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        push_encoded(&mut out, name);
        out.push(b'=');
        push_encoded(&mut out, value);
    }
    // Only ASCII was written: every other byte became `%XX`.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(fields: &[(String, String)]) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish()
    }

    #[test]
    fn every_byte_in_every_position() {
        for b in 0..=0x7Fu8 {
            for at in 0..20 {
                let mut v = "a".repeat(20);
                v.replace_range(at..=at, &char::from(b).to_string());
                let fields = vec![("x".to_owned(), v)];
                assert_eq!(encode(&fields), reference(&fields), "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn known_spellings() {
        let f = |n: &str, v: &str| vec![(n.to_owned(), v.to_owned())];
        assert_eq!(encode(&f("body", "a+b/c==")), "body=a%2Bb%2Fc%3D%3D");
        assert_eq!(encode(&f("q", "x y*z-._~é")), "q=x+y*z-._%7E%C3%A9");
        assert_eq!(encode(&[]), "");
        let two = vec![("a".into(), "1".into()), ("b&".into(), "=".into())];
        assert_eq!(encode(&two), "a=1&b%26=%3D");
    }

    proptest! {
        #[test]
        fn same_as_form_urlencoded(fields in proptest::collection::vec((".{0,12}", ".{0,100}"), 0..6)) {
            prop_assert_eq!(encode(&fields), reference(&fields));
        }

        #[test]
        fn same_for_long_ascii_runs(v in "[ -~]{0,300}", b64 in "[A-Za-z0-9+/=]{0,300}") {
            let fields = vec![("body".to_owned(), b64), ("v".to_owned(), v)];
            prop_assert_eq!(encode(&fields), reference(&fields));
        }
    }
}
