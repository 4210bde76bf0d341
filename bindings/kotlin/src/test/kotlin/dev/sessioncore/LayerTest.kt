package dev.sessioncore

import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class LayerTest {
    @Test
    fun `whole seconds convert exactly`() {
        assertEquals(0uL, Duration.ZERO.toTtlSeconds())
        assertEquals(600uL, 10.minutes.toTtlSeconds())
    }

    @Test
    fun `fraction of a second rounds up`() {
        assertEquals(2uL, 1500.milliseconds.toTtlSeconds())
        assertEquals(1uL, 1.milliseconds.toTtlSeconds())
    }

    @Test
    fun `negative time to live is rejected`() {
        assertThrowsOf<IllegalArgumentException> { (-1).seconds.toTtlSeconds() }
    }

    @Test
    fun `infinite time to live is rejected`() {
        assertThrowsOf<IllegalArgumentException> { Duration.INFINITE.toTtlSeconds() }
    }
}
