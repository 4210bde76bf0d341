package dev.sessioncore.sample

import dev.sessioncore.RevocationOutcome
import dev.sessioncore.SessionException
import dev.sessioncore.SignedOutReason
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class UserMessagesTest {
    private val everyError: List<SessionException> = listOf(
        SessionException.NoCredentials(),
        SessionException.NoRefreshToken(),
        SessionException.LoginRequired("invalid_grant"),
        SessionException.Network("connection refused"),
        SessionException.Server(503u, "unavailable", null),
        SessionException.Rejected(400u, "invalid_scope", "scope not allowed"),
        SessionException.InvalidResponse("not JSON"),
        SessionException.InvalidIdToken("bad signature"),
        SessionException.ClockSkew("iat in the future"),
        SessionException.AuthorizationFailed("access_denied"),
        SessionException.StorageUnavailable(null, "locked"),
        SessionException.StorageFailed(null, "disk full"),
        SessionException.Configuration("no /delegation endpoint"),
        SessionException.MinTtlTooLarge(60u, 30u),
        SessionException.LoggedOut(),
    )

    @Test
    fun `only ended sessions require login`() {
        val requiring = everyError.filter(UserMessages::requiresLogin).map { it::class.simpleName }

        assertEquals(listOf("NoCredentials", "NoRefreshToken", "LoginRequired"), requiring)
    }

    @Test
    fun `every failure has an error message`() {
        everyError.filterNot { it is SessionException.LoggedOut }.forEach { error ->
            val message = UserMessages.forError(error)
            assertTrue(message.isError, "${error::class.simpleName} is not shown as an error")
            assertTrue(message.text.endsWith("."), "${error::class.simpleName}: ${message.text}")
        }
    }

    @Test
    fun `network message hides the technical reason`() {
        val text = UserMessages.forError(SessionException.Network("connection refused")).text

        assertEquals("Cannot reach the login server. Check your connection and try again.", text)
    }

    @Test
    fun `server message names retry delay`() {
        val text = UserMessages.forError(SessionException.Server(429u, "slow down", 30u)).text

        assertEquals("The login server is busy (HTTP 429). Try again in 30 s.", text)
    }

    @Test
    fun `rejected message names the OAuth error`() {
        val text = UserMessages.forError(SessionException.Rejected(400u, "invalid_scope", "")).text

        assertTrue(text.contains("(invalid_scope)"), text)
    }

    @Test
    fun `logged out during a call is no error`() {
        assertFalse(UserMessages.forError(SessionException.LoggedOut()).isError)
    }

    @Test
    fun `failed revocation still says logged out`() {
        val message = UserMessages.forLogout(RevocationOutcome.Failed("timed out"))

        assertTrue(message.isError)
        assertTrue(message.text.startsWith("You are logged out on this device"), message.text)
        assertEquals(UserMessages.loggedOut, UserMessages.forLogout(RevocationOutcome.Revoked))
        assertEquals(UserMessages.loggedOut, UserMessages.forLogout(RevocationOutcome.NoRefreshToken))
    }

    @Test
    fun `signed out reasons map to login messages`() {
        assertNull(UserMessages.forSignedOut(SignedOutReason.NO_CREDENTIALS))
        assertEquals(UserMessages.loggedOut, UserMessages.forSignedOut(SignedOutReason.LOGGED_OUT))
        assertEquals(UserMessages.sessionEnded, UserMessages.forSignedOut(SignedOutReason.REFRESH_TOKEN_REJECTED))
        assertTrue(UserMessages.forSignedOut(SignedOutReason.UNREADABLE_RECORD)!!.isError)
    }
}
