//! Secure storage: the trait that apps implement, and the built-in
//! `MemoryStorage` and `FileStorage`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::error::StorageError;

/// See the UDL.
#[uniffi::trait_interface]
pub trait SecureStorage: Send + Sync {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError>;
    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError>;
    fn delete(&self, key: String) -> Result<(), StorageError>;
}

/// Storage in process memory.
#[derive(Default)]
pub struct MemoryStorage {
    values: Mutex<HashMap<String, Vec<u8>>>,
}

impl SecureStorage for MemoryStorage {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError> {
        let _ = (&self.values, key);
        todo!("MemoryStorage::read")
    }
    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError> {
        let _ = (key, value);
        todo!("MemoryStorage::write")
    }
    fn delete(&self, key: String) -> Result<(), StorageError> {
        let _ = key;
        todo!("MemoryStorage::delete")
    }
}

/// Storage in files of one folder: atomic replace, owner-only permissions.
pub struct FileStorage {
    directory: PathBuf,
}

impl FileStorage {
    /// Creates `directory` when missing.
    pub fn new(directory: PathBuf) -> Result<Self, StorageError> {
        let _ = &directory;
        todo!("FileStorage::new")
    }
}

impl SecureStorage for FileStorage {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError> {
        let _ = (&self.directory, key);
        todo!("FileStorage::read")
    }
    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError> {
        let _ = (key, value);
        todo!("FileStorage::write")
    }
    fn delete(&self, key: String) -> Result<(), StorageError> {
        let _ = key;
        todo!("FileStorage::delete")
    }
}
