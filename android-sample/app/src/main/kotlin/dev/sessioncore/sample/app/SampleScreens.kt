package dev.sessioncore.sample.app

import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import coil.compose.AsyncImage
import dev.sessioncore.sample.ProfileAction
import dev.sessioncore.sample.ScreenState
import dev.sessioncore.sample.SessionController
import dev.sessioncore.sample.UserMessage
import dev.sessioncore.sample.formatTimeLeft

/** Draws the screen that the controller's state names; every decision is in the controller. */
@Composable
fun SampleScreens(controller: SessionController) {
    val state by controller.state.collectAsStateWithLifecycle()
    MaterialTheme {
        Surface(modifier = Modifier.fillMaxSize()) {
            when (val screen = state) {
                ScreenState.Loading -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
                    CircularProgressIndicator()
                }
                is ScreenState.Login -> LoginScreen(screen, onLogIn = { controller.logIn() })
                is ScreenState.Profile -> ProfileScreen(
                    screen,
                    onAction = { action ->
                        when (action) {
                            ProfileAction.RENEW_ID_TOKEN -> controller.renewIdToken()
                            ProfileAction.RENEW_WITH_REFRESH_TOKEN -> controller.renewWithRefreshToken()
                            ProfileAction.GET_CREDENTIALS -> controller.getCredentials()
                            ProfileAction.LOG_OUT -> controller.logOut()
                        }
                    },
                )
            }
        }
    }
}

@Composable
private fun LoginScreen(state: ScreenState.Login, onLogIn: () -> Unit) {
    Column(
        modifier = Modifier.fillMaxSize().padding(24.dp),
        verticalArrangement = Arrangement.Center,
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        state.message?.let { MessageText(it) }
        Button(onClick = onLogIn, enabled = !state.loggingIn, modifier = Modifier.padding(top = 16.dp)) {
            Text(stringResource(if (state.loggingIn) R.string.logging_in else R.string.log_in))
        }
    }
}

@Composable
private fun ProfileScreen(state: ScreenState.Profile, onAction: (ProfileAction) -> Unit) {
    Column(
        modifier = Modifier.fillMaxSize().padding(24.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        AsyncImage(
            model = state.user.pictureUrl,
            contentDescription = stringResource(R.string.user_picture),
            modifier = Modifier.size(96.dp).clip(CircleShape),
        )
        state.user.name?.let { Text(it, style = MaterialTheme.typography.headlineSmall) }
        state.user.email?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }

        val tokens = state.tokens
        if (tokens == null) {
            Text(stringResource(R.string.lifetimes_unknown))
        } else {
            Text(stringResource(R.string.access_token_left, formatTimeLeft(tokens.accessTokenLeft)))
            tokens.idTokenLeft?.let { Text(stringResource(R.string.id_token_left, formatTimeLeft(it))) }
        }

        state.message?.let { MessageText(it) }

        val idle = state.runningAction == null
        ActionButton(R.string.renew_id_token, idle) { onAction(ProfileAction.RENEW_ID_TOKEN) }
        ActionButton(R.string.renew_with_refresh_token, idle) { onAction(ProfileAction.RENEW_WITH_REFRESH_TOKEN) }
        ActionButton(R.string.get_credentials, idle) { onAction(ProfileAction.GET_CREDENTIALS) }
        OutlinedButton(onClick = { onAction(ProfileAction.LOG_OUT) }, enabled = idle, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.log_out))
        }
    }
}

@Composable
private fun ActionButton(@StringRes label: Int, enabled: Boolean, onClick: () -> Unit) {
    Button(onClick = onClick, enabled = enabled, modifier = Modifier.fillMaxWidth()) {
        Text(stringResource(label))
    }
}

@Composable
private fun MessageText(message: UserMessage) {
    Text(
        text = message.text,
        color = if (message.isError) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
        style = MaterialTheme.typography.bodyMedium,
    )
}
