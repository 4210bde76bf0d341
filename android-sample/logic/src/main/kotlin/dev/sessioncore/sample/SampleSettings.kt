package dev.sessioncore.sample

import dev.sessioncore.AuthConfig

/**
 * The sample's provider settings, as the Android app reads them from
 * `res/values/strings.xml`.
 *
 * @property domain the Auth0 tenant domain, such as `example.eu.auth0.com`. It
 *   is also the host of the redirect URI, which the app's intent filter matches.
 * @property clientId the OAuth 2.0 client id of the app.
 * @property scheme the redirect URI's scheme, registered by the intent filter.
 * @property packageName the app's application id, part of the redirect URI's path.
 * @property issuer when not blank, the issuer URL of any OpenID Connect provider,
 *   used instead of [domain] to find the endpoints by discovery.
 */
data class SampleSettings(
    val domain: String,
    val clientId: String,
    val scheme: String,
    val packageName: String,
    val issuer: String = "",
) {
    /** The redirect URI to register with the provider, in the form Auth0's Android SDK uses. */
    val redirectUri: String
        get() = "$scheme://${domain.removePrefix("https://").trimEnd('/')}/android/$packageName/callback"

    /** Returns the core's configuration for these settings. */
    fun authConfig(): AuthConfig =
        if (issuer.isBlank()) {
            AuthConfig(domain = domain, clientId = clientId, redirectUri = redirectUri)
        } else {
            AuthConfig(issuer = issuer, clientId = clientId, redirectUri = redirectUri)
        }
}
