package dev.sessioncore.sample

import dev.sessioncore.RevocationOutcome
import dev.sessioncore.SessionException
import dev.sessioncore.SignedOutReason

/** Sentences that the sample shows. Each one states what happened and what the user can do. */
object UserMessages {
    val sessionEnded = UserMessage("Your session has ended. Please log in again.", isError = true)
    val loggedOut = UserMessage("You are logged out.")
    val loginCancelled = UserMessage("Login was cancelled.")

    /** Tells whether [error] means that only a new login can help. */
    fun requiresLogin(error: SessionException): Boolean =
        error is SessionException.LoginRequired ||
            error is SessionException.NoCredentials ||
            error is SessionException.NoRefreshToken

    /**
     * Returns the message for a failed call. Reasons from the core go into the
     * text only where they help the user or the developer; none carries a token.
     */
    fun forError(error: SessionException): UserMessage {
        val text = when (error) {
            is SessionException.LoginRequired,
            is SessionException.NoCredentials,
            -> sessionEnded.text
            is SessionException.NoRefreshToken ->
                "This session cannot be renewed. Please log in again."
            is SessionException.Network ->
                "Cannot reach the login server. Check your connection and try again."
            is SessionException.Server -> serverTrouble(error)
            is SessionException.Rejected ->
                "The login server rejected the request (${error.error}). Logging in again will not help; " +
                    "check the app's settings for this server."
            is SessionException.InvalidResponse,
            is SessionException.InvalidIdToken,
            -> "The login server sent an answer the app cannot trust, so nothing was changed. Try again later."
            is SessionException.ClockSkew ->
                "Your device's clock looks wrong. Set the date and time to automatic, then try again."
            is SessionException.AuthorizationFailed ->
                "Login did not complete. Please try again."
            is SessionException.StorageUnavailable ->
                "Secure storage is locked. Unlock your device and try again."
            is SessionException.StorageFailed ->
                "Your session could not be saved on this device, so you will have to log in again " +
                    "after the app restarts."
            is SessionException.Configuration ->
                "The app is not set up correctly for this login server: ${error.reason.trimEnd('.')}."
            is SessionException.MinTtlTooLarge ->
                "The login server issues tokens that live ${error.lifetimeSeconds} s, shorter than the " +
                    "${error.minTtlSeconds} s this app asks for. Lower the app's minimum time to live."
            is SessionException.LoggedOut -> loggedOut.text
        }
        return UserMessage(text, isError = error !is SessionException.LoggedOut)
    }

    /** Returns the message for the login screen after the session ended for [reason], or null when no message is needed. */
    fun forSignedOut(reason: SignedOutReason): UserMessage? = when (reason) {
        SignedOutReason.NO_CREDENTIALS -> null
        SignedOutReason.LOGGED_OUT -> loggedOut
        SignedOutReason.REFRESH_TOKEN_REJECTED -> sessionEnded
        SignedOutReason.UNREADABLE_RECORD ->
            UserMessage("Your saved session could not be read on this device. Please log in again.", isError = true)
    }

    /** Returns the message after a logout, which cleared the device whatever [outcome] reports. */
    fun forLogout(outcome: RevocationOutcome): UserMessage = when (outcome) {
        is RevocationOutcome.Failed -> UserMessage(
            "You are logged out on this device, but the login server could not be told, so your " +
                "session there ends only when it expires.",
            isError = true,
        )
        else -> loggedOut
    }

    private fun serverTrouble(error: SessionException.Server): String {
        val retryAfter = error.retryAfterSeconds
        return if (retryAfter != null) {
            "The login server is busy (HTTP ${error.status}). Try again in $retryAfter s."
        } else {
            "The login server is having trouble (HTTP ${error.status}). Try again later."
        }
    }
}
