//! Moving from NextCaptcha to CaptchaAI is a change of provider name.
//!
//! The migration guide this project was built from walks through it the hard way: NextCaptcha
//! speaks the json protocol (`POST /createTask` with `{"clientKey", "task": {"type":
//! "RecaptchaV2TaskProxyless", "websiteURL", "websiteKey"}}`, then `/getTaskResult` until
//! `status: "ready"`), CaptchaAI the form protocol (`POST in.php` with `method=userrecaptcha`,
//! `googlekey`, `pageurl`, then `GET res.php?action=get` until `OK|token`), so every request,
//! reply check and error test has to be rewritten. With capbridge the task object stays the
//! same and only the provider's name changes; the codecs translate type names and fields.
//!
//! ```text
//! cargo run -p capbridge-examples --bin migration
//! ```
//!
//! It runs against the local emulator (no key, no money): the emulator serves NextCaptcha's
//! dialect under `/nextcaptcha/` and CaptchaAI's form protocol under `/captchaai/`.

use capbridge::{Client, RecaptchaV2};
use capbridge_emulator::{Config, Emulator};
use std::time::Duration;

const KEY: &str = "0123456789abcdef0123456789abcdef";

#[tokio::main]
async fn main() -> capbridge::Result<()> {
    let emu = Emulator::start(Config {
        time_scale: 0.05,
        ..Config::default()
    })
    .await
    .map_err(|e| capbridge::Error::usage(format!("cannot start the emulator: {e}")))?;

    // The same task for both providers.
    let task = RecaptchaV2::new(
        "https://example.com",
        "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
    );

    for provider in ["nextcaptcha", "captchaai"] {
        // Before: "nextcaptcha". After: "captchaai". Nothing else changes.
        let client = Client::builder(provider, KEY)
            .base_url(emu.url_for(provider)) // drop this line against the real services
            .initial_delay(Duration::from_millis(100))
            .poll_interval(Duration::from_millis(100))
            .build()?;
        let solution = client.solve(task.clone()).await?;
        let info = emu.task_by_id(&solution.task_id);
        println!(
            "{provider:>11}: solved as task {} (sent as {:?}); token {}…",
            solution.task_id,
            info.map(|t| t.method).unwrap_or_default(),
            solution.answer.chars().take(24).collect::<String>()
        );
    }
    emu.shutdown().await;
    Ok(())
}
