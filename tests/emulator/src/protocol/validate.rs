//! Parameter checks of `in.php`, each failing with the API documentation's code for it.

use super::dialect::FormDialect;
use super::params::{Params, Upload, is_numbered_file};
use crate::answers::Hints;
use crate::image;
use crate::kind::Kind;
use base64::Engine as _;

/// What a valid submit is.
#[derive(Debug, Clone)]
pub(crate) struct Submission {
    pub(crate) kind: Kind,
    pub(crate) method: String,
    pub(crate) sitekey: Option<String>,
    pub(crate) pageurl: Option<String>,
    pub(crate) image: Option<Vec<u8>>,
    /// What the answer depends on.
    pub(crate) hints: Hints,
}

pub(crate) fn is_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// A key in any alphabet (Amazon's are base64): printable, no spaces, at most 4096 bytes.
pub(crate) fn is_any_key(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4096 && s.bytes().all(|b| b.is_ascii_graphic())
}

pub(crate) fn is_site_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 256
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub(crate) fn pageurl(p: &Params) -> Result<String, &'static str> {
    match p.non_empty("pageurl") {
        Some(u) if is_url(u) => Ok(u.to_owned()),
        _ => Err("ERROR_PAGEURL"),
    }
}

pub(crate) fn small_int(p: &Params, name: &str, max: u32) -> Result<(), &'static str> {
    match p.get(name) {
        None => Ok(()),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n <= max => Ok(()),
            _ => Err("ERROR_BAD_PARAMETERS"),
        },
    }
}

fn check_proxy(p: &Params) -> Result<(), &'static str> {
    let Some(proxy) = p.get("proxy") else {
        return Ok(());
    };
    let ty = p.get("proxytype").unwrap_or("").to_ascii_uppercase();
    if !matches!(ty.as_str(), "HTTP" | "HTTPS" | "SOCKS4" | "SOCKS5") {
        return Err("ERROR_PROXY_FORMAT");
    }
    let hostport = proxy
        .rsplit_once('@')
        .map_or(proxy, |(creds, hp)| if creds.is_empty() { "" } else { hp });
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        match rest.split_once("]:") {
            Some((h, port)) => (h, port),
            None => return Err("ERROR_PROXY_FORMAT"),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some(hp) => hp,
            None => return Err("ERROR_PROXY_FORMAT"),
        }
    };
    let port_ok = port.parse::<u16>().is_ok_and(|n| n > 0);
    let host_ok = !host.is_empty() && !host.chars().any(|c| c.is_whitespace() || c == '/');
    if port_ok && host_ok {
        Ok(())
    } else {
        Err("ERROR_PROXY_FORMAT")
    }
}

fn check_cookies(p: &Params) -> Result<(), &'static str> {
    let Some(c) = p.get("cookies") else {
        return Ok(());
    };
    for part in c.split(';').filter(|s| !s.is_empty()) {
        match part.split_once(':') {
            Some((name, _)) if !name.trim().is_empty() => {}
            _ => return Err("ERROR_BAD_PARAMETERS"),
        }
    }
    Ok(())
}

pub(crate) fn decode_base64(body: &str) -> Option<Vec<u8>> {
    let cleaned: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let cleaned = cleaned.replace(' ', "+");
    base64::engine::general_purpose::STANDARD
        .decode(&cleaned)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&cleaned))
        .ok()
}

/// The kind a submit asks for, by its method and flags; `None` for a method no dialect
/// knows.
fn kind_of(p: &Params, method: &str, d: &FormDialect) -> Option<Kind> {
    Some(match method {
        "post" | "base64" if p.flag("coordinatescaptcha") => Kind::Coordinates,
        "post" | "base64" if p.flag("recaptcha") => Kind::Grid,
        // A text captcha is a `post` with the question and no file.
        "post" if p.get("textcaptcha").is_some() && p.file("file").is_none() => Kind::TextCaptcha,
        "post" | "base64" => Kind::ImageToText,
        "userrecaptcha" if p.get("version") == Some("v3") => Kind::RecaptchaV3,
        "userrecaptcha" => Kind::RecaptchaV2,
        "hcaptcha" => Kind::HCaptcha,
        "funcaptcha" => Kind::FunCaptcha,
        "turnstile" => Kind::Turnstile,
        "geetest" if d.geetest_version_param && p.get("version") == Some("4") => Kind::GeeTestV4,
        "geetest" => Kind::GeeTest,
        "geetest_v4" if d.geetest_v4_method => Kind::GeeTestV4,
        "amazon_waf" => Kind::AmazonWaf,
        "datadome" => Kind::DataDome,
        "mt_captcha" => Kind::MtCaptcha,
        "friendly_captcha" => Kind::FriendlyCaptcha,
        "lemin" => Kind::Lemin,
        "audio" => Kind::Audio,
        "rotatecaptcha" => Kind::Rotate,
        "vkimage" => Kind::VkImage,
        "cloudflare_challenge" => Kind::CloudflareChallenge,
        _ => return None,
    })
}

/// An uploaded image, checked as the service checks one (its file name's extension too).
pub(crate) fn uploaded_image(file: &Upload) -> Result<Vec<u8>, &'static str> {
    if let Some(code) = image::check(&file.bytes, Some(file.filename.as_deref().unwrap_or(""))) {
        return Err(code);
    }
    Ok(file.bytes.to_vec())
}

/// Reads the image of an image task: the multipart `file` of `method=post`, the `body` of
/// `method=base64` (either for `rotatecaptcha` and `vkimage`).
pub(crate) fn image_of(p: &Params, method: &str) -> Result<Vec<u8>, &'static str> {
    let from_file = match method {
        "post" => true,
        "base64" => false,
        _ => p.file("file").is_some(),
    };
    if from_file {
        uploaded_image(p.file("file").ok_or("ERROR_UPLOAD")?)
    } else {
        let body = p.non_empty("body").ok_or("ERROR_UPLOAD")?;
        let bytes = decode_base64(body).ok_or("ERROR_UPLOAD")?;
        if let Some(code) = image::check(&bytes, None) {
            return Err(code);
        }
        Ok(bytes)
    }
}

/// The images of a method that takes one or several (`rotatecaptcha`, `vkimage`): the
/// numbered file parts `file_1`, `file_2`, ... when there are any (2captcha-python sends a
/// list of files so), each checked as an image; else the one image of [`image_of`].
pub(crate) fn images_of(p: &Params, method: &str) -> Result<Vec<Vec<u8>>, &'static str> {
    let numbered: Vec<&Upload> = p
        .files
        .iter()
        .filter(|u| is_numbered_file(&u.name))
        .collect();
    if numbered.is_empty() {
        return image_of(p, method).map(|image| vec![image]);
    }
    numbered.into_iter().map(uploaded_image).collect()
}

/// Checks a submit in a dialect; `Err(code)` is the API documentation's error for the first
/// problem found. A kind the dialect does not offer is `ERROR_BAD_PARAMETERS`, whatever
/// else the request holds.
pub(crate) fn submission(p: &Params, d: &FormDialect) -> Result<Submission, &'static str> {
    let method = p.get("method").unwrap_or("").to_owned();
    let kind = kind_of(p, &method, d)
        .filter(|k| d.offers(*k))
        .ok_or("ERROR_BAD_PARAMETERS")?;
    let mut s = Submission {
        kind,
        method: method.clone(),
        sitekey: None,
        pageurl: None,
        image: None,
        hints: Hints::default(),
    };
    match kind {
        Kind::ImageToText => s.image = Some(image_of(p, &method)?),
        Kind::RecaptchaV2 | Kind::RecaptchaV3 => {
            let key = p.non_empty("googlekey").ok_or("ERROR_WRONG_GOOGLEKEY")?;
            if !is_site_key(key) {
                return Err("ERROR_GOOGLEKEY");
            }
            s.sitekey = Some(key.to_owned());
            s.pageurl = Some(pageurl(p)?);
            if !matches!(p.get("version"), None | Some("" | "v2" | "v3")) {
                return Err("ERROR_BAD_PARAMETERS");
            }
            if let Some(score) = p.get("min_score") {
                match score.parse::<f64>() {
                    Ok(x) if (0.1..=0.9).contains(&x) && s.kind == Kind::RecaptchaV3 => {}
                    _ => return Err("ERROR_BAD_PARAMETERS"),
                }
            }
            // Enterprise is `enterprise=1`; the api domain is google.com or recaptcha.net.
            if !matches!(p.get("enterprise"), None | Some("0" | "1")) {
                return Err("ERROR_BAD_PARAMETERS");
            }
            if !matches!(p.get("domain"), None | Some("google.com" | "recaptcha.net")) {
                return Err("ERROR_BAD_PARAMETERS");
            }
            check_cookies(p)?;
        }
        Kind::HCaptcha | Kind::Turnstile => {
            let key = p.non_empty("sitekey").ok_or("ERROR_SITEKEY")?;
            if !is_site_key(key) {
                return Err("ERROR_SITEKEY");
            }
            s.sitekey = Some(key.to_owned());
            s.pageurl = Some(pageurl(p)?);
            if kind == Kind::Turnstile
                && d.turnstile_action_only
                && (p.get("data").is_some() || p.get("pagedata").is_some())
            {
                return Err("ERROR_BAD_PARAMETERS");
            }
        }
        Kind::FunCaptcha => {
            let key = p.non_empty("publickey").ok_or("ERROR_BAD_PARAMETERS")?;
            if !is_site_key(key) {
                return Err("ERROR_BAD_PARAMETERS");
            }
            s.sitekey = Some(key.to_owned());
            s.pageurl = Some(pageurl(p)?);
            if let Some(surl) = p.get("surl") {
                if !is_url(surl) {
                    return Err("ERROR_BAD_PARAMETERS");
                }
                s.hints.surl = Some(surl.to_owned());
            }
        }
        _ => super::kinds::check(p, d, &mut s)?,
    }
    if s.kind == Kind::ImageToText {
        small_int(p, "numeric", 4)?;
        small_int(p, "min_len", 20)?;
        small_int(p, "max_len", 20)?;
        for flag in ["phrase", "regsense", "calc"] {
            small_int(p, flag, 1)?;
        }
    }
    if let Some(pb) = p.get("pingback")
        && !is_url(pb)
    {
        return Err("ERROR_BAD_PARAMETERS");
    }
    check_proxy(p)?;
    s.hints.sitekey = s.sitekey.clone();
    s.hints.page_url = s.pageurl.clone();
    if s.hints.user_agent.is_none() {
        s.hints.user_agent = p
            .non_empty("userAgent")
            .or_else(|| p.non_empty("useragent"))
            .map(str::to_owned);
    }
    Ok(s)
}
