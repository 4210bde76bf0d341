//! The tokio runtime that the core owns. UniFFI polls exported futures from
//! foreign executors, where no tokio reactor runs, so every async export
//! spawns its work here and awaits the join handle, which needs no reactor.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("session-core")
            .enable_all()
            .build()
            .expect("the session-core tokio runtime could not start")
    })
}

/// Runs `future` to completion on the core's runtime. The work goes on when
/// the returned future is dropped, which is how a cancelled caller leaves a
/// renewal to finish and store its result.
pub async fn spawn<F, T>(future: F) -> T
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    match runtime().spawn(future).await {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => panic!("a session-core task was cancelled: {error}"),
    }
}

/// Starts `future` on the core's runtime without waiting for it.
pub fn spawn_detached<F>(future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    drop(runtime().spawn(future));
}
