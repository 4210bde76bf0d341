package dev.sessioncore

import java.net.URLEncoder
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class LoginTest {
    private val idp = DevIdp.start()

    @AfterEach
    fun stopProvider() = idp.close()

    @Test
    fun `code login returns every token`() = runSuspend {
        Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
            val credentials = session.logInAtDevIdp()

            assertTrue(credentials.accessToken().isNotEmpty(), "access token is empty")
            assertEquals("bearer", credentials.tokenType().lowercase())
            assertNotNull(credentials.idToken(), "no id_token")
            assertNotNull(credentials.refreshToken(), "no refresh token despite offline_access")
            assertTrue(credentials.expiresAt() > System.currentTimeMillis() / 1000, "access token already expired")
        }
    }

    @Test
    fun `saved login has valid credentials`() = runSuspend {
        Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
            assertFalse(session.hasValidCredentials(), "valid before login")

            session.logInAtDevIdp()

            assertTrue(session.hasValidCredentials(), "not valid after login")
            assertTrue(session.canRenew(), "cannot renew after login with offline_access")
        }
    }

    @Test
    fun `new session reads saved login`() = runSuspend {
        val storage = InMemorySecureStorage()
        val first = Session(idp.authConfig(), storage).use { it.logInAtDevIdp() }
        val tokenRequests = idp.stats().allTokenRequests

        Session(idp.authConfig(), storage).use { session ->
            val read = session.credentials().recorded()

            assertEquals(first.accessToken(), read.accessToken())
            assertEquals(first.refreshToken(), read.refreshToken())
        }
        assertEquals(tokenRequests, idp.stats().allTokenRequests, "a valid session sent a token request")
    }

    @Test
    fun `profile matches userinfo after login`() = runSuspend {
        Session(idp.authConfig(), InMemorySecureStorage()).use { session ->
            val credentials = session.logInAtDevIdp()

            val profile = requireNotNull(session.userProfile()) { "no profile after login" }
            val fromUserInfo = session.authenticationClient.userInfo(credentials.accessToken())

            assertTrue(profile.sub.isNotEmpty(), "empty subject")
            assertEquals(fromUserInfo.sub, profile.sub)
        }
    }

    @Test
    fun `error redirect fails authorization`() = runSuspend {
        val client = AuthenticationClient(idp.authConfig())
        val request = client.authorize(emptyMap())
        val redirect = "$REDIRECT_URI?error=access_denied&error_description=denied&state=${encode(request.state())}"

        assertThrowsOf<SessionException.AuthorizationFailed> { client.exchangeCode(request, redirect) }
    }

    private fun encode(value: String): String = URLEncoder.encode(value, Charsets.UTF_8)
}
