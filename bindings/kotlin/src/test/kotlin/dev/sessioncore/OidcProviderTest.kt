package dev.sessioncore

import java.io.File
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

/**
 * SessionCore through Kotlin against oidc-provider, an OpenID Certified
 * server for Node.js, configured by issuer and discovery. It rotates refresh
 * tokens and revokes the whole grant when a replaced one comes back, so each
 * test presents an old refresh token only as its last step.
 */
@Timeout(120)
class OidcProviderTest {
    @Test
    fun `oidc-provider RS256 login renews with rotation`() = runSuspend {
        OidcProvider.start("RS256").use { provider -> checkRenewalRotates(provider) }
    }

    @Test
    fun `oidc-provider ES256 login renews with rotation`() = runSuspend {
        OidcProvider.start("ES256").use { provider -> checkRenewalRotates(provider) }
    }

    @Test
    fun `oidc-provider logout revokes the refresh token`() = runSuspend {
        OidcProvider.start("RS256").use { provider ->
            val storage = InMemorySecureStorage()
            Session(provider.authConfig(), storage).use { session ->
                val login = session.logIn(provider.authorizeParameters) { provider.completeLogin(it.url()) }.recorded()

                val outcome = session.logout(revoke = true)

                assertEquals(RevocationOutcome.Revoked, outcome)
                assertThrowsOf<SessionException.NoCredentials> { session.credentials() }
                Session(provider.authConfig(), storage).use { fresh ->
                    assertFalse(fresh.hasValidCredentials(), "storage still holds credentials after logout")
                }
                assertThrowsOf<SessionException.LoginRequired> {
                    session.authenticationClient.renew(login.refreshToken()!!, null, emptyMap())
                }
            }
        }
    }

    /**
     * Logs in, renews twice checking that each renewal rotates and stores the
     * refresh token, calls userinfo with the renewed access token, and checks
     * that the provider rejects the newest replaced refresh token.
     */
    private suspend fun checkRenewalRotates(provider: OidcProvider) {
        val storage = InMemorySecureStorage()
        Session(provider.authConfig(), storage).use { session ->
            val login = session.logIn(provider.authorizeParameters) { provider.completeLogin(it.url()) }.recorded()
            checkProfile(requireNotNull(session.userProfile()) { "no profile after login" })

            var current = requireNotNull(login.refreshToken()) { "no refresh token despite offline_access" }
            val replaced = mutableListOf<String>()
            repeat(2) { renewal ->
                val renewed = session.renew().recorded()
                val rotated = requireNotNull(renewed.refreshToken()) { "renewal ${renewal + 1} returned no refresh token" }
                assertNotEquals(current, rotated, "renewal ${renewal + 1} did not rotate the refresh token")
                val stored = Session(provider.authConfig(), storage).use { it.credentials() }.recorded()
                assertEquals(rotated, stored.refreshToken(), "renewal ${renewal + 1} did not store the rotated token")
                checkProfile(requireNotNull(session.userProfile()) { "the renewal lost the id_token" })
                replaced += current
                current = rotated
            }

            val accessToken = session.credentials().recorded().accessToken()
            checkProfile(session.authenticationClient.userInfo(accessToken))

            assertThrowsOf<SessionException.LoginRequired> {
                session.authenticationClient.renew(replaced.last(), null, emptyMap())
            }
        }
    }

    private fun checkProfile(profile: UserProfile) {
        assertEquals(OidcProvider.USER_SUB, profile.sub)
        assertEquals("Test User", profile.name)
        assertEquals("test.user@example.com", profile.email)
    }
}

/**
 * oidc-provider from `tools/oidc-provider`, run by Node.js as a child process
 * on a free loopback port. The test script passes that folder in the
 * `sessioncore.oidcProviderDir` system property.
 */
class OidcProvider private constructor(private val process: Process, val issuer: String) : AutoCloseable {
    /** A refresh token is issued only for `offline_access` with `prompt=consent`. */
    val authorizeParameters = mapOf("prompt" to "consent")

    fun authConfig(): AuthConfig = AuthConfig(issuer = issuer, clientId = OIDC_CLIENT_ID, redirectUri = REDIRECT_URI)

    /**
     * Completes the provider's login and consent pages for [authorizeUrl] with
     * its script, and returns the redirect URL that carries the code.
     */
    fun completeLogin(authorizeUrl: String): String {
        val script = ProcessBuilder("node", "complete-login.mjs", authorizeUrl)
            .directory(directory)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val output = script.inputStream.bufferedReader().readText().trim()
        check(script.waitFor(30, TimeUnit.SECONDS)) { "complete-login.mjs did not finish in 30 s" }
        check(script.exitValue() == 0) { "complete-login.mjs failed with status ${script.exitValue()}" }
        TokenLog.recordCode(output)
        return output
    }

    /** Stops the server; closing its standard input also does, should this process die first. */
    override fun close() {
        process.outputStream.close()
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        const val OIDC_CLIENT_ID = "sessioncore-test"
        const val USER_SUB = "test-user"

        private val directory: File
            get() = File(
                System.getProperty("sessioncore.oidcProviderDir")
                    ?: error("set -Dsessioncore.oidcProviderDir to tools/oidc-provider; scripts/test-kotlin.sh does"),
            )

        /** Starts the server with id_tokens signed by [algorithm] and waits for its issuer URL. */
        fun start(algorithm: String): OidcProvider {
            val log = File.createTempFile("oidc-provider", ".log").apply { deleteOnExit() }
            val builder = ProcessBuilder("node", "server.mjs")
                .directory(directory)
                .redirectError(ProcessBuilder.Redirect.appendTo(log))
            builder.environment()["OIDC_PORT"] = "0"
            builder.environment()["OIDC_ID_TOKEN_ALG"] = algorithm
            val process = builder.start()
            val stdout = process.inputStream.bufferedReader()
            val firstLine = stdout.readLine()
            if (firstLine == null || !firstLine.startsWith("http://127.0.0.1:")) {
                process.destroyForcibly()
                error("oidc-provider did not print its issuer (first line: $firstLine); its log: ${log.readText()}")
            }
            Thread { stdout.useLines { lines -> lines.forEach { _ -> } } }
                .apply { isDaemon = true }
                .start()
            return OidcProvider(process, firstLine.trim())
        }
    }
}
