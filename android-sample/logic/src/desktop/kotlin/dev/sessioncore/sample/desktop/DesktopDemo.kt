package dev.sessioncore.sample.desktop

import dev.sessioncore.Session
import dev.sessioncore.sample.FileRecordStore
import dev.sessioncore.sample.KeystoreStorage
import dev.sessioncore.sample.ScreenState
import dev.sessioncore.sample.SampleSettings
import dev.sessioncore.sample.SessionController
import dev.sessioncore.sample.SoftwareKeyProvider
import java.nio.file.Files
import kotlin.system.exitProcess
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/**
 * Plays the sample app through [SessionController] against the dev identity
 * provider and prints every screen state. The steps log in, watch the
 * countdowns, press each profile button, meet a provider error, a revoked
 * refresh token and a provider that is down, and log out. Exits 0 when every
 * step showed the screen it should, and 1 otherwise.
 *
 * Run it with `scripts/run-android-sample-demo.sh`.
 */
fun main() {
    val passed = try {
        runBlocking { DesktopDemo().run() }
        true
    } catch (failure: DemoStepFailed) {
        println("FAILED: ${failure.message}")
        false
    }
    exitProcess(if (passed) 0 else 1)
}

/** A step of the demo that did not reach the screen it expected. */
class DemoStepFailed(message: String) : Exception(message)

private class DesktopDemo {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val recordFolder = Files.createTempDirectory("sessioncore-sample").toFile()
    private lateinit var controller: SessionController

    @Volatile
    private var lastPrinted: ScreenState? = null

    suspend fun run() {
        // Short access tokens, so that the countdown and an automatic
        // renewal happen within seconds.
        val idp = DevIdpProcess.start("--access-token-lifetime", "6")
        try {
            val settings = SampleSettings(
                domain = idp.baseUrl,
                clientId = "dev-client",
                scheme = "demo",
                packageName = "dev.sessioncore.sample",
            )
            val storage = KeystoreStorage(SoftwareKeyProvider(), FileRecordStore(recordFolder)) { name, reason ->
                println("  (storage removed the record $name: $reason)")
            }
            Session(settings.authConfig(), storage).use { session ->
                controller = SessionController(session, scope, minTtl = 3.seconds)
                scope.launch {
                    controller.state.collect { state ->
                        println(state.toScreenText())
                        lastPrinted = state
                    }
                }
                // The browser's part: open the authorize URL, hand back the redirect.
                scope.launch {
                    controller.browserRequests.collect { url -> controller.completeLogIn(Http.followAuthorize(url)) }
                }
                playTutorial(idp)
            }
        } finally {
            scope.cancel()
            idp.close()
            recordFolder.deleteRecursively()
        }
    }

    private suspend fun playTutorial(idp: DevIdpProcess) {
        step("Start: nothing is stored, so the login screen shows")
        controller.start().join()
        expect<ScreenState.Login>("the login screen at start")

        step("Log in through the browser; the redirect is exchanged and the credentials saved")
        controller.logIn().join()
        expect<ScreenState.Profile>("the profile after login")

        step("Get credentials while the access token is fresh: nothing is renewed")
        controller.getCredentials().join()
        expectMessage("still valid")

        step("Watch the access token count down until it nearly expires")
        delay(3.5.seconds)

        step("Get credentials again: the access token expires soon, so it is renewed")
        controller.getCredentials().join()
        expectMessage("renewed")

        step("Renew id token by delegation, with the still-valid id_token")
        controller.renewIdToken().join()
        expectMessage("Got a new id token")

        step("Renew with refresh token")
        controller.renewWithRefreshToken().join()
        expectMessage("Renewed with the refresh token")

        step("The provider answers 503 to the next renewal: the session stays, with a message")
        idp.failNext("token", 503)
        controller.renewWithRefreshToken().join()
        expect<ScreenState.Profile>("the profile after a provider error")
        expectMessage("HTTP 503")

        step("Log out: the refresh token is revoked and the login screen shows")
        controller.logOut().join()
        expect<ScreenState.Login>("the login screen after logout")
        expectMessage("You are logged out.")

        step("Log in again, then an administrator revokes every refresh token")
        controller.logIn().join()
        expect<ScreenState.Profile>("the profile after the second login")
        idp.revokeAll()
        controller.renewWithRefreshToken().join()
        expect<ScreenState.Login>("the login screen after the refresh token was revoked")
        expectMessage("session has ended")

        step("Log in again, then the provider goes down")
        controller.logIn().join()
        expect<ScreenState.Profile>("the profile after the third login")
        idp.close()
        controller.renewWithRefreshToken().join()
        expectMessage("Cannot reach the login server")
        controller.logOut().join()
        expect<ScreenState.Login>("the login screen after logging out with the provider down")

        println("\n== Done: every step showed the screen it should")
    }

    /** Prints a step's title once the screen before it has been printed, so the output reads in order. */
    private suspend fun step(title: String) {
        waitUntilPrinted()
        println("\n== $title")
    }

    private suspend fun waitUntilPrinted() {
        withTimeout(5.seconds) {
            while (lastPrinted !== controller.state.value) delay(10)
        }
    }

    private suspend inline fun <reified T : ScreenState> expect(what: String) {
        waitUntilPrinted()
        val current = controller.state.value
        if (current !is T) throw DemoStepFailed("expected $what, but the screen is: ${current.toScreenText()}")
    }

    private suspend fun expectMessage(fragment: String) {
        waitUntilPrinted()
        val current = controller.state.value
        val text = when (current) {
            is ScreenState.Login -> current.message?.text
            is ScreenState.Profile -> current.message?.text
            ScreenState.Loading -> null
        }
        if (text == null || !text.contains(fragment)) {
            throw DemoStepFailed("expected a message with \"$fragment\", but the screen is: ${current.toScreenText()}")
        }
    }
}
