package dev.sessioncore.sample

import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.StandardCopyOption

/**
 * Records as files of one folder, which the app keeps private and out of
 * backups (on Android, a folder under `noBackupFilesDir`).
 *
 * File names are the hex of the record name, so any name is a safe file name.
 * A write goes to a temporary file that is synced and then renamed over the
 * old one, so a crash leaves either the old record or the new one.
 */
class FileRecordStore(private val directory: File) : RecordStore {
    override fun read(name: String): ByteArray? {
        val file = fileOf(name)
        return if (file.exists()) file.readBytes() else null
    }

    override fun write(name: String, record: ByteArray) {
        if (!directory.isDirectory && !directory.mkdirs()) {
            throw IOException("cannot create the folder $directory")
        }
        val target = fileOf(name)
        val temporary = File.createTempFile(target.name, ".tmp", directory)
        try {
            FileOutputStream(temporary).use { output ->
                output.write(record)
                output.fd.sync()
            }
            try {
                Files.move(
                    temporary.toPath(),
                    target.toPath(),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING,
                )
            } catch (unsupported: AtomicMoveNotSupportedException) {
                Files.move(temporary.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING)
            }
        } finally {
            temporary.delete()
        }
    }

    override fun delete(name: String) {
        Files.deleteIfExists(fileOf(name).toPath())
    }

    /** Returns the file that contains the record [name]. */
    fun fileOf(name: String): File {
        val hex = name.toByteArray(Charsets.UTF_8).joinToString("") { "%02x".format(it) }
        return File(directory, "$hex.record")
    }
}
