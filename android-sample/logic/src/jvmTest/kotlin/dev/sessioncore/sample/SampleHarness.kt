package dev.sessioncore.sample

import dev.sessioncore.InMemorySecureStorage
import dev.sessioncore.SecureStorage
import dev.sessioncore.Session
import dev.sessioncore.sample.desktop.DevIdpProcess
import dev.sessioncore.sample.desktop.Http
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.receiveAsFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.fail

/** Runs a test body that calls suspend functions, blocking the test thread. */
fun runSuspend(body: suspend CoroutineScope.() -> Unit) {
    runBlocking(block = body)
}

/** A clock that changes only when a test advances it. */
class FakeClock(@Volatile private var now: Instant) : Clock() {
    fun advance(by: Duration) {
        now = now.plus(by.toJavaDuration())
    }

    override fun instant(): Instant = now

    override fun getZone(): ZoneId = ZoneOffset.UTC

    override fun withZone(zone: ZoneId): Clock = this
}

/** Settings of the sample pointed at [idp]. */
fun sampleSettings(idp: DevIdpProcess) = SampleSettings(
    domain = idp.baseUrl,
    clientId = "dev-client",
    scheme = "demo",
    packageName = "dev.sessioncore.sample",
)

/**
 * One sample app over [idp]: a [Session] on [storage], a [SessionController]
 * with a fake clock and a ticker the test drives, and a browser that follows
 * each authorize URL and hands the redirect back, unless [autoBrowser] is off.
 */
class SampleApp(
    val idp: DevIdpProcess,
    val storage: SecureStorage = InMemorySecureStorage(),
    minTtl: Duration = 60.seconds,
    autoBrowser: Boolean = true,
) : AutoCloseable {
    val clock = FakeClock(Instant.now())
    val ticks = Channel<Unit>(Channel.UNLIMITED)
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val session = Session(sampleSettings(idp).authConfig(), storage)
    val controller = SessionController(session, scope, clock, ticks.receiveAsFlow(), minTtl)

    /** Authorize URLs the browser received, in order. */
    val openedUrls: MutableList<String> = java.util.Collections.synchronizedList(mutableListOf())

    init {
        scope.launch {
            controller.browserRequests.collect { url ->
                openedUrls.add(url)
                if (autoBrowser) controller.completeLogIn(Http.followAuthorize(url))
            }
        }
    }

    /** Starts the controller and logs in; returns the profile screen. */
    suspend fun startAndLogIn(): ScreenState.Profile {
        controller.start().join()
        controller.logIn().join()
        return profile()
    }

    /** Returns the current screen, failing unless it is the profile. */
    fun profile(): ScreenState.Profile = controller.state.value as? ScreenState.Profile
        ?: fail("expected the profile screen, got ${controller.state.value}")

    /** Returns the current screen, failing unless it is the login screen. */
    fun login(): ScreenState.Login = controller.state.value as? ScreenState.Login
        ?: fail("expected the login screen, got ${controller.state.value}")

    /** Waits until the screen state meets [condition], failing after ten seconds. */
    suspend fun awaitState(what: String, condition: (ScreenState) -> Boolean): ScreenState =
        try {
            withTimeout(10.seconds) { controller.state.first(condition) }
        } catch (timedOut: TimeoutCancellationException) {
            fail("timed out waiting for $what; the screen is ${controller.state.value}", timedOut)
        }

    override fun close() {
        scope.cancel()
        session.close()
    }
}
