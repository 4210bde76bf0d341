package dev.sessioncore

import java.util.concurrent.ConcurrentHashMap

/**
 * Storage in JVM memory, written in Kotlin: for tests and for desktop programs
 * that must not persist anything. Everything is lost when the process ends.
 *
 * It stores copies, so a caller that changes an array after [write] or after
 * [read] does not change what is stored.
 */
class InMemorySecureStorage : SecureStorage {
    private val values = ConcurrentHashMap<String, ByteArray>()

    override fun read(key: String): ByteArray? = values[key]?.copyOf()

    override fun write(key: String, value: ByteArray) {
        values[key] = value.copyOf()
    }

    override fun delete(key: String) {
        values.remove(key)
    }

    /** Returns the keys stored now, for tests that inspect what the core wrote. */
    fun keys(): Set<String> = values.keys.toSet()
}
