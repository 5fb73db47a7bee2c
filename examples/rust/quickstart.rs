//! capbridge quick start: solve one captcha of every kind and print each step.
//!
//! ```text
//! cargo run -p capbridge-examples --bin quickstart
//! ```
//!
//! With no settings it starts the local emulator in this process (no key, no money, no
//! network) and solves against it. To use a real service instead:
//!
//! ```text
//! CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=your32characterkey cargo run -p capbridge-examples --bin quickstart
//! ```
//!
//! `CAPBRIDGE_PROVIDER` is a preset name (`bigcaptcha`, `captchaai`, `2captcha`, `rucaptcha`,
//! `nextcaptcha`, `anti-captcha`, `capmonster`, `capsolver`, `2captcha-v2`) or a base URL. Against a real service the example solves only the kinds that have public
//! test site keys (image, reCAPTCHA v2, hCaptcha, Turnstile), with the service's real waits.

use capbridge::{
    Client, Event, FunCaptcha, HCaptcha, ImageToText, Provider, RecaptchaV2, RecaptchaV3, Task,
    Turnstile,
};
use capbridge_emulator::{Config, Emulator};
use std::time::{Duration, Instant};

const IMAGE: &[u8] = include_bytes!("../../tests/vectors/images/captcha.png");

fn print_event(e: &Event) {
    println!("  {e}");
}

fn tasks(real: bool) -> Vec<Task> {
    // Public test keys published by Google, hCaptcha and Cloudflare for their demo pages.
    let mut tasks: Vec<Task> = vec![
        ImageToText::new(IMAGE.to_vec()).into(),
        RecaptchaV2::new(
            "https://www.google.com/recaptcha/api2/demo",
            "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI",
        )
        .into(),
        HCaptcha::new(
            "https://accounts.hcaptcha.com/demo",
            "10000000-ffff-ffff-ffff-000000000001",
        )
        .into(),
        Turnstile::new("https://example.com/", "1x00000000000000000000AA").into(),
    ];
    if !real {
        tasks.push(
            RecaptchaV3::new(
                "https://example.com/checkout",
                "6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE",
            )
            .action("checkout")
            .min_score(0.3)
            .into(),
        );
        tasks.push(
            FunCaptcha::new(
                "https://example.com/signup",
                "12AB34CD-56F7-AB8C-9D01-2EF3456789A0",
            )
            .into(),
        );
    }
    tasks
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let provider = std::env::var("CAPBRIDGE_PROVIDER").ok();
    let key = std::env::var("CAPBRIDGE_API_KEY").ok();
    let (client, emulator) = match (provider, key) {
        (Some(p), Some(k)) => {
            println!("capbridge quick start against {p} (the service's real waits apply)");
            (
                Client::builder(p.as_str(), k)
                    .on_event(print_event)
                    .build()?,
                None,
            )
        }
        _ => {
            let emu = Emulator::start(Config::default()).await?;
            println!(
                "capbridge quick start against the local emulator at {}",
                emu.url()
            );
            println!("(set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY to use a real service)\n");
            // The emulator answers within a second, so this client polls every second. Real
            // services get the API documentation's waits (5-20 s first, then 5 s) by default.
            let client = Client::builder(
                Provider::custom(emu.url())?,
                "0123456789abcdef0123456789abcdef",
            )
            .initial_delay(Duration::from_secs(1))
            .poll_interval(Duration::from_millis(500))
            .on_event(print_event)
            .build()?;
            (client, Some(emu))
        }
    };
    println!("balance: {}\n", client.balance().await?);
    let started = Instant::now();
    let solves: Vec<_> = tasks(emulator.is_none())
        .into_iter()
        .map(|t| {
            let kind = t.kind();
            (kind, tokio::spawn(client.solve(t)))
        })
        .collect();
    let mut failed = 0;
    let mut lines = Vec::new();
    for (kind, h) in solves {
        match h.await? {
            Ok(s) => {
                let mut line = format!("{kind:<12} task {}: {}", s.task_id, short(&s.answer));
                if let Some(ua) = &s.user_agent {
                    line.push_str(&format!("\n{:<12} user agent: {}", "", short(ua)));
                }
                lines.push(line);
            }
            Err(e) => {
                failed += 1;
                lines.push(format!("{kind:<12} failed: {e}"));
            }
        }
    }
    println!("\nanswers after {:.1} s:", started.elapsed().as_secs_f64());
    for l in lines {
        println!("  {l}");
    }
    println!("\nbalance: {}", client.balance().await?);
    if let Some(emu) = emulator {
        let c = emu.counters();
        println!(
            "the emulator saw {} in.php and {} res.php requests, {} limit violations",
            c.in_requests,
            c.res_requests,
            c.violations_total()
        );
        emu.shutdown().await;
    }
    if failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}
