//! The core's own throughput in this process, for `bench/throughput.mjs` to print beside the
//! Node client's: the same options and task, solved by the core alone (no JavaScript per
//! solve). Compiled only with the cargo feature `bench`, into the module the benchmark builds
//! for itself: the published module does not carry it.

use crate::call;
use crate::errors::Walked;
use napi::bindgen_prelude::Unknown;
use napi::{Env, Result};
use napi_derive::napi;

/// Solves `task` `n` times with at most `concurrency` in flight, on a client made from
/// `options` exactly as `new Client(options)` makes it; returns the seconds from the first
/// submit to the last answer. Blocks the calling thread.
#[napi(js_name = "__coreThroughput", skip_typescript, catch_unwind)]
pub fn core_throughput(
    env: &Env,
    options: Unknown,
    task: Unknown,
    n: u32,
    concurrency: u32,
) -> Result<f64> {
    let prepared = (|| -> std::result::Result<_, Walked> {
        let (map, _) = call::client_options(env, options)?;
        let builder = capbridge::options::client_builder(map)?;
        let client = capbridge::blocking::ClientBuilder::from(builder).build()?;
        Ok((client.as_async().clone(), call::task(env, task)?))
    })();
    let (client, task) = prepared.map_err(|e| e.into_js(env))?;
    let rt = capbridge::runtime::shared().map_err(|e| crate::errors::to_js_error(env, &e))?;
    let (seconds, solved) = rt.block_on(async move {
        let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency.max(1) as usize));
        let start = std::time::Instant::now();
        let mut handles = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let Ok(permit) = sem.clone().acquire_owned().await else {
                break;
            };
            let fut = client.solve(task.clone());
            handles.push(tokio::spawn(async move {
                let ok = fut.await.is_ok();
                drop(permit);
                ok
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
    if solved != n {
        return Err(napi::Error::from_reason(format!(
            "only {solved} of {n} solves succeeded"
        )));
    }
    Ok(seconds)
}
