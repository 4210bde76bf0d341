package dev.sessioncore

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class RenewalTest {
    @Test
    fun `valid token returned without request`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                val tokenRequests = idp.stats().refreshGrants

                val credentials = session.credentials().recorded()

                assertEquals(login.accessToken(), credentials.accessToken())
                assertEquals(tokenRequests, idp.stats().refreshGrants)
            }
        }
    }

    @Test
    fun `id_token delegation returns new id_token`() = runSuspend {
        DevIdp.start().use { idp ->
            val client = AuthenticationClient(idp.authConfig())
            val login = logInWithClient(client)
            val before = idp.stats().delegationRequests

            val delegation = client.delegationWithIdToken(login.idToken()!!).recorded()

            assertTrue(delegation.idToken().isNotEmpty(), "empty id_token")
            assertEquals("bearer", delegation.tokenType().lowercase())
            assertTrue(delegation.expiresIn() > 0u, "id_token lifetime is zero")
            assertEquals(before + 1, idp.stats().delegationRequests)
        }
    }

    @Test
    fun `refresh token delegation returns id_token`() = runSuspend {
        DevIdp.start().use { idp ->
            val client = AuthenticationClient(idp.authConfig())
            val login = logInWithClient(client)
            val before = idp.stats().delegationRequests

            val delegation = client.delegationWithRefreshToken(login.refreshToken()!!).recorded()

            assertTrue(delegation.idToken().isNotEmpty(), "empty id_token")
            assertTrue(delegation.expiresIn() > 0u, "id_token lifetime is zero")
            assertEquals(before + 1, idp.stats().delegationRequests)
        }
    }

    @Test
    fun `renewIdToken stores delegated id_token`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                // id_tokens issued within the same second can be identical.
                delay(1100)

                val renewed = session.renewIdToken().recorded()

                assertNotEquals(login.idToken(), renewed.idToken())
                assertEquals(login.accessToken(), renewed.accessToken(), "delegation changed the access token")
                assertEquals(renewed.idToken(), session.credentials().idToken(), "delegated id_token not stored")
            }
        }
    }

    @Test
    fun `expired id_token delegates with refresh token`() = runSuspend {
        DevIdp.start("--id-token-lifetime", "1").use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                // Once the login id_token has expired, the provider rejects it at
                // /delegation, so only the refresh token path can succeed.
                idp.configure("""{"id_token_lifetime": 36000}""")
                delay(2100)
                val before = idp.stats().delegationRequests

                val renewed = session.renewIdToken().recorded()

                assertNotEquals(login.idToken(), renewed.idToken())
                assertTrue(renewed.idTokenExpiresAt()!! > System.currentTimeMillis() / 1000 + 60, "short-lived id_token")
                assertEquals(before + 1, idp.stats().delegationRequests)
            }
        }
    }

    @Test
    fun `expired access token renews with rotation`() = runSuspend {
        DevIdp.start("--rotation", "on", "--access-token-lifetime", "2").use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                // Renewed tokens live an hour, so the checks below cannot renew again.
                idp.configure("""{"access_token_lifetime": 3600}""")
                delay(2100)
                val tokenRequests = idp.stats().refreshGrants

                val renewed = session.credentials().recorded()

                assertEquals(tokenRequests + 1, idp.stats().refreshGrants)
                assertNotEquals(login.accessToken(), renewed.accessToken())
                assertNotEquals(login.refreshToken(), renewed.refreshToken(), "refresh token was not rotated")
                assertTrue(renewed.expiresAt() > System.currentTimeMillis() / 1000 + 60, "renewed token expires too soon")
                assertEquals(renewed.refreshToken(), session.credentials().refreshToken(), "rotated token not stored")
                assertEquals(tokenRequests + 1, idp.stats().refreshGrants, "a valid renewed token was renewed again")
            }
        }
    }

    @Test
    fun `replaced refresh token is rejected`() = runSuspend {
        DevIdp.start("--rotation", "on").use { idp ->
            val client = AuthenticationClient(idp.authConfig())
            val login = logInWithClient(client)
            client.renew(login.refreshToken()!!, null, emptyMap())

            assertThrowsOf<SessionException.LoginRequired> {
                client.renew(login.refreshToken()!!, null, emptyMap())
            }
        }
    }

    @Test
    fun `hundred concurrent callers share one renewal`() = runSuspend {
        DevIdp.start("--rotation", "on", "--latency-ms", "200").use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                val tokenRequests = idp.stats().refreshGrants

                val results = (1..100).map { async(Dispatchers.Default) { session.credentials().recorded() } }.awaitAll()

                assertEquals(tokenRequests + 1, idp.stats().refreshGrants)
                val accessTokens = results.map { it.accessToken() }.toSet()
                assertEquals(1, accessTokens.size, "callers received different access tokens")
                assertNotEquals(login.accessToken(), accessTokens.single())
            }
        }
    }
}
