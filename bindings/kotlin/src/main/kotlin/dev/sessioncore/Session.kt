package dev.sessioncore

import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * Keeps one user signed in: the Kotlin face of the generated [SessionManager].
 *
 * Network calls are `suspend` functions. Failures are thrown as the generated
 * [SessionException] subclasses, so callers write
 * `catch (e: SessionException.LoginRequired)`. Times to live are [Duration]s,
 * and the session state is a [StateFlow].
 *
 * Cancelling a coroutine that waits in [credentials], [renew] or [renewIdToken]
 * stops only the wait: a renewal that already reached the provider runs to
 * completion in the core and stores its result, so a rotated refresh token is
 * never lost.
 *
 * Creating a session touches neither storage nor the network.
 *
 * @param config how to reach the identity provider, and which client the app is.
 * @param storage where the credentials are kept, such as an Android Keystore
 *   implementation of [SecureStorage], [InMemorySecureStorage] or [fileStorage].
 * @throws SessionException.Configuration when [config] is invalid.
 */
class Session(config: AuthConfig, storage: SecureStorage) : AutoCloseable {
    /** The generated manager behind this session, for anything this class does not wrap. */
    val manager: SessionManager = SessionManager(config, storage)

    /**
     * The current session state, updated by the core's [SessionListener] after each change.
     *
     * Like every [StateFlow], a slow collector receives only the latest state. To
     * receive every change in order, pass a [SessionListener] to
     * [SessionManager.setListener] on [manager] instead; that replaces the
     * listener behind this flow, which then stops changing. The first read of
     * this property reads storage.
     */
    val state: StateFlow<SessionState> by lazy {
        val flow = MutableStateFlow(manager.state())
        manager.setListener(StateFlowListener(flow))
        flow.asStateFlow()
    }

    /** The client for the provider's endpoints, used for login. */
    val authenticationClient: AuthenticationClient
        get() = manager.authenticationClient()

    /**
     * Logs in by authorization code with PKCE and stores the new credentials.
     *
     * Builds the authorize URL, passes the request to [openBrowser], which shows
     * [AuthorizationRequest.url] to the user and returns the redirect URL that
     * the browser finally reached. Then exchanges the code, validates the
     * id_token and saves the credentials.
     *
     * @param parameters extra query parameters for the authorize URL, such as `prompt`.
     * @throws SessionException.AuthorizationFailed when the redirect carries an
     *   error or does not match the request.
     * @throws SessionException any other failure of the exchange or of storage.
     */
    suspend fun logIn(
        parameters: Map<String, String> = emptyMap(),
        openBrowser: suspend (AuthorizationRequest) -> String,
    ): Credentials {
        val client = manager.authenticationClient()
        val request = client.authorize(parameters)
        val redirectUrl = openBrowser(request)
        val credentials = client.exchangeCode(request, redirectUrl)
        manager.saveCredentials(credentials)
        return credentials
    }

    /**
     * Stores [credentials], replacing any others. Writes storage.
     *
     * @throws SessionException.StorageUnavailable or [SessionException.StorageFailed]
     *   when storage fails.
     */
    fun saveCredentials(credentials: Credentials) = manager.saveCredentials(credentials)

    /**
     * Tells whether the stored credentials stay usable for at least [minTtl]
     * without the network, or can be renewed. Reads storage; never renews.
     */
    fun hasValidCredentials(minTtl: Duration = Duration.ZERO): Boolean =
        manager.hasValidCredentials(minTtl.toTtlSeconds())

    /** Tells whether the stored credentials include a refresh token. Reads storage. */
    fun canRenew(): Boolean = manager.canRenew()

    /**
     * Returns credentials that stay valid for at least [minTtl], renewing them
     * with the refresh token when needed. Concurrent callers share one renewal.
     *
     * @param requireIdToken set when the caller will use the id_token, so that
     *   an expiring id_token also triggers a renewal.
     * @param scope when set, forces a renewal that narrows the scope.
     * @param parameters when not empty, forces a renewal that sends them.
     * @throws SessionException.NoCredentials when nothing is stored.
     * @throws SessionException.LoginRequired when the provider rejected the
     *   refresh token; the session is then cleared.
     * @throws SessionException.MinTtlTooLarge when even new tokens do not live [minTtl].
     */
    suspend fun credentials(
        minTtl: Duration = Duration.ZERO,
        requireIdToken: Boolean = false,
        scope: String? = null,
        parameters: Map<String, String> = emptyMap(),
    ): Credentials {
        val ttlSeconds = minTtl.toTtlSeconds()
        // The synchronous check serves valid credentials without the cost of
        // a suspend call across the FFI; only a renewal takes the async path.
        if (scope == null && parameters.isEmpty()) {
            manager.currentCredentials(ttlSeconds, requireIdToken)?.let { return it }
        }
        return manager.credentials(ttlSeconds, requireIdToken, scope, parameters)
    }

    /**
     * Renews with the refresh token now, even when the access token is still valid.
     *
     * @throws SessionException.NoRefreshToken when the stored credentials have none.
     */
    suspend fun renew(): Credentials = manager.renew()

    /**
     * Renews only the id_token through the legacy Auth0 `/delegation` endpoint,
     * with the stored id_token while it is valid and with the refresh token
     * otherwise, then stores the result.
     *
     * @throws SessionException.Configuration when the provider has no such endpoint.
     */
    suspend fun renewIdToken(): Credentials = manager.renewIdToken()

    /** Returns the user's claims from the stored id_token, or null when there is none. Reads storage. */
    fun userProfile(): UserProfile? = manager.userProfile()

    /**
     * Logs out: clears the stored credentials at once, then, when [revoke] is
     * set, revokes the refresh token at the provider. A renewal in flight is
     * discarded and its callers get [SessionException.LoggedOut].
     *
     * @return what became of the revocation; the local logout happened in every case.
     */
    suspend fun logout(revoke: Boolean = true): RevocationOutcome = manager.logout(revoke)

    /** Detaches the state listener and frees the core's manager. */
    override fun close() {
        manager.setListener(null)
        manager.close()
    }
}

/** Publishes every state the core reports into [flow]; called on a SessionCore thread. */
private class StateFlowListener(private val flow: MutableStateFlow<SessionState>) : SessionListener {
    override fun onStateChanged(state: SessionState) {
        flow.value = state
    }
}

/**
 * Converts a time to live to whole seconds for the core, rounding up so that
 * credentials still last at least the requested time.
 *
 * @throws IllegalArgumentException when the duration is negative or infinite.
 */
fun Duration.toTtlSeconds(): ULong {
    require(!isNegative() && isFinite()) { "a time to live must be finite and not negative, got $this" }
    val wholeSeconds = inWholeSeconds
    val hasFraction = this > wholeSeconds.seconds
    return (if (hasFraction) wholeSeconds + 1 else wholeSeconds).toULong()
}
