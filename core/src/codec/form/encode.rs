//! Task -> form fields. Field names and values follow the service document's parameter
//! tables; the migration guide's mapping (websiteURL -> pageurl, isInvisible -> invisible=1,
//! ...) agrees with them.

use crate::error::Result;
use crate::secret::ApiKey;
use crate::task::{ImageUpload, Task};
use base64::Engine as _;
use std::fmt;

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
    /// The software id of the integrating application (`soft_id`).
    pub soft_id: Option<u32>,
}

impl Default for FormOptions {
    fn default() -> Self {
        FormOptions {
            json: true,
            header_acao: false,
            debug_dump: false,
            soft_id: None,
        }
    }
}

/// Which script a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `in.php`: submit.
    In,
    /// `res.php`: poll, report, balance.
    Res,
}

impl Endpoint {
    /// The path relative to the provider's base URL.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::In => "in.php",
            Endpoint::Res => "res.php",
        }
    }
}

/// The HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// Fields in the query string.
    Get,
    /// Fields in the body (urlencoded, or multipart when a file is attached).
    Post,
}

/// A file attached to a multipart request.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// Form field name (`file`).
    pub field: &'static str,
    /// File name with an extension the service accepts.
    pub filename: String,
    /// MIME type.
    pub mime: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
}

/// One request of the form protocol, ready for any HTTP client.
#[derive(Clone, PartialEq)]
pub struct FormRequest {
    /// `in.php` or `res.php`.
    pub endpoint: Endpoint,
    /// GET or POST.
    pub method: HttpMethod,
    /// Fields in order. Holds the key (and a proxy password): never print them.
    pub fields: Vec<(String, String)>,
    /// A multipart file, for `method=post` image uploads.
    pub file: Option<FilePart>,
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FilePart({} {}, {} bytes)",
            self.field,
            self.filename,
            self.bytes.len()
        )
    }
}

impl FormRequest {
    fn new(endpoint: Endpoint, method: HttpMethod, key: &ApiKey) -> FormRequest {
        FormRequest {
            endpoint,
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

    fn common(&mut self, opts: &FormOptions, json: bool) {
        if let Some(id) = opts.soft_id {
            self.push("soft_id", id.to_string());
        }
        self.flag("header_acao", opts.header_acao);
        self.flag("json", json);
        self.flag("debug_dump", opts.debug_dump);
    }

    /// The value of a field, if present.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Debug output hides the key and the proxy (which may hold a password).
impl fmt::Debug for FormRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(n, v)| match n.as_str() {
                "key" | "proxy" => (n.as_str(), "***"),
                "body" => (n.as_str(), "<base64 image>"),
                _ => (n.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("FormRequest")
            .field("endpoint", &self.endpoint)
            .field("method", &self.method)
            .field("fields", &fields)
            .field(
                "file",
                &self
                    .file
                    .as_ref()
                    .map(|p| (p.filename.as_str(), p.bytes.len())),
            )
            .finish()
    }
}

/// Builds the `in.php` request for a task. The task is validated first: an invalid task
/// never becomes a request.
pub fn submit_request(task: &Task, key: &ApiKey, opts: &FormOptions) -> Result<FormRequest> {
    task.validate()?;
    let mut r = FormRequest::new(Endpoint::In, HttpMethod::Post, key);
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
    r.common(opts, opts.json);
    Ok(r)
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
pub fn poll_request(task_id: &str, key: &ApiKey, opts: &FormOptions, json: bool) -> FormRequest {
    let mut r = FormRequest::new(Endpoint::Res, HttpMethod::Get, key);
    r.push("action", "get");
    r.push("id", task_id);
    r.common(opts, opts.json || json);
    r
}

/// `res.php?action=get&ids=1,2,3`: one request for many tasks. Always a plain reply, since the
/// answers come back joined by `|` in id order.
pub fn batch_poll_request(task_ids: &[&str], key: &ApiKey, opts: &FormOptions) -> FormRequest {
    let mut r = FormRequest::new(Endpoint::Res, HttpMethod::Get, key);
    r.push("action", "get");
    r.push("ids", task_ids.join(","));
    r.common(opts, false);
    r
}

/// `res.php?action=getbalance`.
pub fn balance_request(key: &ApiKey, opts: &FormOptions) -> FormRequest {
    let mut r = FormRequest::new(Endpoint::Res, HttpMethod::Get, key);
    r.push("action", "getbalance");
    r.common(opts, opts.json);
    r
}

/// `res.php?action=reportgood|reportbad&id=ID`.
pub fn report_request(task_id: &str, good: bool, key: &ApiKey, opts: &FormOptions) -> FormRequest {
    let mut r = FormRequest::new(Endpoint::Res, HttpMethod::Get, key);
    r.push("action", if good { "reportgood" } else { "reportbad" });
    r.push("id", task_id);
    r.common(opts, opts.json);
    r
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
