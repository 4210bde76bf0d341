//! The core against real identity providers, through its public API only:
//! oidc-provider (an OpenID Certified server for Node.js, run from
//! `tools/oidc-provider`) and the project's own dev identity provider. Each
//! scenario runs unchanged against each provider.
//!
//! Both providers, as set up here, rotate refresh tokens and revoke the whole
//! grant when a replaced refresh token comes back. So a scenario presents an old refresh
//! token only as its last step, and logout is checked on a login of its own.

mod support;

use std::collections::HashMap;
use std::sync::Arc;

use session_core::{
    memory_storage, AuthenticationClient, Credentials, RevocationOutcome, SessionError,
    SessionManager, UserProfile,
};
use support::{DevIdpAddress, ExpectedUser, TestProvider};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_provider_renewal_rotates_refresh_token() {
    let provider = TestProvider::oidc_provider("RS256");
    check_renewal_rotates_refresh_token(&provider).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_provider_es256_renewal_rotates_refresh_token() {
    let provider = TestProvider::oidc_provider("ES256");
    check_renewal_rotates_refresh_token(&provider).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_provider_logout_revokes_refresh_token() {
    let provider = TestProvider::oidc_provider("RS256");
    check_logout_revokes_refresh_token(&provider).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_idp_renewal_rotates_refresh_token() {
    let provider = TestProvider::dev_idp(DevIdpAddress::Auth0Domain).await;
    check_renewal_rotates_refresh_token(&provider).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_idp_discovery_renewal_rotates_refresh_token() {
    let provider = TestProvider::dev_idp(DevIdpAddress::Discovery).await;
    check_renewal_rotates_refresh_token(&provider).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_idp_logout_revokes_refresh_token() {
    let provider = TestProvider::dev_idp(DevIdpAddress::Auth0Domain).await;
    check_logout_revokes_refresh_token(&provider).await;
}

/// Logs in, renews twice, and checks after each renewal that the refresh
/// token changed and that the new one is what the manager stored and
/// returns. Then checks that the renewed access token works at the userinfo
/// endpoint, and that the provider rejects both replaced refresh tokens.
async fn check_renewal_rotates_refresh_token(provider: &TestProvider) {
    let storage = memory_storage();
    let manager = SessionManager::new(provider.config(), storage.clone())
        .unwrap_or_else(|error| panic!("creating the session manager failed: {error}"));
    let client = manager.authentication_client();

    let login = log_in(&client).await;
    let mut current_refresh_token = login
        .refresh_token()
        .expect("the login with offline_access returned no refresh token");
    manager
        .save_credentials(login)
        .unwrap_or_else(|error| panic!("saving the login credentials failed: {error}"));
    let profile = manager
        .user_profile()
        .unwrap_or_else(|error| panic!("reading the user profile failed: {error}"))
        .expect("the stored credentials have no id_token to read a profile from");
    check_profile(&profile, provider.user(), "the login id_token");

    let mut replaced_refresh_tokens = Vec::new();
    for renewal in 1..=2 {
        let renewed = manager
            .renew()
            .await
            .unwrap_or_else(|error| panic!("renewal {renewal} failed: {error}"));
        let new_refresh_token = renewed
            .refresh_token()
            .unwrap_or_else(|| panic!("renewal {renewal} returned no refresh token"));
        // Tokens are compared with `assert!`, so that a failure never prints one.
        assert!(
            new_refresh_token != current_refresh_token,
            "renewal {renewal} returned the old refresh token, so the provider did not rotate it"
        );

        let returned = manager
            .credentials(0, false, None, HashMap::new())
            .await
            .unwrap_or_else(|error| panic!("credentials after renewal {renewal} failed: {error}"));
        assert!(
            returned.refresh_token().as_deref() == Some(new_refresh_token.as_str()),
            "after renewal {renewal} the manager returned a refresh token other than the new one"
        );
        assert!(
            returned.access_token() == renewed.access_token(),
            "after renewal {renewal} the manager returned an access token other than the new one"
        );

        // A second manager over the same storage reads only what was written.
        let stored = SessionManager::new(provider.config(), storage.clone())
            .unwrap_or_else(|error| panic!("creating a second session manager failed: {error}"))
            .credentials(0, false, None, HashMap::new())
            .await
            .unwrap_or_else(|error| {
                panic!("reading storage after renewal {renewal} failed: {error}")
            });
        assert!(
            stored.refresh_token().as_deref() == Some(new_refresh_token.as_str()),
            "after renewal {renewal} storage contains a refresh token other than the new one"
        );

        let renewed_profile = manager
            .user_profile()
            .unwrap_or_else(|error| {
                panic!("reading the profile after renewal {renewal} failed: {error}")
            })
            .expect("the renewed credentials lost the id_token");
        check_profile(&renewed_profile, provider.user(), "the renewed id_token");

        replaced_refresh_tokens.push(std::mem::replace(
            &mut current_refresh_token,
            new_refresh_token,
        ));
    }

    let access_token = manager
        .credentials(0, false, None, HashMap::new())
        .await
        .unwrap_or_else(|error| panic!("credentials after the renewals failed: {error}"))
        .access_token();
    let user_info = client
        .user_info(access_token)
        .await
        .unwrap_or_else(|error| panic!("userinfo with the renewed access token failed: {error}"));
    check_profile(&user_info, provider.user(), "the userinfo response");

    // Newest first: the first rejection revokes the grant at both providers,
    // and only the newest replaced token was certainly valid until rotation
    // replaced it, since renewal 2 used it.
    for (index, old_refresh_token) in replaced_refresh_tokens.iter().enumerate().rev() {
        let result = client
            .renew(old_refresh_token.clone(), None, HashMap::new())
            .await;
        assert!(
            matches!(result, Err(SessionError::LoginRequired { .. })),
            "the refresh token replaced by renewal {} was not rejected with LoginRequired: {}",
            index + 1,
            describe(&result)
        );
    }
}

/// Logs in, logs out with revocation, and checks that the session is gone
/// locally and that the provider rejects the revoked refresh token.
async fn check_logout_revokes_refresh_token(provider: &TestProvider) {
    let storage = memory_storage();
    let manager = SessionManager::new(provider.config(), storage.clone())
        .unwrap_or_else(|error| panic!("creating the session manager failed: {error}"));
    let client = manager.authentication_client();

    let login = log_in(&client).await;
    let refresh_token = login
        .refresh_token()
        .expect("the login with offline_access returned no refresh token");
    manager
        .save_credentials(login)
        .unwrap_or_else(|error| panic!("saving the login credentials failed: {error}"));

    let outcome = manager
        .logout(true)
        .await
        .unwrap_or_else(|error| panic!("logout failed: {error}"));
    assert_eq!(outcome, RevocationOutcome::Revoked);

    let after_logout = manager.credentials(0, false, None, HashMap::new()).await;
    assert!(
        matches!(after_logout, Err(SessionError::NoCredentials)),
        "credentials after logout did not fail with NoCredentials: {}",
        describe(&after_logout)
    );
    let stored = SessionManager::new(provider.config(), storage)
        .unwrap_or_else(|error| panic!("creating a second session manager failed: {error}"))
        .has_valid_credentials(0)
        .unwrap_or_else(|error| panic!("reading storage after logout failed: {error}"));
    assert!(
        !stored,
        "storage still contains usable credentials after logout"
    );

    let result = client.renew(refresh_token, None, HashMap::new()).await;
    assert!(
        matches!(result, Err(SessionError::LoginRequired { .. })),
        "the revoked refresh token was not rejected with LoginRequired: {}",
        describe(&result)
    );
}

/// Logs in by authorization code with PKCE: the core builds the authorize
/// URL, the scripted browser completes the provider's pages, and the core
/// exchanges the code and validates the id_token against the provider's keys.
async fn log_in(client: &AuthenticationClient) -> Arc<Credentials> {
    // oidc-provider drops `offline_access`, and so issues no refresh token,
    // unless the user is asked for consent. The dev identity provider
    // ignores `prompt`.
    let parameters = HashMap::from([("prompt".to_owned(), "consent".to_owned())]);
    let request = client
        .authorize(parameters)
        .await
        .unwrap_or_else(|error| panic!("building the authorize URL failed: {error}"));
    let redirect_url = support::login::complete_login(&request.url()).await;
    client
        .exchange_code(request, redirect_url)
        .await
        .unwrap_or_else(|error| panic!("exchanging the authorization code failed: {error}"))
}

fn check_profile(profile: &UserProfile, user: &ExpectedUser, source: &str) {
    assert_eq!(profile.sub, user.sub, "sub in {source}");
    assert_eq!(
        profile.name.as_deref(),
        Some(user.name.as_str()),
        "name in {source}"
    );
    assert_eq!(
        profile.email.as_deref(),
        Some(user.email.as_str()),
        "email in {source}"
    );
}

/// Describes a result for a failure message without printing any token.
fn describe(result: &Result<Arc<Credentials>, SessionError>) -> String {
    match result {
        Ok(_) => "the call succeeded".to_owned(),
        Err(error) => format!("{error:?}"),
    }
}
