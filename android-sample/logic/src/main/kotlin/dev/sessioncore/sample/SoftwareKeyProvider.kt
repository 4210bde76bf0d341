package dev.sessioncore.sample

import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * An AES-256 key made with `KeyGenerator` and kept in process memory, for the
 * JVM tests and the desktop demo. Records written under it cannot be read
 * after the process ends; Android apps use the Android Keystore instead.
 */
class SoftwareKeyProvider : SecretKeyProvider {
    private var key: SecretKey? = null

    @Synchronized
    override fun getOrCreateKey(): SecretKey =
        key ?: KeyGenerator.getInstance("AES").apply { init(256) }.generateKey().also { key = it }

    @Synchronized
    override fun deleteKey() {
        key = null
    }
}
