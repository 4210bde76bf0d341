package dev.sessioncore

import java.net.ServerSocket
import java.net.URI
import java.util.Base64
import kotlin.time.Duration.Companion.hours
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

/**
 * Each case of [SessionException] that a caller can meet, raised through the
 * public API. Every error is also checked for leaked tokens.
 */
@Timeout(60)
class ErrorTest {
    @Test
    fun `credentials without login throw NoCredentials`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                assertThrowsOf<SessionException.NoCredentials> { session.credentials() }
            }
        }
    }

    @Test
    fun `renewal without refresh token throws NoRefreshToken`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = logInWithClient(session.authenticationClient)
                val withoutRefreshToken =
                    Credentials(login.accessToken(), login.tokenType(), login.idToken(), null, 0u, login.scope())
                session.saveCredentials(withoutRefreshToken)

                assertThrowsOf<SessionException.NoRefreshToken> { session.credentials() }
            }
        }
    }

    @Test
    fun `revoked refresh token throws LoginRequired`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                idp.revokeAll()

                val error = assertThrowsOf<SessionException.LoginRequired> { session.credentials() }

                assertShowsNoToken(error, login)
                assertFalse(session.hasValidCredentials(), "the rejected session was kept")
            }
        }
    }

    @Test
    fun `unreachable provider throws Network`() = runSuspend {
        val closedPort = ServerSocket(0).use { it.localPort }
        val config = AuthConfig(
            domain = "http://127.0.0.1:$closedPort",
            clientId = CLIENT_ID,
            redirectUri = REDIRECT_URI,
            timeoutMs = 2_000u,
        )
        Session(config, InMemorySecureStorage()).use { session ->
            val expired = Credentials("access-for-closed-port", "Bearer", null, "refresh-for-closed-port", 0u, null)
            session.saveCredentials(expired)

            val error = assertThrowsOf<SessionException.Network> { session.credentials() }

            assertShowsNoToken(error, expired)
            assertTrue(session.canRenew(), "the network failure removed the refresh token")
        }
    }

    @Test
    fun `provider 503 throws Server with delay`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                idp.injectFailure("""{"endpoint": "token", "status": 503, "headers": {"Retry-After": "7"}}""")

                val error = assertThrowsOf<SessionException.Server> { session.credentials() }

                assertEquals(503.toUShort(), error.status)
                assertEquals(7uL, error.retryAfterSeconds)
                assertShowsNoToken(error, login)
                assertTrue(session.canRenew(), "the server failure removed the refresh token")
            }
        }
    }

    @Test
    fun `invalid scope throws Rejected`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                idp.injectFailure("""{"endpoint": "token", "status": 400, "body": {"error": "invalid_scope"}}""")

                val error = assertThrowsOf<SessionException.Rejected> { session.credentials(scope = "openid admin") }

                assertEquals(400.toUShort(), error.status)
                assertEquals("invalid_scope", error.error)
                assertShowsNoToken(error, login)
                assertTrue(session.hasValidCredentials(), "the rejected renewal changed the session")
            }
        }
    }

    @Test
    fun `unreadable token response throws InvalidResponse`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                idp.injectFailure("""{"endpoint": "token", "status": 200, "body": "{\"access_token\": "}""")

                val error = assertThrowsOf<SessionException.InvalidResponse> { session.credentials() }

                assertShowsNoToken(error, login)
            }
        }
    }

    @Test
    fun `unreadable id_token throws InvalidIdToken`() {
        TokenLog.record("access-with-bad-id-token", "not-a-jwt")
        val error = assertThrowsOf<SessionException.InvalidIdToken> {
            Credentials("access-with-bad-id-token", "Bearer", "not-a-jwt", null, 60u, null)
        }

        assertContainsNoSecret(error.toString(), listOf("access-with-bad-id-token", "not-a-jwt"), "InvalidIdToken")
    }

    @Test
    fun `future id_token throws ClockSkew`() = runSuspend {
        DevIdp.start().use { idp ->
            Session(idp.authConfig(leewaySeconds = 5u), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                val sub = requireNotNull(session.userProfile()).sub
                // The core checks an id_token's times before its signature, so
                // an unsigned token from a provider an hour ahead is enough.
                val now = System.currentTimeMillis() / 1000
                val idToken = unsignedJwt(
                    """{"iss": "${idp.issuer}", "aud": "$CLIENT_ID", "sub": "$sub", "iat": ${now + 3600}, "exp": ${now + 7200}}""",
                )
                TokenLog.record("skewed-access", idToken)
                val body = """{"access_token": "skewed-access", "token_type": "Bearer", "expires_in": 3600, "id_token": "$idToken"}"""
                idp.injectFailure("""{"endpoint": "token", "status": 200, "body": $body}""")

                val error = assertThrowsOf<SessionException.ClockSkew> { session.credentials() }

                assertShowsNoToken(error, login)
                assertContainsNoSecret(error.toString(), listOf("skewed-access", idToken), "ClockSkew")
                assertTrue(session.canRenew(), "the clock skew removed the refresh token")
            }
        }
    }

    @Test
    fun `wrong redirect state throws AuthorizationFailed`() = runSuspend {
        DevIdp.start().use { idp ->
            val client = AuthenticationClient(idp.authConfig())
            val request = client.authorize(emptyMap())
            val redirect = URI(Http.followAuthorize(request.url()))
            val parameters = redirect.rawQuery.split("&").associate { it.substringBefore("=") to it.substringAfter("=") }
            val code = requireNotNull(parameters["code"]) { "the authorize redirect carries no code" }
            val tampered = "$REDIRECT_URI?code=$code&state=forged-state"

            val error = assertThrowsOf<SessionException.AuthorizationFailed> { client.exchangeCode(request, tampered) }

            assertContainsNoSecret(error.toString(), listOf(code), "AuthorizationFailed")
        }
    }

    @Test
    fun `locked storage throws StorageUnavailable`() = runSuspend {
        DevIdp.start().use { idp ->
            val storage = FaultyStorage().apply { unavailable = true }
            Session(idp.authConfig(), storage).use { session ->
                assertThrowsOf<SessionException.StorageUnavailable> { session.credentials() }
            }
        }
    }

    @Test
    fun `failing storage throws StorageFailed`() = runSuspend {
        DevIdp.start().use { idp ->
            val storage = FaultyStorage().apply { failWrites = true }
            Session(idp.authConfig(), storage).use { session ->
                val login = logInWithClient(session.authenticationClient)

                val error = assertThrowsOf<SessionException.StorageFailed> { session.saveCredentials(login) }

                assertShowsNoToken(error, login)
            }
        }
    }

    @Test
    fun `both domain and issuer throw Configuration`() {
        val config = AuthConfig(
            domain = "example.eu.auth0.com",
            issuer = "https://example.eu.auth0.com/",
            clientId = CLIENT_ID,
            redirectUri = REDIRECT_URI,
        )

        assertThrowsOf<SessionException.Configuration> { Session(config, InMemorySecureStorage()) }
    }

    @Test
    fun `plain http off loopback throws Configuration`() {
        val config = AuthConfig(domain = "http://example.com", clientId = CLIENT_ID, redirectUri = REDIRECT_URI)

        assertThrowsOf<SessionException.Configuration> { Session(config, InMemorySecureStorage()) }
    }

    @Test
    fun `TTL beyond token lifetime throws MinTtlTooLarge`() = runSuspend {
        DevIdp.start("--access-token-lifetime", "60").use { idp ->
            Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
                val login = session.logInAtDevIdp()

                val error = assertThrowsOf<SessionException.MinTtlTooLarge> { session.credentials(minTtl = 1.hours) }

                assertEquals(3600uL, error.minTtlSeconds)
                assertTrue(error.lifetimeSeconds <= 60uL, "lifetime ${error.lifetimeSeconds} s is above the provider's 60 s")
                assertShowsNoToken(error, login)
            }
        }
    }

    @Test
    fun `logout during renewal throws LoggedOut`() = runSuspend {
        DevIdp.start().use { idp ->
            val storage = InMemorySecureStorage()
            Session(idp.authConfig(), storage).use { session ->
                val login = session.logInAtDevIdp()
                session.saveCredentials(login.expiredCopy())
                idp.configure("""{"latency_ms": 1000}""")
                val states = session.state

                // runCatching keeps the expected failure from cancelling the test's scope.
                val caller = async(Dispatchers.Default) { runCatching { session.credentials() } }
                states.first { it is SessionState.Renewing }
                session.logout(revoke = false)

                val failure = caller.await().exceptionOrNull()
                println("caught: $failure")
                assertTrue(failure is SessionException.LoggedOut, "expected LoggedOut, got $failure")
                assertEquals(1L, idp.stats().refreshGrants, "the renewal never reached the provider")
                // Longer than the provider's latency, so the discarded renewal has its response by now.
                delay(1500)
                assertFalse(session.hasValidCredentials(), "a renewal that finished after logout was kept")
            }
            assertTrue(storage.keys().isEmpty(), "a renewal that finished after logout was stored")
        }
    }

    private fun unsignedJwt(claims: String): String {
        val encoder = Base64.getUrlEncoder().withoutPadding()
        val header = encoder.encodeToString("""{"alg": "RS256", "typ": "JWT", "kid": "unknown"}""".toByteArray())
        val payload = encoder.encodeToString(claims.toByteArray())
        return "$header.$payload.${encoder.encodeToString("not-a-signature".toByteArray())}"
    }

    private fun assertShowsNoToken(error: SessionException, credentials: Credentials) {
        val name = error::class.simpleName ?: "SessionException"
        assertContainsNoSecret(error.toString(), credentials.tokens(), "$name.toString()")
        assertContainsNoSecret(error.message ?: "", credentials.tokens(), "$name.message")
    }
}
