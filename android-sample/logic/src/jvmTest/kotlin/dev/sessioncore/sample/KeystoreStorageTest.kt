package dev.sessioncore.sample

import dev.sessioncore.Session
import dev.sessioncore.SessionState
import dev.sessioncore.SignedOutReason
import dev.sessioncore.StorageException
import dev.sessioncore.sample.desktop.DevIdpProcess
import java.io.File
import java.io.IOException
import java.nio.file.Files
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.SecretKey
import javax.crypto.spec.SecretKeySpec
import kotlin.concurrent.thread
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class KeystoreStorageTest {
    private val folder: File = Files.createTempDirectory("keystore-storage-test").toFile()
    private val records = FileRecordStore(folder)
    private val keys = SwitchableKeyProvider()
    private val discarded = Collections.synchronizedList(mutableListOf<Pair<String, DiscardReason>>())
    private val storage = KeystoreStorage(keys, records) { name, reason -> discarded.add(name to reason) }
    private val value = "the session record".toByteArray()

    @AfterEach
    fun removeFolder() {
        folder.deleteRecursively()
    }

    @Test
    fun `written value reads back`() {
        storage.write("session", value)

        assertArrayEquals(value, storage.read("session"))
    }

    @Test
    fun `missing record reads as null`() {
        assertNull(storage.read("never-written"))
        assertTrue(discarded.isEmpty())
    }

    @Test
    fun `record is version IV ciphertext and tag`() {
        storage.write("session", value)

        val record = records.read("session")!!
        assertEquals(1 + 12 + value.size + 16, record.size)
        assertEquals(1.toByte(), record[0])
        assertFalse(String(record, Charsets.ISO_8859_1).contains("session record"), "the record holds the plaintext")
    }

    @Test
    fun `each write uses a fresh IV`() {
        val ivs = (1..20).map {
            storage.write("session", value)
            records.read("session")!!.copyOfRange(1, 13).toList()
        }

        assertEquals(20, ivs.toSet().size, "IVs repeated")
    }

    @Test
    fun `many writes leave one record file`() {
        repeat(20) { index -> storage.write("session", "value $index".toByteArray()) }

        assertEquals(listOf(records.fileOf("session").name), folder.list()!!.toList())
        assertArrayEquals("value 19".toByteArray(), storage.read("session"))
    }

    @Test
    fun `concurrent writes never overlap`() {
        val counting = CountingRecordStore(records)
        val shared = KeystoreStorage(keys, counting)
        val start = CountDownLatch(1)
        val written = ConcurrentHashMap.newKeySet<String>()
        val threads = (1..8).map { thread ->
            thread {
                start.await()
                repeat(25) { index ->
                    val text = "thread $thread write $index"
                    shared.write("session", text.toByteArray())
                    written.add(text)
                }
            }
        }

        start.countDown()
        threads.forEach { it.join() }

        assertEquals(1, counting.maxConcurrentWrites.get(), "writes overlapped")
        assertEquals(200, counting.writes.get())
        val last = String(shared.read("session")!!)
        assertTrue(last in written, "the stored value is not one that was written")
    }

    @Test
    fun `tampered record is removed`() {
        storage.write("session", value)
        val record = records.read("session")!!
        record[record.size - 1] = (record[record.size - 1].toInt() xor 1).toByte()
        records.write("session", record)

        assertNull(storage.read("session"))
        assertNull(records.read("session"), "the unreadable record was kept")
        assertEquals(listOf("session" to DiscardReason.UNDECRYPTABLE), discarded.toList())
    }

    @Test
    fun `record under another key is removed`() {
        storage.write("session", value)
        keys.deleteKey()

        assertNull(storage.read("session"))
        assertNull(records.read("session"))
        assertEquals(listOf("session" to DiscardReason.UNDECRYPTABLE), discarded.toList())
    }

    @Test
    fun `record copied to another name is removed`() {
        storage.write("first", value)
        records.write("second", records.read("first")!!)

        assertNull(storage.read("second"))
        assertArrayEquals(value, storage.read("first"))
    }

    @Test
    fun `truncated record is removed`() {
        storage.write("session", value)
        records.write("session", records.read("session")!!.copyOfRange(0, 20))

        assertNull(storage.read("session"))
        assertNull(records.read("session"))
        assertEquals(listOf("session" to DiscardReason.UNKNOWN_FORMAT), discarded.toList())
    }

    @Test
    fun `unknown format version is removed`() {
        storage.write("session", value)
        val record = records.read("session")!!
        record[0] = 2
        records.write("session", record)

        assertNull(storage.read("session"))
        assertEquals(listOf("session" to DiscardReason.UNKNOWN_FORMAT), discarded.toList())
    }

    @Test
    fun `invalidated key is deleted with the record`() {
        storage.write("session", value)
        keys.invalidate()

        assertNull(storage.read("session"))

        assertNull(records.read("session"))
        assertEquals(1, keys.deletions)
        assertEquals(listOf("session" to DiscardReason.KEY_INVALIDATED), discarded.toList())
    }

    @Test
    fun `write with invalidated key uses a new key`() {
        keys.invalidate()

        storage.write("session", value)

        assertEquals(1, keys.deletions)
        assertArrayEquals(value, storage.read("session"))
    }

    @Test
    fun `record store failure is a storage error`() {
        val failing = KeystoreStorage(keys, FailingRecordStore())

        val error = assertThrows(StorageException.Failed::class.java) { failing.read("session") }

        assertTrue(error.reason.startsWith("reading the session record failed"), error.reason)
    }

    @Test
    fun `key provider failure keeps the record`() {
        storage.write("session", value)
        keys.failing = true

        assertThrows(StorageException.Failed::class.java) { storage.read("session") }

        assertNotNull(records.read("session"))
        assertTrue(discarded.isEmpty())
    }

    @Test
    fun `record names map to files inside the folder`() {
        val file = records.fileOf("../outside")

        assertEquals(folder, file.parentFile)
        assertEquals("2e2e2f6f757473696465.record", file.name)
    }

    @Test
    fun `undecryptable session starts signed out`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp, storage).use { it.startAndLogIn() }
            keys.deleteKey()

            Session(sampleSettings(idp).authConfig(), storage).use { session ->
                assertEquals(SessionState.SignedOut(SignedOutReason.NO_CREDENTIALS), session.state.value)
                assertFalse(session.hasValidCredentials())
            }
            assertEquals(1, discarded.size, "discarded: $discarded")
            assertTrue(folder.list()!!.isEmpty(), "the folder still holds ${folder.list()!!.toList()}")
        }
    }

    @Test
    fun `session survives a restart with the same key`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp, storage).use { it.startAndLogIn() }

            SampleApp(idp, KeystoreStorage(keys, FileRecordStore(folder))).use { app ->
                app.controller.start().join()

                assertEquals("Ada Lovelace", app.profile().user.name)
            }
        }
    }
}

/**
 * A software key that a test can invalidate, as Android does when the lock
 * screen is removed. The invalid key then makes `Cipher.init` throw
 * `InvalidKeyException`, the superclass of `KeyPermanentlyInvalidatedException`.
 */
private class SwitchableKeyProvider : SecretKeyProvider {
    private val software = SoftwareKeyProvider()

    @Volatile private var invalidated = false

    @Volatile var failing = false

    @Volatile var deletions = 0

    fun invalidate() {
        invalidated = true
    }

    override fun getOrCreateKey(): SecretKey {
        if (failing) throw java.security.KeyStoreException("the test made the key store fail")
        return if (invalidated) SecretKeySpec(ByteArray(7), "AES") else software.getOrCreateKey()
    }

    override fun deleteKey() {
        deletions++
        invalidated = false
        software.deleteKey()
    }
}

/** Counts writes, and the maximum number of writes that ran at the same time. */
private class CountingRecordStore(private val inner: RecordStore) : RecordStore by inner {
    val writes = AtomicInteger()
    val maxConcurrentWrites = AtomicInteger()
    private val running = AtomicInteger()

    override fun write(name: String, record: ByteArray) {
        val now = running.incrementAndGet()
        maxConcurrentWrites.accumulateAndGet(now, ::maxOf)
        try {
            Thread.sleep(1)
            inner.write(name, record)
            writes.incrementAndGet()
        } finally {
            running.decrementAndGet()
        }
    }
}

private class FailingRecordStore : RecordStore {
    override fun read(name: String): ByteArray? = throw IOException("the test made the disk fail")
    override fun write(name: String, record: ByteArray) = throw IOException("the test made the disk fail")
    override fun delete(name: String) = throw IOException("the test made the disk fail")
}
