//! Storage that keeps values in memory and fails on demand, like a Keychain
//! that is locked before the first unlock or a disk that is full.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use session_core::{SecureStorage, StorageError};

/// The key the core stores its session record under.
pub const RECORD_KEY: &str = "sessioncore.credentials";

/// How an operation of `FaultyStorage` behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Works,
    /// Fails with `StorageError::Unavailable`, as a locked Keychain does.
    Unavailable,
    /// Fails with `StorageError::Failed`.
    Fails,
}

type WriteHook = Box<dyn Fn(&[u8]) + Send + Sync>;

/// In-memory storage whose reads, writes and deletes fail on demand, and
/// which counts each operation.
#[derive(Default)]
pub struct FaultyStorage {
    values: Mutex<HashMap<String, Vec<u8>>>,
    modes: Mutex<Modes>,
    reads: AtomicUsize,
    writes: AtomicUsize,
    deletes: AtomicUsize,
    on_write: Mutex<Option<WriteHook>>,
}

struct Modes {
    read: Mode,
    write: Mode,
    delete: Mode,
}

impl Default for Modes {
    fn default() -> Self {
        Modes {
            read: Mode::Works,
            write: Mode::Works,
            delete: Mode::Works,
        }
    }
}

impl FaultyStorage {
    pub fn new() -> Arc<Self> {
        Arc::new(FaultyStorage::default())
    }

    pub fn set_read(&self, mode: Mode) {
        self.modes.lock().unwrap().read = mode;
    }

    pub fn set_write(&self, mode: Mode) {
        self.modes.lock().unwrap().write = mode;
    }

    pub fn set_delete(&self, mode: Mode) {
        self.modes.lock().unwrap().delete = mode;
    }

    /// Runs `hook` with the bytes of every successful write, under the
    /// storage's own lock order (after the value is stored).
    pub fn on_write(&self, hook: impl Fn(&[u8]) + Send + Sync + 'static) {
        *self.on_write.lock().unwrap() = Some(Box::new(hook));
    }

    /// The stored session record, as bytes.
    pub fn raw(&self) -> Option<Vec<u8>> {
        self.values.lock().unwrap().get(RECORD_KEY).cloned()
    }

    /// Replaces the stored session record with `bytes`, bypassing the core.
    pub fn put_raw(&self, bytes: &[u8]) {
        self.values
            .lock()
            .unwrap()
            .insert(RECORD_KEY.to_string(), bytes.to_vec());
    }

    /// The stored session record parsed as JSON.
    pub fn record(&self) -> Option<Value> {
        self.raw().map(|bytes| {
            serde_json::from_slice(&bytes).expect("the stored session record is not JSON")
        })
    }

    /// The refresh token of the stored session record.
    pub fn stored_refresh_token(&self) -> Option<String> {
        self.record().and_then(|record| refresh_token_of(&record))
    }

    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }

    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }

    pub fn deletes(&self) -> usize {
        self.deletes.load(Ordering::SeqCst)
    }

    fn check(mode: &Mode, operation: &str) -> Result<(), StorageError> {
        match mode {
            Mode::Works => Ok(()),
            Mode::Unavailable => Err(StorageError::Unavailable {
                message: format!("the test Keychain is locked ({operation})"),
            }),
            Mode::Fails => Err(StorageError::Failed {
                message: format!("the test disk is full ({operation})"),
            }),
        }
    }
}

/// Reads the refresh token of a session record, whichever version wrote it.
pub fn refresh_token_of(record: &Value) -> Option<String> {
    let token = record
        .get("refresh_token")
        .or_else(|| record.get("credentials")?.get("refresh_token"))?;
    token.as_str().map(str::to_string)
}

impl SecureStorage for FaultyStorage {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        Self::check(&self.modes.lock().unwrap().read, "read")?;
        Ok(self.values.lock().unwrap().get(&key).cloned())
    }

    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        Self::check(&self.modes.lock().unwrap().write, "write")?;
        self.values.lock().unwrap().insert(key, value.clone());
        if let Some(hook) = self.on_write.lock().unwrap().as_ref() {
            hook(&value);
        }
        Ok(())
    }

    fn delete(&self, key: String) -> Result<(), StorageError> {
        self.deletes.fetch_add(1, Ordering::SeqCst);
        Self::check(&self.modes.lock().unwrap().delete, "delete")?;
        self.values.lock().unwrap().remove(&key);
        Ok(())
    }
}
