package dev.sessioncore.sample

import dev.sessioncore.Credentials
import dev.sessioncore.Session
import dev.sessioncore.SessionException
import dev.sessioncore.SessionState
import java.time.Clock
import java.time.Instant
import java.util.concurrent.atomic.AtomicReference
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.receiveAsFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * Turns the sample's buttons into calls on a [Session] and publishes what the
 * screens show as [state].
 *
 * Every action returns at once with the [Job] that runs it in [scope]; an
 * Android app passes `viewModelScope`, tests join the job. A profile action
 * started while another one runs is ignored, so a double tap sends one request.
 *
 * Login goes through the browser: [logIn] sends the authorize URL to
 * [browserRequests], the app opens it (a Custom Tab on Android), and the
 * redirect that comes back is passed to [completeLogIn].
 *
 * @param clock the clock of the countdowns; tests pass a clock they move.
 * @param ticks each element recomputes the countdowns; the default ticks once a second.
 * @param minTtl how long the access token must still live for "Get credentials"
 *   to return it without renewing.
 * @param ioDispatcher where calls that read storage run, off the main thread.
 */
class SessionController(
    private val session: Session,
    private val scope: CoroutineScope,
    private val clock: Clock = Clock.systemUTC(),
    private val ticks: Flow<Unit> = tickEverySecond(),
    private val minTtl: Duration = 60.seconds,
    private val ioDispatcher: CoroutineDispatcher = Dispatchers.IO,
) {
    private val mutableState = MutableStateFlow<ScreenState>(ScreenState.Loading)
    private val browserChannel = Channel<String>(Channel.BUFFERED)
    private val pendingRedirect = AtomicReference<CompletableDeferred<String>?>(null)
    private val loginJob = AtomicReference<Job?>(null)

    /** The screen state to draw now. */
    val state: StateFlow<ScreenState> = mutableState.asStateFlow()

    /** Authorize URLs to open in a browser, one per [logIn]; collect it from one place only. */
    val browserRequests: Flow<String> = browserChannel.receiveAsFlow()

    /**
     * Reads the stored session and shows the login or the profile screen. The
     * returned job ends once that screen shows. From then on the countdowns
     * tick until [scope] ends. The session's state is followed too, so a
     * session that ends elsewhere (a rejected refresh token) returns to login.
     */
    fun start(): Job {
        scope.launch { ticks.collect { tick() } }
        scope.launch { followSessionState() }
        return scope.launch {
            val signedIn = try {
                withContext(ioDispatcher) { session.hasValidCredentials() }
            } catch (error: SessionException) {
                mutableState.value = ScreenState.Login(message = UserMessages.forError(error))
                return@launch
            }
            if (signedIn) {
                showProfile()
            } else {
                mutableState.compareAndSet(ScreenState.Loading, ScreenState.Login())
            }
        }
    }

    /**
     * Starts a login: builds the authorize URL, sends it to [browserRequests]
     * and waits for [completeLogIn] or [cancelLogIn]. Ignored while the
     * profile screen shows or a login is already waiting.
     */
    fun logIn(): Job {
        val current = mutableState.value
        if (current !is ScreenState.Login || current.loggingIn) return Job().apply { complete() }
        val redirect = CompletableDeferred<String>()
        pendingRedirect.set(redirect)
        mutableState.value = ScreenState.Login(loggingIn = true)
        val job = scope.launch {
            try {
                val credentials = session.logIn { request ->
                    browserChannel.send(request.url())
                    redirect.await()
                }
                showProfile(credentials)
            } catch (error: SessionException) {
                mutableState.value = ScreenState.Login(message = UserMessages.forError(error))
            } finally {
                pendingRedirect.compareAndSet(redirect, null)
            }
        }
        loginJob.set(job)
        return job
    }

    /**
     * Finishes the login with the URL that the browser was redirected to; the
     * core checks its state and exchanges the code. Returns false when no
     * login is waiting for a redirect.
     */
    fun completeLogIn(redirectUrl: String): Boolean {
        val redirect = pendingRedirect.getAndSet(null) ?: return false
        redirect.complete(redirectUrl)
        return true
    }

    /** Abandons a login whose browser was closed without a redirect. */
    fun cancelLogIn() {
        pendingRedirect.getAndSet(null) ?: return
        loginJob.getAndSet(null)?.cancel()
        mutableState.value = ScreenState.Login(message = UserMessages.loginCancelled)
    }

    /** "Renew id token": a new id_token through `/delegation`, with the stored id_token while it is valid. */
    fun renewIdToken(): Job = runProfileAction(ProfileAction.RENEW_ID_TOKEN) {
        val credentials = session.renewIdToken()
        val left = credentials.idTokenExpiresAt()?.let { "It expires in ${formatTimeLeft(timeLeft(it))}." }
        credentials to UserMessage(listOfNotNull("Got a new id token.", left).joinToString(" "))
    }

    /** "Renew with refresh token": new tokens from the refresh token grant, even when the current ones are valid. */
    fun renewWithRefreshToken(): Job = runProfileAction(ProfileAction.RENEW_WITH_REFRESH_TOKEN) {
        val credentials = session.renew()
        credentials to UserMessage(
            "Renewed with the refresh token. The access token expires in " +
                "${formatTimeLeft(timeLeft(credentials.expiresAt()))}.",
        )
    }

    /**
     * "Get credentials": the stored credentials when they outlive [minTtl],
     * otherwise renewed ones, as an app does before each API call.
     */
    fun getCredentials(): Job = runProfileAction(ProfileAction.GET_CREDENTIALS) { before ->
        val credentials = session.credentials(minTtl = minTtl, requireIdToken = true)
        val renewed = before == null ||
            before.accessTokenExpiresAt != Instant.ofEpochSecond(credentials.expiresAt()) ||
            before.idTokenExpiresAt != credentials.idTokenExpiresAt()?.let(Instant::ofEpochSecond)
        val text = if (renewed) {
            "The tokens were about to expire, so they were renewed."
        } else {
            "The stored tokens are still valid, so nothing was renewed."
        }
        credentials to UserMessage(text)
    }

    /** "Log out": clears the session on the device and revokes the refresh token at the provider. */
    fun logOut(): Job {
        if (!beginProfileAction(ProfileAction.LOG_OUT)) return Job().apply { complete() }
        return scope.launch {
            val message = try {
                UserMessages.forLogout(session.logout(revoke = true))
            } catch (error: SessionException) {
                // The core signs the session out in memory even when deleting
                // the stored record fails, so the login screen is right.
                UserMessages.forError(error)
            }
            mutableState.value = ScreenState.Login(message = message)
        }
    }

    /** Recomputes the countdowns from the clock; the ticker calls it. */
    fun tick() {
        val now = clock.instant()
        mutableState.update { current ->
            if (current is ScreenState.Profile && current.tokens != null) {
                current.copy(tokens = current.tokens.at(now))
            } else {
                current
            }
        }
    }

    private fun runProfileAction(
        action: ProfileAction,
        call: suspend (before: TokenLifetimes?) -> Pair<Credentials, UserMessage>,
    ): Job {
        if (!beginProfileAction(action)) return Job().apply { complete() }
        val before = (mutableState.value as? ScreenState.Profile)?.tokens
        return scope.launch {
            try {
                val (credentials, message) = call(before)
                showProfile(credentials, message)
            } catch (error: SessionException) {
                showFailure(error)
            }
        }
    }

    /** Marks [action] as running unless the profile screen is not showing or another action runs. */
    private fun beginProfileAction(action: ProfileAction): Boolean {
        while (true) {
            val current = mutableState.value
            if (current !is ScreenState.Profile || current.runningAction != null) return false
            if (mutableState.compareAndSet(current, current.copy(runningAction = action, message = null))) {
                return true
            }
        }
    }

    private suspend fun showFailure(error: SessionException) {
        if (UserMessages.requiresLogin(error)) {
            mutableState.value = ScreenState.Login(message = UserMessages.forError(error))
            return
        }
        if (error is SessionException.LoggedOut) return
        // A renewal whose storage write failed still returns the new tokens.
        val renewed = when (error) {
            is SessionException.StorageFailed -> error.credentials
            is SessionException.StorageUnavailable -> error.credentials
            else -> null
        }
        if (renewed != null) {
            showProfile(renewed, UserMessages.forError(error))
            return
        }
        mutableState.update { current ->
            if (current is ScreenState.Profile) {
                current.copy(runningAction = null, message = UserMessages.forError(error))
            } else {
                current
            }
        }
    }

    /**
     * Shows the profile for [credentials], or for the stored ones when null,
     * which renews them first when they have expired.
     */
    private suspend fun showProfile(credentials: Credentials? = null, message: UserMessage? = null) {
        val user = try {
            withContext(ioDispatcher) { session.userProfile() }
        } catch (error: SessionException) {
            mutableState.value = ScreenState.Login(message = UserMessages.forError(error))
            return
        }
        val details = UserDetails(user?.name, user?.email, user?.picture)
        val current = try {
            credentials ?: session.credentials()
        } catch (error: SessionException) {
            if (UserMessages.requiresLogin(error)) {
                mutableState.value = ScreenState.Login(message = UserMessages.forError(error))
            } else {
                mutableState.value = ScreenState.Profile(details, tokens = null, message = UserMessages.forError(error))
            }
            return
        }
        mutableState.value = ScreenState.Profile(details, lifetimesOf(current), message = message)
    }

    private suspend fun followSessionState() {
        // The first read of the flow reads storage, so it happens off the main thread.
        val sessionStates = withContext(ioDispatcher) { session.state }
        sessionStates.collect { sessionState ->
            if (sessionState !is SessionState.SignedOut) return@collect
            val message = UserMessages.forSignedOut(sessionState.reason) ?: return@collect
            mutableState.update { current ->
                // Only an ended session moves a profile that is not mid-logout back to login.
                if (current is ScreenState.Profile && current.runningAction != ProfileAction.LOG_OUT) {
                    ScreenState.Login(message = message)
                } else {
                    current
                }
            }
        }
    }

    private fun lifetimesOf(credentials: Credentials) = TokenLifetimes(
        accessTokenExpiresAt = Instant.ofEpochSecond(credentials.expiresAt()),
        idTokenExpiresAt = credentials.idTokenExpiresAt()?.let(Instant::ofEpochSecond),
        now = clock.instant(),
    )

    private fun timeLeft(expiresAtEpochSeconds: Long): Duration =
        TokenLifetimes(Instant.ofEpochSecond(expiresAtEpochSeconds), null, clock.instant()).accessTokenLeft
}

/** Emits once a second, forever: the countdowns' default ticker. */
fun tickEverySecond(): Flow<Unit> = flow {
    while (true) {
        delay(1.seconds)
        emit(Unit)
    }
}
