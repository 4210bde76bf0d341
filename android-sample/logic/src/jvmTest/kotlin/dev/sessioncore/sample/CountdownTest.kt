package dev.sessioncore.sample

import dev.sessioncore.sample.desktop.DevIdpProcess
import java.time.Instant
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.Duration.Companion.ZERO
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.take
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(60)
class CountdownTest {
    @Test
    fun `tick moves countdowns by clock time`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                val before = app.startAndLogIn().tokens!!
                app.clock.advance(30.seconds)

                app.ticks.send(Unit)

                app.awaitState("the countdown after a tick") { it is ScreenState.Profile && it.tokens?.now == app.clock.instant() }
                val after = app.profile().tokens!!
                assertEquals(before.accessTokenLeft - 30.seconds, after.accessTokenLeft)
                assertEquals(before.idTokenLeft!! - 30.seconds, after.idTokenLeft)
            }
        }
    }

    @Test
    fun `expired access token counts zero`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.startAndLogIn()
                app.clock.advance(2.hours)

                app.controller.tick()

                val tokens = app.profile().tokens!!
                assertEquals(ZERO, tokens.accessTokenLeft)
                assertEquals("expired", formatTimeLeft(tokens.accessTokenLeft))
                // The id_token lives 10 hours by default; expiry times are whole seconds.
                val idTokenLeft = tokens.idTokenLeft!!
                assertTrue(idTokenLeft > 8.hours - 2.seconds, "id_token left: $idTokenLeft")
                assertTrue(idTokenLeft <= 8.hours, "id_token left: $idTokenLeft")
            }
        }
    }

    @Test
    fun `tick on login screen changes nothing`() = runSuspend {
        DevIdpProcess.start().use { idp ->
            SampleApp(idp).use { app ->
                app.controller.start().join()
                app.clock.advance(5.seconds)

                app.ticks.send(Unit)
                delay(100)

                assertEquals(ScreenState.Login(), app.controller.state.value)
            }
        }
    }

    @Test
    fun `default ticker ticks once a second`() = runSuspend {
        val started = System.nanoTime()

        tickEverySecond().take(2).collect()

        val elapsed = (System.nanoTime() - started).nanoseconds
        assertTrue(elapsed >= 2.seconds, "two ticks came after $elapsed")
        assertTrue(elapsed < 10.seconds, "two ticks took $elapsed")
    }

    @Test
    fun `time left formats as clock text`() {
        val cases = mapOf(
            ZERO to "expired",
            (-5).seconds to "expired",
            999.milliseconds to "expired",
            1.9.seconds to "0:01",
            59.seconds to "0:59",
            61.seconds to "1:01",
            3599.seconds to "59:59",
            3723.seconds to "1:02:03",
            36.hours to "36:00:00",
        )
        cases.forEach { (left, text) -> assertEquals(text, formatTimeLeft(left), "formatting $left") }
    }

    @Test
    fun `token lifetimes never go negative`() {
        val expiry = Instant.ofEpochSecond(1_000)
        val lifetimes = TokenLifetimes(expiry, idTokenExpiresAt = null, now = expiry.plusSeconds(10))

        assertEquals(ZERO, lifetimes.accessTokenLeft)
        assertNull(lifetimes.idTokenLeft)
        assertEquals(5.seconds, lifetimes.at(expiry.minusSeconds(5)).accessTokenLeft)
    }
}
