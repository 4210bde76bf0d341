//! Thirty-two threads for ten seconds against the dev identity provider with
//! strict refresh token rotation, mixing `credentials()`, forced renewals,
//! `save_credentials` after fresh logins, `logout` and a clock that keeps
//! expiring the access token. Checks that nothing deadlocks or panics, and
//! that storage never receives a refresh token the provider had already
//! replaced. Also checks that every token request is a renewal that was
//! needed, so each one is either stored or revoked after a save or logout
//! overtook it.

#[path = "common/mod.rs"]
mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use dev_idp::{DevIdp, Options};
use rand::Rng;
use session_core::{SessionError, SessionManager};

use common::clock::TestClock;
use common::storage::{refresh_token_of, FaultyStorage};
use common::{idp, kind, no_parameters, secrets};

const THREADS: usize = 32;
const RUN_TIME: Duration = Duration::from_secs(10);
/// Time the workers get to finish their last call after the run; missing it
/// counts as a deadlock.
const FINISH_TIME: Duration = Duration::from_secs(30);
/// Access token lifetime at the provider; each clock tick jumps past it.
const ACCESS_TOKEN_LIFETIME: u64 = 60;
const TICK: Duration = Duration::from_millis(100);

/// What the storage hook saw, checked at every write.
#[derive(Default)]
struct WriteLog {
    /// Refresh tokens that came from logins rather than renewals.
    logins: HashSet<String>,
    /// Refresh tokens that were stored and then replaced.
    retired: HashSet<String>,
    last: Option<String>,
    renewal_writes: u64,
    violations: Vec<String>,
}

impl WriteLog {
    fn check(&mut self, idp: &DevIdp, record: &[u8]) {
        let Ok(record) = serde_json::from_slice::<serde_json::Value>(record) else {
            self.violations
                .push("storage received a record that is not JSON".into());
            return;
        };
        let Some(refresh_token) = refresh_token_of(&record) else {
            self.violations
                .push("storage received a record without refresh token".into());
            return;
        };
        if self.last.as_deref() == Some(refresh_token.as_str()) {
            return;
        }
        if self.retired.contains(&refresh_token) {
            self.violations
                .push("a replaced refresh token was stored again".into());
        }
        if !idp.is_refresh_token_valid(&refresh_token) {
            self.violations
                .push("storage received a refresh token the provider had replaced".into());
        }
        if !self.logins.contains(&refresh_token) {
            self.renewal_writes += 1;
        }
        if let Some(previous) = self.last.replace(refresh_token.clone()) {
            self.retired.insert(previous);
        }
        for field in ["access_token", "id_token", "refresh_token"] {
            if let Some(token) = record.get(field).and_then(|value| value.as_str()) {
                secrets::record(token);
            }
        }
    }
}

/// Outcomes of the workers' calls, by name.
#[derive(Default)]
struct Outcomes(Mutex<BTreeMap<String, u64>>);

impl Outcomes {
    fn count(&self, name: &str) {
        *self.0.lock().unwrap().entry(name.to_string()).or_default() += 1;
    }
}

fn worker(
    manager: Arc<SessionManager>,
    log: Arc<Mutex<WriteLog>>,
    outcomes: Arc<Outcomes>,
    stop: Arc<AtomicBool>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut random = rand::thread_rng();
    while !stop.load(Ordering::SeqCst) {
        // Out of 10 000: mostly reads, a few forced renewals, and rare
        // logins and logouts, as an app's calls are spread.
        let roll = random.gen_range(0..10_000);
        let result: Result<&str, SessionError> = runtime.block_on(async {
            match roll {
                0..=7_499 => manager
                    .credentials(0, false, None, no_parameters())
                    .await
                    .map(|_| "credentials"),
                7_500..=8_299 => manager
                    .credentials(0, true, None, no_parameters())
                    .await
                    .map(|_| "credentials with id_token"),
                8_300..=9_949 => manager
                    .has_valid_credentials(0)
                    .map(|_| "has_valid_credentials"),
                9_950..=9_989 => manager.renew().await.map(|_| "renew"),
                9_990..=9_996 => {
                    let login = idp::log_in(&manager.authentication_client()).await;
                    let refresh_token = login.refresh_token().expect("a refresh token");
                    log.lock().unwrap().logins.insert(refresh_token);
                    manager.save_credentials(login).map(|_| "save_credentials")
                }
                _ => manager.logout(false).await.map(|_| "logout"),
            }
        });
        match result {
            Ok(name) => outcomes.count(name),
            Err(SessionError::Network { message }) => {
                outcomes.count(&format!("error Network {message}"))
            }
            Err(error) => outcomes.count(&format!("error {}", kind(&error))),
        }
        thread::sleep(Duration::from_micros(random.gen_range(0..2_000)));
    }
}

#[test]
fn mixed_calls_under_rotation_keep_invariants() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let idp = Arc::new(runtime.block_on(idp::start(Options {
        rotation: true,
        access_token_lifetime: Duration::from_secs(ACCESS_TOKEN_LIFETIME),
        ..Options::default()
    })));
    let storage = FaultyStorage::new();
    let clock = TestClock::new();
    let manager =
        SessionManager::with_clock(idp::config(&idp, 10_000), storage.clone(), clock.clock());
    let manager = Arc::new(manager.expect("creating the manager"));
    let log = Arc::new(Mutex::new(WriteLog::default()));
    {
        let log = log.clone();
        let idp = idp.clone();
        storage.on_write(move |record| log.lock().unwrap().check(&idp, record));
    }
    let first = runtime.block_on(idp::log_in(&manager.authentication_client()));
    log.lock()
        .unwrap()
        .logins
        .insert(first.refresh_token().expect("a refresh token"));
    manager
        .save_credentials(first)
        .expect("saving the first login");
    idp.reset_stats();

    let stop = Arc::new(AtomicBool::new(false));
    let outcomes = Arc::new(Outcomes::default());
    let (finished, finishes) = mpsc::channel();
    let mut workers = Vec::new();
    for _ in 0..THREADS {
        let (manager, log, outcomes, stop) =
            (manager.clone(), log.clone(), outcomes.clone(), stop.clone());
        let finished = finished.clone();
        workers.push(thread::spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                worker(manager, log, outcomes, stop)
            }));
            let _ = finished.send(());
            if let Err(panic) = result {
                std::panic::resume_unwind(panic);
            }
        }));
    }
    let ticks = Arc::new(AtomicU64::new(0));
    let ticker = {
        let (clock, stop, ticks) = (clock.clone(), stop.clone(), ticks.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                thread::sleep(TICK);
                clock.advance(ACCESS_TOKEN_LIFETIME as i64 + 1);
                ticks.fetch_add(1, Ordering::SeqCst);
            }
        })
    };

    thread::sleep(RUN_TIME);
    stop.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + FINISH_TIME;
    for done in 0..THREADS {
        let left = deadline.saturating_duration_since(Instant::now());
        if finishes.recv_timeout(left).is_err() {
            panic!(
                "deadlock: {} of {THREADS} workers did not finish within {FINISH_TIME:?}",
                THREADS - done
            );
        }
    }
    for worker in workers {
        assert!(worker.join().is_ok(), "a worker panicked");
    }
    ticker.join().unwrap();
    // Revocations of overtaken renewals run in the background.
    thread::sleep(Duration::from_secs(1));

    let outcomes = outcomes.0.lock().unwrap().clone();
    let stats = idp.stats();
    let log = log.lock().unwrap();
    eprintln!(
        "stress: {} clock ticks, outcomes {outcomes:?}, {} renewal writes, {} refresh requests, {} revocations",
        ticks.load(Ordering::SeqCst),
        log.renewal_writes,
        stats.token_requests_for("refresh_token"),
        stats.revocation_requests,
    );
    assert!(
        log.violations.is_empty(),
        "violations: {:?}",
        log.violations
    );
    for unexpected in [
        "LoginRequired",
        "InvalidResponse",
        "InvalidIdToken",
        "ClockSkew",
        "StorageUnavailable",
        "StorageFailed",
        "Server",
        "Rejected",
        "Configuration",
    ] {
        assert!(
            !outcomes.contains_key(&format!("error {unexpected}")),
            "a call failed with {unexpected}"
        );
    }
    assert!(
        log.renewal_writes >= 10,
        "only {} renewals: the run did not exercise renewal",
        log.renewal_writes
    );
    assert_eq!(
        stats.token_requests_for("refresh_token"),
        log.renewal_writes + stats.revocation_requests,
        "token requests beyond the renewals needed (stored, or overtaken and revoked)"
    );
    if let Some(stored) = storage.stored_refresh_token() {
        assert!(
            idp.is_refresh_token_valid(&stored),
            "the stored refresh token is no longer valid at the provider"
        );
    }
    drop(runtime);
}
