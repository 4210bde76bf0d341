package dev.sessioncore

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class StorageTest {
    @Test
    fun `memory storage stores copies`() {
        val storage = InMemorySecureStorage()
        val value = byteArrayOf(1, 2, 3)

        storage.write("key", value)
        value[0] = 9
        storage.read("key")!![1] = 9

        assertArrayEquals(byteArrayOf(1, 2, 3), storage.read("key"))
    }

    @Test
    fun `memory storage reads missing key as null`() {
        val storage = InMemorySecureStorage()
        storage.write("key", byteArrayOf(1))

        storage.delete("key")
        storage.delete("never-written")

        assertNull(storage.read("key"))
        assertNull(storage.read("never-written"))
    }

    @Test
    fun `saved credentials reach Kotlin storage`() = runSuspend {
        DevIdp.start().use { idp ->
            val storage = InMemorySecureStorage()
            Session(idp.authConfig(), storage).use { session ->
                assertTrue(storage.keys().isEmpty(), "creating a session wrote to storage")

                session.logInAtDevIdp()

                assertEquals(1, storage.keys().size, "expected one stored record, got ${storage.keys()}")
            }
        }
    }

    @Test
    fun `locked storage during renewal returns credentials`() = runSuspend {
        DevIdp.start().use { idp ->
            val storage = FaultyStorage()
            Session(idp.authConfig(), storage).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                storage.unavailable = true

                val failure = assertThrowsOf<SessionException.StorageUnavailable> { session.credentials() }

                val renewed = requireNotNull(failure.credentials) { "StorageUnavailable carries no renewed credentials" }
                assertNotEquals(login.accessToken(), renewed.accessToken())
                assertEquals(renewed.accessToken(), session.credentials().accessToken(), "renewed tokens not kept in memory")
            }
        }
    }

    @Test
    fun `failed write fails saving credentials`() = runSuspend {
        DevIdp.start().use { idp ->
            val storage = FaultyStorage().apply { failWrites = true }
            Session(idp.authConfig(), storage).use { session ->
                val login = logInWithClient(session.authenticationClient)

                assertThrowsOf<SessionException.StorageFailed> { session.saveCredentials(login) }
            }
        }
    }

    @Test
    fun `failed write after renewal returns credentials`() = runSuspend {
        DevIdp.start("--rotation", "on").use { idp ->
            val storage = FaultyStorage()
            Session(idp.authConfig(), storage).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                val storedBefore = storage.read(storage.keys().single())
                storage.failWrites = true

                val failure = assertThrowsOf<SessionException.StorageFailed> { session.credentials() }

                val renewed = requireNotNull(failure.credentials) { "StorageFailed carries no credentials" }.recorded()
                assertNotEquals(login.accessToken(), renewed.accessToken())
                assertArrayEquals(storedBefore, storage.read(storage.keys().single()), "the stored record changed")
                val tokenRequests = idp.stats().refreshGrants
                assertEquals(renewed.accessToken(), session.credentials().accessToken(), "renewed tokens not kept in memory")
                assertEquals(tokenRequests, idp.stats().refreshGrants)
            }
        }
    }

    @Test
    fun `unavailable storage keeps the session`() = runSuspend {
        DevIdp.start().use { idp ->
            val storage = FaultyStorage()
            Session(idp.authConfig(), storage).use { it.logInAtDevIdp() }
            storage.unavailable = true

            Session(idp.authConfig(), storage).use { session ->
                assertThrowsOf<SessionException.StorageUnavailable> { session.hasValidCredentials() }
                assertEquals(SessionState.StorageUnavailable, session.manager.state())

                storage.unavailable = false
                assertTrue(session.hasValidCredentials(), "the session was lost while storage was unavailable")
            }
        }
    }
}
