//! Task -> form fields: every request of the form protocol. Field names and values follow the service document's parameter
//! tables; the migration guide's mapping (websiteURL -> pageurl, isInvisible -> invisible=1,
//! ...) agrees with them.

use crate::codec::{Body, FilePart, Method, Request};
use crate::error::Result;
use crate::secret::ApiKey;
use crate::task::{ImageUpload, Task};
use base64::Engine as _;

/// The submit script.
pub const IN: &str = "in.php";
/// The poll, report and balance script.
pub const RES: &str = "res.php";

/// Wire options shared by every request of a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormOptions {
    /// Ask for JSON replies (`json=1`). Polls of kinds whose solution has extra fields
    /// (hCaptcha, Turnstile) always ask for JSON.
    pub json: bool,
    /// Ask for `Access-Control-Allow-Origin: *` (`header_acao=1`).
    pub header_acao: bool,
    /// Ask the service to dump the parameters it received (`debug_dump=1`).
    pub debug_dump: bool,
}

impl Default for FormOptions {
    fn default() -> Self {
        FormOptions {
            json: true,
            header_acao: false,
            debug_dump: false,
        }
    }
}

/// Builds a request's fields in order.
struct Fields {
    path: &'static str,
    method: Method,
    fields: Vec<(String, String)>,
    file: Option<FilePart>,
}

impl Fields {
    fn new(path: &'static str, method: Method, key: &ApiKey) -> Fields {
        Fields {
            path,
            method,
            fields: vec![("key".to_owned(), key.expose().to_owned())],
            file: None,
        }
    }

    fn push(&mut self, name: &str, value: impl Into<String>) {
        self.fields.push((name.to_owned(), value.into()));
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
        let body = match self.file {
            Some(file) => Body::Multipart {
                fields: self.fields,
                file,
            },
            None => Body::Fields(self.fields),
        };
        Request {
            method: self.method,
            path: self.path,
            body,
        }
    }
}

/// An extra field's value as form text: strings as they are, `true`/`false` as `1`/`0`,
/// numbers as written, anything else as JSON.
fn extra_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        other => other.to_string(),
    }
}

/// Builds the `in.php` request for a task. The task is validated first: an invalid task
/// never becomes a request.
pub fn submit_request(
    task: &Task,
    key: &ApiKey,
    opts: &FormOptions,
    soft_id: Option<&str>,
) -> Result<Request> {
    task.validate()?;
    let mut r = Fields::new(IN, Method::Post, key);
    match task {
        Task::ImageToText(t) => {
            match t.upload {
                ImageUpload::Base64 => {
                    r.push("method", "base64");
                    r.push(
                        "body",
                        base64::engine::general_purpose::STANDARD.encode(&t.image),
                    );
                }
                ImageUpload::Multipart => {
                    r.push("method", "post");
                    // validate() guarantees a known format; "jpg" is a safe fallback name.
                    let format = t.format();
                    r.file = Some(FilePart {
                        field: "file",
                        filename: format!("captcha.{}", format.map_or("jpg", |f| f.extension())),
                        mime: format.map_or("application/octet-stream", |f| f.mime()),
                        bytes: t.image.clone(),
                    });
                }
            }
            r.flag("phrase", t.phrase);
            r.flag("regsense", t.case_sensitive);
            if t.numeric.code() != 0 {
                r.push("numeric", t.numeric.code().to_string());
            }
            r.flag("calc", t.math);
            if let Some(n) = t.min_length {
                r.push("min_len", n.to_string());
            }
            if let Some(n) = t.max_length {
                r.push("max_len", n.to_string());
            }
            r.opt("lang", t.lang.as_deref());
            r.opt("textinstructions", t.comment.as_deref());
        }
        Task::RecaptchaV2(t) => {
            r.push("method", "userrecaptcha");
            r.push("googlekey", &t.website_key);
            r.push("pageurl", &t.website_url);
            r.flag("invisible", t.invisible);
            r.opt("data-s", t.data_s.as_deref());
            r.flag("enterprise", t.enterprise);
            r.opt("domain", t.api_domain.as_deref());
            r.opt("userAgent", t.user_agent.as_deref());
            if !t.cookies.is_empty() {
                let joined: Vec<String> =
                    t.cookies.iter().map(|(n, v)| format!("{n}:{v}")).collect();
                r.push("cookies", joined.join(";"));
            }
        }
        Task::RecaptchaV3(t) => {
            r.push("method", "userrecaptcha");
            r.push("version", "v3");
            r.push("googlekey", &t.website_key);
            r.push("pageurl", &t.website_url);
            r.push("action", &t.action);
            if let Some(s) = t.min_score {
                r.push("min_score", format_score(s));
            }
            r.flag("enterprise", t.enterprise);
            r.opt("domain", t.api_domain.as_deref());
        }
        Task::HCaptcha(t) => {
            r.push("method", "hcaptcha");
            r.push("sitekey", &t.website_key);
            r.push("pageurl", &t.website_url);
            r.opt("domain", t.api_domain.as_deref());
            r.flag("invisible", t.invisible);
            r.opt("data", t.rqdata.as_deref());
            r.opt("userAgent", t.user_agent.as_deref());
        }
        Task::FunCaptcha(t) => {
            r.push("method", "funcaptcha");
            r.push("publickey", &t.public_key);
            r.push("pageurl", &t.website_url);
            r.opt("surl", t.surl.as_deref());
            for (k, v) in &t.data {
                r.push(&format!("data[{k}]"), v);
            }
            r.opt("userAgent", t.user_agent.as_deref());
        }
        Task::Turnstile(t) => {
            r.push("method", "turnstile");
            r.push("sitekey", &t.website_key);
            r.push("pageurl", &t.website_url);
            r.opt("action", t.action.as_deref());
            r.opt("data", t.cdata.as_deref());
            r.opt("pagedata", t.page_data.as_deref());
            r.opt("userAgent", t.user_agent.as_deref());
        }
    }
    if let Some(p) = task.proxy() {
        r.push("proxy", p.form_value());
        r.push("proxytype", p.kind().form_name());
    }
    r.opt("pingback", task.pingback());
    for (name, value) in task.extra() {
        r.push(name, extra_text(value));
    }
    r.common(opts, soft_id, opts.json);
    Ok(r.done())
}

/// `0.3` -> `"0.3"`, `0.30000000000000004` -> `"0.3"`: one decimal is what the service reads.
fn format_score(s: f64) -> String {
    let rounded = (s * 100.0).round() / 100.0;
    let mut out = format!("{rounded:.2}");
    while out.ends_with('0') {
        out.pop();
    }
    if out.ends_with('.') {
        out.push('0');
    }
    out
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

    #[test]
    fn score_formatting() {
        assert_eq!(format_score(0.3), "0.3");
        assert_eq!(format_score(0.1 + 0.2), "0.3");
        assert_eq!(format_score(0.9), "0.9");
        assert_eq!(format_score(0.75), "0.75");
    }
}
