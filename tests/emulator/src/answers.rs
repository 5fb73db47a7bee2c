//! Answers the emulated workers give, by kind. Deterministic per task (seeded generator).

use crate::kind::Kind;

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
}

const TOKEN: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const TEXT: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const HEX: &[u8] = b"0123456789abcdef";

/// The worker user agent returned with hCaptcha and Turnstile answers.
pub(crate) const WORKER_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/// An answer: the text plus the fields JSON replies add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    pub(crate) text: String,
    pub(crate) user_agent: Option<String>,
    pub(crate) resp_key: Option<String>,
}

/// Generates the answer for a task. `public_key` and `surl` feed the FunCaptcha token, as the
/// real service's tokens echo them.
pub(crate) fn generate(
    kind: Kind,
    rng: &mut Rng,
    public_key: Option<&str>,
    surl: Option<&str>,
) -> Answer {
    let plain = |text| Answer {
        text,
        user_agent: None,
        resp_key: None,
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
        },
        Kind::FunCaptcha => plain(format!(
            "{}.{}|r=eu-west-1|meta=3|meta_width=300|metabgclr=transparent|lang=en|pk={}|at=40|cdn_url=https%3A%2F%2Fclient-api.arkoselabs.com%2Fcdn%2Ffc|lurl=https%3A%2F%2Faudio-eu-west-1.arkoselabs.com|surl={}|smurl=https%3A%2F%2Fclient-api.arkoselabs.com%2Fcdn%2Ffc%2Fassets%2Fstyle-manager",
            rng.chars(HEX, 17),
            rng.between(10_000_000, 99_999_999),
            public_key.unwrap_or("UNKNOWN"),
            surl.unwrap_or("https://client-api.arkoselabs.com"),
        )),
        Kind::Turnstile => Answer {
            text: format!("0.{}", rng.chars(TOKEN, 300)),
            user_agent: Some(WORKER_UA.to_owned()),
            resp_key: None,
        },
    }
}
