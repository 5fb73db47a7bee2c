//! `in.php` checks of the kinds beyond the API documentation's six, in 2captcha's spelling
//! (`PROVIDERS-KINDS.md`): GeeTest v3 and v4, Amazon WAF, DataDome, MTCaptcha, Friendly
//! Captcha, clicks, grids, text, audio, rotation, VK's image captcha, and CaptchaAI's
//! `cloudflare_challenge`.
//!
//! Codes: a missing `pageurl` is `ERROR_PAGEURL` and a missing or malformed `sitekey` is
//! `ERROR_SITEKEY` (as for hCaptcha); a missing file or body is `ERROR_UPLOAD` (as for
//! images); anything else missing or malformed is `ERROR_BAD_PARAMETERS`.

use super::dialect::FormDialect;
use super::params::Params;
use super::validate::{
    Submission, decode_base64, image_of, images_of, is_any_key, is_site_key, is_url, pageurl,
    small_int, uploaded_image,
};
use crate::image;
use crate::kind::Kind;

const BAD: &str = "ERROR_BAD_PARAMETERS";

/// Languages of audio captchas.
const AUDIO_LANGS: &[&str] = &["en", "ru", "de", "el", "pt", "fr"];

/// Largest audio file, bytes (not documented: the image limit's order, 1 MB).
const MAX_AUDIO_BYTES: usize = 1_000_000;

fn required<'a>(p: &'a Params, name: &str) -> Result<&'a str, &'static str> {
    p.non_empty(name).ok_or(BAD)
}

fn sitekey(p: &Params, check: fn(&str) -> bool) -> Result<String, &'static str> {
    match p.non_empty("sitekey") {
        Some(k) if check(k) => Ok(k.to_owned()),
        _ => Err("ERROR_SITEKEY"),
    }
}

/// A whole number in `lo..=hi`, when present.
fn int_in(p: &Params, name: &str, lo: u32, hi: u32) -> Result<Option<u32>, &'static str> {
    match p.get(name) {
        None => Ok(None),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (lo..=hi).contains(&n) => Ok(Some(n)),
            _ => Err(BAD),
        },
    }
}

/// `imginstructions`: a base64 image, or a file part of that name (2captcha-python uploads a
/// hint image given as a path), checked like a captcha image.
fn instructions_image(p: &Params) -> Result<bool, &'static str> {
    if let Some(file) = p.file("imginstructions") {
        return uploaded_image(file).map(|_| true);
    }
    let Some(b) = p.non_empty("imginstructions") else {
        return Ok(false);
    };
    let bytes = decode_base64(b).ok_or("ERROR_UPLOAD")?;
    match image::check(&bytes, None) {
        Some(code) => Err(code),
        None => Ok(true),
    }
}

/// A base64 mp3 (`ID3` tag or an MPEG frame sync at the start).
fn audio(p: &Params) -> Result<Vec<u8>, &'static str> {
    let body = p.non_empty("body").ok_or("ERROR_UPLOAD")?;
    let bytes = decode_base64(body).ok_or("ERROR_UPLOAD")?;
    if bytes.len() < image::MIN_BYTES {
        return Err("ERROR_ZERO_CAPTCHA_FILESIZE");
    }
    if bytes.len() > MAX_AUDIO_BYTES {
        return Err("ERROR_TOO_BIG_CAPTCHA_FILESIZE");
    }
    if !is_mp3(&bytes) {
        return Err(BAD);
    }
    Ok(bytes)
}

pub(crate) fn is_mp3(b: &[u8]) -> bool {
    b.starts_with(b"ID3") || (b.len() > 1 && b[0] == 0xFF && b[1] & 0xE0 == 0xE0)
}

fn clicks(p: &Params) -> Result<Option<(u32, u32)>, &'static str> {
    let lo = int_in(p, "min_clicks", 1, 20)?;
    let hi = int_in(p, "max_clicks", 1, 20)?;
    match (lo, hi) {
        (Some(l), Some(h)) if l > h => Err(BAD),
        (None, None) => Ok(None),
        (l, h) => Ok(Some((l.unwrap_or(1), h.unwrap_or(l.unwrap_or(1).max(3))))),
    }
}

/// Checks the parameters of a kind beyond the six; fills the submission.
pub(crate) fn check(p: &Params, d: &FormDialect, s: &mut Submission) -> Result<(), &'static str> {
    match s.kind {
        Kind::GeeTest => {
            let gt = required(p, "gt")?;
            let challenge = required(p, "challenge")?;
            s.pageurl = Some(pageurl(p)?);
            if let Some(server) = p.get("api_server")
                && (server.is_empty() || server.contains(char::is_whitespace))
            {
                return Err(BAD);
            }
            small_int(p, "offline", 1)?;
            small_int(p, "new_captcha", 1)?;
            s.sitekey = Some(gt.to_owned());
            s.hints.challenge = Some(challenge.to_owned());
        }
        Kind::GeeTestV4 => {
            // `geetest_v4` sends `captcha_id`; CaptchaAI's `geetest` + `version=4` sends it as
            // `gt`.
            let id = if s.method == "geetest_v4" {
                // 2captcha names the risk type `risk_type` (2C-JS `geetestV4`): the page's
                // camelCase `riskType` (what it passes to `initGeetest4`) is no field of
                // its API, and a client sending it would have it silently ignored.
                if p.get("riskType").is_some() {
                    return Err(BAD);
                }
                if p.get("risk_type").is_some_and(str::is_empty) {
                    return Err(BAD);
                }
                required(p, "captcha_id")?
            } else {
                required(p, "gt")?
            };
            s.pageurl = Some(pageurl(p)?);
            s.sitekey = Some(id.to_owned());
            s.hints.captcha_id = Some(id.to_owned());
        }
        Kind::AmazonWaf => {
            // gokuProps.key is base64.
            s.sitekey = Some(sitekey(p, is_any_key)?);
            required(p, "iv")?;
            required(p, "context")?;
            s.pageurl = Some(pageurl(p)?);
            for script in ["challenge_script", "captcha_script"] {
                if p.get(script).is_some_and(|u| !is_url(u)) {
                    return Err(BAD);
                }
            }
        }
        Kind::DataDome => {
            let captcha_url = required(p, "captcha_url")?;
            if !is_url(captcha_url) {
                return Err(BAD);
            }
            s.pageurl = Some(pageurl(p)?);
            s.hints.user_agent = Some(required(p, "userAgent")?.to_owned());
            // The proxy's format is checked with every kind's.
            required(p, "proxy")?;
            required(p, "proxytype")?;
        }
        Kind::Lemin => {
            // 2C-PY `lemin(captcha_id, div_id, url, api_server=...)`.
            let id = required(p, "captcha_id")?;
            required(p, "div_id")?;
            s.pageurl = Some(pageurl(p)?);
            s.sitekey = Some(id.to_owned());
        }
        Kind::MtCaptcha | Kind::FriendlyCaptcha => {
            s.sitekey = Some(sitekey(p, is_site_key)?);
            s.pageurl = Some(pageurl(p)?);
        }
        Kind::CloudflareChallenge => {
            s.pageurl = Some(pageurl(p)?);
            required(p, "proxy")?;
            required(p, "proxytype")?;
        }
        Kind::Coordinates => {
            let img = image_of(p, &s.method)?;
            instructions_image(p)?;
            s.hints.clicks = clicks(p)?;
            s.hints.image_size = image::dimensions(&img).flatten();
            s.image = Some(img);
        }
        Kind::Grid => {
            let img = image_of(p, &s.method)?;
            let text = p.non_empty("textinstructions").is_some();
            let picture = instructions_image(p)?;
            if !(text || (picture && !d.grid_needs_text)) {
                return Err(BAD);
            }
            let rows = int_in(p, "recaptcharows", 1, 10)?;
            let cols = int_in(p, "recaptchacols", 1, 10)?;
            s.hints.grid = Some((rows.unwrap_or(3), cols.unwrap_or(3)));
            s.hints.clicks = clicks(p)?;
            small_int(p, "can_no_answer", 1)?;
            s.image = Some(img);
        }
        Kind::TextCaptcha => {
            required(p, "textcaptcha")?;
        }
        Kind::Audio => {
            audio(p)?;
            if !p.get("lang").is_some_and(|l| AUDIO_LANGS.contains(&l)) {
                return Err(BAD);
            }
        }
        Kind::Rotate => {
            let images = images_of(p, &s.method)?;
            instructions_image(p)?;
            s.hints.angle_step = int_in(p, "angle", 1, 359)?;
            s.image = images.into_iter().next();
        }
        Kind::VkImage => {
            // 2C-PY `vkimage(files, steps)`: one image (`body` or `file`) or several
            // (`file_1`, ...), and `steps`, the slider's steps as a JSON list of numbers.
            let images = images_of(p, &s.method)?;
            let steps: Vec<u32> = serde_json::from_str(required(p, "steps")?).map_err(|_| BAD)?;
            if steps.is_empty() {
                return Err(BAD);
            }
            s.hints.steps = Some(steps.len() as u32);
            s.image = images.into_iter().next();
        }
        // The six are checked by `validate::submission`.
        Kind::ImageToText
        | Kind::RecaptchaV2
        | Kind::RecaptchaV3
        | Kind::HCaptcha
        | Kind::FunCaptcha
        | Kind::Turnstile => {}
    }
    Ok(())
}
