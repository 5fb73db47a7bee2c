//! Values that must never be printed: the API key and proxy passwords.
//!
//! Both wrap a `String` whose `Debug` prints `***` and which has no `Display`. Text that may
//! echo a secret back (a service's debug dump, a reply excerpt) goes through [`redact`].

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

/// Replaces every occurrence of each non-empty secret in `text` by `***`.
///
/// Secrets shorter than 4 characters are still redacted: a short password is still a password.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(s) {
            out = out.replace(s, "***");
        }
    }
    out
}

/// The first `max` characters of `text`, on a character boundary, with control characters
/// shown as spaces: a short, printable excerpt of a reply body for error messages.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > max {
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
    fn redact_replaces_all() {
        assert_eq!(redact("k=abc&x=abc", &["abc", ""]), "k=***&x=***");
    }

    #[test]
    fn excerpt_is_bounded_and_printable() {
        assert_eq!(excerpt("a\nb", 10), "a b");
        assert_eq!(excerpt("ééééé", 2), "éé…");
    }
}
