//! The core alone, for `bench/throughput.py` to set beside the Python clients: `n` solves of
//! a reCAPTCHA v2 task, at most `concurrency` at once, against a base URL with the request
//! limits lifted (a custom provider's documented option) and batch polls.
//!
//! ```sh
//! cargo bench -p capbridge-python --bench core_throughput -- BASE_URL API_KEY N CONCURRENCY
//! ```
//!
//! Prints one line: `seconds solved`.

use capbridge::{Client, Limits, Provider, RecaptchaV2, Task};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [url, key, n, concurrency] = args.as_slice() else {
        eprintln!("usage: core_throughput BASE_URL API_KEY N CONCURRENCY");
        return Ok(());
    };
    let (n, concurrency): (usize, usize) = (n.parse()?, concurrency.parse()?);
    let rt = capbridge::runtime::shared()?;
    let provider = Provider::custom(url)?.with_limits(Limits::unlimited())?;
    let client = Client::builder(provider, key.as_str())
        .runtime(rt.handle().clone())
        .initial_delay(Duration::from_millis(1))
        .poll_interval(Duration::from_millis(1))
        .batch_polling(true)
        .build()?;
    let task: Task = RecaptchaV2::new(
        "https://example.com/login",
        "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
    )
    .into();
    let (secs, solved) = rt.block_on(async move {
        let sem = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        let start = Instant::now();
        let mut handles = Vec::with_capacity(n);
        for _ in 0..n {
            let permit = sem.clone().acquire_owned().await;
            let fut = client.solve(task.clone());
            handles.push(tokio::spawn(async move {
                let r = fut.await;
                drop(permit);
                r.is_ok()
            }));
        }
        let mut solved = 0;
        for h in handles {
            if matches!(h.await, Ok(true)) {
                solved += 1;
            }
        }
        (start.elapsed().as_secs_f64(), solved)
    });
    println!("{secs} {solved}");
    Ok(())
}
