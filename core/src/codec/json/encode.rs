//! Task -> `createTask` body, and the other requests of the json family. Every spelling comes
//! from the provider's [`Dialect`] table; this file only knows what a task field means.

use super::dialect::{
    Cookies, Dialect, LanguagePool, Rqdata, SoftId, TurnstileFields, TypeNames, V3Enterprise,
};
use crate::codec::{Body, Method, Request};
use crate::error::{Error, Result};
use crate::proxy::{Proxy, ProxyType};
use crate::secret::Secret;
use crate::task::{FunCaptcha, HCaptcha, ImageToText, RecaptchaV2, RecaptchaV3, Task, Turnstile};
use base64::Engine as _;
use serde_json::{Map, Value};

/// Submits a task.
pub const CREATE_TASK: &str = "createTask";
/// Asks for one task's answer.
pub const GET_TASK_RESULT: &str = "getTaskResult";
/// Reads the balance.
pub const GET_BALANCE: &str = "getBalance";

type Fields = Map<String, Value>;

fn put(t: &mut Fields, name: &str, value: impl Into<Value>) {
    t.insert(name.to_owned(), value.into());
}

fn put_opt(t: &mut Fields, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        put(t, name, v);
    }
}

/// Booleans are sent only when set: the services' default is `false`, and a minimal task then
/// reads the same at every provider.
fn put_flag(t: &mut Fields, name: &str, on: bool) {
    if on {
        put(t, name, true);
    }
}

fn post(path: &'static str, body: Fields) -> Request {
    Request {
        method: Method::Post,
        path,
        body: Body::Json(Value::Object(body)),
    }
}

fn with_key(key: &Secret) -> Fields {
    let mut body = Fields::new();
    put(&mut body, "clientKey", key.expose());
    body
}

/// A task id as the services read it: digits only (and no leading zero, which a number would
/// lose) as a JSON number, anything else (CapSolver's UUIDs) as a string.
pub(crate) fn task_id_value(id: &str) -> Value {
    let numeric = !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && (id == "0" || !id.starts_with('0'));
    match id.parse::<u64>() {
        Ok(n) if numeric => Value::from(n),
        _ => Value::from(id),
    }
}

/// The `createTask` request for a task. Validates the task, then refuses what the provider
/// cannot take (`usage`), before anything is built.
pub(crate) fn submit_request(
    d: &Dialect,
    task: &Task,
    key: &Secret,
    soft_id: Option<&str>,
) -> Result<Request> {
    task.validate()?;
    let kind = task.kind();
    if !d.types(kind).exists() {
        return Err(Error::usage(format!(
            "{} does not solve {kind} tasks",
            d.name
        )));
    }
    let mut t = Fields::new();
    let (names, what) = match task {
        Task::ImageToText(x) => (image(d, x, &mut t), "image tasks"),
        Task::RecaptchaV2(x) => (recaptcha_v2(d, x, &mut t), "reCAPTCHA v2"),
        Task::RecaptchaV3(x) => (recaptcha_v3(d, x, &mut t)?, "reCAPTCHA v3"),
        Task::HCaptcha(x) => (hcaptcha(d, x, &mut t), "hCaptcha"),
        Task::FunCaptcha(x) => (funcaptcha(d, x, &mut t), "FunCaptcha"),
        Task::Turnstile(x) => (turnstile(d, x, &mut t)?, "Turnstile"),
    };
    let proxy = task.proxy();
    // A `type` among the caller's extra fields replaces ours, and with it our choice.
    let type_name = if task.extra().contains_key("type") {
        None
    } else {
        Some(pick_type(d, names, proxy.is_some(), what)?)
    };
    if let Some(p) = proxy {
        proxy_fields(d, p, &mut t);
    }
    // The caller's own fields win over ours: they are the escape hatch for what the model
    // does not name or names differently than a service wants.
    for (name, value) in task.extra() {
        t.insert(name.clone(), value.clone());
    }
    // `type` first, for anyone reading a request dump.
    let mut task_obj = Fields::new();
    if let Some(name) = type_name {
        put(&mut task_obj, "type", name);
    }
    task_obj.extend(t);

    let mut body = with_key(key);
    body.insert("task".to_owned(), Value::Object(task_obj));
    if let Some(id) = soft_id {
        match d.soft_id {
            SoftId::Number(field) => {
                let n: u64 = id.trim().parse().map_err(|_| {
                    Error::usage(format!(
                        "{} takes a numeric soft id ({field}); {id:?} is not a number",
                        d.name
                    ))
                })?;
                put(&mut body, field, n);
            }
            SoftId::Text(field) => put(&mut body, field, id),
        }
    }
    put_opt(&mut body, "callbackUrl", task.pingback());
    if let (LanguagePool::TopLevel, Task::ImageToText(x)) = (d.language_pool, task) {
        put_opt(&mut body, "languagePool", language_pool(x.lang.as_deref()));
    }
    Ok(post(CREATE_TASK, body))
}

/// The type name for a task with or without a proxy.
fn pick_type(d: &Dialect, names: TypeNames, proxied: bool, what: &str) -> Result<&'static str> {
    if proxied {
        names.proxied.ok_or_else(|| {
            Error::usage(format!(
                "{} solves {what} only through its own proxies: remove the task's proxy",
                d.name
            ))
        })
    } else {
        names.proxyless.ok_or_else(|| {
            Error::usage(format!(
                "{} solves {what} only through your proxy: set the task's proxy",
                d.name
            ))
        })
    }
}

/// `proxyType` (lowercase), `proxyAddress`, `proxyPort`, `proxyLogin`, `proxyPassword`. The
/// split form is used even where CapSolver also takes one `proxy` string: colons in IPv6
/// addresses and passwords make that string ambiguous.
fn proxy_fields(d: &Dialect, p: &Proxy, t: &mut Fields) {
    let kind = match p.kind() {
        ProxyType::Https if !d.https_proxy => ProxyType::Http,
        k => k,
    };
    put(t, "proxyType", kind.scheme());
    put(t, "proxyAddress", p.host());
    put(t, "proxyPort", p.port());
    put_opt(t, "proxyLogin", p.login());
    put_opt(t, "proxyPassword", p.password().map(Secret::expose));
}

/// `languagePool` takes `en` (English-speaking workers) or `rn` (Russian-speaking ones); other
/// languages have no pool and are not sent.
fn language_pool(lang: Option<&str>) -> Option<&'static str> {
    match lang?.trim().to_ascii_lowercase().as_str() {
        "en" => Some("en"),
        "rn" | "ru" => Some("rn"),
        _ => None,
    }
}

fn image(d: &Dialect, x: &ImageToText, t: &mut Fields) -> TypeNames {
    // Clean base64: the standard alphabet, no `data:` prefix, no line breaks. The json
    // protocol has no file upload, so `upload` does not apply.
    put(
        t,
        "body",
        base64::engine::general_purpose::STANDARD.encode(&x.image),
    );
    put_flag(t, "phrase", x.phrase);
    put_flag(t, "case", x.case_sensitive);
    if x.numeric.code() != 0 {
        put(t, "numeric", x.numeric.code());
    }
    put_flag(t, "math", x.math);
    if let Some(n) = x.min_length {
        put(t, "minLength", n);
    }
    if let Some(n) = x.max_length {
        put(t, "maxLength", n);
    }
    put_opt(t, "comment", x.comment.as_deref());
    if d.language_pool == LanguagePool::InTask {
        put_opt(t, "languagePool", language_pool(x.lang.as_deref()));
    }
    d.image
}

fn site(t: &mut Fields, url: &str, key: &str) {
    put(t, "websiteURL", url);
    put(t, "websiteKey", key);
}

fn recaptcha_v2(d: &Dialect, x: &RecaptchaV2, t: &mut Fields) -> TypeNames {
    site(t, &x.website_url, &x.website_key);
    if x.enterprise {
        // Enterprise types carry `s` in the payload object every provider documents.
        if let Some(s) = &x.data_s {
            let mut payload = Fields::new();
            put(&mut payload, "s", s.as_str());
            t.insert("enterprisePayload".to_owned(), Value::Object(payload));
        }
    } else {
        put_opt(t, "recaptchaDataSValue", x.data_s.as_deref());
    }
    put_flag(t, "isInvisible", x.invisible);
    put_opt(t, "apiDomain", x.api_domain.as_deref());
    put_opt(t, "userAgent", x.user_agent.as_deref());
    if !x.cookies.is_empty() {
        let value = match d.cookies {
            Cookies::Header => Value::from(
                x.cookies
                    .iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Cookies::Objects => Value::Array(
                x.cookies
                    .iter()
                    .map(|(n, v)| {
                        let mut o = Fields::new();
                        put(&mut o, "name", n.as_str());
                        put(&mut o, "value", v.as_str());
                        Value::Object(o)
                    })
                    .collect(),
            ),
        };
        t.insert("cookies".to_owned(), value);
    }
    if x.enterprise {
        d.recaptcha_v2_enterprise
    } else {
        d.recaptcha_v2
    }
}

/// `0.30000000000000004` -> `0.3`: two decimals are all a score has.
fn score(s: f64) -> f64 {
    (s * 100.0).round() / 100.0
}

fn recaptcha_v3(d: &Dialect, x: &RecaptchaV3, t: &mut Fields) -> Result<TypeNames> {
    site(t, &x.website_url, &x.website_key);
    if let Some(s) = x.min_score.or(d.default_min_score) {
        put(t, "minScore", score(s));
    }
    put(t, "pageAction", x.action.as_str());
    put_opt(t, "apiDomain", x.api_domain.as_deref());
    if !x.enterprise {
        return Ok(d.recaptcha_v3);
    }
    match d.recaptcha_v3_enterprise {
        V3Enterprise::Flag(field) => {
            put(t, field, true);
            Ok(d.recaptcha_v3)
        }
        V3Enterprise::Types(names) => Ok(names),
        V3Enterprise::Unsupported => Err(Error::usage(format!(
            "{} has no reCAPTCHA v3 Enterprise task",
            d.name
        ))),
    }
}

fn hcaptcha(d: &Dialect, x: &HCaptcha, t: &mut Fields) -> TypeNames {
    site(t, &x.website_url, &x.website_key);
    put_flag(t, "isInvisible", x.invisible);
    if let Some(rq) = &x.rqdata {
        match d.rqdata {
            Rqdata::EnterprisePayload(flag) => {
                let mut payload = Fields::new();
                put(&mut payload, "rqdata", rq.as_str());
                t.insert("enterprisePayload".to_owned(), Value::Object(payload));
                if let Some(flag) = flag {
                    put(t, flag, true);
                }
            }
            Rqdata::Field(field) => put(t, field, rq.as_str()),
        }
    }
    put_opt(t, "apiDomain", x.api_domain.as_deref());
    put_opt(t, "userAgent", x.user_agent.as_deref());
    d.hcaptcha
}

/// `https://client-api.arkoselabs.com/` -> `client-api.arkoselabs.com`: the services take the
/// domain alone.
pub(crate) fn bare_domain(surl: &str) -> String {
    let s = surl.trim();
    if let Ok(u) = url::Url::parse(s)
        && let Some(host) = u.host_str()
    {
        return match u.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_owned(),
        };
    }
    let s = s.trim_start_matches("//");
    s.split(['/', '?', '#']).next().unwrap_or(s).to_owned()
}

fn funcaptcha(d: &Dialect, x: &FunCaptcha, t: &mut Fields) -> TypeNames {
    put(t, "websiteURL", x.website_url.as_str());
    put(t, "websitePublicKey", x.public_key.as_str());
    if let Some(surl) = &x.surl {
        put(t, "funcaptchaApiJSSubdomain", bare_domain(surl));
    }
    if !x.data.is_empty() {
        // A stringified JSON object: `{"blob":"..."}`.
        let obj: Fields = x
            .data
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        put(t, "data", Value::Object(obj).to_string());
    }
    put_opt(t, "userAgent", x.user_agent.as_deref());
    d.funcaptcha
}

fn turnstile(d: &Dialect, x: &Turnstile, t: &mut Fields) -> Result<TypeNames> {
    site(t, &x.website_url, &x.website_key);
    match d.turnstile_fields {
        TurnstileFields::Flat {
            action,
            cdata,
            page_data,
        } => {
            put_opt(t, action, x.action.as_deref());
            put_opt(t, cdata, x.cdata.as_deref());
            put_opt(t, page_data, x.page_data.as_deref());
        }
        TurnstileFields::Metadata => {
            if x.page_data.is_some() {
                return Err(Error::usage(format!(
                    "{}'s Turnstile task takes no page_data (challenge pages)",
                    d.name
                )));
            }
            if x.action.is_some() || x.cdata.is_some() {
                let mut m = Fields::new();
                put_opt(&mut m, "action", x.action.as_deref());
                put_opt(&mut m, "cdata", x.cdata.as_deref());
                t.insert("metadata".to_owned(), Value::Object(m));
            }
        }
    }
    put_opt(t, "userAgent", x.user_agent.as_deref());
    Ok(d.turnstile)
}

/// `getTaskResult` for one task.
pub(crate) fn poll_request(task_id: &str, key: &Secret) -> Request {
    let mut body = with_key(key);
    body.insert("taskId".to_owned(), task_id_value(task_id));
    post(GET_TASK_RESULT, body)
}

/// `getBalance`.
pub(crate) fn balance_request(key: &Secret) -> Request {
    post(GET_BALANCE, with_key(key))
}

/// The report of an answer, by the provider's method for the task's kind.
pub(crate) fn report_request(
    d: &Dialect,
    task_id: &str,
    kind: Option<crate::task::TaskKind>,
    good: bool,
    key: &Secret,
) -> Result<Request> {
    let (by, word) = if good {
        (&d.reports.good, "good")
    } else {
        (&d.reports.bad, "bad")
    };
    let method = by.get(kind).ok_or_else(|| {
        let whose = match kind {
            Some(k) if by.any() => format!(" for {k} tasks"),
            _ => String::new(),
        };
        Error::usage(format!("{} takes no {word} reports{whose}", d.name))
    })?;
    let mut body = with_key(key);
    body.insert("taskId".to_owned(), task_id_value(task_id));
    if d.reports.feedback {
        let mut result = Fields::new();
        put(&mut result, "invalid", !good);
        body.insert("result".to_owned(), Value::Object(result));
    }
    Ok(post(method, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ids_travel_as_numbers_only_when_nothing_is_lost() {
        assert_eq!(task_id_value("2151574698"), Value::from(2_151_574_698u64));
        assert_eq!(task_id_value("0"), Value::from(0u64));
        for s in [
            "61138bb6-19fb-11ec-a9c8-0242ac110006",
            "0123",
            "99999999999999999999999",
            "",
            " 12",
        ] {
            assert_eq!(task_id_value(s), Value::from(s), "{s}");
        }
    }

    #[test]
    fn surl_becomes_a_bare_domain() {
        assert_eq!(
            bare_domain("https://client-api.arkoselabs.com"),
            "client-api.arkoselabs.com"
        );
        assert_eq!(
            bare_domain("https://mysite-api.arkoselabs.com/v2/"),
            "mysite-api.arkoselabs.com"
        );
        assert_eq!(bare_domain("http://h.example:8080/x"), "h.example:8080");
        assert_eq!(bare_domain("h.example/path"), "h.example");
    }

    #[test]
    fn scores_and_pools() {
        assert_eq!(score(0.1 + 0.2), 0.3);
        assert_eq!(score(0.9), 0.9);
        assert_eq!(language_pool(Some("RU")), Some("rn"));
        assert_eq!(language_pool(Some("en")), Some("en"));
        assert_eq!(language_pool(Some("de")), None);
        assert_eq!(language_pool(None), None);
    }
}
