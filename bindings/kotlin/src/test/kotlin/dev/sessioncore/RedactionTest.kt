package dev.sessioncore

import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

/** `toString()` of everything that carries a token must not print it. */
@Timeout(60)
class RedactionTest {
    @Test
    fun `credentials toString shows no token`() {
        val credentials = Credentials("access-secret-1", "Bearer", null, "refresh-secret-1", 600u, "openid")

        val text = credentials.toString()

        assertContainsNoSecret(text, credentials.tokens(), "Credentials.toString()")
        assertTrue(text.contains("Bearer"), "Credentials.toString() should still show the token type: $text")
    }

    @Test
    fun `logged-in credentials toString shows no token`() = runSuspend {
        DevIdp.start().use { idp ->
            val credentials = logInWithClient(AuthenticationClient(idp.authConfig()))

            assertContainsNoSecret(credentials.toString(), credentials.tokens(), "Credentials.toString()")
        }
    }

    @Test
    fun `delegation toString shows no token`() = runSuspend {
        DevIdp.start().use { idp ->
            val client = AuthenticationClient(idp.authConfig())
            val login = logInWithClient(client)

            val delegation = client.delegationWithIdToken(login.idToken()!!).recorded()

            val secrets = login.tokens() + delegation.idToken()
            assertContainsNoSecret(delegation.toString(), secrets, "Delegation.toString()")
        }
    }

    @Test
    fun `StorageFailed toString shows no token`() {
        val credentials = Credentials("access-secret-2", "Bearer", null, "refresh-secret-2", 600u, null)
        val error = SessionException.StorageFailed(credentials, "the disk is full")

        assertContainsNoSecret(error.toString(), credentials.tokens(), "StorageFailed.toString()")
        assertContainsNoSecret(error.message, credentials.tokens(), "StorageFailed.message")
    }

    @Test
    fun `StorageUnavailable toString shows no token`() {
        val credentials = Credentials("access-secret-3", "Bearer", null, "refresh-secret-3", 600u, null)
        val error = SessionException.StorageUnavailable(credentials, "the keychain is locked")

        assertContainsNoSecret(error.toString(), credentials.tokens(), "StorageUnavailable.toString()")
        assertContainsNoSecret(error.message, credentials.tokens(), "StorageUnavailable.message")
    }
}
