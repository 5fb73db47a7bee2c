//! Money exactly as the service wrote it.
//!
//! Services send balances and prices as JSON numbers (`9.99915`), as strings (`"0.000700"`) or
//! as bare text (`12.5`). A float would turn `0.1 + 0.2` into `0.30000000000000004` when a user
//! sums the cost of many solves, so capbridge keeps the decimal text and lets each language
//! turn it into its exact type (`decimal.Decimal` in Python, a string in Node and C).

use serde_json::Value;
use std::fmt;

/// A decimal amount of money in the service's currency, kept as normalised decimal text
/// (`-`? digits, then `.` and digits when there is a fraction; no exponent).
///
/// Amounts compare, order and hash by value, exactly: `1.0 == 1.00`, `0.1 < 0.25`, with no
/// rounding through `f64`. The text keeps the service's trailing zeros for display.
#[derive(Clone)]
pub struct Money(String);

impl Money {
    /// Parses decimal text: `12`, `0.000700`, `-1.5`, `+3`, `.5`, `1e-4` (exponents are
    /// expanded). Surrounding whitespace is ignored. `None` for anything else, including
    /// `NaN`, `inf` and numbers with more than 64 digits.
    pub fn parse(text: &str) -> Option<Money> {
        let t = text.trim();
        let (negative, t) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, exp) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
            None => (t, 0),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mantissa, ""),
        };
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || int.len() + frac.len() > 64
            || !(-64..=64).contains(&exp)
        {
            return None;
        }
        // All digits and where the point goes, then shift it by the exponent.
        let digits: String = format!("{int}{frac}");
        let point = i64::try_from(int.len()).ok()? + i64::from(exp);
        let (int, frac) = if point <= 0 {
            let zeros = usize::try_from(-point).ok()?;
            (String::from("0"), format!("{}{digits}", "0".repeat(zeros)))
        } else {
            let p = usize::try_from(point).ok()?;
            if p >= digits.len() {
                (
                    format!("{digits}{}", "0".repeat(p - digits.len())),
                    String::new(),
                )
            } else {
                (digits[..p].to_owned(), digits[p..].to_owned())
            }
        };
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        // The limit holds for the stored text too, so that it always reads back.
        if int.len() + frac.len() > 64 {
            return None;
        }
        let mut out = String::with_capacity(int.len() + frac.len() + 2);
        let zero = int == "0" && frac.bytes().all(|b| b == b'0');
        if negative && !zero {
            out.push('-');
        }
        out.push_str(int);
        if !frac.is_empty() {
            out.push('.');
            out.push_str(&frac);
        }
        Some(Money(out))
    }

    /// Reads a JSON number or a string holding one.
    pub fn from_json(value: &Value) -> Option<Money> {
        match value {
            Value::Number(n) => Money::parse(&n.to_string()),
            Value::String(s) => Money::parse(s),
            _ => None,
        }
    }

    /// The decimal text (`"0.000700"`): feed it to an exact decimal type.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nearest `f64`, for display or rough arithmetic.
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(0.0)
    }

    /// The value's parts: negative, the integer digits (no leading zeros), the fraction's
    /// digits without trailing zeros. Equal values have equal parts (`-0` is stored as `0`).
    fn parts(&self) -> (bool, &str, &str) {
        let (negative, t) = match self.0.strip_prefix('-') {
            Some(t) => (true, t),
            None => (false, self.0.as_str()),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        (negative, int, frac.trim_end_matches('0'))
    }
}

impl PartialEq for Money {
    fn eq(&self, other: &Money) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for Money {}

impl std::hash::Hash for Money {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts().hash(state)
    }
}

impl Ord for Money {
    fn cmp(&self, other: &Money) -> std::cmp::Ordering {
        let (an, ai, af) = self.parts();
        let (bn, bi, bf) = other.parts();
        // Magnitudes: more integer digits is larger (no leading zeros are stored), then the
        // digits themselves; fractions compare as text once trailing zeros are gone.
        let magnitude = ai.len().cmp(&bi.len()).then(ai.cmp(bi)).then(af.cmp(bf));
        match (an, bn) {
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
            (false, true) => std::cmp::Ordering::Greater,
            (true, false) => std::cmp::Ordering::Less,
        }
    }
}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Money) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({})", self.0)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_services_send() {
        let p = |s: &str| Money::parse(s).map(|m| m.0);
        assert_eq!(p("0.000700").as_deref(), Some("0.000700"));
        assert_eq!(p(" 12 ").as_deref(), Some("12"));
        assert_eq!(p("-1.5").as_deref(), Some("-1.5"));
        assert_eq!(p("+3").as_deref(), Some("3"));
        assert_eq!(p(".5").as_deref(), Some("0.5"));
        assert_eq!(p("007.10").as_deref(), Some("7.10"));
        assert_eq!(p("1e-4").as_deref(), Some("0.0001"));
        assert_eq!(p("1.25E2").as_deref(), Some("125"));
        assert_eq!(p("12E3").as_deref(), Some("12000"));
        assert_eq!(p("-0.0").as_deref(), Some("0.0"));
        for bad in [
            "", "-", ".", "NaN", "inf", "1.2.3", "1e999", "0x10", "1,5", "١٢",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
        assert_eq!(
            Money::from_json(&serde_json::json!(9.99915))
                .unwrap()
                .as_str(),
            "9.99915"
        );
        assert_eq!(
            Money::from_json(&serde_json::json!("0.00299"))
                .unwrap()
                .as_f64(),
            0.00299
        );
        assert!(Money::from_json(&serde_json::json!(null)).is_none());
    }

    #[test]
    fn compares_by_value_not_text() {
        let m = |s: &str| Money::parse(s).unwrap();
        assert_eq!(m("1.0"), m("1.00"));
        assert_eq!(m("1"), m("1.000"));
        assert_eq!(m("-0.0"), m("0"));
        assert_eq!(
            m("0.000700").as_str(),
            "0.000700",
            "the text keeps its zeros"
        );
        assert_ne!(m("1.01"), m("1.1"));
        let hash = |v: &Money| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            v.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&m("2.50")), hash(&m("2.5")));
        let mut v: Vec<Money> = [
            "10", "-1.5", "0.25", "9.99", "-10", "0.3", "0", "-1.25", "100.0",
        ]
        .iter()
        .map(|s| m(s))
        .collect();
        v.sort();
        let sorted: Vec<&str> = v.iter().map(Money::as_str).collect();
        assert_eq!(
            sorted,
            [
                "-10", "-1.5", "-1.25", "0", "0.25", "0.3", "9.99", "10", "100.0"
            ]
        );
        // Every pair orders as its exact value does (these all fit an f64 exactly enough).
        for a in &v {
            for b in &v {
                assert_eq!(a.cmp(b), a.as_f64().total_cmp(&b.as_f64()), "{a} vs {b}");
            }
        }
    }
}
