package dev.sessioncore.sample

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

class SampleSettingsTest {
    private val settings = SampleSettings(
        domain = "example.eu.auth0.com",
        clientId = "client-1",
        scheme = "demo",
        packageName = "dev.sessioncore.sample",
    )

    @Test
    fun `redirect URI follows the Auth0 Android form`() {
        assertEquals("demo://example.eu.auth0.com/android/dev.sessioncore.sample/callback", settings.redirectUri)
    }

    @Test
    fun `redirect URI host drops scheme and slash`() {
        val withUrl = settings.copy(domain = "https://example.eu.auth0.com/")

        assertEquals("demo://example.eu.auth0.com/android/dev.sessioncore.sample/callback", withUrl.redirectUri)
    }

    @Test
    fun `blank issuer configures the Auth0 domain`() {
        val config = settings.authConfig()

        assertEquals("example.eu.auth0.com", config.domain)
        assertNull(config.issuer)
        assertEquals("client-1", config.clientId)
        assertEquals(settings.redirectUri, config.redirectUri)
    }

    @Test
    fun `issuer replaces the domain`() {
        val config = settings.copy(issuer = "https://login.example.com/realms/app").authConfig()

        assertEquals("https://login.example.com/realms/app", config.issuer)
        assertNull(config.domain)
    }
}
