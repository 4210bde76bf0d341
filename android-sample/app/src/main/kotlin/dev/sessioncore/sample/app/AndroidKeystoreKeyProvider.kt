package dev.sessioncore.sample.app

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import dev.sessioncore.sample.SecretKeyProvider
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * An AES-256-GCM key in the Android Keystore. The key material never leaves
 * the Keystore, which is hardware-backed where the device supports it. The
 * app gets only a handle, and the Keystore picks each encryption's IV.
 */
class AndroidKeystoreKeyProvider(private val alias: String = "sessioncore.session-record") : SecretKeyProvider {
    private val keyStore: KeyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }

    @Synchronized
    override fun getOrCreateKey(): SecretKey {
        (keyStore.getKey(alias, null) as SecretKey?)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
            .apply { init(spec) }
            .generateKey()
    }

    @Synchronized
    override fun deleteKey() {
        keyStore.deleteEntry(alias)
    }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
    }
}
