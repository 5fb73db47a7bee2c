//! Field checks shared by every task kind. Each failure is an `invalid_task` error that names
//! the field, so a user sees which argument to fix before anything was sent.

use crate::error::{Error, Result};

/// Longest text field we pass on (the form protocol has no documented limit; this stops
/// accidental megabyte strings from becoming requests).
const MAX_TEXT: usize = 8 * 1024;

/// An absolute `http` or `https` URL with a host.
pub(crate) fn url(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_field(field, "a URL is required"));
    }
    text(field, value)?;
    let parsed = url::Url::parse(value)
        .map_err(|e| Error::invalid_field(field, format!("not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid_field(
            field,
            "the URL must start with http:// or https://",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_field(field, "the URL has no host"));
    }
    Ok(())
}

/// A site or public key: letters, digits, `-`, `_` and `.`, 1..=256 characters.
pub(crate) fn site_key(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_field(field, "a site key is required"));
    }
    if value.len() > 256 {
        return Err(Error::invalid_field(
            field,
            "the site key is longer than 256 characters",
        ));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(Error::invalid_field(
            field,
            "the site key may hold only letters, digits, '-', '_' and '.'",
        ));
    }
    Ok(())
}

/// A domain name without scheme or path (`recaptcha.net`, `js.hcaptcha.com`).
pub(crate) fn domain(field: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 253
        && value
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_field(
            field,
            "expected a bare domain such as recaptcha.net (no scheme, no path)",
        ))
    }
}

/// Free text: non-empty, bounded, no control characters.
pub(crate) fn text(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_field(field, "the value is empty"));
    }
    if value.len() > MAX_TEXT {
        return Err(Error::invalid_field(
            field,
            "the value is longer than 8 KiB",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid_field(
            field,
            "the value contains control characters",
        ));
    }
    Ok(())
}

pub(crate) fn opt_text(field: &str, value: &Option<String>) -> Result<()> {
    value.as_deref().map_or(Ok(()), |v| text(field, v))
}

pub(crate) fn opt_url(field: &str, value: &Option<String>) -> Result<()> {
    value.as_deref().map_or(Ok(()), |v| url(field, v))
}

pub(crate) fn opt_domain(field: &str, value: &Option<String>) -> Result<()> {
    value.as_deref().map_or(Ok(()), |v| domain(field, v))
}

/// Extra fields: names of letters, digits, `_`, `-`, `.`, `[` and `]` (1..=64 characters),
/// values of at most 64 KiB once encoded as JSON.
pub(crate) fn extra(extra: &std::collections::BTreeMap<String, serde_json::Value>) -> Result<()> {
    for (name, value) in extra {
        let ok_name = !name.is_empty()
            && name.len() <= 64
            && name.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']')
            });
        if !ok_name {
            return Err(Error::invalid_field(
                "extra",
                "an extra field's name must be 1 to 64 letters, digits, '_', '-', '.', '[' or ']'",
            ));
        }
        if value.is_null() {
            return Err(Error::invalid_field(
                "extra",
                "an extra field's value may not be null (leave the field out instead)",
            ));
        }
        if value.to_string().len() > 64 * 1024 {
            return Err(Error::invalid_field(
                "extra",
                "an extra field's value is longer than 64 KiB",
            ));
        }
    }
    Ok(())
}
