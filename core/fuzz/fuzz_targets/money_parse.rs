//! `Money::parse` on any text: normalised decimal text that parses back to itself, the same
//! value as the text it came from, and the same from JSON.

#![no_main]

use capbridge::Money;
use capbridge_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let parsed = Money::parse(&input);
    assert_eq!(
        Money::from_json(&serde_json::Value::String(input.to_string())),
        parsed,
        "from_json of a string differs from parse"
    );
    let Some(m) = parsed else {
        return;
    };
    check_money(&format!("Money::parse({input:?})"), &m);
    // The same value as the text (f64 is exact enough to catch a misplaced point).
    let t = input.trim();
    if t.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && let Ok(want) = t.parse::<f64>()
        && want.is_finite()
    {
        let got = m.as_f64();
        let tolerance = 1e-9 * want.abs().max(got.abs()) + f64::MIN_POSITIVE;
        assert!(
            (got - want).abs() <= tolerance,
            "{input:?} -> {m:?} ({got} vs {want})"
        );
    }
    // A JSON number holding the text reads the same.
    if let Ok(serde_json::Value::Number(n)) = serde_json::from_str::<serde_json::Value>(t)
        && let Some(from_number) = Money::from_json(&serde_json::Value::Number(n.clone()))
    {
        check_money(&format!("Money::from_json({n})"), &from_number);
    }
});
