package dev.sessioncore.sample.app

import android.app.Application
import android.util.Log
import dev.sessioncore.Session
import dev.sessioncore.sample.FileRecordStore
import dev.sessioncore.sample.KeystoreStorage
import dev.sessioncore.sample.SampleSettings
import java.io.File

/** Creates the one [Session] of the process, so every screen shares its renewals. */
class SampleApplication : Application() {
    val session: Session by lazy {
        val settings = SampleSettings(
            domain = getString(R.string.com_auth0_domain),
            clientId = getString(R.string.com_auth0_client_id),
            scheme = getString(R.string.com_auth0_scheme),
            packageName = packageName,
            issuer = getString(R.string.sessioncore_issuer),
        )
        // no_backup/ is never backed up or transferred to another device.
        val records = FileRecordStore(File(noBackupFilesDir, "sessioncore"))
        val storage = KeystoreStorage(AndroidKeystoreKeyProvider(), records) { name, reason ->
            Log.w(TAG, "removed the stored session record $name: $reason")
        }
        Session(settings.authConfig(), storage)
    }

    private companion object {
        const val TAG = "SessionCoreSample"
    }
}
