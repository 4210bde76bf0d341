package dev.sessioncore.sample.desktop

import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * The dev identity provider (`tools/dev-idp`) run as a child process on a free
 * loopback port, with its `/_dev/` control endpoints.
 */
class DevIdpProcess private constructor(private val process: Process, val baseUrl: String) : AutoCloseable {
    /** Revokes every refresh token issued so far, as an administrator would. */
    fun revokeAll() = postControl("/_dev/revoke-all", "{}")

    /** Changes settings of the running provider, such as `{"access_token_lifetime": 2}`. */
    fun configure(json: String) = postControl("/_dev/config", json)

    /** Makes the next [count] requests to [endpoint] (`token`, `delegation`, `revoke`, `userinfo`) return [status]. */
    fun failNext(endpoint: String, status: Int, count: Int = 1) =
        postControl("/_dev/fail", """{"endpoint": "$endpoint", "status": $status, "count": $count}""")

    /** Returns a top-level request counter from `GET /_dev/stats`, such as `delegation_requests`. */
    fun counter(name: String): Long =
        Regex("\"$name\"\\s*:\\s*(\\d+)").find(stats())?.groupValues?.get(1)?.toLong()
            ?: error("GET /_dev/stats has no counter $name")

    /** Returns how many `/oauth/token` requests used [grantType], such as `refresh_token`. */
    fun tokenRequests(grantType: String): Long {
        val perGrant = Regex("\"token_requests\"\\s*:\\s*\\{([^}]*)\\}").find(stats())?.groupValues?.get(1)
            ?: error("GET /_dev/stats has no token_requests object")
        // The provider lists only the grant types it has seen.
        return Regex("\"$grantType\"\\s*:\\s*(\\d+)").find(perGrant)?.groupValues?.get(1)?.toLong() ?: 0
    }

    private fun stats(): String {
        val response = Http.get("$baseUrl/_dev/stats")
        check(response.statusCode() == 200) { "GET /_dev/stats returned ${response.statusCode()}" }
        return response.body()
    }

    private fun postControl(path: String, json: String) {
        val response = Http.postJson("$baseUrl$path", json)
        check(response.statusCode() in 200..299) { "POST $path returned ${response.statusCode()}: ${response.body()}" }
    }

    /** Stops the provider; calls to it then fail as a provider that is down. */
    override fun close() {
        process.outputStream.close()
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        /** System property with the path of the dev-idp binary; the scripts set it. */
        const val BINARY_PROPERTY = "sessioncore.devIdp"

        /** Starts the binary named by [BINARY_PROPERTY] with extra command-line [flags]. */
        fun start(vararg flags: String): DevIdpProcess {
            val binary = System.getProperty(BINARY_PROPERTY)
                ?: error("set -D$BINARY_PROPERTY to the dev-idp binary, such as target/debug/dev-idp")
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
            // Keep draining stdout so that the provider never blocks on a full pipe.
            Thread { stdout.useLines { lines -> lines.forEach { _ -> } } }.apply { isDaemon = true }.start()
            return DevIdpProcess(process, firstLine.trim().trimEnd('/'))
        }
    }
}

/** A plain HTTP client that never follows redirects, playing the browser's part. */
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
     * Opens [authorizeUrl] as a browser would; the dev identity provider
     * approves its test user at once. Returns the redirect URL that carries the code.
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
