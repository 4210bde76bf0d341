//! Benchmarks of the session manager's hot paths, run with
//! `cargo bench -p session-core`. Figures are in BENCHMARKS.md.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use session_core::{
    file_storage, memory_storage, AuthConfig, AuthenticationClient, SessionManager,
};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn config(idp: &dev_idp::DevIdp) -> AuthConfig {
    AuthConfig {
        domain: Some(idp.base_url()),
        issuer: None,
        client_id: idp.client_id().to_string(),
        audience: None,
        scope: "openid profile email offline_access".to_string(),
        redirect_uri: "dev.sessioncore.bench://callback".to_string(),
        leeway_seconds: 60,
        timeout_ms: 10_000,
    }
}

async fn login(idp: &dev_idp::DevIdp) -> Arc<session_core::Credentials> {
    let client = AuthenticationClient::new(config(idp)).unwrap();
    let request = client.authorize(HashMap::new()).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = http.get(request.url()).send().await.unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_string();
    client.exchange_code(request, location).await.unwrap()
}

fn valid_session(c: &mut Criterion) {
    let runtime = runtime();
    let idp = runtime
        .block_on(dev_idp::DevIdp::start(dev_idp::Options::default()))
        .unwrap();
    let manager = SessionManager::new(config(&idp), memory_storage()).unwrap();
    manager
        .save_credentials(runtime.block_on(login(&idp)))
        .unwrap();
    let no_parameters = HashMap::new();

    c.bench_function("credentials() on a valid session", |b| {
        b.iter(|| {
            let call = manager.credentials(0, false, None, no_parameters.clone());
            black_box(poll_until_ready(call).unwrap())
        })
    });
    c.bench_function("has_valid_credentials", |b| {
        b.iter(|| black_box(manager.has_valid_credentials(60).unwrap()))
    });

    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().to_string_lossy().to_string();
    SessionManager::new(config(&idp), file_storage(path.clone()).unwrap())
        .unwrap()
        .save_credentials(runtime.block_on(login(&idp)))
        .unwrap();
    c.bench_function("restore a session from FileStorage in a new manager", |b| {
        b.iter(|| {
            let restored =
                SessionManager::new(config(&idp), file_storage(path.clone()).unwrap()).unwrap();
            black_box(restored.has_valid_credentials(0).unwrap())
        })
    });
}

/// 1,000 concurrent callers on an expired session, against one renewal
/// alone; asserts that the provider saw exactly one token request. Run with
/// no provider latency (all CPU, the worst case for the ratio) and with
/// 50 ms, a fast mobile network's round trip.
fn concurrent_expired_session(c: &mut Criterion) {
    let runtime = runtime();
    let idp = runtime
        .block_on(dev_idp::DevIdp::start(dev_idp::Options {
            access_token_lifetime: Duration::from_secs(1),
            ..dev_idp::Options::default()
        }))
        .unwrap();
    let mut group = c.benchmark_group("expired session");
    group.sample_size(10);
    for latency_ms in [0u64, 50] {
        let latency = Duration::from_millis(latency_ms);
        group.bench_function(format!("one caller, {latency_ms} ms latency"), |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    idp.set_latency(Duration::ZERO);
                    let manager = SessionManager::new(config(&idp), memory_storage()).unwrap();
                    manager
                        .save_credentials(runtime.block_on(login(&idp)))
                        .unwrap();
                    idp.set_latency(latency);
                    let started = Instant::now();
                    runtime.block_on(manager.renew()).unwrap();
                    total += started.elapsed();
                }
                total
            })
        });
        group.bench_function(
            format!("1,000 concurrent callers, {latency_ms} ms latency"),
            |b| {
                b.iter_custom(|iterations| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iterations {
                        idp.set_latency(Duration::ZERO);
                        let manager =
                            Arc::new(SessionManager::new(config(&idp), memory_storage()).unwrap());
                        manager
                            .save_credentials(runtime.block_on(login(&idp)))
                            .unwrap();
                        std::thread::sleep(Duration::from_millis(1100));
                        idp.set_latency(latency);
                        idp.reset_stats();
                        let started = Instant::now();
                        runtime.block_on(async {
                            let calls: Vec<_> = (0..1000)
                                .map(|_| {
                                    let manager = manager.clone();
                                    tokio::spawn(async move {
                                        manager.credentials(0, false, None, HashMap::new()).await
                                    })
                                })
                                .collect();
                            for call in calls {
                                call.await.unwrap().unwrap();
                            }
                        });
                        total += started.elapsed();
                        assert_eq!(idp.stats().token_requests_for("refresh_token"), 1);
                    }
                    total
                })
            },
        );
    }
    group.finish();
}

/// Polls a future that completes without waiting, as `credentials()` does on
/// a valid session, with no executor in between.
fn poll_until_ready<F: std::future::Future>(future: F) -> F::Output {
    let waker = std::task::Waker::noop();
    let mut context = std::task::Context::from_waker(waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

criterion_group!(benches, valid_session, concurrent_expired_session);
criterion_main!(benches);
