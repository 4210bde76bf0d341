package dev.sessioncore

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * The dev identity provider, run as a child process on a free loopback port.
 * The test script passes the binary's path in the `sessioncore.devIdp` system property.
 */
class DevIdp private constructor(private val process: Process, val baseUrl: String) : AutoCloseable {
    /** The issuer that the provider writes into its id_tokens. */
    val issuer: String get() = "$baseUrl/"

    /** Returns the provider's request counters from `GET /_dev/stats`. */
    fun stats(): Map<String, Long> {
        val response = Http.get("$baseUrl/_dev/stats")
        check(response.statusCode() == 200) { "GET /_dev/stats returned ${response.statusCode()}" }
        return JSON_COUNTER.findAll(response.body())
            .associate { it.groupValues[1] to it.groupValues[2].toLong() }
    }

    /** Returns one counter from [stats], failing when the provider does not report it. */
    fun counter(name: String): Long =
        stats()[name] ?: error("GET /_dev/stats has no counter named $name: ${stats().keys}")

    /** Changes settings of the running provider through `POST /_dev/config`. */
    fun configure(json: String) = postControl("/_dev/config", json)

    /** Makes the provider fail requests as [json] describes, through `POST /_dev/fail`. */
    fun injectFailure(json: String) = postControl("/_dev/fail", json)

    /** Revokes every refresh token that the provider issued so far. */
    fun revokeAll() = postControl("/_dev/revoke-all", "{}")

    private fun postControl(path: String, json: String) {
        val response = Http.postJson("$baseUrl$path", json)
        check(response.statusCode() in 200..299) {
            "POST $path returned ${response.statusCode()}: ${response.body()}"
        }
    }

    /** Stops the provider process. */
    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        private val JSON_COUNTER = Regex("\"([a-z_]+)\"\\s*:\\s*(\\d+)")

        /** Starts the provider with command-line [flags] and waits for its URL. */
        fun start(vararg flags: String): DevIdp {
            val binary = System.getProperty("sessioncore.devIdp")
                ?: error("set -Dsessioncore.devIdp to the dev-idp binary; scripts/test-kotlin.sh does")
            val log = File.createTempFile("dev-idp", ".log").apply { deleteOnExit() }
            val process = ProcessBuilder(listOf(binary, "--port", "0") + flags)
                .redirectError(ProcessBuilder.Redirect.appendTo(log))
                .start()
            val stdout = process.inputStream.bufferedReader()
            val firstLine = stdout.readLine()
            if (firstLine == null || !firstLine.startsWith("http://127.0.0.1:")) {
                process.destroyForcibly()
                error("dev-idp did not print its URL (first line: $firstLine); its log: ${log.readText()}")
            }
            // Keep reading so that the provider never blocks on a full pipe.
            Thread { stdout.useLines { lines -> lines.forEach { _ -> } } }
                .apply { isDaemon = true }
                .start()
            return DevIdp(process, firstLine.trim().trimEnd('/'))
        }
    }
}

/** A plain HTTP client that never follows redirects, so tests can read them. */
object Http {
    private val client: HttpClient = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build()

    fun get(url: String): HttpResponse<String> =
        client.send(HttpRequest.newBuilder(URI(url)).GET().build(), HttpResponse.BodyHandlers.ofString())

    fun postJson(url: String, json: String): HttpResponse<String> =
        client.send(
            HttpRequest.newBuilder(URI(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString(),
        )

    /**
     * Opens [authorizeUrl] the way a browser would, without following the
     * redirect, and returns the redirect URL that carries the code.
     */
    fun followAuthorize(authorizeUrl: String): String {
        val response = get(authorizeUrl)
        check(response.statusCode() in 300..399) {
            "the authorize endpoint returned ${response.statusCode()} instead of a redirect"
        }
        return response.headers().firstValue("Location")
            .orElseThrow { IllegalStateException("the authorize redirect has no Location header") }
    }
}
