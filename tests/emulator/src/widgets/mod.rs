//! Stand-ins for the captcha vendors' widgets, and their site verification, so that a browser
//! test can load a page with a captcha on a closed network.
//!
//! | path | stands for |
//! |---|---|
//! | `/recaptcha/api.js`, `/recaptcha/enterprise.js` | Google's loaders (`render=explicit`, `render=SITEKEY` for v3, `onload=NAME`, `hl=`) |
//! | `/recaptcha/api2/anchor`, `/recaptcha/enterprise/anchor` | the anchor iframe (`k=SITEKEY&size=...`) |
//! | `/hcaptcha/1/api.js`, `/hcaptcha/checkbox.html` | hCaptcha's loader and its checkbox iframe (`#...&sitekey=`) |
//! | `/turnstile/v0/api.js`, `/turnstile/if/...` | Cloudflare's loader and its iframe (the site key in the path) |
//! | `POST /recaptcha/api/siteverify`, `/hcaptcha/siteverify`, `/turnstile/v0/siteverify` | the vendors' verification ([`crate::siteverify`]) |
//!
//! The scripts render what the real widgets render, for a detector to find by the same
//! markers: the iframe and its URL, the response field inside the widget's container (so that
//! it posts with the form), `___grecaptcha_cfg.clients`, the globals with `render`,
//! `execute`, `getResponse`, `reset` and `ready`, `onload=` called once ready, and implicit
//! rendering of `.g-recaptcha`, `.h-captcha` and `.cf-turnstile` elements. They cannot solve
//! anything: a token comes only from a solve, and only such a token passes siteverify.

use crate::control::Shared;
use crate::server::{Body, RequestCopy, respond};
use crate::siteverify::Vendor;
use hyper::{Response, header};

/// Helpers every stand-in script shares (wrapped with each one in its own closure).
const COMMON_JS: &str = include_str!("common.js");
const RECAPTCHA_JS: &str = include_str!("recaptcha.js");
const HCAPTCHA_JS: &str = include_str!("hcaptcha.js");
const TURNSTILE_JS: &str = include_str!("turnstile.js");
/// The iframe every widget shows (a checkbox that turns green once the page holds a token).
const FRAME_HTML: &str = include_str!("frame.html");

/// A path this module serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    Script(Widget),
    Frame(Widget),
    Verify(Vendor),
}

/// Which widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Widget {
    Recaptcha,
    HCaptcha,
    Turnstile,
}

/// The page of a path, if it is one of the widgets' or a siteverify endpoint.
pub(crate) fn route(path: &str) -> Option<Page> {
    Some(match path {
        "/recaptcha/api.js" | "/recaptcha/enterprise.js" => Page::Script(Widget::Recaptcha),
        "/recaptcha/api2/anchor" | "/recaptcha/enterprise/anchor" => Page::Frame(Widget::Recaptcha),
        "/recaptcha/api/siteverify" => Page::Verify(Vendor::Recaptcha),
        "/hcaptcha/1/api.js" => Page::Script(Widget::HCaptcha),
        "/hcaptcha/checkbox.html" => Page::Frame(Widget::HCaptcha),
        "/hcaptcha/siteverify" => Page::Verify(Vendor::HCaptcha),
        "/turnstile/v0/api.js" => Page::Script(Widget::Turnstile),
        "/turnstile/v0/siteverify" => Page::Verify(Vendor::Turnstile),
        p if p.starts_with("/turnstile/if/") => Page::Frame(Widget::Turnstile),
        _ => return None,
    })
}

/// Serves one request to a widget path.
pub(crate) fn serve(shared: &Shared, page: Page, request: &RequestCopy) -> Response<Body> {
    let mut r = match page {
        Page::Script(w) => {
            let specific = match w {
                Widget::Recaptcha => RECAPTCHA_JS,
                Widget::HCaptcha => HCAPTCHA_JS,
                Widget::Turnstile => TURNSTILE_JS,
            };
            respond(
                200,
                "text/javascript; charset=utf-8",
                format!("(function () {{\n'use strict'\n{COMMON_JS}\n{specific}\n}})()\n"),
            )
        }
        Page::Frame(w) => {
            let (brand, label, done) = match w {
                Widget::Recaptcha => ("reCAPTCHA", "I'm not a robot", "Verified"),
                Widget::HCaptcha => ("hCaptcha", "I am human", "Verified"),
                Widget::Turnstile => ("Cloudflare", "Verify you are human", "Success!"),
            };
            let html = FRAME_HTML
                .replace("{{BRAND}}", brand)
                .replace("{{LABEL}}", label)
                .replace("{{DONE}}", done);
            respond(200, "text/html; charset=utf-8", html)
        }
        Page::Verify(vendor) => {
            let reply = if request.method == "POST" {
                let fields = fields(request);
                shared.lock().siteverify(vendor, &fields)
            } else {
                serde_json::json!({"success": false, "error-codes": ["bad-request"]})
            };
            let status = if request.method == "POST" { 200 } else { 405 };
            respond(status, "application/json", reply.to_string())
        }
    };
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

/// The fields of a siteverify request: the query, then the body (form-encoded, or a JSON
/// object as Cloudflare also takes).
fn fields(request: &RequestCopy) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = request
        .query
        .as_deref()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let json = request
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    if json {
        if let Ok(serde_json::Value::Object(m)) =
            serde_json::from_slice::<serde_json::Value>(&request.body)
        {
            out.extend(m.into_iter().filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                _ => None,
            }));
        }
    } else {
        out.extend(form_urlencoded::parse(&request.body).into_owned());
    }
    out
}
