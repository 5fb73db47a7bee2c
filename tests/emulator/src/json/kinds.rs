//! The json protocol's kinds beyond the first six (GeeTest v3 and v4, Amazon WAF,
//! DataDome, MTCaptcha, Friendly Captcha, Cloudflare's cf_clearance, clicks, grids, text,
//! audio, rotation), one table per provider and kind: the fields read (spellings, required or
//! not, value checks), the proxy rule and the solution's shape. The facts are those of
//! `PROVIDERS-KINDS.md`, the project's research document kept outside the repository; where it
//! leaves them open, `docs/kinds-choices.md` decides (its entry noted at the table).
//!
//! A type name may stand for several kinds, told apart by a field: `GeeTestTask` with
//! `version: 4` (or CapSolver's with `captchaId`) is GeeTest v4; CapMonster's
//! `TurnstileTask` with `cloudflareTaskType: "cf_clearance"` is a Cloudflare challenge, its
//! `CustomTask` with `class: "DataDome"` DataDome, its `ComplexImageTask` with
//! `class: "recaptcha"` a grid. Each [`Variant`] of a [`super::profile::TypeName`] says when
//! it applies.

use super::profile::{Profile, ProxyUse, TypeName};
use super::task::{JsonSubmission, Problem, Reader, image_bytes, proxy, text_of, truthy};
use crate::answers::{Answer, Hints, Structured, points_xy};
use crate::image;
use crate::kind::Kind;
use crate::protocol::kinds::is_mp3;
use crate::protocol::validate::{is_any_key, is_site_key, is_url};
use serde_json::{Map, Value, json};

/// What a field's value must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// `websiteURL`: an http(s) URL (the profile's URL code when wrong).
    Url,
    /// Any other URL (the profile's catch-all code when wrong).
    Link,
    /// `websiteKey`: a site key (the profile's site-key code when wrong).
    SiteKey,
    /// A site key in any alphabet without spaces (Amazon's keys are base64), up to 4096
    /// characters (the profile's site-key code when wrong).
    AnyKey,
    /// A non-empty string.
    Text,
    /// A whole number in the range (a string of digits too, for lenient profiles).
    Int(u64, u64),
    /// `true`/`false` or 0/1.
    Bool,
    /// A JSON object.
    Object,
    /// One base64 image (the profile's image rules).
    Image,
    /// A list of 1 to 9 base64 images.
    Images,
    /// A list of 1 to 9 http(s) URLs.
    ImageUrls,
    /// A base64 mp3.
    Audio,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// Anything but `null`.
    Any,
}

/// Whether a field must be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Required,
    Optional,
    /// Required when the type takes a proxy (anti-captcha's proxy types need `userAgent`).
    WithProxy,
    /// At least one field of the group.
    AnyOf(u8),
    /// Exactly one field of the group.
    ExactlyOne(u8),
}

/// One field of a task: its spellings (the first present wins; `a.b` is field `b` of
/// object `a`), the name it is recorded under in the task info, whether it is needed, and
/// what its value must be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) spellings: &'static [&'static str],
    pub(crate) param: &'static str,
    pub(crate) need: Need,
    pub(crate) check: Check,
}

pub(crate) const fn req(
    spellings: &'static [&'static str],
    param: &'static str,
    check: Check,
) -> Field {
    Field {
        spellings,
        param,
        need: Need::Required,
        check,
    }
}

pub(crate) const fn opt(
    spellings: &'static [&'static str],
    param: &'static str,
    check: Check,
) -> Field {
    Field {
        spellings,
        param,
        need: Need::Optional,
        check,
    }
}

pub(crate) const fn group(
    need: Need,
    spelling: &'static [&'static str],
    param: &'static str,
    check: Check,
) -> Field {
    Field {
        spellings: spelling,
        param,
        need,
        check,
    }
}

/// How a solution is written, per provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `{token}` (MTCaptcha, Friendly Captcha).
    Token,
    /// `{text}` (text and audio captchas).
    Text,
    /// `{challenge, validate, seccode}`; CapSolver sends no `seccode`.
    GeeTest { seccode: bool },
    /// `{captcha_id, lot_number, pass_token, gen_time, captcha_output}`; CapSolver adds
    /// `risk_type`.
    GeeTestV4 { risk_type: bool },
    /// `{captcha_voucher, existing_token}` (2captcha).
    AmazonVoucher,
    /// `{token}`, the `aws-waf-token` cookie's value (anti-captcha).
    AmazonToken,
    /// `{captcha_voucher, existing_token}`, or `{cookies: {"aws-waf-token": ...}}` when the
    /// task asked `cookieSolution: true` (CapMonster).
    AmazonCapMonster,
    /// `{cookie}`: the whole `datadome=...; Max-Age=...` string (2captcha, CapSolver).
    DataDomeCookie,
    /// `{domains: {HOST: {cookies: {datadome: VALUE}}}}` (CapMonster).
    DataDomeDomains,
    /// `{cf_clearance}` (CapMonster; docs/kinds-choices.md 7).
    CfClearance,
    /// `{token, cookies: {cf_clearance}, userAgent}` (CapSolver; docs/kinds-choices.md 8).
    CfTokenCookies,
    /// `{coordinates: [{x, y}]}` (2captcha).
    PointsXY,
    /// `{coordinates: [[x, y]]}`, or `[[x1, y1, x2, y2]]` with `mode: "rectangles"`
    /// (anti-captcha).
    PointsPairs,
    /// `{click: [cells]}` numbered from 0 (2captcha; docs/kinds-choices.md 3).
    GridClick0,
    /// `{answer: [bool]}`, one per cell (CapMonster).
    GridBools,
    /// `{type: "multi", objects: [cells from 0], size}` (CapSolver).
    GridObjects,
    /// `{rotate: degrees}` (2captcha).
    Rotate,
    /// `{answer, challenge_id}` (2captcha's Lemin).
    Lemin,
}

impl Shape {
    /// The shape of a kind where no table gave one (not reached by the profiles' tables).
    pub(crate) fn default_for(kind: Kind) -> Shape {
        match kind {
            Kind::GeeTest => Shape::GeeTest { seccode: true },
            Kind::GeeTestV4 => Shape::GeeTestV4 { risk_type: false },
            Kind::AmazonWaf => Shape::AmazonVoucher,
            Kind::DataDome => Shape::DataDomeCookie,
            Kind::CloudflareChallenge => Shape::CfTokenCookies,
            Kind::Coordinates => Shape::PointsXY,
            Kind::Grid => Shape::GridClick0,
            Kind::Rotate => Shape::Rotate,
            Kind::Lemin => Shape::Lemin,
            Kind::TextCaptcha | Kind::Audio | Kind::ImageToText => Shape::Text,
            _ => Shape::Token,
        }
    }
}

/// One kind's task at one provider.
#[derive(Debug)]
pub(crate) struct Spec {
    pub(crate) kind: Kind,
    pub(crate) fields: &'static [Field],
    pub(crate) shape: Shape,
    /// Overrides the type name's proxy rule (a cf_clearance or DataDome task needs one).
    pub(crate) proxy: Option<ProxyUse>,
    /// Answered in the createTask reply (CapSolver's recognition tasks).
    pub(crate) sync: bool,
}

/// When a variant of a type name applies.
#[derive(Debug, Clone, Copy)]
pub(crate) enum When {
    Always,
    /// The field holds this value (a string, or a number written so; case ignored).
    FieldIs(&'static str, &'static str),
    /// The field is present.
    Has(&'static str),
}

impl When {
    fn holds(self, obj: &Map<String, Value>) -> bool {
        match self {
            When::Always => true,
            When::Has(f) => obj.get(f).is_some_and(|v| !v.is_null()),
            When::FieldIs(f, want) => match obj.get(f) {
                Some(Value::String(s)) => s.eq_ignore_ascii_case(want),
                Some(Value::Number(n)) => n.to_string() == want,
                _ => false,
            },
        }
    }
}

/// One reading of a type name.
#[derive(Debug)]
pub(crate) struct Variant {
    pub(crate) when: When,
    pub(crate) spec: &'static Spec,
}

pub(crate) const fn spec(kind: Kind, fields: &'static [Field], shape: Shape) -> Spec {
    Spec {
        kind,
        fields,
        shape,
        proxy: None,
        sync: false,
    }
}

pub(crate) const fn always(spec: &'static Spec) -> Variant {
    Variant {
        when: When::Always,
        spec,
    }
}

pub(crate) const fn when(when: When, spec: &'static Spec) -> Variant {
    Variant { when, spec }
}

/// The variant of a type name that applies to a task, if any.
pub(crate) fn variant(ty: &TypeName, obj: &Map<String, Value>) -> Option<&'static Spec> {
    ty.variants
        .iter()
        .find(|v| v.when.holds(obj))
        .map(|v| v.spec)
}

/// Languages of audio captchas.
pub(crate) const AUDIO_LANGS: &[&str] = &["en", "ru", "de", "el", "pt", "fr"];

/// Largest audio file, bytes (not documented: 1 MB).
const MAX_AUDIO_BYTES: usize = 1_000_000;

// ---------------------------------------------------------------------------------------
// Reading a task by its table
// ---------------------------------------------------------------------------------------

use Check::*;

/// The problem a missing field makes.
fn missing(check: Check) -> Problem {
    match check {
        Url => Problem::Url,
        SiteKey | AnyKey => Problem::SiteKey,
        Image | Images | Audio => Problem::ImageEmpty,
        _ => Problem::Invalid,
    }
}

fn audio_bytes(raw: &str) -> Result<Vec<u8>, Problem> {
    let cleaned: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Err(Problem::ImageEmpty);
    }
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&cleaned)
        .map_err(|_| Problem::ImageBad)?;
    if bytes.len() < image::MIN_BYTES {
        return Err(Problem::ImageEmpty);
    }
    if bytes.len() > MAX_AUDIO_BYTES {
        return Err(Problem::ImageTooBig);
    }
    if !is_mp3(&bytes) {
        return Err(Problem::ImageBad);
    }
    Ok(bytes)
}

/// Checks one present value; `Ok(text)` is what the task info records.
fn check_value(
    p: &Profile,
    check: Check,
    v: &Value,
    s: &mut JsonSubmission,
    param: &str,
) -> Result<String, Problem> {
    let bad = match check {
        Url => Problem::Url,
        SiteKey | AnyKey => Problem::SiteKey,
        Image | Images | Audio => Problem::ImageBad,
        _ => Problem::Invalid,
    };
    let text = |v: &Value| v.as_str().filter(|t| !t.is_empty()).map(str::to_owned);
    match check {
        Url | Link => text(v).filter(|u| is_url(u)).ok_or(bad),
        SiteKey => text(v).filter(|k| is_site_key(k)).ok_or(bad),
        AnyKey => text(v).filter(|k| is_any_key(k)).ok_or(bad),
        Text => text(v).ok_or(bad),
        OneOf(list) => text(v).filter(|t| list.contains(&t.as_str())).ok_or(bad),
        Int(lo, hi) => {
            let n = match v {
                Value::Number(n) => n.as_u64(),
                Value::String(t) if p.proxy.lenient => t.parse().ok(),
                _ => None,
            };
            n.filter(|n| (lo..=hi).contains(n))
                .map(|n| n.to_string())
                .ok_or(bad)
        }
        Bool => match v {
            Value::Bool(_) => Ok(text_of(v)),
            Value::Number(n) if matches!(n.as_u64(), Some(0 | 1)) => Ok(text_of(v)),
            _ => Err(bad),
        },
        Object => v.is_object().then(|| v.to_string()).ok_or(bad),
        Any => Ok(text_of(v)),
        Image => {
            let bytes = image_bytes(v.as_str().ok_or(bad)?, &p.image)?;
            let format = image::format_name(&bytes).to_owned();
            if param == "image" && s.image.is_none() {
                s.hints.image_size = image::dimensions(&bytes).flatten();
                s.image = Some(bytes);
            }
            Ok(format)
        }
        Images => {
            let list = v
                .as_array()
                .filter(|l| (1..=9).contains(&l.len()))
                .ok_or(bad)?;
            for item in list {
                let bytes = image_bytes(item.as_str().ok_or(bad)?, &p.image)?;
                if s.image.is_none() {
                    s.hints.image_size = image::dimensions(&bytes).flatten();
                    s.image = Some(bytes);
                }
            }
            s.images = list.len();
            Ok(list.len().to_string())
        }
        ImageUrls => {
            let list = v
                .as_array()
                .filter(|l| (1..=9).contains(&l.len()))
                .ok_or(bad)?;
            if !list.iter().all(|u| u.as_str().is_some_and(is_url)) {
                return Err(bad);
            }
            Ok(list.len().to_string())
        }
        Audio => {
            let bytes = audio_bytes(v.as_str().ok_or(bad)?)?;
            Ok(format!("mp3 ({} bytes)", bytes.len()))
        }
    }
}

/// Reads a task by a kind's table at a profile (`p` gives the value rules: images,
/// proxies, leniency; `ty` the proxy rule unless the table overrides it).
pub(crate) fn parse(
    p: &Profile,
    ty: TypeName,
    spec: &'static Spec,
    obj: &Map<String, Value>,
) -> Result<JsonSubmission, Problem> {
    let mut r = Reader {
        obj,
        used: Default::default(),
        params: Vec::new(),
    };
    let mut s = JsonSubmission::new(ty, spec.kind);
    s.shape = Some(spec.shape);
    s.sync = spec.sync;
    let usage = spec.proxy.unwrap_or(ty.proxy);
    // Groups seen: (group, need, fields present, the first field's check).
    let mut groups: Vec<(u8, Need, usize, Check)> = Vec::new();
    for f in spec.fields {
        let value = r.get(f.spellings);
        let present = match value {
            Some(v) => {
                let text = check_value(p, f.check, v, &mut s, f.param)?;
                r.params.push((f.param.to_owned(), text));
                true
            }
            None => false,
        };
        match f.need {
            Need::Required if !present => return Err(missing(f.check)),
            Need::WithProxy if !present && usage == ProxyUse::Required => {
                return Err(missing(f.check));
            }
            Need::AnyOf(g) | Need::ExactlyOne(g) => {
                match groups.iter_mut().find(|(id, ..)| *id == g) {
                    Some(entry) => entry.2 += usize::from(present),
                    None => groups.push((g, f.need, usize::from(present), f.check)),
                }
            }
            _ => {}
        }
    }
    for (_, need, count, check) in groups {
        match (need, count) {
            (_, 0) => return Err(missing(check)),
            (Need::ExactlyOne(_), n) if n > 1 => return Err(Problem::Invalid),
            _ => {}
        }
    }
    proxy(p, &mut r, usage)?;
    r.known(&["nocache"]);
    s.unread = r.unread();
    s.params = r.params;
    fill_hints(&mut s);
    Ok(s)
}

/// What the answer depends on, from the values read.
fn fill_hints(s: &mut JsonSubmission) {
    let param = |name: &str| {
        s.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let int = |name: &str| param(name).and_then(|v| v.parse::<u32>().ok());
    let h = &mut s.hints;
    h.page_url = param("website_url");
    h.challenge = param("challenge");
    h.captcha_id = param("captcha_id");
    h.user_agent = param("user_agent");
    h.sitekey = param("website_key")
        .or_else(|| param("gt"))
        .or_else(|| param("captcha_id"));
    h.grid = match param("grid").as_deref() {
        Some("4x4") => Some((4, 4)),
        Some("1x1") => Some((1, 1)),
        Some(_) => Some((3, 3)),
        None => match (int("rows"), int("columns")) {
            (None, None) => None,
            (r, c) => Some((r.unwrap_or(3), c.unwrap_or(3))),
        },
    };
    h.clicks = match (int("min_clicks"), int("max_clicks")) {
        (None, None) => None,
        (lo, hi) => {
            let lo = lo.unwrap_or(1);
            Some((lo, hi.unwrap_or(lo.max(3)).max(lo)))
        }
    };
    h.angle_step = int("angle_step");
    h.cookie_mode = param("cookie_solution").is_some_and(|v| truthy(&Value::from(v.as_str())));
    h.rectangles = param("mode").as_deref() == Some("rectangles");
    s.sitekey.clone_from(&h.sitekey);
    s.pageurl.clone_from(&h.page_url);
}

// ---------------------------------------------------------------------------------------
// Writing the solution
// ---------------------------------------------------------------------------------------

/// The `datadome` cookie's value in a cookie string (the whole text when it has no
/// `datadome=`).
fn datadome_value(cookie: &str) -> &str {
    let first = cookie.split(';').next().unwrap_or(cookie).trim();
    first.strip_prefix("datadome=").unwrap_or(first)
}

/// The solution object of a kind whose shape differs by provider.
pub(crate) fn solution(shape: Shape, a: &Answer, h: &Hints) -> Map<String, Value> {
    let v = match (shape, &a.data) {
        (
            Shape::GeeTest { seccode },
            Structured::GeeTest {
                challenge,
                validate,
                seccode: sc,
            },
        ) => {
            let mut m = json!({"challenge": challenge, "validate": validate});
            if seccode {
                m["seccode"] = json!(sc);
            }
            m
        }
        (Shape::GeeTestV4 { risk_type }, data @ Structured::GeeTestV4 { .. }) => {
            let mut m = data.neutral().unwrap_or_else(|| json!({}));
            if risk_type {
                m["risk_type"] = json!("slide");
            }
            m
        }
        (
            Shape::AmazonVoucher | Shape::AmazonCapMonster,
            Structured::Amazon {
                captcha_voucher,
                existing_token,
            },
        ) => {
            if shape == Shape::AmazonCapMonster && h.cookie_mode {
                json!({"cookies": {"aws-waf-token": existing_token}})
            } else {
                json!({"captcha_voucher": captcha_voucher, "existing_token": existing_token})
            }
        }
        (Shape::AmazonToken, Structured::Amazon { existing_token, .. }) => {
            json!({"token": existing_token})
        }
        (Shape::DataDomeCookie, Structured::DataDome { cookie }) => json!({"cookie": cookie}),
        (Shape::DataDomeDomains, Structured::DataDome { cookie }) => {
            let mut domains = Map::new();
            domains.insert(
                h.host(false),
                json!({"cookies": {"datadome": datadome_value(cookie)}}),
            );
            json!({"domains": domains})
        }
        (Shape::CfClearance, Structured::Cloudflare { cf_clearance, .. }) => {
            json!({"cf_clearance": cf_clearance})
        }
        (
            Shape::CfTokenCookies,
            Structured::Cloudflare {
                cf_clearance,
                user_agent,
            },
        ) => json!({"token": cf_clearance, "cookies": {"cf_clearance": cf_clearance},
            "userAgent": user_agent}),
        (Shape::PointsXY, Structured::Points(p)) => json!({"coordinates": points_xy(p)}),
        (Shape::PointsPairs, Structured::Points(p)) => {
            let list: Vec<Value> = p
                .iter()
                .map(|&(x, y)| {
                    if h.rectangles {
                        json!([
                            x.saturating_sub(10),
                            y.saturating_sub(10),
                            x.saturating_add(10),
                            y.saturating_add(10)
                        ])
                    } else {
                        json!([x, y])
                    }
                })
                .collect();
            json!({"coordinates": list})
        }
        (Shape::GridClick0, Structured::Cells(c)) => {
            json!({"click": c.iter().map(|n| n.saturating_sub(1)).collect::<Vec<_>>()})
        }
        (Shape::GridBools, Structured::Cells(c)) => {
            let total = h.cells_total();
            json!({"answer": (1..=total).map(|n| c.contains(&n)).collect::<Vec<_>>()})
        }
        (Shape::GridObjects, Structured::Cells(c)) => json!({
            "type": "multi",
            "objects": c.iter().map(|n| n.saturating_sub(1)).collect::<Vec<_>>(),
            "size": h.grid.map_or(3, |(rows, _)| rows),
        }),
        (Shape::Rotate, Structured::Angle(a)) => json!({"rotate": a}),
        (Shape::Lemin, data @ Structured::Lemin { .. }) => {
            data.neutral().unwrap_or_else(|| json!({}))
        }
        (Shape::Text, _) => json!({"text": a.text}),
        // Token kinds, and any answer whose data does not fit the shape.
        _ => json!({"token": a.text}),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::profile::{GENERIC, STRICT};
    use super::super::task::parse as parse_task;
    use super::*;
    use crate::answers::{Rng, generate, scripted};
    use serde_json::json;

    #[test]
    fn hostile_tasks_of_the_new_kinds_are_problems_not_panics() {
        let hostile = [
            json!({"type": "GeeTestTaskProxyless", "websiteURL": "https://a/", "gt": 5, "challenge": []}),
            json!({"type": "GeeTestTaskProxyless", "websiteURL": "https://a/", "version": "four"}),
            json!({"type": "GeeTestTask", "websiteURL": "https://a/", "version": 4, "initParameters": "x"}),
            json!({"type": "CustomTask", "class": "DataDome", "websiteURL": "https://a/", "metadata": "m"}),
            json!({"type": "CustomTask", "class": 7}),
            json!({"type": "ComplexImageTask", "class": "recaptcha", "imagesBase64": "x",
                "metadata": {"Grid": "3x3", "Task": "t"}}),
            json!({"type": "ComplexImageTask", "class": "recaptcha", "imagesBase64": [1],
                "metadata": {"Grid": "9x9", "Task": "t"}}),
            json!({"type": "ComplexImageTask", "class": "recaptcha", "imageUrls": (0..20).map(|_| "https://a/i.png").collect::<Vec<_>>(),
                "metadata": {"Grid": "3x3", "Task": "t"}}),
            json!({"type": "AudioTask", "body": "!!!", "lang": "en"}),
            json!({"type": "AudioTask", "body": "", "lang": "en"}),
            json!({"type": "RotateTask", "body": "iVBORw0KGgo=", "angle": -5}),
            json!({"type": "GridTask", "body": "x"}),
            json!({"type": "AntiCloudflareTask", "websiteURL": "https://a/", "proxy": 5}),
            json!({"type": "DataDomeSliderTask", "captchaUrl": "https://a/", "userAgent": "u",
                "proxyType": "http", "proxyAddress": "1.2.3.4", "proxyPort": 99999}),
            json!({"type": "TurnstileTask", "cloudflareTaskType": "cf_clearance", "websiteURL": 1}),
            json!({"type": "ImageToCoordinatesTask", "body": "x", "mode": "circles"}),
            json!({"type": "AmazonTask", "websiteURL": "https://a/", "websiteKey": "has space",
                "iv": "i", "context": "c"}),
        ];
        for p in std::iter::once(&GENERIC).chain(STRICT) {
            for t in &hostile {
                assert!(parse_task(p, Some(t)).is_err(), "{} {t}", p.name);
            }
        }
    }

    #[test]
    fn every_shape_writes_every_answer_without_panicking() {
        let shapes = [
            Shape::Token,
            Shape::Text,
            Shape::GeeTest { seccode: false },
            Shape::GeeTestV4 { risk_type: true },
            Shape::AmazonVoucher,
            Shape::AmazonToken,
            Shape::AmazonCapMonster,
            Shape::DataDomeCookie,
            Shape::DataDomeDomains,
            Shape::CfClearance,
            Shape::CfTokenCookies,
            Shape::PointsXY,
            Shape::PointsPairs,
            Shape::GridClick0,
            Shape::GridBools,
            Shape::GridObjects,
            Shape::Rotate,
        ];
        let hints = Hints {
            rectangles: true,
            ..Hints::default()
        };
        let extreme = json!({"points": [[u32::MAX, 0]], "cells": [u32::MAX], "angle": 359});
        for kind in Kind::ALL {
            let a = generate(kind, &mut Rng::new(3), &hints);
            let a = scripted(a, None, extreme.as_object());
            for shape in shapes {
                let s = solution(shape, &a, &hints);
                assert!(!s.is_empty(), "{kind:?} {shape:?}");
            }
        }
    }
}
