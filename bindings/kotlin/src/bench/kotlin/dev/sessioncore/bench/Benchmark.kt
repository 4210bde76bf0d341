package dev.sessioncore.bench

import dev.sessioncore.AuthConfig
import dev.sessioncore.Credentials
import dev.sessioncore.InMemorySecureStorage
import dev.sessioncore.SecureStorage
import dev.sessioncore.Session
import dev.sessioncore.memoryStorage
import dev.sessioncore.version
import java.io.File
import kotlinx.coroutines.runBlocking

/**
 * Measures what a Kotlin caller pays for `credentials()` on a valid session,
 * beside `version()`, the cheapest exported call, as the floor of one UniFFI
 * call on this JVM. Then measures resident memory after 1,000 and after
 * 100,000 calls. Run it through `scripts/bench-kotlin.sh`, which fixes the
 * heap size so that resident memory reflects native allocations.
 *
 * No call here reaches the network: the stored access token is valid for an
 * hour, so `credentials()` returns it without renewing.
 */
fun main() = runBlocking {
    println("SessionCore ${version()} on ${System.getProperty("java.vm.name")} ${System.getProperty("java.version")}")
    println("${Runtime.getRuntime().availableProcessors()} processors, ${cpuModel()}")
    println("load average before: ${loadAverage()}")
    println()

    val floor = measure("version() (floor: one sync UniFFI call)") { version() }
    newSession(memoryStorage()).use { session ->
        val credentials = measure("credentials(), Rust memory storage") { session.credentials() }
        println("  credentials() / floor = ${"%.2f".format(credentials / floor)}")
        measure("hasValidCredentials(), Rust memory storage") { session.hasValidCredentials() }
    }
    newSession(InMemorySecureStorage()).use { session ->
        measure("credentials(), Kotlin storage") { session.credentials() }
    }
    println()
    measureMemory()
    println("load average after: ${loadAverage()}")
}

private const val BATCH = 20_000
private const val BATCHES = 15

/**
 * Prints and returns the median cost of one call of [call], in nanoseconds,
 * over [BATCHES] batches. Inline, so that [call] may be a suspend call made
 * without starting a coroutine for each one.
 */
private inline fun measure(name: String, call: () -> Any): Double {
    repeat(BATCH * 2) { call() }
    val perCall = (1..BATCHES).map {
        val start = System.nanoTime()
        repeat(BATCH) { call() }
        (System.nanoTime() - start).toDouble() / BATCH
    }.sorted()
    val median = perCall[BATCHES / 2]
    println("%-45s median %8.0f ns/call (min %.0f, max %.0f)".format(name, median, perCall.first(), perCall.last()))
    return median
}

/** Prints resident memory after 1,000 and after 100,000 `credentials()` calls on one session. */
private suspend fun measureMemory() {
    newSession(memoryStorage()).use { session ->
        repeat(1_000) { session.credentials() }
        val after1k = settledRssKib()
        repeat(99_000) { session.credentials() }
        val after100k = settledRssKib()
        println("resident memory after 1,000 calls:   $after1k KiB")
        println("resident memory after 100,000 calls: $after100k KiB")
        println("growth: ${after100k - after1k} KiB")
    }
}

private fun newSession(storage: SecureStorage): Session {
    // A loopback domain passes the configuration check; nothing connects to it.
    val config = AuthConfig(domain = "http://127.0.0.1:9", clientId = "bench", redirectUri = "bench://callback")
    val session = Session(config, storage)
    session.saveCredentials(Credentials("bench-access", "Bearer", null, "bench-refresh", 3600u, "openid"))
    return session
}

/**
 * Returns VmRSS after a garbage collection and a pause, so that the cleaners
 * of unreachable Rust objects have run.
 */
private fun settledRssKib(): Long {
    repeat(3) {
        System.gc()
        Thread.sleep(200)
    }
    return File("/proc/self/status").readLines()
        .first { it.startsWith("VmRSS:") }
        .split(Regex("\\s+"))[1]
        .toLong()
}

private fun cpuModel(): String =
    File("/proc/cpuinfo").takeIf { it.exists() }?.readLines()
        ?.firstOrNull { it.startsWith("model name") }
        ?.substringAfter(":")?.trim()
        ?: "unknown processor"

/** Returns the 1, 5 and 15 minute load averages, since other processes on a shared machine skew every figure. */
private fun loadAverage(): String =
    File("/proc/loadavg").takeIf { it.exists() }?.readText()?.split(" ")?.take(3)?.joinToString(" ")
        ?: "unknown"
