package dev.sessioncore

import java.util.Collections
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.fail

/** The client id that the dev identity provider accepts by default. */
const val CLIENT_ID = "dev-client"

/** A custom-scheme redirect URI, as a mobile app registers. */
const val REDIRECT_URI = "dev.sessioncore.test://callback"

/** Runs a test body that calls suspend functions, blocking the test thread. */
fun runSuspend(body: suspend CoroutineScope.() -> Unit) {
    runBlocking(block = body)
}

/** Returns a configuration for this provider as an Auth0-style domain. */
fun DevIdp.authConfig(leewaySeconds: UInt = 60u, timeoutMs: UInt = 10_000u): AuthConfig =
    AuthConfig(
        domain = baseUrl,
        clientId = CLIENT_ID,
        redirectUri = REDIRECT_URI,
        leewaySeconds = leewaySeconds,
        timeoutMs = timeoutMs,
    )

/** Logs in at the dev identity provider, which approves the test user at once. */
suspend fun Session.logInAtDevIdp(): Credentials = logIn { request -> Http.followAuthorize(request.url()) }.recorded()

/** Logs in through [client] without storing anything. */
suspend fun logInWithClient(client: AuthenticationClient): Credentials {
    val request = client.authorize(emptyMap())
    return client.exchangeCode(request, Http.followAuthorize(request.url())).recorded()
}

/** Returns the same tokens with an access token that expires now. */
fun Credentials.expiredCopy(): Credentials =
    Credentials(accessToken(), tokenType(), idToken(), refreshToken(), 0u, scope())

/** Returns every token that these credentials hold, after recording them in [TokenLog]. */
fun Credentials.tokens(): List<String> {
    recorded()
    return listOfNotNull(accessToken(), idToken(), refreshToken())
}

/** Fails when [text] contains any of [secrets]; the message names which one, not its value. */
fun assertContainsNoSecret(text: String, secrets: List<String>, source: String) {
    secrets.forEachIndexed { index, secret ->
        assertFalse(text.contains(secret), "$source contains secret number $index of ${secrets.size}")
    }
}

/** Fails unless [block] throws a [T]; returns it. Works with suspend calls inside [block]. */
inline fun <reified T : Throwable> assertThrowsOf(block: () -> Unit): T {
    try {
        block()
    } catch (expected: Throwable) {
        // The console log shows what a caller would see, and the secrets
        // scan then checks that this text carries no token.
        println("caught: $expected")
        if (expected is T) return expected
        fail<Unit>("expected ${T::class.simpleName} but got $expected", expected)
    }
    fail<Unit>("expected ${T::class.simpleName} but nothing was thrown")
    throw AssertionError("unreachable")
}

/** Polls [condition] every 20 ms until it holds, failing after [timeout]. */
suspend fun awaitCondition(timeout: Duration = 10.seconds, description: String, condition: () -> Boolean) {
    try {
        withTimeout(timeout) {
            while (!condition()) delay(20)
        }
    } catch (timedOut: kotlinx.coroutines.TimeoutCancellationException) {
        fail<Unit>("timed out after $timeout waiting until $description", timedOut)
    }
}

/** A listener that keeps every state it receives, in order. */
class RecordingListener : SessionListener {
    private val received = Collections.synchronizedList(mutableListOf<SessionState>())

    override fun onStateChanged(state: SessionState) {
        received.add(state)
    }

    /** Returns a copy of the states received so far. */
    fun states(): List<SessionState> = synchronized(received) { received.toList() }
}

/**
 * Storage in memory whose failures a test switches on: writes that fail, or
 * every call reporting that storage is unavailable, like a locked Keychain.
 */
class FaultyStorage : SecureStorage {
    private val inner = InMemorySecureStorage()

    @Volatile var failWrites = false

    @Volatile var unavailable = false

    override fun read(key: String): ByteArray? {
        if (unavailable) throw StorageException.Unavailable("the test locked the storage")
        return inner.read(key)
    }

    override fun write(key: String, value: ByteArray) {
        if (unavailable) throw StorageException.Unavailable("the test locked the storage")
        if (failWrites) throw StorageException.Failed("the test made writes fail")
        inner.write(key, value)
    }

    override fun delete(key: String) {
        if (unavailable) throw StorageException.Unavailable("the test locked the storage")
        inner.delete(key)
    }

    /** Returns the keys stored now. */
    fun keys(): Set<String> = inner.keys()
}
