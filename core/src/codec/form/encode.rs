//! Task -> form fields: every request of the form protocol. A task's fields, method and
//! constants come from its kind's declaration for the provider's dialect
//! (`task::kinds`); this file knows what the family does with them (the key, the method,
//! images as base64 or file parts, proxies, pingbacks, the wire options) and no kind by name.

use crate::codec::fields::{check_provider, form_fields, json_as_text};
use crate::codec::{Body, FilePart, Method, Request};
use crate::error::{Error, Result};
use crate::provider::FormDialect;
pub use crate::provider::FormOptions;
use crate::proxy::{Proxy, ProxyType};
use crate::secret::ApiKey;
use crate::task::field::FieldRef;
use crate::task::spec::{FormMethod, FormWire};
use crate::task::{ImageUpload, Task};

/// The submit script.
pub const IN: &str = "in.php";
/// The poll, report and balance script.
pub const RES: &str = "res.php";

/// Builds a request's fields in order.
struct Fields {
    path: &'static str,
    method: Method,
    fields: Vec<(String, String)>,
    files: Vec<FilePart>,
}

impl Fields {
    fn new(path: &'static str, method: Method, key: &ApiKey) -> Fields {
        Fields {
            path,
            method,
            fields: vec![("key".to_owned(), key.expose().to_owned())],
            files: Vec::new(),
        }
    }

    fn push(&mut self, name: &str, value: impl Into<String>) {
        self.fields.push((name.to_owned(), value.into()));
    }

    /// Writes `name` in place of what the task wrote under it: the caller's own fields win
    /// over ours, as in the json family, rather than go twice.
    fn replace(&mut self, name: &str, value: impl Into<String>) {
        self.fields.retain(|(n, _)| n != name);
        self.push(name, value);
    }

    fn flag(&mut self, name: &str, on: bool) {
        if on {
            self.push(name, "1");
        }
    }

    fn opt(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.push(name, v);
        }
    }

    fn common(&mut self, opts: &FormOptions, soft_id: Option<&str>, json: bool) {
        self.opt("soft_id", soft_id);
        self.flag("header_acao", opts.header_acao);
        self.flag("json", json);
        self.flag("debug_dump", opts.debug_dump);
    }

    fn done(self) -> Request {
        let body = if self.files.is_empty() {
            Body::Fields(self.fields)
        } else {
            Body::Multipart {
                fields: self.fields,
                files: self.files,
            }
        };
        Request {
            method: self.method,
            path: self.path,
            body,
        }
    }
}

/// The form protocol's `proxy` value, `login:password@host:port`: the password in clear,
/// so it never leaves this codec except inside a request.
fn proxy_value(p: &Proxy) -> String {
    let host = if p.host().contains(':') {
        format!("[{}]", p.host())
    } else {
        p.host().to_owned()
    };
    match (p.login(), p.password()) {
        (Some(l), Some(pw)) => format!("{l}:{}@{host}:{}", pw.expose(), p.port()),
        (Some(l), None) => format!("{l}@{host}:{}", p.port()),
        _ => format!("{host}:{}", p.port()),
    }
}

/// The form protocol's `proxytype` value.
fn proxy_type(kind: ProxyType) -> &'static str {
    match kind {
        ProxyType::Http => "HTTP",
        ProxyType::Https => "HTTPS",
        ProxyType::Socks4 => "SOCKS4",
        ProxyType::Socks5 => "SOCKS5",
    }
}

/// The kind's spelling at a dialect, or the `usage` error that it has none.
pub(crate) fn wire_for(
    task: &Task,
    dialect: FormDialect,
    provider: &str,
) -> Result<&'static FormWire> {
    let kind = task.kind();
    kind.spec()
        .wire
        .form(dialect)
        .ok_or_else(|| Error::usage(format!("{provider} does not solve {kind} tasks")))
}

/// Builds the `in.php` request for a task. The task is validated first, and refused
/// (`usage`) when the provider does not solve its kind or cannot take a field it sets: an
/// invalid task never becomes a request.
pub fn submit_request(
    task: &Task,
    key: &ApiKey,
    opts: &FormOptions,
    soft_id: Option<&str>,
    dialect: FormDialect,
    provider: &str,
) -> Result<Request> {
    task.validate()?;
    let wire = wire_for(task, dialect, provider)?;
    check_provider(task, provider, wire.needs, wire.refuses)?;
    let mut r = Fields::new(IN, Method::Post, key);
    match wire.method {
        FormMethod::Named(m) => r.push("method", m),
        FormMethod::Post => r.push("method", "post"),
        FormMethod::Image => image(task, &mut r),
        FormMethod::Raw => {
            let Task::Raw(raw) = task else {
                return Err(Error::usage(format!(
                    "{} tasks have no raw request",
                    task.kind()
                )));
            };
            if raw.family() != crate::task::kinds::raw::RawFamily::Form {
                return Err(Error::usage(format!(
                    "{provider} speaks the form protocol: a Raw request for it has a method (its in.php fields), not a type"
                )));
            }
            for (name, value) in &raw.request {
                r.push(name, json_as_text(value));
            }
            // Several images (`rotatecaptcha`, `vkimage`): file parts beside the fields, in
            // their numbers' order (`file_2` before `file_10`), as a service reading them in
            // order of arrival expects.
            let mut files: Vec<_> = raw.files.iter().collect();
            files.sort_by_key(|(name, _)| numbered(name));
            for (name, bytes) in files {
                r.files.push(image_part(name, bytes));
            }
        }
    }
    for (name, value) in wire.constants {
        r.push(name, *value);
    }
    for w in wire.fields {
        for (name, value) in form_fields(task, w.ours, w.wire, w.enc)? {
            r.push(&name, value);
        }
    }
    if let Some(p) = task.proxy() {
        r.push("proxy", proxy_value(p));
        r.push("proxytype", proxy_type(p.kind()));
    }
    r.opt("pingback", task.pingback());
    // The caller's own fields win over ours: they are the escape hatch for what the model
    // does not name or names differently than a service wants.
    for (name, value) in task.extra() {
        r.replace(name, json_as_text(value));
    }
    r.common(opts, soft_id, opts.json);
    Ok(r.done())
}

/// A part name's sort key: its stem, then its trailing number by value (`file_2` before
/// `file_10`), then the name itself (`file_02` before `file_2`).
fn numbered(name: &str) -> (&str, usize, &str, &str) {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = name[stem.len()..].trim_start_matches('0');
    (stem, digits.len(), digits, name)
}

/// `method=base64` with the image in `body`, or `method=post` with the image as the file
/// part when the task asks for an upload.
fn image(task: &Task, r: &mut Fields) {
    let FieldRef::Bytes(bytes) = task.get("image") else {
        return;
    };
    if task.get("upload") == FieldRef::Upload(ImageUpload::Multipart) {
        r.push("method", "post");
        r.files.push(image_part("file", bytes));
    } else {
        r.push("method", "base64");
        r.push("body", crate::codec::b64::encode(bytes));
    }
}

/// An image as the multipart file part `field`, named and typed by its format.
fn image_part(field: &str, bytes: &[u8]) -> FilePart {
    // An image field's validation guarantees a known format. A Raw task's file may be any:
    // named "jpg" but typed as bytes, the service reads its type from its bytes and names
    // what it cannot take.
    let format = crate::task::ImageFormat::detect(bytes);
    FilePart {
        field: field.to_owned(),
        filename: format!("captcha.{}", format.map_or("jpg", |f| f.extension())),
        mime: format.map_or("application/octet-stream", |f| f.mime()),
        bytes: bytes.to_vec(),
    }
}

/// `res.php?action=get&id=ID`. `json` forces a JSON reply (needed for hCaptcha/Turnstile).
pub fn poll_request(task_id: &str, key: &ApiKey, opts: &FormOptions, json: bool) -> Request {
    let mut r = Fields::new(RES, Method::Get, key);
    r.push("action", "get");
    r.push("id", task_id);
    r.common(opts, None, opts.json || json);
    r.done()
}

/// `res.php?action=get&ids=1,2,3`: one request for many tasks. Always a plain reply, since the
/// answers come back joined by `|` in id order.
pub fn batch_poll_request(task_ids: &[&str], key: &ApiKey, opts: &FormOptions) -> Request {
    let mut r = Fields::new(RES, Method::Get, key);
    r.push("action", "get");
    r.push("ids", task_ids.join(","));
    r.common(opts, None, false);
    r.done()
}

/// `res.php?action=getbalance`.
pub fn balance_request(key: &ApiKey, opts: &FormOptions) -> Request {
    let mut r = Fields::new(RES, Method::Get, key);
    r.push("action", "getbalance");
    r.common(opts, None, opts.json);
    r.done()
}

/// `res.php?action=reportgood|reportbad&id=ID`.
pub fn report_request(task_id: &str, good: bool, key: &ApiKey, opts: &FormOptions) -> Request {
    let mut r = Fields::new(RES, Method::Get, key);
    r.push("action", if good { "reportgood" } else { "reportbad" });
    r.push("id", task_id);
    r.common(opts, None, opts.json);
    r.done()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(task: &Task) -> Vec<(String, String)> {
        let opts = FormOptions {
            json: true,
            header_acao: true,
            debug_dump: true,
        };
        let req = submit_request(
            task,
            &ApiKey::new("k"),
            &opts,
            Some("7"),
            FormDialect::TwoCaptcha,
            "2captcha",
        )
        .unwrap();
        let Body::Fields(fields) = req.body else {
            panic!("no file parts here")
        };
        fields
    }

    #[test]
    fn the_client_writes_exactly_its_listed_fields() {
        let task: Task = crate::task::RecaptchaV2::new("https://example.com/", "sitekey")
            .pingback("https://cb.example.com/x")
            .into();
        let written: std::collections::BTreeSet<String> = names(&task)
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| !["method", "googlekey", "pageurl"].contains(&n.as_str()))
            .collect();
        let listed: std::collections::BTreeSet<String> = crate::dialect::CLIENT_FIELDS
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .filter(|n| !n.bytes().any(|b| b.is_ascii_uppercase()))
            .collect();
        assert_eq!(written, listed);
    }

    #[test]
    fn an_extra_field_replaces_ours_rather_than_going_twice() {
        let task: Task = crate::task::RecaptchaV2::new("https://example.com/", "sitekey")
            .extra("pageurl", "https://other.example.com/")
            .into();
        let pageurls: Vec<_> = names(&task)
            .into_iter()
            .filter(|(n, _)| n == "pageurl")
            .map(|(_, v)| v)
            .collect();
        assert_eq!(pageurls, ["https://other.example.com/"]);
    }

    #[test]
    fn numbered_parts_go_in_their_numbers_order() {
        let mut names = [
            "file_10", "file_2", "file_1", "file", "file_9", "image", "file_02",
        ];
        names.sort_by_key(|n| numbered(n));
        assert_eq!(
            names,
            [
                "file", "file_1", "file_02", "file_2", "file_9", "file_10", "image"
            ]
        );
    }

    #[test]
    fn proxies_in_form_spelling() {
        let p = Proxy::parse("socks5://lo:p%40w@[2001:db8::1]:1080").unwrap();
        assert_eq!(proxy_value(&p), "lo:p@w@[2001:db8::1]:1080");
        assert_eq!(proxy_type(p.kind()), "SOCKS5");
    }
}
