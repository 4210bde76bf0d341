package dev.sessioncore.sample

import dev.sessioncore.InMemorySecureStorage
import dev.sessioncore.SessionException
import dev.sessioncore.sample.desktop.DevIdpProcess
import kotlinx.coroutines.delay
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class ControllerFailureTest {
    @Test
    fun `revoked refresh token returns to login`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            val storage = InMemorySecureStorage()
            SampleApp(idp, storage).use { app ->
                app.startAndLogIn()
                idp.revokeAll()

                app.controller.renewWithRefreshToken().join()

                assertEquals(ScreenState.Login(message = UserMessages.sessionEnded), app.controller.state.value)
                assertTrue(storage.keys().isEmpty(), "the ended session is still stored: ${storage.keys()}")
            }
        }
    }

    @Test
    fun `IdP down keeps profile with network message`() = runSuspend {
        val idp = DevIdpProcess.start()
        SampleApp(idp).use { app ->
            val before = app.startAndLogIn()
            idp.close()

            app.controller.renewWithRefreshToken().join()

            val profile = app.profile()
            assertEquals(UserMessages.forError(SessionException.Network("")), profile.message)
            assertEquals(before.tokens, profile.tokens)
            assertNull(profile.runningAction)
        }
    }

    @Test
    fun `IdP down stops renew id token too`() = runSuspend {
        val idp = DevIdpProcess.start()
        SampleApp(idp).use { app ->
            app.startAndLogIn()
            idp.close()

            app.controller.renewIdToken().join()

            assertEquals(UserMessages.forError(SessionException.Network("")), app.profile().message)
        }
    }

    @Test
    fun `server error keeps profile with message`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()
                idp.failNext("token", 503)

                app.controller.renewWithRefreshToken().join()

                val message = app.profile().message!!
                assertTrue(message.isError)
                assertEquals("The login server is having trouble (HTTP 503). Try again later.", message.text)
            }
        }
    }

    @Test
    fun `missing delegation endpoint shows setup message`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()
                idp.failNext("delegation", 404)

                app.controller.renewIdToken().join()

                val message = app.profile().message!!
                assertTrue(message.text.startsWith("The app is not set up correctly for this login server"), message.text)
            }
        }
    }

    @Test
    fun `log out with IdP down still shows login`() = runSuspend {
        val idp = DevIdpProcess.start()
        val storage = InMemorySecureStorage()
        SampleApp(idp, storage).use { app ->
            app.startAndLogIn()
            idp.close()

            app.controller.logOut().join()

            val message = app.login().message!!
            assertTrue(message.isError)
            assertTrue(message.text.startsWith("You are logged out on this device"), message.text)
            assertTrue(storage.keys().isEmpty(), "storage still holds ${storage.keys()}")
        }
    }

    @Test
    fun `session ended elsewhere returns to login`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()
                idp.revokeAll()

                // Another part of the app renews, outside the controller.
                runCatching { app.session.renew() }

                app.awaitState("the login screen") { it is ScreenState.Login }
                assertEquals(UserMessages.sessionEnded, app.login().message)
            }
        }
    }

    @Test
    fun `IdP down at start shows profile without lifetimes`() = runSuspend {
        val idp = DevIdpProcess.start("--access-token-lifetime", "1")
        val storage = InMemorySecureStorage()
        SampleApp(idp, storage).use { it.startAndLogIn() }
        // Let the access token expire, so the start has to renew it.
        delay(2_100)
        idp.close()

        SampleApp(idp, storage).use { app ->
            app.controller.start().join()

            val profile = app.profile()
            assertEquals("Ada Lovelace", profile.user.name)
            assertNull(profile.tokens)
            assertEquals(UserMessages.forError(SessionException.Network("")), profile.message)
        }
    }
}
