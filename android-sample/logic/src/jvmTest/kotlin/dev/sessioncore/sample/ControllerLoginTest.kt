package dev.sessioncore.sample

import dev.sessioncore.InMemorySecureStorage
import dev.sessioncore.sample.desktop.DevIdpProcess
import dev.sessioncore.sample.desktop.Http
import java.net.URI
import java.net.URLDecoder
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class ControllerLoginTest {
    @Test
    fun `start without session shows login`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.controller.start().join()

                assertEquals(ScreenState.Login(), app.controller.state.value)
            }
        }
    }

    @Test
    fun `login shows name email and picture`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                val profile = app.startAndLogIn()

                assertEquals(UserDetails("Ada Lovelace", "ada@example.com", "https://example.com/ada.png"), profile.user)
            }
        }
    }

    @Test
    fun `login shows both token lifetimes`() = runSuspend {
        DevIdpProcess.start("--access-token-lifetime", "600", "--id-token-lifetime", "1200").use { idp ->
            SampleApp(idp).use { app ->
                val tokens = app.startAndLogIn().tokens ?: fail("the profile has no token lifetimes")

                assertTrue(tokens.accessTokenLeft.inWholeSeconds in 590..600, "access token left: ${tokens.accessTokenLeft}")
                assertTrue(tokens.idTokenLeft!!.inWholeSeconds in 1190..1200, "id_token left: ${tokens.idTokenLeft}")
            }
        }
    }

    @Test
    fun `login opens authorize URL with redirect URI`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()

                assertEquals(1, app.openedUrls.size)
                val query = queryOf(app.openedUrls.single())
                assertTrue(app.openedUrls.single().startsWith("${idp.baseUrl}/authorize?"))
                assertEquals("dev-client", query["client_id"])
                assertEquals(sampleSettings(idp).redirectUri, query["redirect_uri"])
                assertEquals("S256", query["code_challenge_method"])
            }
        }
    }

    @Test
    fun `login stores one record`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            val storage = InMemorySecureStorage()
            SampleApp(idp, storage).use { app ->
                app.startAndLogIn()

                assertEquals(1, storage.keys().size, "stored keys: ${storage.keys()}")
            }
        }
    }

    @Test
    fun `start with stored session shows profile`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            val storage = InMemorySecureStorage()
            SampleApp(idp, storage).use { it.startAndLogIn() }

            SampleApp(idp, storage).use { app ->
                app.controller.start().join()

                assertEquals("Ada Lovelace", app.profile().user.name)
                assertNotNull(app.profile().tokens)
                assertEquals(0, idp.tokenRequests("refresh_token"), "a valid stored session was renewed at start")
            }
        }
    }

    @Test
    fun `login waits for the redirect`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp, autoBrowser = false).use { app ->
                app.controller.start().join()
                val login = app.controller.logIn()
                app.awaitState("the login in progress") { it == ScreenState.Login(loggingIn = true) }
                val url = awaitOpenedUrl(app)

                assertTrue(app.controller.completeLogIn(Http.followAuthorize(url)))
                login.join()

                assertEquals("Ada Lovelace", app.profile().user.name)
            }
        }
    }

    @Test
    fun `error redirect returns to login with message`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp, autoBrowser = false).use { app ->
                app.controller.start().join()
                val login = app.controller.logIn()
                val state = queryOf(awaitOpenedUrl(app))["state"]

                app.controller.completeLogIn("${sampleSettings(idp).redirectUri}?error=access_denied&state=$state")
                login.join()

                assertEquals(UserMessages.forError(dev.sessioncore.SessionException.AuthorizationFailed("")), app.login().message)
                assertFalse(app.login().loggingIn)
            }
        }
    }

    @Test
    fun `cancelled login shows login again`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp, autoBrowser = false).use { app ->
                app.controller.start().join()
                val login = app.controller.logIn()
                awaitOpenedUrl(app)

                app.controller.cancelLogIn()
                login.join()

                assertEquals(ScreenState.Login(message = UserMessages.loginCancelled), app.controller.state.value)
                assertFalse(app.controller.completeLogIn("${sampleSettings(idp).redirectUri}?code=late"))
            }
        }
    }

    @Test
    fun `redirect without pending login is ignored`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.controller.start().join()

                assertFalse(app.controller.completeLogIn("${sampleSettings(idp).redirectUri}?code=stray&state=stray"))
                assertEquals(ScreenState.Login(), app.controller.state.value)
            }
        }
    }

    @Test
    fun `code exchange with IdP down shows network message`() = runSuspend {
        val idp = DevIdpProcess.start()
        SampleApp(idp, autoBrowser = false).use { app ->
            app.controller.start().join()
            val login = app.controller.logIn()
            val redirect = Http.followAuthorize(awaitOpenedUrl(app))
            idp.close()

            app.controller.completeLogIn(redirect)
            login.join()

            assertEquals(UserMessages.forError(dev.sessioncore.SessionException.Network("")), app.login().message)
        }
    }

    @Test
    fun `login button is ignored on profile`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()

                app.controller.logIn().join()

                assertEquals(1, app.openedUrls.size)
                assertNull(app.profile().message)
            }
        }
    }

    private suspend fun awaitOpenedUrl(app: SampleApp): String {
        return waitFor { app.openedUrls.firstOrNull() }
    }
}

/** Polls [value] every 20 ms until it is not null, for up to ten seconds. */
suspend fun <T : Any> waitFor(value: () -> T?): T {
    repeat(500) {
        value()?.let { return it }
        kotlinx.coroutines.delay(20)
    }
    error("timed out waiting for a value")
}

/** Returns the decoded query parameters of [url]. */
fun queryOf(url: String): Map<String, String> =
    URI(url).rawQuery.split('&').associate { pair ->
        val (name, value) = pair.split('=', limit = 2)
        URLDecoder.decode(name, Charsets.UTF_8) to URLDecoder.decode(value, Charsets.UTF_8)
    }
