//! Field checks shared by every task kind. Each failure is an `invalid_task` error that names
//! the field, so a user sees which argument to fix before anything was sent.

use super::field::FieldRef;
use super::media::{MAX_IMAGE_PARTS, Media};
use super::spec::{FieldSpec, FieldType};
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

pub(crate) fn opt_url(field: &str, value: &Option<String>) -> Result<()> {
    value.as_deref().map_or(Ok(()), |v| url(field, v))
}

/// A name a caller gives for a form field or a multipart part: 1 to 64 letters, digits, `_`,
/// `-`, `.`, `[` and `]`, so that it needs no escaping anywhere (a quote or a line break
/// would break a part's `Content-Disposition` header).
pub(crate) fn is_wire_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'))
}

/// Extra fields: names as [`is_wire_name`] says, none the client writes itself (the key, the
/// reply switches, the pingback: sent twice otherwise), values of at most 64 KiB once encoded
/// as JSON.
pub(crate) fn extra(extra: &std::collections::BTreeMap<String, serde_json::Value>) -> Result<()> {
    for (name, value) in extra {
        if !is_wire_name(name) {
            return Err(Error::invalid_field(
                "extra",
                "an extra field's name must be 1 to 64 letters, digits, '_', '-', '.', '[' or ']'",
            ));
        }
        if let Some(instead) = crate::dialect::client_field(name) {
            return Err(Error::invalid_field(
                "extra",
                format!("may not hold {name}: the client writes it itself ({instead})"),
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

/// Longest long text (an HTML page) we pass on.
const MAX_LONG_TEXT: usize = 1024 * 1024;

/// Checks a kind's fields by their declared types: a required field must be given, a given
/// one must hold what its type says.
pub(crate) fn fields<'a>(specs: &[FieldSpec], get: impl Fn(&str) -> FieldRef<'a>) -> Result<()> {
    for spec in specs {
        let value = get(spec.name);
        if !value.is_set() {
            if spec.required {
                return Err(Error::invalid_field(spec.name, "is required"));
            }
            if let FieldType::TextOr(_) = spec.ty {
                // It has a default: unset means emptied on purpose.
                return Err(Error::invalid_field(spec.name, "the value is empty"));
            }
            continue;
        }
        check(spec, value)?;
    }
    Ok(())
}

fn check(spec: &FieldSpec, value: FieldRef<'_>) -> Result<()> {
    let name = spec.name;
    match (spec.ty, value) {
        (FieldType::Url, FieldRef::Text(s)) => url(name, s),
        (FieldType::Key, FieldRef::Text(s)) => site_key(name, s),
        (FieldType::Text | FieldType::TextOr(_), FieldRef::Text(s)) => text(name, s),
        (FieldType::LongText, FieldRef::Text(s)) => {
            if s.trim().is_empty() {
                Err(Error::invalid_field(name, "the value is empty"))
            } else if s.len() > MAX_LONG_TEXT {
                Err(Error::invalid_field(name, "the value is longer than 1 MiB"))
            } else {
                Ok(())
            }
        }
        (FieldType::Domain, FieldRef::Text(s)) => domain(name, s),
        (FieldType::OneOf(words), FieldRef::Text(s)) => {
            if words.contains(&s) {
                Ok(())
            } else {
                Err(Error::invalid_field(
                    name,
                    format!(
                        "is not a value it takes; expected one of {}",
                        words.join(", ")
                    ),
                ))
            }
        }
        (FieldType::Number { min, max }, FieldRef::Number(n)) => {
            if n.is_finite() && (min..=max).contains(&n) {
                Ok(())
            } else {
                Err(Error::invalid_field(
                    name,
                    format!("must be between {min} and {max}"),
                ))
            }
        }
        (FieldType::Count { min, max }, FieldRef::Count(n)) => {
            if (min..=max).contains(&n) {
                Ok(())
            } else {
                Err(Error::invalid_field(
                    name,
                    format!("must be between {min} and {max}"),
                ))
            }
        }
        (FieldType::Image, FieldRef::Bytes(b)) => Media::Image.check(name, b),
        (FieldType::Audio, FieldRef::Bytes(b)) => Media::Audio.check(name, b),
        (FieldType::ImageMap, FieldRef::Images(m)) => image_map(name, m),
        (FieldType::Cookies, FieldRef::Cookies(c)) => cookies(name, c),
        (FieldType::TextMap, FieldRef::TextMap(m)) => {
            for (k, v) in m {
                // Keys become field names (`data[key]`): no characters a form must escape.
                if k.is_empty()
                    || k.len() > 64
                    || !k
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                {
                    return Err(Error::invalid_field(
                        name,
                        "a key may hold only letters, digits, '_' and '-' (1 to 64 of them)",
                    ));
                }
                if v.len() > MAX_TEXT || v.chars().any(char::is_control) {
                    return Err(Error::invalid_field(
                        name,
                        "a value must be text of at most 8 KiB, without control characters",
                    ));
                }
            }
            Ok(())
        }
        (FieldType::JsonMap, FieldRef::JsonMap(m)) => json_map(name, m),
        // Parsed already (proxies, flags, uploads, character sets) or of the declared type.
        _ => Ok(()),
    }
}

/// Images by name: at most [`MAX_IMAGE_PARTS`], each name a wire name, each image neither
/// empty nor larger than the service takes; a failure names the entry. Their format is not
/// checked: they go to the provider's own request (a [`super::Raw`] task's), which may take
/// what capbridge's kinds do not, and the service judges them, as it would the request's
/// other fields.
fn image_map(field: &str, m: &std::collections::BTreeMap<String, Vec<u8>>) -> Result<()> {
    if m.len() > MAX_IMAGE_PARTS {
        return Err(Error::invalid_field(
            field,
            format!(
                "holds {} images; at most {MAX_IMAGE_PARTS} go with one task",
                m.len()
            ),
        ));
    }
    for (name, bytes) in m {
        if !is_wire_name(name) {
            return Err(Error::invalid_field(
                field,
                format!(
                    "{name:?} is not a name it takes: 1 to 64 letters, digits, '_', '-', '.', '[' or ']'"
                ),
            ));
        }
        if bytes.is_empty() {
            return Err(Error::invalid_field(
                field,
                format!("{name}: the image is empty"),
            ));
        }
        Media::Image
            .check_max(field, bytes)
            .map_err(|e| Error::invalid_field(field, format!("{name}: {}", e.message())))?;
    }
    Ok(())
}

fn cookies(field: &str, pairs: &[(String, String)]) -> Result<()> {
    for (name, value) in pairs {
        if name.is_empty()
            || name.contains([':', ';', '='])
            || name.chars().any(char::is_whitespace)
        {
            return Err(Error::invalid_field(
                field,
                "a cookie name must be non-empty, without ':', ';', '=' or spaces",
            ));
        }
        if value.contains(';') || value.chars().any(char::is_control) {
            return Err(Error::invalid_field(
                field,
                "a cookie value may not hold ';' or control characters",
            ));
        }
    }
    Ok(())
}

fn json_map(field: &str, m: &std::collections::BTreeMap<String, serde_json::Value>) -> Result<()> {
    for (k, v) in m {
        if k.is_empty() || k.len() > 64 {
            return Err(Error::invalid_field(
                field,
                "a key must be 1 to 64 characters",
            ));
        }
        if v.to_string().len() > 64 * 1024 {
            return Err(Error::invalid_field(field, "a value is longer than 64 KiB"));
        }
    }
    Ok(())
}

/// Validates the options every task shares.
pub(crate) fn common(
    pingback: &Option<String>,
    extra: &std::collections::BTreeMap<String, serde_json::Value>,
) -> Result<()> {
    opt_url("pingback", pingback)?;
    self::extra(extra)
}
