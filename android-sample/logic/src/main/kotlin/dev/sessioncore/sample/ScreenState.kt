package dev.sessioncore.sample

import java.time.Instant
import kotlin.time.Duration
import kotlin.time.Duration.Companion.ZERO
import kotlin.time.Duration.Companion.milliseconds

/**
 * What the sample shows, one value per screen. It contains no token, so printing
 * or logging a state never leaks one.
 */
sealed interface ScreenState {
    /** Storage is being read at start. */
    data object Loading : ScreenState

    /**
     * The login screen.
     *
     * @property loggingIn true while the browser shows the provider's login page
     *   and the redirect has not come back yet.
     * @property message why the user is here, such as an ended session, or null.
     */
    data class Login(
        val loggingIn: Boolean = false,
        val message: UserMessage? = null,
    ) : ScreenState

    /**
     * The profile screen of a signed-in user.
     *
     * @property tokens the tokens' lifetimes, or null when they could not be
     *   read (for example the provider was down when the app started).
     * @property runningAction the button whose call is in flight; the other
     *   buttons are disabled until it ends.
     * @property message the outcome of the last action, or null.
     */
    data class Profile(
        val user: UserDetails,
        val tokens: TokenLifetimes?,
        val runningAction: ProfileAction? = null,
        val message: UserMessage? = null,
    ) : ScreenState
}

/** The user's name, email and picture address, from the id_token's claims. */
data class UserDetails(val name: String?, val email: String?, val pictureUrl: String?)

/** The buttons of the profile screen. */
enum class ProfileAction {
    /** Gets a new id_token through `/delegation` with the still-valid id_token. */
    RENEW_ID_TOKEN,

    /** Renews every token with the refresh token grant. */
    RENEW_WITH_REFRESH_TOKEN,

    /** Returns the stored credentials, renewing them only when they expire soon. */
    GET_CREDENTIALS,

    /** Revokes the refresh token and clears the session. */
    LOG_OUT,
}

/** A sentence for the user; [isError] selects the error colour. */
data class UserMessage(val text: String, val isError: Boolean = false)

/**
 * Expiry times of the access token and the id_token, and the time left until
 * each at [now]. Times left are never negative: an expired token has [ZERO].
 */
data class TokenLifetimes(
    val accessTokenExpiresAt: Instant,
    val idTokenExpiresAt: Instant?,
    val now: Instant,
) {
    val accessTokenLeft: Duration get() = timeLeft(accessTokenExpiresAt)
    val idTokenLeft: Duration? get() = idTokenExpiresAt?.let(::timeLeft)

    /** Returns the same expiry times seen at [later]. */
    fun at(later: Instant): TokenLifetimes = copy(now = later)

    private fun timeLeft(expiresAt: Instant): Duration =
        (expiresAt.toEpochMilli() - now.toEpochMilli()).milliseconds.coerceAtLeast(ZERO)
}

/**
 * Formats a time left as the profile screen shows it: `1:02:03`, `4:05`, or
 * `expired` when nothing is left. Rounds down to whole seconds.
 */
fun formatTimeLeft(left: Duration): String {
    val totalSeconds = left.inWholeSeconds
    if (totalSeconds <= 0) return "expired"
    val hours = totalSeconds / 3600
    val minutes = totalSeconds % 3600 / 60
    val seconds = totalSeconds % 60
    return if (hours > 0) {
        "%d:%02d:%02d".format(hours, minutes, seconds)
    } else {
        "%d:%02d".format(minutes, seconds)
    }
}
