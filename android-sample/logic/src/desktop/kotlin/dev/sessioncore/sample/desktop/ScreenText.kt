package dev.sessioncore.sample.desktop

import dev.sessioncore.sample.ScreenState
import dev.sessioncore.sample.UserMessage
import dev.sessioncore.sample.formatTimeLeft

/** Renders a screen state as one line of text, as the desktop demo prints it. */
fun ScreenState.toScreenText(): String = when (this) {
    ScreenState.Loading -> "loading"
    is ScreenState.Login -> listOfNotNull(
        "login",
        if (loggingIn) "waiting for the browser" else "[Log in]",
        message?.toScreenText(),
    ).joinToString(" | ")
    is ScreenState.Profile -> listOfNotNull(
        "profile",
        listOfNotNull(user.name, user.email, user.pictureUrl).joinToString(", "),
        tokens?.let { lifetimes ->
            val idToken = lifetimes.idTokenLeft?.let(::formatTimeLeft) ?: "none"
            "access token ${formatTimeLeft(lifetimes.accessTokenLeft)}, id token $idToken"
        } ?: "token lifetimes unknown",
        runningAction?.let { "running ${it.name.lowercase().replace('_', ' ')}" },
        message?.toScreenText(),
    ).joinToString(" | ")
}

private fun UserMessage.toScreenText(): String = if (isError) "error: $text" else text
