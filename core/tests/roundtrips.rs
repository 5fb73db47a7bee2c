use capbridge::Money;
#[test]
fn scratch() {
    for s in [
        "1e-64",
        "1e64",
        "0e-64",
        "1e63",
        "12345678901234567890123456789012345678901234567890123456789012345e-1",
        "1.5e-63",
    ] {
        let m = Money::parse(s);
        let back = m.as_ref().and_then(|m| Money::parse(m.as_str()));
        println!("{s} -> {:?} -> {:?}", m, back);
    }
}
