package dev.sessioncore

import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class CancellationTest {
    @Test
    fun `cancelled renewal keeps rotated token`() = runSuspend {
        DevIdp.start("--rotation", "on").use { idp ->
            val storage = InMemorySecureStorage()
            val login = Session(idp.authConfig(), storage).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                // Delay every token response so that the renewal is still at the
                // provider when its caller is cancelled.
                idp.configure("""{"latency_ms": 1500}""")
                val tokenRequests = idp.stats().refreshGrants
                val states = session.state

                val caller = launch(Dispatchers.Default) { session.credentials() }
                withTimeout(5.seconds) { states.first { it is SessionState.Renewing } }
                caller.cancel()
                caller.join()

                assertTrue(caller.isCancelled, "the caller finished before it was cancelled")
                withTimeout(10.seconds) { states.first { it is SessionState.SignedIn } }
                assertEquals(tokenRequests + 1, idp.stats().refreshGrants)
                login
            }
            idp.configure("""{"latency_ms": 0}""")

            // A new session reads only what storage holds. With rotation on, the
            // refresh token from login is spent, so a forced renewal succeeds
            // only if the cancelled renewal stored the rotated one.
            Session(idp.authConfig(), storage).use { session ->
                val stored = session.credentials().recorded()
                assertNotEquals(login.refreshToken(), stored.refreshToken(), "the rotated refresh token was lost")

                val renewed = session.renew().recorded()

                assertNotEquals(stored.refreshToken(), renewed.refreshToken())
            }
        }
    }
}
