//! Secure storage: the trait that apps implement, and the built-in
//! `MemoryStorage` and `FileStorage`.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rand::RngCore;
use sha2::{Digest, Sha256};

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

impl MemoryStorage {
    /// Locks the map. A poisoned lock, left by a thread that panicked while
    /// holding it, is reported as a failure rather than a panic, because the
    /// map may be half updated.
    fn values(&self) -> Result<MutexGuard<'_, HashMap<String, Vec<u8>>>, StorageError> {
        self.values.lock().map_err(|_| StorageError::Failed {
            message: "memory storage is unusable: a thread panicked while using it".to_string(),
        })
    }
}

impl SecureStorage for MemoryStorage {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.values()?.get(&key).cloned())
    }

    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError> {
        self.values()?.insert(key, value);
        Ok(())
    }

    fn delete(&self, key: String) -> Result<(), StorageError> {
        self.values()?.remove(&key);
        Ok(())
    }
}

/// Storage in files of one folder: atomic replace, owner-only permissions.
///
/// Each key has one file, named from the key's bytes in hexadecimal, so a key
/// can never name a path outside the folder, and names stay distinct on file
/// systems that ignore case. Keys longer than `MAX_HEX_KEY_BYTES` are named by
/// their SHA-256 digest instead, to stay within file name limits.
pub struct FileStorage {
    directory: PathBuf,
}

/// Maximum length, in bytes, of a key that names its file by its own bytes.
/// Two hex digits a byte plus the prefix stay below the 255-byte file name
/// limit of common file systems.
const MAX_HEX_KEY_BYTES: usize = 100;

impl FileStorage {
    /// Creates `directory` when missing, readable by its owner only. An
    /// existing folder keeps its permissions.
    pub fn new(directory: PathBuf) -> Result<Self, StorageError> {
        create_private_directory(&directory).map_err(|error| StorageError::Failed {
            message: format!(
                "creating the storage folder {} failed: {error}",
                directory.display()
            ),
        })?;
        if !directory.is_dir() {
            return Err(StorageError::Failed {
                message: format!("the storage folder {} is not a folder", directory.display()),
            });
        }
        Ok(FileStorage { directory })
    }

    fn file_name(key: &str) -> String {
        if key.len() <= MAX_HEX_KEY_BYTES {
            format!("key-{}", hex(key.as_bytes()))
        } else {
            format!("sha256-{}", hex(&Sha256::digest(key.as_bytes())))
        }
    }

    /// Writes `value` to a new file beside the target and renames it over
    /// the target, so a reader sees the old value or the new one, never a
    /// partial write, even when the process dies midway.
    fn replace(&self, file_name: &str, value: &[u8]) -> io::Result<()> {
        let mut suffix = [0u8; 8];
        rand::thread_rng().fill_bytes(&mut suffix);
        let temporary = self
            .directory
            .join(format!(".{file_name}.{}.tmp", hex(&suffix)));
        let result = write_private_file(&temporary, value)
            .and_then(|()| fs::rename(&temporary, self.directory.join(file_name)))
            .and_then(|()| sync_directory(&self.directory));
        if result.is_err() {
            // Best effort: the write already failed, and a leftover temporary
            // file contains no more than the caller just tried to store.
            let _ = fs::remove_file(&temporary);
        }
        result
    }
}

impl SecureStorage for FileStorage {
    fn read(&self, key: String) -> Result<Option<Vec<u8>>, StorageError> {
        let file_name = Self::file_name(&key);
        match fs::read(self.directory.join(&file_name)) {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(failed("reading", &file_name, &error)),
        }
    }

    fn write(&self, key: String, value: Vec<u8>) -> Result<(), StorageError> {
        let file_name = Self::file_name(&key);
        self.replace(&file_name, &value)
            .map_err(|error| failed("writing", &file_name, &error))
    }

    fn delete(&self, key: String) -> Result<(), StorageError> {
        let file_name = Self::file_name(&key);
        match fs::remove_file(self.directory.join(&file_name)) {
            Ok(()) => sync_directory(&self.directory)
                .map_err(|error| failed("deleting", &file_name, &error)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(failed("deleting", &file_name, &error)),
        }
    }
}

fn failed(operation: &str, file_name: &str, error: &io::Error) -> StorageError {
    StorageError::Failed {
        message: format!("{operation} the storage file {file_name} failed: {error}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(unix)]
fn create_private_directory(directory: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(directory)
}

// NOTE: off Unix the folder and files get the platform's default permissions,
// so owner-only access there depends on where the app puts the folder.
#[cfg(not(unix))]
fn create_private_directory(directory: &Path) -> io::Result<()> {
    fs::create_dir_all(directory)
}

fn write_private_file(path: &Path, value: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(value)?;
    file.sync_all()
}

/// Makes a rename or removal in `directory` durable across a power loss.
#[cfg(unix)]
fn sync_directory(directory: &Path) -> io::Result<()> {
    File::open(directory)?.sync_all()
}

#[cfg(not(unix))]
fn sync_directory(_directory: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn file_storage() -> (tempfile::TempDir, FileStorage) {
        let folder = tempfile::tempdir().unwrap();
        let storage = FileStorage::new(folder.path().join("session")).unwrap();
        (folder, storage)
    }

    fn files_in(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(directory)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn memory_storage_round_trips() {
        let storage = MemoryStorage::default();
        storage.write("session".into(), b"value".to_vec()).unwrap();
        assert_eq!(
            storage.read("session".into()).unwrap(),
            Some(b"value".to_vec())
        );
    }

    #[test]
    fn memory_storage_reads_missing_key_as_none() {
        assert_eq!(MemoryStorage::default().read("none".into()).unwrap(), None);
    }

    #[test]
    fn memory_storage_deletes() {
        let storage = MemoryStorage::default();
        storage.write("session".into(), b"value".to_vec()).unwrap();
        storage.delete("session".into()).unwrap();
        assert_eq!(storage.read("session".into()).unwrap(), None);
        storage.delete("session".into()).unwrap();
    }

    #[test]
    fn memory_storage_with_poisoned_lock_fails_without_panic() {
        let storage = Arc::new(MemoryStorage::default());
        let poisoner = Arc::clone(&storage);
        let _ = std::thread::spawn(move || {
            let _guard = poisoner.values.lock().unwrap();
            panic!("poison the lock on purpose");
        })
        .join();
        assert!(matches!(
            storage.read("session".into()),
            Err(StorageError::Failed { .. })
        ));
        assert!(matches!(
            storage.write("session".into(), vec![1]),
            Err(StorageError::Failed { .. })
        ));
        assert!(matches!(
            storage.delete("session".into()),
            Err(StorageError::Failed { .. })
        ));
    }

    #[test]
    fn file_storage_round_trips() {
        let (_folder, storage) = file_storage();
        storage.write("session".into(), b"value".to_vec()).unwrap();
        assert_eq!(
            storage.read("session".into()).unwrap(),
            Some(b"value".to_vec())
        );
    }

    #[test]
    fn file_storage_reads_missing_key_as_none() {
        let (_folder, storage) = file_storage();
        assert_eq!(storage.read("session".into()).unwrap(), None);
    }

    #[test]
    fn file_storage_overwrites() {
        let (folder, storage) = file_storage();
        storage
            .write("session".into(), b"first, longer".to_vec())
            .unwrap();
        storage.write("session".into(), b"second".to_vec()).unwrap();
        assert_eq!(
            storage.read("session".into()).unwrap(),
            Some(b"second".to_vec())
        );
        // The temporary file was renamed over the target, not left behind.
        assert_eq!(files_in(&folder.path().join("session")).len(), 1);
    }

    #[test]
    fn file_storage_deletes() {
        let (folder, storage) = file_storage();
        storage.write("session".into(), b"value".to_vec()).unwrap();
        storage.delete("session".into()).unwrap();
        assert_eq!(storage.read("session".into()).unwrap(), None);
        assert!(files_in(&folder.path().join("session")).is_empty());
    }

    #[test]
    fn file_storage_deleting_missing_key_succeeds() {
        let (_folder, storage) = file_storage();
        storage.delete("never-written".into()).unwrap();
    }

    #[test]
    fn file_storage_keeps_keys_apart() {
        let (_folder, storage) = file_storage();
        storage.write("a".into(), b"1".to_vec()).unwrap();
        storage.write("A".into(), b"2".to_vec()).unwrap();
        assert_eq!(storage.read("a".into()).unwrap(), Some(b"1".to_vec()));
        assert_eq!(storage.read("A".into()).unwrap(), Some(b"2".to_vec()));
    }

    #[cfg(unix)]
    #[test]
    fn file_storage_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (folder, storage) = file_storage();
        storage.write("session".into(), b"value".to_vec()).unwrap();
        let directory = folder.path().join("session");
        for name in files_in(&directory) {
            let mode = fs::metadata(directory.join(&name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn file_storage_folder_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let (folder, _storage) = file_storage();
        let mode = fs::metadata(folder.path().join("session"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn file_storage_confines_parent_path_keys() {
        let folder = tempfile::tempdir().unwrap();
        let directory = folder.path().join("inner");
        let storage = FileStorage::new(directory.clone()).unwrap();
        for key in [
            "../escape",
            "../../etc/passwd",
            "/absolute",
            "a/b",
            ".",
            "..",
        ] {
            storage.write(key.into(), b"value".to_vec()).unwrap();
            assert_eq!(storage.read(key.into()).unwrap(), Some(b"value".to_vec()));
        }
        assert_eq!(files_in(folder.path()), vec!["inner"]);
        assert_eq!(files_in(&directory).len(), 6);
    }

    #[test]
    fn file_storage_handles_long_key() {
        let (_folder, storage) = file_storage();
        let key = "k".repeat(1000);
        storage.write(key.clone(), b"value".to_vec()).unwrap();
        assert_eq!(storage.read(key).unwrap(), Some(b"value".to_vec()));
    }

    #[test]
    fn file_storage_round_trips_large_value() {
        let (_folder, storage) = file_storage();
        let value: Vec<u8> = (0..100 * 1024).map(|index| (index % 251) as u8).collect();
        storage.write("session".into(), value.clone()).unwrap();
        assert_eq!(storage.read("session".into()).unwrap(), Some(value));
    }

    #[test]
    fn file_storage_persists_across_instances() {
        let folder = tempfile::tempdir().unwrap();
        let directory = folder.path().join("session");
        FileStorage::new(directory.clone())
            .unwrap()
            .write("session".into(), b"value".to_vec())
            .unwrap();
        let reopened = FileStorage::new(directory).unwrap();
        assert_eq!(
            reopened.read("session".into()).unwrap(),
            Some(b"value".to_vec())
        );
    }

    #[test]
    fn file_storage_on_a_file_path_fails() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plain-file");
        fs::write(&path, b"x").unwrap();
        assert!(matches!(
            FileStorage::new(path),
            Err(StorageError::Failed { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn file_storage_error_names_file_only() {
        let (folder, storage) = file_storage();
        let directory = folder.path().join("session");
        storage
            .write("session".into(), b"secret-value".to_vec())
            .unwrap();
        // Make the target a folder, so renaming over it fails even as root.
        let target = directory.join(FileStorage::file_name("other"));
        fs::create_dir(&target).unwrap();
        fs::write(target.join("x"), b"x").unwrap();
        let error = storage
            .write("other".into(), b"secret-value".to_vec())
            .unwrap_err();
        let StorageError::Failed { message } = error else {
            panic!("expected Failed");
        };
        assert!(
            message.starts_with("writing the storage file key-6f74686572"),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
        // The failed write left no temporary file behind.
        assert_eq!(files_in(&directory).len(), 2);
    }
}
