package dev.sessioncore.sample

import dev.sessioncore.InMemorySecureStorage
import dev.sessioncore.sample.desktop.DevIdpProcess
import java.util.Collections
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.launch
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class ControllerProfileTest {
    @Test
    fun `renew id token calls delegation once`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()

                app.controller.renewIdToken().join()

                assertEquals(1, idp.counter("delegation_requests"))
                assertEquals(0, idp.tokenRequests("refresh_token"))
                assertTrue(app.profile().message!!.text.startsWith("Got a new id token."), "message: ${app.profile().message}")
                assertNull(app.profile().runningAction)
            }
        }
    }

    @Test
    fun `renew id token extends id token lifetime`() = runSuspend {
        DevIdpProcess.start("--id-token-lifetime", "600").use { idp ->
            SampleApp(idp).use { app ->
                val before = app.startAndLogIn().tokens!!.idTokenExpiresAt!!
                idp.configure("""{"id_token_lifetime": 7200}""")

                app.controller.renewIdToken().join()

                val after = app.profile().tokens!!.idTokenExpiresAt!!
                assertTrue(after.isAfter(before.plusSeconds(6000)), "id_token expiry went from $before to $after")
            }
        }
    }

    @Test
    fun `renew with refresh token sends one grant`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()

                app.controller.renewWithRefreshToken().join()

                assertEquals(1, idp.tokenRequests("refresh_token"))
                assertTrue(app.profile().message!!.text.startsWith("Renewed with the refresh token."))
            }
        }
    }

    @Test
    fun `renew with refresh token extends access token`() = runSuspend {
        DevIdpProcess.start("--access-token-lifetime", "600").use { idp ->
            SampleApp(idp).use { app ->
                val before = app.startAndLogIn().tokens!!.accessTokenExpiresAt
                idp.configure("""{"access_token_lifetime": 7200}""")

                app.controller.renewWithRefreshToken().join()

                val after = app.profile().tokens!!.accessTokenExpiresAt
                assertTrue(after.isAfter(before.plusSeconds(6000)), "access token expiry went from $before to $after")
            }
        }
    }

    @Test
    fun `get credentials with fresh tokens renews nothing`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()

                app.controller.getCredentials().join()

                assertEquals(0, idp.tokenRequests("refresh_token"))
                assertEquals("The stored tokens are still valid, so nothing was renewed.", app.profile().message!!.text)
            }
        }
    }

    @Test
    fun `get credentials near expiry renews`() = runSuspend {
        // The app requests 60 s of access token, but the login gives only 30 s.
        DevIdpProcess.start("--access-token-lifetime", "30").use { idp ->
            SampleApp(idp, minTtl = 60.seconds).use { app ->
                app.startAndLogIn()
                idp.configure("""{"access_token_lifetime": 600}""")

                app.controller.getCredentials().join()

                assertEquals(1, idp.tokenRequests("refresh_token"))
                assertEquals("The tokens were about to expire, so they were renewed.", app.profile().message!!.text)
                assertTrue(app.profile().tokens!!.accessTokenLeft > 500.seconds)
            }
        }
    }

    @Test
    fun `get credentials too short lifetime shows message`() = runSuspend {
        DevIdpProcess.start("--access-token-lifetime", "30").use { idp ->
            SampleApp(idp, minTtl = 60.seconds).use { app ->
                app.startAndLogIn()

                app.controller.getCredentials().join()

                val message = app.profile().message!!
                assertTrue(message.isError)
                assertTrue(message.text.startsWith("The login server issues tokens that live 30 s"), message.text)
            }
        }
    }

    @Test
    fun `running action shows on profile`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()
                idp.configure("""{"latency_ms": 700}""")

                val renewal = app.controller.renewIdToken()

                assertEquals(ProfileAction.RENEW_ID_TOKEN, app.profile().runningAction)
                renewal.join()
                assertNull(app.profile().runningAction)
            }
        }
    }

    @Test
    fun `second tap while running is ignored`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()
                idp.configure("""{"latency_ms": 700}""")

                val first = app.controller.renewWithRefreshToken()
                val second = app.controller.renewWithRefreshToken()
                val logout = app.controller.logOut()

                assertTrue(second.isCompleted, "the second tap started work")
                assertTrue(logout.isCompleted, "log out started while a renewal ran")
                first.join()
                assertEquals(1, idp.tokenRequests("refresh_token"))
                assertEquals(0, idp.counter("revocation_requests"))
            }
        }
    }

    @Test
    fun `log out revokes and shows login`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            val storage = InMemorySecureStorage()
            SampleApp(idp, storage).use { app ->
                app.startAndLogIn()

                app.controller.logOut().join()

                assertEquals(ScreenState.Login(message = UserMessages.loggedOut), app.controller.state.value)
                assertEquals(1, idp.counter("revocation_requests"))
                assertTrue(storage.keys().isEmpty(), "storage still holds ${storage.keys()}")
            }
        }
    }

    @Test
    fun `log in again after log out`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()
                app.controller.logOut().join()

                app.controller.logIn().join()

                assertEquals("Ada Lovelace", app.profile().user.name)
                assertEquals(2, app.openedUrls.size)
            }
        }
    }

    @Test
    fun `screen states contain no token`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                val states = Collections.synchronizedList(mutableListOf<ScreenState>())
                val recorder = app.scope.launch { app.controller.state.collect { states.add(it) } }
                val tokens = mutableListOf<String>()
                suspend fun rememberTokens() {
                    val credentials = app.session.credentials()
                    tokens += listOfNotNull(credentials.accessToken(), credentials.idToken(), credentials.refreshToken())
                }

                app.startAndLogIn()
                rememberTokens()
                app.controller.renewIdToken().join()
                rememberTokens()
                app.controller.renewWithRefreshToken().join()
                rememberTokens()
                app.controller.getCredentials().join()
                app.controller.logOut().join()
                recorder.cancel()

                assertTrue(states.size >= 5, "recorded only ${states.size} states")
                val printed = states.joinToString("\n")
                tokens.forEachIndexed { index, token ->
                    assertFalse(printed.contains(token), "a screen state contains token number $index")
                }
            }
        }
    }
}
