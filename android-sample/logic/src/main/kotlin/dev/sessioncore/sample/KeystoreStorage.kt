package dev.sessioncore.sample

import dev.sessioncore.SecureStorage
import dev.sessioncore.StorageException
import java.io.IOException
import java.security.GeneralSecurityException
import java.security.InvalidAlgorithmParameterException
import java.security.InvalidKeyException
import java.util.concurrent.locks.ReentrantLock
import javax.crypto.AEADBadTagException
import javax.crypto.BadPaddingException
import javax.crypto.Cipher
import javax.crypto.IllegalBlockSizeException
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import kotlin.concurrent.withLock

/**
 * Supplies the AES-256 key that encrypts the session record. On Android the
 * key lives in the Android Keystore and never leaves it; tests use a key in
 * memory.
 */
interface SecretKeyProvider {
    /** Returns the key, creating it on first use. */
    fun getOrCreateKey(): SecretKey

    /** Deletes the key after the platform invalidated it; the next [getOrCreateKey] creates a new one. */
    fun deleteKey()
}

/** Where encrypted records are kept: one opaque byte record per name. */
interface RecordStore {
    /** Returns the record stored under [name], or null when there is none. */
    @Throws(IOException::class)
    fun read(name: String): ByteArray?

    /** Replaces the record under [name] as one atomic step. */
    @Throws(IOException::class)
    fun write(name: String, record: ByteArray)

    /** Deletes the record under [name]; deleting a missing record succeeds. */
    @Throws(IOException::class)
    fun delete(name: String)
}

/** Why [KeystoreStorage] removed a record instead of returning it. */
enum class DiscardReason {
    /** The record is too short or has a format version this code does not know. */
    UNKNOWN_FORMAT,

    /** Decryption failed: the record was changed, or was written with another key. */
    UNDECRYPTABLE,

    /**
     * The platform invalidated the key, for example after the device's lock
     * screen was removed. The key was deleted too.
     */
    KEY_INVALIDATED,
}

/**
 * The sample's [SecureStorage]: each value is encrypted with AES-256-GCM under
 * a key from [keys] and kept as one record in [records].
 *
 * A record is a format version byte, the 12-byte IV, then the ciphertext with
 * its 16-byte tag. Every write gets a fresh IV from the cipher, because the
 * Android Keystore rejects IVs chosen by the caller. The storage key name is
 * authenticated with the record, so a record copied under another name does
 * not decrypt.
 *
 * Calls are serialized, so concurrent writes never interleave. A record that
 * cannot be decrypted, or whose key was invalidated, is removed and read as
 * absent, which the core reports as signed out; [onRecordDiscarded] hears why.
 * Failures of the record store or of the key provider are thrown as
 * [StorageException.Failed] and leave the record in place.
 */
class KeystoreStorage(
    private val keys: SecretKeyProvider,
    private val records: RecordStore,
    private val onRecordDiscarded: (name: String, reason: DiscardReason) -> Unit = { _, _ -> },
) : SecureStorage {
    private val lock = ReentrantLock()

    override fun read(key: String): ByteArray? = lock.withLock {
        val record = storeCall("reading") { records.read(key) } ?: return null
        if (record.size < HEADER_SIZE + TAG_BYTES || record[0] != FORMAT_VERSION) {
            return discard(key, DiscardReason.UNKNOWN_FORMAT)
        }
        val secretKey = keyCall { keys.getOrCreateKey() }
        try {
            decrypt(secretKey, key, record)
        } catch (invalidated: InvalidKeyException) {
            // Android throws KeyPermanentlyInvalidatedException, a subclass,
            // when the key can never be used again.
            keyCall { keys.deleteKey() }
            discard(key, DiscardReason.KEY_INVALIDATED)
        } catch (badRecord: GeneralSecurityException) {
            if (!isRecordFault(badRecord)) throw StorageException.Failed("decrypting the session record failed: $badRecord")
            discard(key, DiscardReason.UNDECRYPTABLE)
        }
    }

    override fun write(key: String, value: ByteArray) = lock.withLock {
        val record = try {
            encrypt(keyCall { keys.getOrCreateKey() }, key, value)
        } catch (invalidated: InvalidKeyException) {
            // Records under the old key cannot be read any more; they are
            // discarded when read. This one goes under a new key.
            keyCall { keys.deleteKey() }
            try {
                encrypt(keyCall { keys.getOrCreateKey() }, key, value)
            } catch (error: GeneralSecurityException) {
                throw StorageException.Failed("encrypting the session record failed with a new key: $error")
            }
        } catch (error: GeneralSecurityException) {
            throw StorageException.Failed("encrypting the session record failed: $error")
        }
        storeCall("writing") { records.write(key, record) }
    }

    override fun delete(key: String) = lock.withLock {
        storeCall("deleting") { records.delete(key) }
    }

    private fun encrypt(secretKey: SecretKey, name: String, plaintext: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, secretKey)
        val iv = cipher.iv
        if (iv == null || iv.size != IV_BYTES) {
            throw StorageException.Failed("the cipher chose a ${iv?.size ?: 0}-byte IV; AES-GCM records need $IV_BYTES bytes")
        }
        cipher.updateAAD(name.toByteArray(Charsets.UTF_8))
        val ciphertext = cipher.doFinal(plaintext)
        return byteArrayOf(FORMAT_VERSION) + iv + ciphertext
    }

    private fun decrypt(secretKey: SecretKey, name: String, record: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, secretKey, GCMParameterSpec(TAG_BYTES * 8, record, 1, IV_BYTES))
        cipher.updateAAD(name.toByteArray(Charsets.UTF_8))
        return cipher.doFinal(record, HEADER_SIZE, record.size - HEADER_SIZE)
    }

    /**
     * Tells whether [error] comes from the record's bytes rather than from the
     * cipher or its provider.
     *
     * NOTE: some Android versions report a failing Keystore operation as
     * IllegalBlockSizeException too, so such a failure also removes the record
     * and the user logs in again.
     */
    private fun isRecordFault(error: GeneralSecurityException): Boolean =
        error is AEADBadTagException ||
            error is BadPaddingException ||
            error is IllegalBlockSizeException ||
            error is InvalidAlgorithmParameterException

    private fun discard(name: String, reason: DiscardReason): ByteArray? {
        storeCall("removing an unreadable") { records.delete(name) }
        onRecordDiscarded(name, reason)
        return null
    }

    private inline fun <T> storeCall(what: String, call: () -> T): T =
        try {
            call()
        } catch (error: IOException) {
            throw StorageException.Failed("$what the session record failed: $error")
        }

    private inline fun <T> keyCall(call: () -> T): T =
        try {
            call()
        } catch (error: GeneralSecurityException) {
            throw StorageException.Failed("the encryption key is not available: $error")
        }

    private companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val FORMAT_VERSION: Byte = 1
        const val IV_BYTES = 12
        const val TAG_BYTES = 16
        const val HEADER_SIZE = 1 + IV_BYTES
    }
}
