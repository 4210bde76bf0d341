package dev.sessioncore

import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class StateTest {
    @Test
    fun `listener receives every state in order`() = runSuspend {
        DevIdp.start().use { idp ->
            val manager = SessionManager(idp.authConfig(), InMemorySecureStorage())
            val listener = RecordingListener()
            manager.setListener(listener)
            val login = logInWithClient(manager.authenticationClient())

            manager.saveCredentials(login.expiredCopy())
            manager.credentials(0u, false, null, emptyMap())
            manager.logout(false)

            val expected = listOf(
                SessionState.SignedOut(SignedOutReason.NO_CREDENTIALS),
                SessionState.SignedIn,
                SessionState.Renewing,
                SessionState.SignedIn,
                SessionState.SignedOut(SignedOutReason.LOGGED_OUT),
            )
            awaitCondition(description = "the listener received ${expected.size} states") {
                listener.states().size >= expected.size
            }
            assertEquals(expected, listener.states())
            manager.setListener(null)
            manager.close()
        }
    }

    @Test
    fun `state flow follows login and logout`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val states = session.state
                assertEquals(SessionState.SignedOut(SignedOutReason.NO_CREDENTIALS), states.value)

                session.logInAtDevIdp()
                withTimeout(5.seconds) { states.first { it == SessionState.SignedIn } }

                session.logout(revoke = false)
                val signedOut = withTimeout(5.seconds) { states.first { it is SessionState.SignedOut } }
                assertEquals(SessionState.SignedOut(SignedOutReason.LOGGED_OUT), signedOut)
            }
        }
    }

    @Test
    fun `rejected refresh token signs out`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                idp.revokeAll()

                assertThrowsOf<SessionException.LoginRequired> { session.credentials() }

                assertEquals(SessionState.SignedOut(SignedOutReason.REFRESH_TOKEN_REJECTED), session.manager.state())
                assertEquals(false, session.hasValidCredentials())
            }
        }
    }
}
