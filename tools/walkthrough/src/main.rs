//! Walks the session lifecycle step by step, one line per step: log in, save,
//! renew the id_token, renew on expiry, renew by delegation, log out.
//!
//! With no arguments it starts the local dev identity provider on loopback
//! and needs no network. With `--issuer URL --client-id ID` it runs against
//! any OpenID Connect provider: it prints the authorize URL and waits on a
//! loopback redirect URI (RFC 8252 §7.3) for a person to log in.

mod browser;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use session_core::{
    file_storage, AuthConfig, AuthenticationClient, Credentials, RevocationOutcome, SessionError,
    SessionManager,
};

/// Access token lifetime on the dev IdP: short, so expiry happens while the
/// walkthrough runs.
const DEV_ACCESS_TOKEN_LIFETIME: u64 = 3;

struct Options {
    issuer: Option<String>,
    client_id: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        issuer: None,
        client_id: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--issuer" => options.issuer = Some(args.next().ok_or("--issuer needs a URL")?),
            "--client-id" => {
                options.client_id = Some(args.next().ok_or("--client-id needs a value")?)
            }
            "--help" | "-h" => {
                return Err("usage: session-walkthrough [--issuer URL --client-id ID]\n\
                     Without options, runs against a local dev identity provider."
                    .to_string())
            }
            other => return Err(format!("unknown argument {other}; see --help")),
        }
    }
    if options.issuer.is_some() != options.client_id.is_some() {
        return Err("--issuer and --client-id go together".to_string());
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let result = match (options.issuer, options.client_id) {
        (Some(issuer), Some(client_id)) => run_with_provider(issuer, client_id).await,
        _ => run_with_dev_idp().await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("walkthrough failed: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run_with_dev_idp() -> Result<(), String> {
    let idp = dev_idp::DevIdp::start(dev_idp::Options {
        access_token_lifetime: Duration::from_secs(DEV_ACCESS_TOKEN_LIFETIME),
        rotation: true,
        ..dev_idp::Options::default()
    })
    .await
    .map_err(|error| format!("the dev identity provider did not start: {error}"))?;
    println!("0. started the dev identity provider at {}", idp.base_url());
    let config = AuthConfig {
        domain: Some(idp.base_url()),
        issuer: None,
        client_id: idp.client_id().to_string(),
        audience: None,
        scope: "openid profile email offline_access".to_string(),
        redirect_uri: "dev.sessioncore.walkthrough://callback".to_string(),
        leeway_seconds: 60,
        timeout_ms: 10_000,
    };
    let client = AuthenticationClient::new(config.clone()).map_err(describe)?;
    let request = client.authorize(HashMap::new()).await.map_err(describe)?;
    let redirect = browser::approve_without_following(&request.url()).await?;
    let credentials = client
        .exchange_code(request, redirect)
        .await
        .map_err(describe)?;
    println!("1. logged in by authorization code with PKCE; the id_token's signature, issuer, audience and nonce checked out");
    lifecycle(config, credentials, true).await
}

async fn run_with_provider(issuer: String, client_id: String) -> Result<(), String> {
    let listener = browser::RedirectListener::bind().await?;
    let config = AuthConfig {
        domain: None,
        issuer: Some(issuer),
        client_id,
        audience: None,
        scope: "openid profile email offline_access".to_string(),
        redirect_uri: listener.redirect_uri(),
        leeway_seconds: 60,
        timeout_ms: 10_000,
    };
    let client = AuthenticationClient::new(config.clone()).map_err(describe)?;
    let request = client.authorize(HashMap::new()).await.map_err(describe)?;
    println!(
        "0. open this address in a browser and log in:\n   {}",
        request.url()
    );
    let redirect = listener.wait_for_redirect().await?;
    let credentials = client
        .exchange_code(request, redirect)
        .await
        .map_err(describe)?;
    println!("1. logged in by authorization code with PKCE");
    lifecycle(config, credentials, false).await
}

/// Runs the tutorial's steps after login, shared by both modes. `delegation` is
/// set for providers with the legacy `/delegation` endpoint.
async fn lifecycle(
    config: AuthConfig,
    credentials: Arc<Credentials>,
    delegation: bool,
) -> Result<(), String> {
    let folder = tempfile::tempdir().map_err(|error| format!("no temporary folder: {error}"))?;
    let folder_path = folder.path().to_string_lossy().to_string();
    let storage = file_storage(folder_path.clone()).map_err(describe)?;
    let manager = SessionManager::new(config.clone(), storage).map_err(describe)?;
    manager
        .save_credentials(credentials.clone())
        .map_err(describe)?;
    println!("2. saved the credentials to a file storage in a temporary folder");

    if let Some(profile) = manager.user_profile().map_err(describe)? {
        println!(
            "3. user profile: name {:?}, email {:?}; access token expires in {} s, id_token in {} s",
            profile.name.unwrap_or_default(),
            profile.email.unwrap_or_default(),
            credentials.expires_at() - now(),
            credentials.id_token_expires_at().map_or(0, |exp| exp - now()),
        );
    }

    if delegation {
        let before = credentials.id_token();
        let renewed = manager.renew_id_token().await.map_err(describe)?;
        println!(
            "4. renewed the id_token through /delegation with the still-valid id_token; new id_token: {}",
            yes_no(renewed.id_token() != before)
        );
    }

    let first_refresh_token = manager
        .credentials(0, false, None, HashMap::new())
        .await
        .map_err(describe)?
        .refresh_token();
    let wait = (credentials.expires_at() - now()).max(0) as u64 + 1;
    println!("5. waiting {wait} s for the access token to expire");
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let renewed = manager
        .credentials(0, false, None, HashMap::new())
        .await
        .map_err(describe)?;
    let restored =
        SessionManager::new(config.clone(), file_storage(folder_path).map_err(describe)?)
            .map_err(describe)?
            .credentials(0, false, None, HashMap::new())
            .await
            .map_err(describe)?;
    println!(
        "6. got credentials after expiry: renewed with the refresh token; rotated: {}; the rotated refresh token is in storage: {}",
        yes_no(renewed.refresh_token() != first_refresh_token),
        yes_no(restored.refresh_token() == renewed.refresh_token()),
    );

    let refresh_token = renewed
        .refresh_token()
        .ok_or("the provider issued no refresh token")?;
    if delegation {
        let delegated = manager
            .authentication_client()
            .delegation_with_refresh_token(refresh_token.clone())
            .await
            .map_err(describe)?;
        println!(
            "7. got an id_token through /delegation with the refresh token; it lives {} s",
            delegated.expires_in()
        );
    }

    let outcome = manager.logout(true).await.map_err(describe)?;
    let revoked = matches!(outcome, RevocationOutcome::Revoked);
    println!(
        "8. logged out: local credentials cleared; refresh token revoked at the provider: {}",
        yes_no(revoked)
    );
    if !revoked {
        return Err(format!("revocation did not succeed: {outcome:?}"));
    }

    match manager
        .authentication_client()
        .renew(refresh_token, None, HashMap::new())
        .await
    {
        Err(SessionError::LoginRequired { .. }) => {
            println!("9. the revoked refresh token is refused: login required");
            Ok(())
        }
        Err(other) => Err(format!("expected login required, got: {other}")),
        Ok(_) => Err("the revoked refresh token still worked".to_string()),
    }
}

fn describe(error: SessionError) -> String {
    error.to_string()
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

fn now() -> i64 {
    session_core::Clock::system().now()
}
