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
    fun stats(): DevIdpStats {
        val response = Http.get("$baseUrl/_dev/stats")
        check(response.statusCode() == 200) { "GET /_dev/stats returned ${response.statusCode()}" }
        val body = response.body()
        val tokenRequests = TOKEN_REQUESTS.find(body)?.groupValues?.get(1)
            ?: error("GET /_dev/stats has no token_requests object: $body")
        return DevIdpStats(
            tokenRequests = JSON_COUNTER.findAll(tokenRequests).associate { it.groupValues[1] to it.groupValues[2].toLong() },
            delegationRequests = topLevelCounter(body, "delegation_requests"),
            revocationRequests = topLevelCounter(body, "revocation_requests"),
        )
    }

    private fun topLevelCounter(body: String, name: String): Long =
        Regex("\"$name\"\\s*:\\s*(\\d+)").find(body)?.groupValues?.get(1)?.toLong()
            ?: error("GET /_dev/stats has no counter $name: $body")

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
        process.outputStream.close()
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        private val JSON_COUNTER = Regex("\"([a-z_]*)\"\\s*:\\s*(\\d+)")
        private val TOKEN_REQUESTS = Regex("\"token_requests\"\\s*:\\s*\\{([^}]*)\\}")

        /** Starts the provider with command-line [flags] and waits for its URL. */
        fun start(vararg flags: String): DevIdp {
            val binary = System.getProperty("sessioncore.devIdp")
                ?: error("set -Dsessioncore.devIdp to the dev-idp binary; scripts/test-kotlin.sh does")
            val log = File.createTempFile("dev-idp", ".log").apply { deleteOnExit() }
            // The provider exits when its standard input closes, so it also
            // stops when this JVM dies without calling close().
            val process = ProcessBuilder(listOf(binary, "--port", "0", "--exit-on-stdin-close") + flags)
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

/** Counters of the dev identity provider; token requests are keyed by `grant_type`. */
data class DevIdpStats(
    val tokenRequests: Map<String, Long>,
    val delegationRequests: Long,
    val revocationRequests: Long,
) {
    /** Requests to `/oauth/token` with the refresh token grant. */
    val refreshGrants: Long get() = tokenRequests["refresh_token"] ?: 0

    /** Requests to `/oauth/token` of any grant type. */
    val allTokenRequests: Long get() = tokenRequests.values.sum()
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
        val redirect = response.headers().firstValue("Location")
            .orElseThrow { IllegalStateException("the authorize redirect has no Location header") }
        TokenLog.recordCode(redirect)
        return redirect
    }
}
