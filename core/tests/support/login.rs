//! A scripted browser for the login step of the authorization code flow.
//!
//! It opens the authorize URL with a client that keeps cookies and follows
//! each redirect itself. It submits every form the provider shows (the login
//! form of oidc-provider's development pages, then its consent form), and it
//! stops at the redirect to the app's redirect URI. The dev identity
//! provider approves at once, so there the first response is that redirect.
//! `tools/oidc-provider/complete-login.mjs` does the same for the Kotlin and
//! Swift tests.

use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use url::Url;

/// Login name typed into oidc-provider's login form, which becomes `sub`.
pub const LOGIN_NAME: &str = "test-user";

/// Upper bound on requests, so that a provider that loops fails the test
/// instead of hanging it.
const MAX_REQUESTS: usize = 20;

/// Completes the login that `authorize_url` starts and returns the redirect
/// URL that carries `code`, `state` and `iss`.
///
/// Panics with the step that failed; the message never quotes the code.
pub async fn complete_login(authorize_url: &str) -> String {
    let start = Url::parse(authorize_url).expect("the authorize URL is a valid absolute URL");
    let redirect_uri = start
        .query_pairs()
        .find(|(name, _)| name == "redirect_uri")
        .map(|(_, value)| value.into_owned())
        .expect("the authorize URL carries redirect_uri");
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("building the login HTTP client");

    let mut method = Method::GET;
    let mut url = start;
    let mut form_fields: Vec<(String, String)> = Vec::new();
    for _ in 0..MAX_REQUESTS {
        let mut request = http.request(method.clone(), url.clone());
        if method == Method::POST {
            request = request.form(&form_fields);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("{method} {} failed: {error}", url.path()));
        let status = response.status();

        if status.is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_else(|| panic!("HTTP {status} from {} has no Location", url.path()));
            let target = url
                .join(location)
                .unwrap_or_else(|error| panic!("invalid Location from {}: {error}", url.path()));
            if target.as_str().starts_with(&redirect_uri) {
                check_app_redirect(&target);
                return target.to_string();
            }
            method = Method::GET;
            url = target;
            continue;
        }

        let page = response.text().await.unwrap_or_default();
        assert_eq!(
            status,
            StatusCode::OK,
            "{method} {} returned HTTP {status}: {}",
            url.path(),
            summarize(&page)
        );
        let form = read_form(&page).unwrap_or_else(|| {
            panic!(
                "the page at {} has no form to submit: {}",
                url.path(),
                summarize(&page)
            )
        });
        url = url
            .join(&form.action)
            .unwrap_or_else(|error| panic!("invalid form action at {}: {error}", url.path()));
        method = Method::POST;
        form_fields = form.fields;
    }
    panic!("no redirect to {redirect_uri} after {MAX_REQUESTS} requests");
}

/// Fails the test when the redirect to the app reports an error or lacks a
/// parameter that the core needs.
fn check_app_redirect(target: &Url) {
    let parameter = |name: &str| {
        target
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    if let Some(error) = parameter("error") {
        panic!(
            "the provider redirected to the app with error {error} ({})",
            parameter("error_description").unwrap_or_default()
        );
    }
    for name in ["code", "state", "iss"] {
        assert!(
            parameter(name).is_some_and(|value| !value.is_empty()),
            "the redirect to the app is missing {name}"
        );
    }
}

struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

/// Reads the first form of `page` that posts, with the login and password
/// fields filled in. Enough HTML for oidc-provider's development pages, whose
/// attributes are always double-quoted.
fn read_form(page: &str) -> Option<Form> {
    let start = page.find("<form")?;
    let end = start + page[start..].find("</form>")?;
    let form = &page[start..end];
    let form_tag = &form[..form.find('>')?];
    if !attribute(form_tag, "method").is_some_and(|method| method.eq_ignore_ascii_case("post")) {
        return None;
    }
    let action = attribute(form_tag, "action").unwrap_or_default();

    let mut fields = Vec::new();
    for input in form.split("<input").skip(1) {
        let tag = &input[..input.find('>').unwrap_or(input.len())];
        let Some(name) = attribute(tag, "name") else {
            continue;
        };
        let value = match name.as_str() {
            "login" => LOGIN_NAME.to_owned(),
            "password" => "any-password".to_owned(),
            _ => attribute(tag, "value").unwrap_or_default(),
        };
        fields.push((name, value));
    }
    Some(Form { action, fields })
}

/// Returns the value of the double-quoted attribute `name` in `tag`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let pattern = format!(" {name}=\"");
    let start = tag.find(&pattern)? + pattern.len();
    let length = tag[start..].find('"')?;
    Some(decode_entities(&tag[start..start + length]))
}

fn decode_entities(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Returns the start of a page's visible text, for failure messages.
fn summarize(page: &str) -> String {
    // oidc-provider's pages start with a style sheet, which is not text.
    let body = page.find("<body").map_or(page, |start| &page[start..]);
    let mut text = String::new();
    let mut in_tag = false;
    for character in body.chars() {
        match character {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().take(400).collect()
}
