//! Answers the emulated workers give, by kind. Deterministic per task (seeded generator).
//!
//! A structured answer ([`Data`]) is kept under the project's neutral names; each dialect
//! renders it in its own shape when it replies (the form protocol's texts here, the json
//! solutions in `json/kinds.rs`).

use crate::kind::Kind;
use serde_json::{Map, Value, json};

/// A small xorshift generator: enough for answers, delays and fault shares.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.next() % (hi - lo + 1)
        }
    }

    /// Uniform in `0.0..1.0`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
}

/// SplitMix64's finaliser: spreads nearby seeds (task numbers) over the generator's states.
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

const TOKEN: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const TEXT: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const HEX: &[u8] = b"0123456789abcdef";
const DIGITS: &[u8] = b"0123456789";
const WORDS: &[&str] = &[
    "apple", "river", "seven", "orange", "table", "green", "window", "eleven", "garden", "yellow",
    "forty", "mountain", "purple", "bridge", "three", "silver",
];

/// The worker user agent returned with hCaptcha and Turnstile answers.
pub(crate) const WORKER_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// What a task said that its answer (and the rendering of it) depends on: both protocol
/// families fill it from their own field names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Hints {
    /// The site key (FunCaptcha tokens echo it).
    pub(crate) sitekey: Option<String>,
    /// FunCaptcha's service URL (its tokens echo it).
    pub(crate) surl: Option<String>,
    /// GeeTest v3's challenge (echoed in the answer).
    pub(crate) challenge: Option<String>,
    /// GeeTest v4's captcha id (echoed in the answer).
    pub(crate) captcha_id: Option<String>,
    /// The user agent sent (a Cloudflare clearance is bound to it).
    pub(crate) user_agent: Option<String>,
    /// The page URL (DataDome's cookie domain).
    pub(crate) page_url: Option<String>,
    /// Grid rows and columns.
    pub(crate) grid: Option<(u32, u32)>,
    /// The image's pixel size (clicks land inside it).
    pub(crate) image_size: Option<(u32, u32)>,
    /// Fewest and most clicks.
    pub(crate) clicks: Option<(u32, u32)>,
    /// Rotation step in degrees.
    pub(crate) angle_step: Option<u32>,
    /// How many steps a slider has (VK's image captcha).
    pub(crate) steps: Option<u32>,
    /// CapMonster's Amazon `cookieSolution`: answer with the `aws-waf-token` cookie.
    pub(crate) cookie_mode: bool,
    /// anti-captcha's coordinates `mode: "rectangles"`.
    pub(crate) rectangles: bool,
}

impl Hints {
    /// The host of the page URL (without a leading `www.` when asked: a cookie's domain).
    pub(crate) fn host(&self, strip_www: bool) -> String {
        let url = self.page_url.as_deref().unwrap_or("");
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split(':').next().unwrap_or("");
        let host = if strip_www {
            host.strip_prefix("www.").unwrap_or(host)
        } else {
            host
        };
        if host.is_empty() {
            "example.com".to_owned()
        } else {
            host.to_ascii_lowercase()
        }
    }

    /// Cells of the grid (3 x 3 unless the task said otherwise).
    pub(crate) fn cells_total(&self) -> u32 {
        let (r, c) = self.grid.unwrap_or((3, 3));
        (r.max(1) * c.max(1)).min(100)
    }
}

/// A structured answer, under the project's neutral names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Structured {
    /// Token and text kinds: the text is the answer.
    None,
    GeeTest {
        challenge: String,
        validate: String,
        seccode: String,
    },
    GeeTestV4 {
        captcha_id: String,
        lot_number: String,
        pass_token: String,
        gen_time: String,
        captcha_output: String,
    },
    Amazon {
        captcha_voucher: String,
        existing_token: String,
    },
    /// The whole cookie string (`datadome=VALUE; Max-Age=...; Domain=...`).
    DataDome { cookie: String },
    Cloudflare {
        cf_clearance: String,
        user_agent: String,
    },
    /// Click points, in pixels from the top left.
    Points(Vec<(u32, u32)>),
    /// Grid cells, numbered from 1, left to right, top to bottom.
    Cells(Vec<u32>),
    /// Degrees.
    Angle(u32),
    /// Lemin's two values.
    Lemin {
        answer: String,
        challenge_id: String,
    },
}

/// The keys `answer_data` may give, and the JSON type each takes.
const DATA_KEYS: &[(&str, &str)] = &[
    ("challenge", "string"),
    ("validate", "string"),
    ("seccode", "string"),
    ("captcha_id", "string"),
    ("lot_number", "string"),
    ("pass_token", "string"),
    ("gen_time", "string"),
    ("captcha_output", "string"),
    ("captcha_voucher", "string"),
    ("existing_token", "string"),
    ("cookie", "string"),
    ("cf_clearance", "string"),
    ("user_agent", "string"),
    (
        "points",
        "a list of [x, y] or {\"x\", \"y\"} (whole numbers)",
    ),
    ("cells", "a list of cell numbers from 1"),
    ("angle", "a whole number of degrees"),
];

fn points_of(v: &Value) -> Option<Vec<(u32, u32)>> {
    let coord = |v: Option<&Value>| v?.as_u64().and_then(|n| u32::try_from(n).ok());
    v.as_array()?
        .iter()
        .map(|p| match p {
            Value::Array(xy) if xy.len() == 2 => Some((coord(xy.first())?, coord(xy.get(1))?)),
            Value::Object(o) => Some((coord(o.get("x"))?, coord(o.get("y"))?)),
            _ => None,
        })
        .collect()
}

fn cells_of(v: &Value) -> Option<Vec<u32>> {
    v.as_array()?
        .iter()
        .map(|c| {
            c.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n >= 1)
        })
        .collect()
}

/// Checks a rule's `answer_data`: known keys, each of the right type.
pub(crate) fn check_answer_data(m: &Map<String, Value>) -> Result<(), String> {
    for (k, v) in m {
        let Some((_, ty)) = DATA_KEYS.iter().find(|(name, _)| name == k) else {
            let known: Vec<&str> = DATA_KEYS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "answer_data: unknown key {k:?} (known: {})",
                known.join(", ")
            ));
        };
        let ok = match k.as_str() {
            "points" => points_of(v).is_some(),
            "cells" => cells_of(v).is_some(),
            "angle" => v.as_u64().is_some_and(|n| n < 360),
            _ => v.is_string(),
        };
        if !ok {
            return Err(format!("answer_data: {k:?} must be {ty}"));
        }
    }
    Ok(())
}

impl Structured {
    /// Replaces the fields `m` names (checked with [`check_answer_data`]; keys of other kinds
    /// are ignored, since a rule may match several kinds). GeeTest's `seccode` follows a new
    /// `validate` unless given too.
    fn apply(&mut self, m: &Map<String, Value>) {
        let text = |k: &str, slot: &mut String| {
            if let Some(Value::String(s)) = m.get(k) {
                slot.clone_from(s);
            }
        };
        match self {
            Structured::None => {}
            Structured::GeeTest {
                challenge,
                validate,
                seccode,
            } => {
                text("challenge", challenge);
                text("validate", validate);
                if m.contains_key("validate") && !m.contains_key("seccode") {
                    *seccode = format!("{validate}|jordan");
                }
                text("seccode", seccode);
            }
            Structured::GeeTestV4 {
                captcha_id,
                lot_number,
                pass_token,
                gen_time,
                captcha_output,
            } => {
                text("captcha_id", captcha_id);
                text("lot_number", lot_number);
                text("pass_token", pass_token);
                text("gen_time", gen_time);
                text("captcha_output", captcha_output);
            }
            Structured::Amazon {
                captcha_voucher,
                existing_token,
            } => {
                text("captcha_voucher", captcha_voucher);
                text("existing_token", existing_token);
            }
            Structured::DataDome { cookie } => text("cookie", cookie),
            Structured::Lemin {
                answer,
                challenge_id,
            } => {
                text("answer", answer);
                text("challenge_id", challenge_id);
            }
            Structured::Cloudflare {
                cf_clearance,
                user_agent,
            } => {
                text("cf_clearance", cf_clearance);
                text("user_agent", user_agent);
            }
            Structured::Points(p) => {
                if let Some(v) = m.get("points").and_then(points_of) {
                    *p = v;
                }
            }
            Structured::Cells(c) => {
                if let Some(v) = m.get("cells").and_then(cells_of) {
                    *c = v;
                }
            }
            Structured::Angle(a) => {
                if let Some(n) = m.get("angle").and_then(Value::as_u64) {
                    *a = u32::try_from(n).unwrap_or(0) % 360;
                }
            }
        }
    }

    /// The neutral form (`TaskInfo::data`); `None` for token and text kinds.
    pub(crate) fn neutral(&self) -> Option<Value> {
        Some(match self {
            Structured::None => return None,
            Structured::GeeTest {
                challenge,
                validate,
                seccode,
            } => json!({"challenge": challenge, "validate": validate, "seccode": seccode}),
            Structured::GeeTestV4 {
                captcha_id,
                lot_number,
                pass_token,
                gen_time,
                captcha_output,
            } => json!({"captcha_id": captcha_id, "lot_number": lot_number,
                "pass_token": pass_token, "gen_time": gen_time, "captcha_output": captcha_output}),
            Structured::Amazon {
                captcha_voucher,
                existing_token,
            } => json!({"captcha_voucher": captcha_voucher, "existing_token": existing_token}),
            Structured::DataDome { cookie } => json!({"cookie": cookie}),
            Structured::Lemin {
                answer,
                challenge_id,
            } => json!({"answer": answer, "challenge_id": challenge_id}),
            Structured::Cloudflare {
                cf_clearance,
                user_agent,
            } => json!({"cf_clearance": cf_clearance, "user_agent": user_agent}),
            Structured::Points(p) => json!({"points": points_xy(p)}),
            Structured::Cells(c) => json!({"cells": c}),
            Structured::Angle(a) => json!({"angle": a}),
        })
    }

    /// The form protocol's object for `request` in a `json=1` reply (GeeTest's
    /// `geetest_`-prefixed names, GeeTest v4's five, Amazon's two); `None` where `request`
    /// is text.
    pub(crate) fn form_object(&self) -> Option<Value> {
        match self {
            Structured::GeeTest {
                challenge,
                validate,
                seccode,
            } => Some(
                json!({"geetest_challenge": challenge, "geetest_validate": validate,
                "geetest_seccode": seccode}),
            ),
            Structured::GeeTestV4 { .. } | Structured::Amazon { .. } | Structured::Lemin { .. } => {
                self.neutral()
            }
            _ => None,
        }
    }

    /// The form protocol's text of the answer (the plain `OK|...` reply): the object's JSON
    /// text, the cookie string, the clearance, `coordinates:x=56,y=56;x=170,y=56`,
    /// `click:3/6/9`, the angle. `None` for token and text kinds.
    fn form_text(&self) -> Option<String> {
        if let Some(o) = self.form_object() {
            return Some(o.to_string());
        }
        match self {
            Structured::DataDome { cookie } => Some(cookie.clone()),
            Structured::Cloudflare { cf_clearance, .. } => Some(cf_clearance.clone()),
            Structured::Points(p) => Some(format!(
                "coordinates:{}",
                p.iter()
                    .map(|(x, y)| format!("x={x},y={y}"))
                    .collect::<Vec<_>>()
                    .join(";")
            )),
            Structured::Cells(c) => Some(format!(
                "click:{}",
                c.iter().map(u32::to_string).collect::<Vec<_>>().join("/")
            )),
            Structured::Angle(a) => Some(a.to_string()),
            _ => None,
        }
    }
}

/// Points as `[{x, y}]`.
pub(crate) fn points_xy(p: &[(u32, u32)]) -> Value {
    Value::Array(p.iter().map(|(x, y)| json!({"x": x, "y": y})).collect())
}

/// An answer: the text plus the fields replies add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    /// The token or text; for structured answers, the form protocol's text of them.
    pub(crate) text: String,
    pub(crate) user_agent: Option<String>,
    pub(crate) resp_key: Option<String>,
    pub(crate) data: Structured,
    /// A rule's `answer` replaced the form text of a structured answer: the form protocol
    /// sends that text as it is.
    pub(crate) text_scripted: bool,
}

/// Generates the answer for a task.
pub(crate) fn generate(kind: Kind, rng: &mut Rng, hints: &Hints) -> Answer {
    let plain = |text| Answer {
        text,
        user_agent: None,
        resp_key: None,
        data: Structured::None,
        text_scripted: false,
    };
    let structured = |data: Structured, user_agent: Option<String>| Answer {
        text: data.form_text().unwrap_or_default(),
        user_agent,
        resp_key: None,
        data,
        text_scripted: false,
    };
    match kind {
        Kind::ImageToText => plain(rng.chars(TEXT, 5)),
        Kind::RecaptchaV2 | Kind::RecaptchaV3 => {
            plain(format!("03AGdBq2{}", rng.chars(TOKEN, 400)))
        }
        Kind::HCaptcha => Answer {
            text: format!(
                "P1_eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{}",
                rng.chars(TOKEN, 300)
            ),
            user_agent: Some(WORKER_UA.to_owned()),
            resp_key: Some(format!("E0_{}", rng.chars(TOKEN, 40))),
            data: Structured::None,
            text_scripted: false,
        },
        Kind::FunCaptcha => plain(format!(
            "{}.{}|r=eu-west-1|meta=3|meta_width=300|metabgclr=transparent|lang=en|pk={}|at=40|cdn_url=https%3A%2F%2Fclient-api.arkoselabs.com%2Fcdn%2Ffc|lurl=https%3A%2F%2Faudio-eu-west-1.arkoselabs.com|surl={}|smurl=https%3A%2F%2Fclient-api.arkoselabs.com%2Fcdn%2Ffc%2Fassets%2Fstyle-manager",
            rng.chars(HEX, 17),
            rng.between(10_000_000, 99_999_999),
            hints.sitekey.as_deref().unwrap_or("UNKNOWN"),
            hints
                .surl
                .as_deref()
                .unwrap_or("https://client-api.arkoselabs.com"),
        )),
        Kind::Turnstile => Answer {
            text: format!("0.{}", rng.chars(TOKEN, 300)),
            user_agent: Some(WORKER_UA.to_owned()),
            resp_key: None,
            data: Structured::None,
            text_scripted: false,
        },
        Kind::MtCaptcha => plain(format!(
            "v1(03,{},MTPublic-{},{},{})",
            rng.chars(HEX, 8),
            rng.chars(TOKEN, 10),
            rng.chars(HEX, 32),
            rng.chars(TOKEN, 120)
        )),
        Kind::FriendlyCaptcha => plain(format!(
            "{}.{}.{}.AgAB",
            rng.chars(HEX, 32),
            rng.chars(TOKEN, 88),
            rng.chars(TOKEN, 120)
        )),
        Kind::TextCaptcha => plain(rng.pick(WORDS).to_owned()),
        Kind::Audio => plain(
            (0..4)
                .map(|_| rng.pick(WORDS))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Kind::GeeTest => {
            let validate = rng.chars(HEX, 32);
            structured(
                Structured::GeeTest {
                    challenge: hints
                        .challenge
                        .clone()
                        .unwrap_or_else(|| rng.chars(HEX, 32)),
                    seccode: format!("{validate}|jordan"),
                    validate,
                },
                None,
            )
        }
        Kind::GeeTestV4 => structured(
            Structured::GeeTestV4 {
                captcha_id: hints
                    .captcha_id
                    .clone()
                    .unwrap_or_else(|| rng.chars(HEX, 32)),
                lot_number: rng.chars(HEX, 32),
                pass_token: rng.chars(HEX, 64),
                gen_time: (1_700_000_000 + rng.between(0, 99_999_999)).to_string(),
                captcha_output: rng.chars(TOKEN, 120),
            },
            None,
        ),
        Kind::AmazonWaf => structured(
            Structured::Amazon {
                captcha_voucher: format!(
                    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{}.{}",
                    rng.chars(TOKEN, 200),
                    rng.chars(TOKEN, 43)
                ),
                existing_token: format!(
                    "{}-{}-{}-{}-{}:BQoA{}",
                    rng.chars(HEX, 8),
                    rng.chars(HEX, 4),
                    rng.chars(HEX, 4),
                    rng.chars(HEX, 4),
                    rng.chars(HEX, 12),
                    rng.chars(TOKEN, 80)
                ),
            },
            None,
        ),
        Kind::DataDome => structured(
            Structured::DataDome {
                cookie: format!(
                    "datadome={}; Max-Age=31536000; Domain=.{}; Path=/; Secure; SameSite=Lax",
                    rng.chars(TOKEN, 120),
                    hints.host(true)
                ),
            },
            None,
        ),
        Kind::CloudflareChallenge => {
            let user_agent = hints
                .user_agent
                .clone()
                .unwrap_or_else(|| WORKER_UA.to_owned());
            structured(
                Structured::Cloudflare {
                    cf_clearance: format!(
                        "{}-{}-1.2.1.1-{}",
                        rng.chars(TOKEN, 43),
                        rng.chars(DIGITS, 10),
                        rng.chars(TOKEN, 150)
                    ),
                    user_agent: user_agent.clone(),
                },
                Some(user_agent),
            )
        }
        Kind::Coordinates => {
            let (w, h) = hints.image_size.unwrap_or((300, 300));
            let (lo, hi) = hints.clicks.unwrap_or((1, 3));
            let lo = lo.clamp(1, 20);
            let n = rng.between(u64::from(lo), u64::from(hi.clamp(lo, 20)));
            let points = (0..n)
                .map(|_| {
                    let x = rng.between(1, u64::from(w.max(2) - 1)) as u32;
                    let y = rng.between(1, u64::from(h.max(2) - 1)) as u32;
                    (x, y)
                })
                .collect();
            structured(Structured::Points(points), None)
        }
        Kind::Grid => {
            let total = hints.cells_total();
            let k = rng.between(1, u64::from(total.min(4)));
            let mut cells: Vec<u32> = Vec::new();
            // Distinct cells; bounded even when the generator repeats itself.
            for _ in 0..64 {
                if cells.len() as u64 >= k {
                    break;
                }
                let c = rng.between(1, u64::from(total)) as u32;
                if !cells.contains(&c) {
                    cells.push(c);
                }
            }
            cells.sort_unstable();
            structured(Structured::Cells(cells), None)
        }
        Kind::Lemin => structured(
            Structured::Lemin {
                answer: format!("0x{}", rng.chars(HEX, 24)),
                challenge_id: format!(
                    "{}-{}-{}-{}-{}",
                    rng.chars(HEX, 8),
                    rng.chars(HEX, 4),
                    rng.chars(HEX, 4),
                    rng.chars(HEX, 4),
                    rng.chars(HEX, 12)
                ),
            },
            None,
        ),
        Kind::VkImage => {
            let last = hints.steps.unwrap_or(1).max(1) - 1;
            plain(rng.between(0, u64::from(last)).to_string())
        }
        Kind::Rotate => {
            let step = hints.angle_step.unwrap_or(40).clamp(1, 359);
            let steps = (359 / step).max(1);
            let angle = rng.between(1, u64::from(steps)) as u32 * step;
            structured(Structured::Angle(angle % 360), None)
        }
    }
}

/// A generated answer with a rule's scripted parts: `answer` replaces the text (of token and
/// text kinds the answer itself; of structured kinds the form protocol's text), and
/// `answer_data` replaces fields of a structured answer (the text follows unless `answer`
/// is given too).
pub(crate) fn scripted(
    mut a: Answer,
    answer: Option<String>,
    answer_data: Option<&Map<String, Value>>,
) -> Answer {
    if let Some(m) = answer_data {
        a.data.apply(m);
        if let Structured::Cloudflare { user_agent, .. } = &a.data {
            a.user_agent = Some(user_agent.clone());
        }
        if let Some(t) = a.data.form_text() {
            a.text = t;
        }
    }
    if let Some(t) = answer {
        a.text = t;
        a.text_scripted = true;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints() -> Hints {
        Hints {
            challenge: Some("c0ffee".into()),
            captcha_id: Some("e392e1d7fd421dc63325744d5a2b9c73".into()),
            page_url: Some("https://www.shop.example:8443/login?x=1".into()),
            grid: Some((4, 4)),
            image_size: Some((160, 60)),
            clicks: Some((2, 2)),
            angle_step: Some(30),
            ..Hints::default()
        }
    }

    #[test]
    fn structured_answers_and_their_form_texts() {
        let h = hints();
        let mut rng = Rng::new(1);
        for kind in Kind::ALL {
            let a = generate(kind, &mut rng, &h);
            assert!(!a.text.is_empty(), "{kind:?}");
            assert!(!a.text.contains('|') || kind == Kind::FunCaptcha || kind == Kind::GeeTest);
            match &a.data {
                Structured::GeeTest {
                    challenge,
                    validate,
                    seccode,
                } => {
                    assert_eq!(challenge, "c0ffee");
                    assert_eq!(seccode, &format!("{validate}|jordan"));
                    let v: Value = serde_json::from_str(&a.text).unwrap();
                    assert_eq!(v["geetest_challenge"], "c0ffee");
                }
                Structured::GeeTestV4 { captcha_id, .. } => {
                    assert_eq!(captcha_id, "e392e1d7fd421dc63325744d5a2b9c73")
                }
                Structured::DataDome { cookie } => {
                    assert!(cookie.starts_with("datadome="));
                    assert!(cookie.contains("; Domain=.shop.example;"), "{cookie}");
                }
                Structured::Points(p) => {
                    assert_eq!(p.len(), 2);
                    assert!(p.iter().all(|&(x, y)| x < 160 && y < 60));
                    assert!(a.text.starts_with("coordinates:x="), "{}", a.text);
                }
                Structured::Cells(c) => {
                    assert!(!c.is_empty() && c.iter().all(|&n| (1..=16).contains(&n)));
                    assert!(a.text.starts_with("click:"), "{}", a.text);
                }
                Structured::Angle(n) => assert!(n % 30 == 0 && *n > 0 && *n < 360),
                _ => {}
            }
        }
    }

    #[test]
    fn scripted_data_replaces_fields_and_the_text_follows() {
        let mut rng = Rng::new(2);
        let a = generate(Kind::GeeTest, &mut rng, &hints());
        let m = json!({"validate": "v", "challenge": "c"});
        let m = m.as_object().unwrap();
        check_answer_data(m).unwrap();
        let s = scripted(a, None, Some(m));
        assert_eq!(
            s.data.neutral().unwrap(),
            json!({"challenge": "c", "validate": "v", "seccode": "v|jordan"})
        );
        assert_eq!(
            s.text,
            r#"{"geetest_challenge":"c","geetest_validate":"v","geetest_seccode":"v|jordan"}"#
        );
        let a = generate(Kind::Coordinates, &mut rng, &hints());
        let m = json!({"points": [[1, 2], {"x": 3, "y": 4}]});
        let s = scripted(a, None, m.as_object());
        assert_eq!(s.text, "coordinates:x=1,y=2;x=3,y=4");
        for bad in [
            json!({"cells": [0]}),
            json!({"cells": "1,2"}),
            json!({"angle": 400}),
            json!({"points": [[1]]}),
            json!({"colour": "red"}),
            json!({"cookie": 5}),
        ] {
            assert!(
                check_answer_data(bad.as_object().unwrap()).is_err(),
                "{bad}"
            );
        }
    }
}
