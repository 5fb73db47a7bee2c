//! Values that must never be printed (the API key, proxy passwords) and the one redaction
//! step every string leaving the core goes through.
//!
//! [`Secret`] wraps a `String` whose `Debug` prints `***` and which has no `Display`.
//! [`Redactor`] masks secrets in text a service sent back or an error built from it: error
//! messages and codes, event messages, log lines, and each binding's error fields. It masks
//! every spelling a secret can travel in (raw, percent-encoded, form-encoded, JSON-escaped)
//! and only then cuts long text, so a secret straddling the cut cannot leak half of itself.

use crate::error::Error;
use std::fmt;

/// A secret string: readable through [`Secret::expose`], never printed.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for building a request. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The account's API key.
pub type ApiKey = Secret;

/// The longest message an error or event carries once redacted (characters).
pub const MAX_MESSAGE: usize = 400;
/// The longest code an error or event carries once redacted (characters).
pub const MAX_CODE: usize = 64;
/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Masks a set of secrets in any text, in every spelling they travel in.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every spelling of every secret, longest first (so that a longer spelling that
    /// contains a shorter one is masked whole).
    needles: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} spellings)", self.needles.len())
    }
}

/// The spellings a secret can take on the wire or in an echo of it.
fn spellings(secret: &str) -> Vec<String> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let mut out = vec![secret.to_owned()];
    // Percent-encoded: strict (every non-alphanumeric byte) and as URL paths and userinfo
    // usually carry it (unreserved characters kept).
    out.push(utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string());
    const USERINFO: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    out.push(utf8_percent_encode(secret, USERINFO).to_string());
    // Lower-case hex escapes, as some servers echo them.
    let lower_hex: String = {
        let enc = utf8_percent_encode(secret, USERINFO).to_string();
        let mut s = String::with_capacity(enc.len());
        let mut chars = enc.chars().peekable();
        while let Some(c) = chars.next() {
            s.push(c);
            if c == '%' {
                for _ in 0..2 {
                    if let Some(h) = chars.next() {
                        s.push(h.to_ascii_lowercase());
                    }
                }
            }
        }
        s
    };
    out.push(lower_hex);
    // Form-encoded (`application/x-www-form-urlencoded`: spaces as `+`).
    out.push(form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    // JSON-escaped (the inside of a JSON string).
    if let Ok(j) = serde_json::to_string(secret) {
        out.push(j.trim_matches('"').to_owned());
    }
    out
}

impl Redactor {
    /// A redactor for these secrets (empty ones are ignored).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        Redactor::default().with(secrets)
    }

    /// This redactor plus more secrets.
    pub fn with<'a>(&self, secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        let mut needles = self.needles.clone();
        for s in secrets.into_iter().filter(|s| !s.is_empty()) {
            needles.extend(spellings(s));
        }
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Redactor { needles }
    }

    /// `text` with every secret masked.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for n in &self.needles {
            if out.contains(n.as_str()) {
                out = out.replace(n.as_str(), MASK);
            }
        }
        out
    }

    /// `text` with every secret masked, then cut to `max` characters.
    pub fn cut(&self, text: &str, max: usize) -> String {
        excerpt(&self.text(text), max)
    }

    /// The error with its message and code masked, then cut.
    pub fn error(&self, e: Error) -> Error {
        e.map_text(|m| self.cut(m, MAX_MESSAGE), |c| self.cut(c, MAX_CODE))
    }
}

/// Masks `secrets` in `text`, in every spelling they travel in (a one-off [`Redactor`]).
pub fn redact(text: &str, secrets: &[&str]) -> String {
    Redactor::new(secrets.iter().copied()).text(text)
}

/// The first `max` characters of `text`, on a character boundary, with control characters
/// shown as spaces: a short, printable excerpt. Cuts only: mask first ([`Redactor::cut`]).
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_value() {
        let s = Secret::new("1abc234de56fab7c89012d34e56fa7b8");
        assert_eq!(format!("{s:?}"), "***");
    }

    #[test]
    fn redact_replaces_every_spelling() {
        assert_eq!(redact("k=abc&x=abc", &["abc", ""]), "k=***&x=***");
        let r = Redactor::new(["p@ss w/rd\"x"]);
        for echoed in [
            "p@ss w/rd\"x",
            "p%40ss%20w%2Frd%22x",
            "p%40ss+w%2Frd%22x",
            "p%40ss%20w%2frd%22x",
            "p@ss w/rd\\\"x",
        ] {
            assert_eq!(r.text(&format!("[{echoed}]")), "[***]", "{echoed}");
        }
    }

    #[test]
    fn masks_before_cutting() {
        let key = "0123456789abcdef0123456789abcdef";
        let text = format!("{}{key}{}", "a".repeat(390), "b".repeat(100));
        let cut = Redactor::new([key]).cut(&text, MAX_MESSAGE);
        assert!(!cut.contains("0123456789"), "{cut}");
        assert!(cut.chars().count() <= MAX_MESSAGE + 1);
    }

    #[test]
    fn excerpt_is_bounded_and_printable() {
        assert_eq!(excerpt("a\nb", 10), "a b");
        assert_eq!(excerpt("ééééé", 2), "éé…");
        assert_eq!(excerpt("éé", 2), "éé");
    }
}
