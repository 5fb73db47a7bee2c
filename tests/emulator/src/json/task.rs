//! Reading and checking the `task` object of a createTask request, by the profile's table.

use super::kinds::{self, Shape};
use super::profile::{Fields, ImageRules, Profile, ProxyUse, TypeName};
use crate::answers::Hints;
use crate::image;
use crate::kind::Kind;
use crate::protocol::validate::{is_site_key, is_url};
use base64::Engine as _;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::net::IpAddr;

/// What is wrong with a task; the profile turns it into its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    TaskAbsent,
    NotSupported,
    Invalid,
    Url,
    SiteKey,
    ImageEmpty,
    ImageTooBig,
    ImageBad,
    ProxyMissing,
    ProxyBad,
}

impl Problem {
    pub(crate) fn code(self, p: &Profile) -> &'static str {
        let c = &p.codes;
        match self {
            Problem::TaskAbsent => c.task_absent,
            Problem::NotSupported => c.not_supported,
            Problem::Invalid => c.invalid,
            Problem::Url => c.bad_url,
            Problem::SiteKey => c.bad_sitekey,
            Problem::ImageEmpty => c.image_empty,
            Problem::ImageTooBig => c.image_too_big,
            Problem::ImageBad => c.image_bad,
            Problem::ProxyMissing => c.proxy_missing,
            Problem::ProxyBad => c.proxy_bad,
        }
    }
}

/// A valid json task.
#[derive(Debug, Clone)]
pub(crate) struct JsonSubmission {
    pub(crate) ty: TypeName,
    /// The kind (a type name may stand for several: `GeeTestTask` with `version: 4`).
    pub(crate) kind: Kind,
    pub(crate) sitekey: Option<String>,
    pub(crate) pageurl: Option<String>,
    /// The (first) image.
    pub(crate) image: Option<Vec<u8>>,
    /// Images sent as `images[]` (CapSolver) or `imagesBase64` (CapMonster); 0 for `body`.
    pub(crate) images: usize,
    /// The values read, under the project's field names (`website_url`, `cdata`, ...).
    pub(crate) params: Vec<(String, String)>,
    /// Fields of the task object this profile does not read.
    pub(crate) unread: Vec<String>,
    /// The `cookies` sent, as text.
    pub(crate) cookies: Option<String>,
    /// What the answer depends on.
    pub(crate) hints: Hints,
    /// The solution's shape, for kinds whose shape differs by provider.
    pub(crate) shape: Option<Shape>,
    /// Answered in the createTask reply.
    pub(crate) sync: bool,
}

impl JsonSubmission {
    pub(crate) fn new(ty: TypeName, kind: Kind) -> JsonSubmission {
        JsonSubmission {
            ty,
            kind,
            sitekey: None,
            pageurl: None,
            image: None,
            images: 0,
            params: Vec::new(),
            unread: Vec::new(),
            cookies: None,
            hints: Hints::default(),
            shape: None,
            sync: false,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }
}

/// The task object with a record of which fields were read.
pub(crate) struct Reader<'a> {
    pub(crate) obj: &'a Map<String, Value>,
    pub(crate) used: BTreeSet<&'static str>,
    pub(crate) params: Vec<(String, String)>,
}

pub(crate) fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl<'a> Reader<'a> {
    /// The first spelling present (`a.b` is field `b` of object `a`). Every spelling present
    /// counts as read.
    pub(crate) fn get(&mut self, spellings: &[&'static str]) -> Option<&'a Value> {
        let mut found = None;
        for s in spellings {
            let v = match s.split_once('.') {
                Some((outer, inner)) => {
                    let o = self.obj.get(outer);
                    if o.is_some() {
                        self.used.insert(outer_name(s));
                    }
                    o.and_then(|o| o.get(inner))
                }
                None => {
                    let v = self.obj.get(*s);
                    if v.is_some() {
                        self.used.insert(s);
                    }
                    v
                }
            };
            if found.is_none()
                && let Some(v) = v.filter(|v| !v.is_null())
            {
                found = Some(v);
            }
        }
        found
    }

    /// A string field, recorded under `param`; any other JSON type is `bad`.
    fn string(
        &mut self,
        spellings: &[&'static str],
        param: &str,
        bad: Problem,
    ) -> Result<Option<String>, Problem> {
        match self.get(spellings) {
            None => Ok(None),
            Some(Value::String(s)) => {
                self.params.push((param.to_owned(), s.clone()));
                Ok(Some(s.clone()))
            }
            Some(_) => Err(bad),
        }
    }

    /// A field of any type, recorded as text under `param`.
    fn any(&mut self, spellings: &[&'static str], param: &str) -> Option<&'a Value> {
        let v = self.get(spellings)?;
        self.params.push((param.to_owned(), text_of(v)));
        Some(v)
    }

    pub(crate) fn known(&mut self, names: &[&'static str]) {
        for n in names {
            if self.obj.contains_key(*n) {
                self.used.insert(n);
            }
        }
    }

    pub(crate) fn unread(&self) -> Vec<String> {
        self.obj
            .keys()
            .filter(|k| k.as_str() != "type" && !self.used.contains(k.as_str()))
            .cloned()
            .collect()
    }
}

fn outer_name(spelling: &'static str) -> &'static str {
    spelling.split_once('.').map_or(spelling, |(o, _)| o)
}

/// Reads a createTask `task` for a profile.
pub(crate) fn parse(p: &Profile, task: Option<&Value>) -> Result<JsonSubmission, Problem> {
    let obj = task.and_then(Value::as_object).ok_or(Problem::TaskAbsent)?;
    let type_name = match obj.get("type") {
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        _ => return Err(Problem::TaskAbsent),
    };
    let ty = p.type_name(type_name).ok_or(Problem::NotSupported)?;
    // A kind read by its table: the first variant that applies, trying (at the root) every
    // provider that knows the type name, until one reads the task.
    let mut first_problem = None;
    for candidate in p.candidates(type_name) {
        if let Some(spec) = kinds::variant(&candidate, obj) {
            match kinds::parse(p, candidate, spec, obj) {
                Ok(s) => return Ok(s),
                Err(e) => {
                    first_problem.get_or_insert(e);
                }
            }
        }
    }
    if let Some(e) = first_problem {
        return Err(e);
    }
    if !ty.kind.is_original() {
        // A type name whose variants all ask for something else (`CustomTask` of a class
        // the provider does not solve).
        return Err(Problem::NotSupported);
    }
    let mut r = Reader {
        obj,
        used: BTreeSet::new(),
        params: Vec::new(),
    };
    let mut s = JsonSubmission::new(ty, ty.kind);
    s.sync = ty.kind == Kind::ImageToText && p.image.sync;
    if ty.enterprise {
        r.params.push(("enterprise".into(), "1".into()));
    }
    let f = &p.fields;
    if ty.kind == Kind::ImageToText {
        image_task(p, &mut r, &mut s)?;
    } else {
        r.known(&["userAgent", "cookies"]);
        s.pageurl = Some(website_url(&mut r)?);
        match ty.kind {
            Kind::RecaptchaV2 | Kind::RecaptchaV3 => recaptcha(p, &mut r, &mut s)?,
            Kind::HCaptcha => {
                s.sitekey = Some(site_key(&mut r)?);
                r.string(f.hcaptcha_rqdata, "rqdata", Problem::Invalid)?;
                enterprise_payload(f, &mut r)?;
                r.any(&["isInvisible"], "invisible");
                if r.get(&["isEnterprise"]).is_some_and(truthy) {
                    r.params.push(("enterprise".into(), "1".into()));
                }
                r.known(f.hcaptcha_known);
            }
            Kind::FunCaptcha => {
                let key = r
                    .string(&["websitePublicKey"], "public_key", Problem::Invalid)?
                    .filter(|k| is_site_key(k))
                    .ok_or(Problem::Invalid)?;
                s.sitekey = Some(key);
                if let Some(sub) =
                    r.string(&["funcaptchaApiJSSubdomain"], "surl", Problem::Invalid)?
                {
                    let bare = !sub.contains("://");
                    if f.subdomain_bare && !bare {
                        return Err(Problem::Invalid);
                    }
                    s.hints.surl = Some(if bare { format!("https://{sub}") } else { sub });
                }
                r.string(&["data"], "data", Problem::Invalid)?;
                r.known(f.funcaptcha_known);
            }
            Kind::Turnstile => {
                s.sitekey = Some(site_key(&mut r)?);
                if let Some(m) = obj.get("metadata")
                    && !m.is_object()
                    && f.turnstile_action
                        .iter()
                        .any(|s| s.starts_with("metadata."))
                {
                    return Err(Problem::Invalid);
                }
                r.string(f.turnstile_action, "action", Problem::Invalid)?;
                r.string(f.turnstile_cdata, "cdata", Problem::Invalid)?;
                r.string(f.turnstile_pagedata, "page_data", Problem::Invalid)?;
                r.known(f.turnstile_known);
            }
            // The other kinds are read by their tables (above).
            _ => {}
        }
        let ua = r.string(&["userAgent"], "user_agent", Problem::Invalid)?;
        s.hints.user_agent.clone_from(&ua);
        if let Some(c) = r.any(&["cookies"], "cookies") {
            s.cookies = Some(text_of(c));
        }
        let proxy = proxy(p, &mut r, ty.proxy)?;
        if ty.kind == Kind::FunCaptcha
            && proxy.is_some()
            && f.funcaptcha_proxy_needs_ua
            && ua.as_deref().is_none_or(str::is_empty)
        {
            return Err(Problem::Invalid);
        }
    }
    r.known(&["nocache"]);
    s.unread = r.unread();
    s.params = r.params;
    s.hints.sitekey.clone_from(&s.sitekey);
    s.hints.page_url.clone_from(&s.pageurl);
    Ok(s)
}

pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => matches!(s.as_str(), "1" | "true"),
        _ => false,
    }
}

fn website_url(r: &mut Reader<'_>) -> Result<String, Problem> {
    match r.string(&["websiteURL"], "website_url", Problem::Url)? {
        Some(u) if is_url(&u) => Ok(u),
        _ => Err(Problem::Url),
    }
}

fn site_key(r: &mut Reader<'_>) -> Result<String, Problem> {
    match r.string(&["websiteKey"], "website_key", Problem::SiteKey)? {
        Some(k) if is_site_key(&k) => Ok(k),
        _ => Err(Problem::SiteKey),
    }
}

fn enterprise_payload(f: &Fields, r: &mut Reader<'_>) -> Result<(), Problem> {
    match r.any(&["enterprisePayload"], "enterprise_payload") {
        None | Some(Value::Object(_)) => Ok(()),
        Some(Value::String(_)) if f.enterprise_payload_string => Ok(()),
        Some(_) => Err(Problem::Invalid),
    }
}

fn recaptcha(p: &Profile, r: &mut Reader<'_>, s: &mut JsonSubmission) -> Result<(), Problem> {
    let f = &p.fields;
    s.sitekey = Some(site_key(r)?);
    r.string(&["recaptchaDataSValue"], "data_s", Problem::Invalid)?;
    r.any(&["isInvisible"], "invisible");
    enterprise_payload(f, r)?;
    if let Some(d) = r.string(&["apiDomain"], "api_domain", Problem::Invalid)?
        && f.api_domain_checked
        && !matches!(d.as_str(), "www.google.com" | "www.recaptcha.net")
    {
        return Err(Problem::Invalid);
    }
    if r.get(&["isEnterprise"]).is_some_and(truthy) {
        r.params.push(("enterprise".into(), "1".into()));
    }
    r.string(f.v3_action, "action", Problem::Invalid)?;
    if s.kind() == Kind::RecaptchaV3 {
        let score = match r.get(&["minScore"]) {
            None => None,
            Some(Value::Number(n)) => Some(n.as_f64().ok_or(Problem::Invalid)?),
            Some(Value::String(t)) if p.proxy.lenient => {
                Some(t.parse::<f64>().map_err(|_| Problem::Invalid)?)
            }
            Some(_) => return Err(Problem::Invalid),
        };
        match score {
            None if p.min_score.required => return Err(Problem::Invalid),
            None => {}
            Some(x) => {
                let ok = if p.min_score.values.is_empty() {
                    (0.1 - 1e-9..=0.9 + 1e-9).contains(&x)
                } else {
                    p.min_score.values.iter().any(|v| (v - x).abs() < 1e-9)
                };
                if !ok {
                    return Err(Problem::Invalid);
                }
                r.params.push(("min_score".into(), x.to_string()));
            }
        }
    }
    r.known(f.recaptcha_known);
    Ok(())
}

fn image_task(p: &Profile, r: &mut Reader<'_>, s: &mut JsonSubmission) -> Result<(), Problem> {
    let rules = &p.image;
    let f = &p.fields;
    let images = if rules.images_array {
        r.get(&["images"])
    } else {
        None
    };
    match (r.get(&["body"]), images) {
        (Some(Value::String(b)), _) => {
            let bytes = image_bytes(b, rules)?;
            r.params
                .push(("image".into(), image::format_name(&bytes).to_owned()));
            s.image = Some(bytes);
        }
        (Some(_), _) => return Err(Problem::ImageBad),
        (None, Some(Value::Array(list))) if !list.is_empty() && list.len() <= 9 => {
            for item in list {
                let Value::String(b) = item else {
                    return Err(Problem::ImageBad);
                };
                let bytes = image_bytes(b, rules)?;
                if s.image.is_none() {
                    s.image = Some(bytes);
                }
            }
            s.images = list.len();
            r.params.push(("images".into(), list.len().to_string()));
        }
        (None, Some(_)) => return Err(Problem::Invalid),
        (None, None) => return Err(Problem::ImageEmpty),
    }
    match r.any(&["numeric"], "numeric") {
        None => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= rules.numeric_max) => {}
        Some(Value::Bool(_)) if rules.numeric_max >= 1 => {}
        Some(_) => return Err(Problem::Invalid),
    }
    if rules.threshold {
        match r.any(&["recognizingThreshold"], "threshold") {
            None => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= 100) => {}
            Some(_) => return Err(Problem::Invalid),
        }
    }
    for (field, param) in [
        ("phrase", "phrase"),
        ("case", "case"),
        ("Case", "case"),
        ("math", "math"),
        ("minLength", "min_length"),
        ("maxLength", "max_length"),
        ("comment", "comment"),
        ("languagePool", "language_pool"),
        ("imgInstructions", "instructions"),
        ("websiteURL", "website_url"),
    ] {
        if f.image_known.contains(&field)
            && let Some(v) = r.obj.get(field)
        {
            r.used.insert(static_name(f.image_known, field));
            r.params.push((param.to_owned(), text_of(v)));
        }
    }
    r.any(f.image_module, "module");
    r.known(f.image_known);
    Ok(())
}

/// The `&'static str` of a listed name.
fn static_name(list: &[&'static str], name: &str) -> &'static str {
    list.iter().copied().find(|n| *n == name).unwrap_or("")
}

/// Decodes and checks an image by the profile's rules.
pub(crate) fn image_bytes(raw: &str, rules: &ImageRules) -> Result<Vec<u8>, Problem> {
    let mut b64 = raw;
    if let Some(rest) = raw.strip_prefix("data:") {
        if !rules.data_uri {
            return Err(Problem::ImageBad);
        }
        b64 = rest
            .split_once(";base64,")
            .map(|(_, d)| d)
            .ok_or(Problem::ImageBad)?;
    }
    if b64.contains(['\r', '\n']) && !rules.line_breaks {
        return Err(Problem::ImageBad);
    }
    let cleaned: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Err(Problem::ImageEmpty);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&cleaned)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&cleaned))
        .map_err(|_| Problem::ImageBad)?;
    if bytes.len() < image::MIN_BYTES {
        return Err(Problem::ImageEmpty);
    }
    if bytes.len() > rules.max_bytes {
        return Err(Problem::ImageTooBig);
    }
    match image::dimensions(&bytes) {
        None => Err(Problem::ImageBad),
        Some(Some((w, h))) if rules.max_side.is_some_and(|m| w > m || h > m) => {
            Err(Problem::ImageTooBig)
        }
        Some(_) => Ok(bytes),
    }
}

const SPLIT_PROXY: [&str; 5] = [
    "proxyType",
    "proxyAddress",
    "proxyPort",
    "proxyLogin",
    "proxyPassword",
];

/// Reads the proxy by the profile's rules: `Some("type://login:password@host:port")`.
pub(crate) fn proxy(
    p: &Profile,
    r: &mut Reader<'_>,
    usage: ProxyUse,
) -> Result<Option<String>, Problem> {
    if usage == ProxyUse::None {
        return Ok(None);
    }
    let rules = &p.proxy;
    let split = SPLIT_PROXY.iter().any(|f| r.obj.contains_key(*f));
    let string = rules.string_form && r.obj.contains_key("proxy");
    let canonical = if split {
        r.known(&SPLIT_PROXY);
        let ptype = match r.obj.get("proxyType") {
            Some(Value::String(t)) => {
                let t = if rules.lenient {
                    t.to_ascii_lowercase()
                } else {
                    t.clone()
                };
                if !rules.types.contains(&t.as_str()) {
                    return Err(Problem::ProxyBad);
                }
                t
            }
            _ => return Err(Problem::ProxyBad),
        };
        let host = match r.obj.get("proxyAddress") {
            Some(Value::String(h)) if host_ok(h, rules.ip_only) => h.clone(),
            _ => return Err(Problem::ProxyBad),
        };
        let port = match r.obj.get("proxyPort") {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) if rules.lenient => s.parse().ok(),
            _ => None,
        }
        .filter(|n| (1..=65535).contains(n))
        .ok_or(Problem::ProxyBad)?;
        let login = opt_str(r.obj.get("proxyLogin"))?;
        let password = opt_str(r.obj.get("proxyPassword"))?;
        canonical_proxy(&ptype, &host, port, login, password)
    } else if string {
        r.known(&["proxy"]);
        let Some(Value::String(s)) = r.obj.get("proxy") else {
            return Err(Problem::ProxyBad);
        };
        parse_proxy_string(s, rules.types).ok_or(Problem::ProxyBad)?
    } else if usage == ProxyUse::Required {
        return Err(Problem::ProxyMissing);
    } else {
        return Ok(None);
    };
    r.params.push(("proxy".into(), canonical.clone()));
    Ok(Some(canonical))
}

fn opt_str(v: Option<&Value>) -> Result<Option<&str>, Problem> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str()).filter(|s| !s.is_empty())),
        Some(_) => Err(Problem::ProxyBad),
    }
}

fn host_ok(host: &str, ip_only: bool) -> bool {
    if host.parse::<IpAddr>().is_ok() {
        return true;
    }
    !ip_only
        && !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
}

fn canonical_proxy(
    ptype: &str,
    host: &str,
    port: u64,
    login: Option<&str>,
    password: Option<&str>,
) -> String {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    match (login, password) {
        (Some(l), Some(p)) => format!("{ptype}://{l}:{p}@{host}:{port}"),
        (Some(l), None) => format!("{ptype}://{l}@{host}:{port}"),
        _ => format!("{ptype}://{host}:{port}"),
    }
}

/// CapSolver's one-string proxy: `socks5:ip:port:user:pwd`, `ip:port:user:pwd`, `ip:port`,
/// or a URL (`http://user:pwd@host:port`).
fn parse_proxy_string(s: &str, types: &[&str]) -> Option<String> {
    if let Some((scheme, rest)) = s.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        if !types.contains(&scheme.as_str()) {
            return None;
        }
        let (creds, hostport) = match rest.rsplit_once('@') {
            Some((c, h)) => (Some(c), h),
            None => (None, rest),
        };
        let (host, port) = hostport.rsplit_once(':')?;
        let port: u64 = port.parse().ok().filter(|n| (1..=65535).contains(n))?;
        if !host_ok(host, false) {
            return None;
        }
        let (login, password) = match creds.map(|c| c.split_once(':')) {
            Some(Some((l, p))) => (Some(l), Some(p)),
            Some(None) => (creds, None),
            None => (None, None),
        };
        return Some(canonical_proxy(&scheme, host, port, login, password));
    }
    let mut parts: Vec<&str> = s.split(':').collect();
    let scheme = match parts.first() {
        Some(first) if types.contains(&first.to_ascii_lowercase().as_str()) => {
            let t = first.to_ascii_lowercase();
            parts.remove(0);
            t
        }
        _ => "http".to_owned(),
    };
    let (host, port, login, password) = match parts.as_slice() {
        [h, p] => (*h, *p, None, None),
        [h, p, l, pw] => (*h, *p, Some(*l), Some(*pw)),
        _ => return None,
    };
    let port: u64 = port.parse().ok().filter(|n| (1..=65535).contains(n))?;
    if !host_ok(host, false) {
        return None;
    }
    Some(canonical_proxy(&scheme, host, port, login, password))
}

#[cfg(test)]
mod tests {
    use super::super::profile::{ANTI_CAPTCHA, CAPMONSTER, CAPSOLVER, GENERIC};
    use super::*;
    use serde_json::json;

    fn param<'a>(s: &'a JsonSubmission, name: &str) -> Option<&'a str> {
        s.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn turnstile_spellings_per_profile() {
        let t = json!({"type": "TurnstileTaskProxyless", "websiteURL": "https://a.example/",
            "websiteKey": "0x4AAA", "action": "login", "cData": "cd", "chlPageData": "pd"});
        let s = parse(&ANTI_CAPTCHA, Some(&t)).unwrap();
        assert_eq!(param(&s, "cdata"), Some("cd"));
        assert_eq!(param(&s, "page_data"), Some("pd"));
        assert!(s.unread.is_empty(), "{:?}", s.unread);
        let t = json!({"type": "TurnstileTask", "websiteURL": "https://a.example/",
            "websiteKey": "0x4AAA", "pageAction": "login", "cData": "cd"});
        let s = parse(&CAPMONSTER, Some(&t)).unwrap();
        assert_eq!(param(&s, "action"), Some("login"));
        assert_eq!(param(&s, "cdata"), None);
        assert_eq!(s.unread, vec!["cData".to_owned()]);
        let t = json!({"type": "AntiTurnstileTaskProxyLess", "websiteURL": "https://a.example/",
            "websiteKey": "0x4AAA", "metadata": {"action": "a", "cdata": "c"}});
        let s = parse(&CAPSOLVER, Some(&t)).unwrap();
        assert_eq!(
            (param(&s, "action"), param(&s, "cdata")),
            (Some("a"), Some("c"))
        );
        assert!(parse(&GENERIC, Some(&t)).is_ok());
        assert_eq!(
            parse(&ANTI_CAPTCHA, Some(&t)).unwrap_err(),
            Problem::NotSupported
        );
    }

    #[test]
    fn proxies() {
        let mut t = json!({"type": "RecaptchaV2Task", "websiteURL": "https://a.example/",
            "websiteKey": "k", "proxyType": "http", "proxyAddress": "1.2.3.4", "proxyPort": 8080,
            "proxyLogin": "u", "proxyPassword": "p"});
        let s = parse(&ANTI_CAPTCHA, Some(&t)).unwrap();
        assert_eq!(param(&s, "proxy"), Some("http://u:p@1.2.3.4:8080"));
        t["proxyAddress"] = json!("proxy.example");
        assert_eq!(
            parse(&ANTI_CAPTCHA, Some(&t)).unwrap_err(),
            Problem::ProxyBad
        );
        t["proxyAddress"] = json!("1.2.3.4");
        t["proxyType"] = json!("https");
        assert_eq!(
            parse(&ANTI_CAPTCHA, Some(&t)).unwrap_err(),
            Problem::ProxyBad
        );
        let t = json!({"type": "RecaptchaV2Task", "websiteURL": "https://a.example/", "websiteKey": "k"});
        assert_eq!(
            parse(&ANTI_CAPTCHA, Some(&t)).unwrap_err(),
            Problem::ProxyMissing
        );
        assert!(parse(&CAPMONSTER, Some(&t)).is_ok());
        assert_eq!(
            parse_proxy_string("socks5:1.2.3.4:1080:u:p", &["socks5", "http"]).as_deref(),
            Some("socks5://u:p@1.2.3.4:1080")
        );
        assert_eq!(
            parse_proxy_string("1.2.3.4:1080", &["http"]).as_deref(),
            Some("http://1.2.3.4:1080")
        );
        assert_eq!(parse_proxy_string("1.2.3.4", &["http"]), None);
        assert_eq!(parse_proxy_string("1.2.3.4:99999", &["http"]), None);
    }

    #[test]
    fn hostile_values_are_problems_not_panics() {
        for t in [
            json!(null),
            json!([]),
            json!({"type": 5}),
            json!({"type": "ImageToTextTask", "body": ""}),
            json!({"type": "ImageToTextTask", "body": "!!!"}),
            json!({"type": "ImageToTextTask", "images": [1, 2]}),
            json!({"type": "RecaptchaV3TaskProxyless", "websiteURL": "https://a/", "websiteKey": "k", "minScore": "x"}),
            json!({"type": "RecaptchaV2Task", "websiteURL": "https://a/", "websiteKey": "k", "proxyType": "http", "proxyAddress": "1.2.3.4", "proxyPort": -1}),
        ] {
            assert!(parse(&GENERIC, Some(&t)).is_err(), "{t}");
        }
    }
}
