package dev.sessioncore.sample.app

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import dev.sessioncore.sample.SessionController

/** Keeps the controller across configuration changes; its calls run in [viewModelScope]. */
class SessionViewModel(application: Application) : AndroidViewModel(application) {
    val controller = SessionController(
        session = (application as SampleApplication).session,
        scope = viewModelScope,
    )

    init {
        controller.start()
    }
}
