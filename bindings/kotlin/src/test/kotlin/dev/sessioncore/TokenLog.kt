package dev.sessioncore

import java.io.File
import java.net.URI
import java.net.URLDecoder

/**
 * The list of every token and authorization code the tests handle, which
 * scripts/test-kotlin.sh then searches the JUnit log for. The script names
 * the file in the `SESSIONCORE_TOKENS_FILE` environment variable.
 */
object TokenLog {
    private val file: File? = System.getenv("SESSIONCORE_TOKENS_FILE")?.let(::File)

    /** Appends each of [tokens] to the file, one a line. */
    fun record(vararg tokens: String?) {
        // NOTE: without the variable (a run outside scripts/test-kotlin.sh)
        // nothing is recorded, and no scan runs either.
        val target = file ?: return
        val lines = tokens.filterNotNull().filter { it.isNotEmpty() }
        if (lines.isEmpty()) return
        synchronized(this) {
            target.appendText(lines.joinToString(separator = "\n", postfix = "\n"))
        }
    }

    /** Appends the `code` query parameter of [redirectUrl], if it has one. */
    fun recordCode(redirectUrl: String) {
        val query = URI(redirectUrl).rawQuery ?: return
        query.split('&')
            .filter { it.startsWith("code=") }
            .forEach { record(URLDecoder.decode(it.removePrefix("code="), Charsets.UTF_8)) }
    }
}

/** Records every token of these credentials in [TokenLog] and returns them unchanged. */
fun Credentials.recorded(): Credentials = apply { TokenLog.record(accessToken(), idToken(), refreshToken()) }

/** Records the id_token of this delegation in [TokenLog] and returns it unchanged. */
fun Delegation.recorded(): Delegation = apply { TokenLog.record(idToken()) }
