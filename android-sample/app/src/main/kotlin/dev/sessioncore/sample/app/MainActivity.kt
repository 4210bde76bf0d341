package dev.sessioncore.sample.app

import android.content.Intent
import android.net.Uri
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.viewModels
import androidx.browser.customtabs.CustomTabsIntent
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.lifecycleScope
import androidx.lifecycle.repeatOnLifecycle
import kotlinx.coroutines.launch

/**
 * The sample's one activity. It shows the login or profile screen, opens the
 * authorize URL in a Custom Tab, and receives the redirect through the
 * intent filter on the app's scheme.
 */
class MainActivity : ComponentActivity() {
    private val viewModel: SessionViewModel by viewModels()

    /** True from opening the Custom Tab until the redirect or the user's return without one. */
    private var waitingForRedirect = false

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent { SampleScreens(viewModel.controller) }

        lifecycleScope.launch {
            repeatOnLifecycle(Lifecycle.State.STARTED) {
                viewModel.controller.browserRequests.collect { url ->
                    waitingForRedirect = true
                    CustomTabsIntent.Builder().build().launchUrl(this@MainActivity, Uri.parse(url))
                }
            }
        }
        handleRedirect(intent)
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        handleRedirect(intent)
    }

    override fun onResume() {
        super.onResume()
        // onNewIntent runs before onResume, so a redirect has been handled by
        // now; still waiting means the user closed the Custom Tab.
        if (waitingForRedirect) {
            waitingForRedirect = false
            viewModel.controller.cancelLogIn()
        }
    }

    private fun handleRedirect(intent: Intent?) {
        val redirect = intent?.takeIf { it.action == Intent.ACTION_VIEW }?.data ?: return
        waitingForRedirect = false
        // False when no login waits, such as after the process was killed
        // while the Custom Tab was open; the user then taps "Log in" again.
        viewModel.controller.completeLogIn(redirect.toString())
    }
}
