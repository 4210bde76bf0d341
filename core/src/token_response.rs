//! Parsing the token endpoint's and `/delegation`'s JSON responses.
//!
//! Providers differ in small ways, and these parsers accept them: `expires_in`
//! as a number, a fractional number or a numeric string, `token_type` in any
//! case, JSON `null` for an absent field, and unknown fields. What they never
//! accept is a response that could be mistaken for success: a body with an
//! `error` member, or one without the token it exists to carry.

use std::fmt;

use serde_json::{Map, Value};

/// A successful token response. `Debug` never prints a token.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenResponse {
    pub access_token: String,
    /// `Bearer` when the provider sent none.
    pub token_type: String,
    /// Seconds, when present and readable.
    pub expires_in: Option<u64>,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub scope: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .field("scope", &self.scope)
            .finish()
    }
}

/// An OAuth 2.0 error response (RFC 6749 §5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    pub error: String,
    pub description: Option<String>,
}

/// Why a response body was not a token response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseError {
    /// The body is an OAuth error, even with a 2xx status.
    OAuth(OAuthError),
    /// The body is not the expected JSON. The text never quotes the body.
    Invalid(String),
}

/// Parses a 2xx token response body. A body with `error` is an OAuth error;
/// one without `access_token` is invalid.
///
/// An empty `refresh_token`, `id_token` or `scope` counts as absent, so that
/// an empty string is never stored in place of a token that the caller keeps.
pub fn parse_token_response(body: &[u8]) -> Result<TokenResponse, ResponseError> {
    let fields = response_object(body, "token response")?;
    let access_token = optional_string(&fields, "access_token", "token response")?
        .ok_or_else(|| invalid("the token response has no access_token"))?;
    Ok(TokenResponse {
        access_token,
        token_type: token_type(&fields, "token response")?,
        expires_in: expires_in(&fields),
        refresh_token: optional_string(&fields, "refresh_token", "token response")?,
        id_token: optional_string(&fields, "id_token", "token response")?,
        scope: optional_string(&fields, "scope", "token response")?,
    })
}

/// Parses an error body of any status, when it is an OAuth error object: a JSON
/// object whose `error` is a string.
pub fn parse_oauth_error(body: &[u8]) -> Option<OAuthError> {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    oauth_error(&fields)
}

fn oauth_error(fields: &Map<String, Value>) -> Option<OAuthError> {
    let Some(Value::String(error)) = fields.get("error") else {
        return None;
    };
    let description = match fields.get("error_description") {
        Some(Value::String(description)) => Some(description.clone()),
        _ => None,
    };
    Some(OAuthError {
        error: error.clone(),
        description,
    })
}

/// A successful `/delegation` response.
#[derive(Clone, PartialEq, Eq)]
pub struct DelegationResponse {
    pub id_token: String,
    pub token_type: String,
    pub expires_in: Option<u64>,
}

impl fmt::Debug for DelegationResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DelegationResponse")
            .field("id_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Parses a 2xx `/delegation` response body. A body with `error` is an OAuth
/// error; one without `id_token` is invalid.
pub fn parse_delegation_response(body: &[u8]) -> Result<DelegationResponse, ResponseError> {
    let fields = response_object(body, "delegation response")?;
    let id_token = optional_string(&fields, "id_token", "delegation response")?
        .ok_or_else(|| invalid("the delegation response has no id_token"))?;
    Ok(DelegationResponse {
        id_token,
        token_type: token_type(&fields, "delegation response")?,
        expires_in: expires_in(&fields),
    })
}

fn invalid(message: &str) -> ResponseError {
    ResponseError::Invalid(message.to_string())
}

/// Reads `body` as a JSON object, and turns an `error` member into
/// `ResponseError::OAuth` whatever the HTTP status was (RFC 6749 §5.2).
fn response_object(body: &[u8], response_name: &str) -> Result<Map<String, Value>, ResponseError> {
    // The body may be an HTML error page or a proxy's text, so the message
    // describes the problem without quoting any of it.
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        if body.iter().all(u8::is_ascii_whitespace) {
            ResponseError::Invalid(format!("the {response_name} body is empty"))
        } else if error.is_eof() {
            ResponseError::Invalid(format!("the {response_name} body is truncated JSON"))
        } else {
            ResponseError::Invalid(format!(
                "the {response_name} body is not JSON (it may be an HTML error page)"
            ))
        }
    })?;
    let Value::Object(fields) = value else {
        return Err(ResponseError::Invalid(format!(
            "the {response_name} is JSON but not an object"
        )));
    };
    if let Some(error) = oauth_error(&fields) {
        return Err(ResponseError::OAuth(error));
    }
    match fields.get("error") {
        None | Some(Value::Null) => Ok(fields),
        Some(_) => Err(ResponseError::Invalid(format!(
            "the {response_name} has an `error` member that is not a string"
        ))),
    }
}

/// Reads an optional string member. `null` and `""` count as absent; any
/// other type is invalid, named without quoting the value.
fn optional_string(
    fields: &Map<String, Value>,
    name: &str,
    response_name: &str,
) -> Result<Option<String>, ResponseError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.is_empty() => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ResponseError::Invalid(format!(
            "the {response_name}'s {name} is not a string"
        ))),
    }
}

/// Reads `token_type`, which RFC 6749 §5.1 makes case-insensitive. Well-known
/// types are written in their registered spelling; others are kept as sent.
fn token_type(fields: &Map<String, Value>, response_name: &str) -> Result<String, ResponseError> {
    let token_type = optional_string(fields, "token_type", response_name)?;
    Ok(match token_type {
        None => "Bearer".to_string(),
        Some(text) if text.eq_ignore_ascii_case("bearer") => "Bearer".to_string(),
        Some(text) if text.eq_ignore_ascii_case("dpop") => "DPoP".to_string(),
        Some(text) => text,
    })
}

/// Reads `expires_in` as a whole number of seconds: an integer, a fractional
/// number (rounded down, so the token never seems to live longer than it
/// does) or a string holding either. Anything else, including a negative
/// number, is `None`, which the caller treats as due for renewal.
fn expires_in(fields: &Map<String, Value>) -> Option<u64> {
    match fields.get("expires_in")? {
        Value::Number(number) => seconds_from_number(number.as_u64(), number.as_f64()),
        Value::String(text) => {
            let text = text.trim();
            seconds_from_number(text.parse::<u64>().ok(), text.parse::<f64>().ok())
        }
        _ => None,
    }
}

fn seconds_from_number(whole: Option<u64>, fractional: Option<f64>) -> Option<u64> {
    if whole.is_some() {
        return whole;
    }
    let value = fractional?;
    if value.is_finite() && value >= 0.0 {
        // `as` saturates at u64::MAX for values beyond it.
        Some(value.floor() as u64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<TokenResponse, ResponseError> {
        parse_token_response(body.as_bytes())
    }

    fn expires_in_of(value: &str) -> Option<u64> {
        let body = format!(r#"{{"access_token":"at","expires_in":{value}}}"#);
        parse(&body).unwrap().expires_in
    }

    #[test]
    fn full_token_response_is_read() {
        let response = parse(
            r#"{"access_token":"at-1","token_type":"Bearer","expires_in":86400,
                "refresh_token":"rt-1","id_token":"a.b.c","scope":"openid email"}"#,
        )
        .unwrap();
        assert_eq!(response.access_token, "at-1");
        assert_eq!(response.token_type, "Bearer");
        assert_eq!(response.expires_in, Some(86400));
        assert_eq!(response.refresh_token.as_deref(), Some("rt-1"));
        assert_eq!(response.id_token.as_deref(), Some("a.b.c"));
        assert_eq!(response.scope.as_deref(), Some("openid email"));
    }

    #[test]
    fn expires_in_as_integer_is_accepted() {
        assert_eq!(expires_in_of("3600"), Some(3600));
    }

    #[test]
    fn expires_in_as_numeric_string_is_accepted() {
        assert_eq!(expires_in_of(r#""86399""#), Some(86399));
    }

    #[test]
    fn expires_in_as_fraction_is_rounded_down() {
        assert_eq!(expires_in_of("3599.9"), Some(3599));
    }

    #[test]
    fn expires_in_as_fractional_string_is_rounded_down() {
        assert_eq!(expires_in_of(r#"" 120.5 ""#), Some(120));
    }

    #[test]
    fn expires_in_negative_is_unknown() {
        assert_eq!(expires_in_of("-5"), None);
        assert_eq!(expires_in_of(r#""-5""#), None);
    }

    #[test]
    fn expires_in_unreadable_is_unknown() {
        assert_eq!(expires_in_of(r#""soon""#), None);
        assert_eq!(expires_in_of("true"), None);
        assert_eq!(expires_in_of("{}"), None);
    }

    #[test]
    fn expires_in_null_or_missing_is_unknown() {
        assert_eq!(expires_in_of("null"), None);
        assert_eq!(parse(r#"{"access_token":"at"}"#).unwrap().expires_in, None);
    }

    #[test]
    fn token_type_is_normalised_whatever_its_case() {
        for sent in ["bearer", "BEARER", "Bearer", "bEaReR"] {
            let body = format!(r#"{{"access_token":"at","token_type":"{sent}"}}"#);
            assert_eq!(parse(&body).unwrap().token_type, "Bearer", "{sent}");
        }
    }

    #[test]
    fn token_type_missing_means_bearer() {
        assert_eq!(
            parse(r#"{"access_token":"at"}"#).unwrap().token_type,
            "Bearer"
        );
        assert_eq!(
            parse(r#"{"access_token":"at","token_type":null}"#)
                .unwrap()
                .token_type,
            "Bearer"
        );
    }

    #[test]
    fn token_type_dpop_is_spelled_as_registered() {
        let body = r#"{"access_token":"at","token_type":"dpop"}"#;
        assert_eq!(parse(body).unwrap().token_type, "DPoP");
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let response =
            parse(r#"{"access_token":"at","not_before_policy":0,"extra":{"a":[1,2]}}"#).unwrap();
        assert_eq!(response.access_token, "at");
    }

    #[test]
    fn null_optional_fields_count_as_absent() {
        let response = parse(
            r#"{"access_token":"at","refresh_token":null,"id_token":null,"scope":null,
                "expires_in":null,"error":null}"#,
        )
        .unwrap();
        assert_eq!(response.refresh_token, None);
        assert_eq!(response.id_token, None);
        assert_eq!(response.scope, None);
    }

    #[test]
    fn empty_refresh_token_counts_as_absent() {
        let response = parse(r#"{"access_token":"at","refresh_token":""}"#).unwrap();
        assert_eq!(response.refresh_token, None);
    }

    #[test]
    fn success_body_with_error_is_oauth_error() {
        let error = parse(
            r#"{"access_token":"at","error":"invalid_grant","error_description":"Unknown token"}"#,
        )
        .unwrap_err();
        assert_eq!(
            error,
            ResponseError::OAuth(OAuthError {
                error: "invalid_grant".to_string(),
                description: Some("Unknown token".to_string()),
            })
        );
    }

    #[test]
    fn success_body_error_equals_parsed_error_body() {
        let body = br#"{"error":"invalid_grant","error_description":"Unknown token"}"#;
        let ResponseError::OAuth(from_success) = parse_token_response(body).unwrap_err() else {
            panic!("expected an OAuth error");
        };
        assert_eq!(Some(from_success), parse_oauth_error(body));
    }

    #[test]
    fn error_that_is_not_a_string_is_invalid() {
        let error = parse(r#"{"error":{"code":5}}"#).unwrap_err();
        assert!(matches!(error, ResponseError::Invalid(_)), "{error:?}");
    }

    #[test]
    fn missing_access_token_is_invalid() {
        let error = parse(r#"{"token_type":"Bearer","expires_in":60}"#).unwrap_err();
        assert_eq!(
            error,
            ResponseError::Invalid("the token response has no access_token".to_string())
        );
    }

    #[test]
    fn empty_access_token_is_invalid() {
        let error = parse(r#"{"access_token":""}"#).unwrap_err();
        assert!(matches!(error, ResponseError::Invalid(_)), "{error:?}");
    }

    #[test]
    fn non_string_access_token_is_invalid() {
        let error = parse(r#"{"access_token":12345}"#).unwrap_err();
        let ResponseError::Invalid(message) = error else {
            panic!("expected Invalid");
        };
        assert!(
            message.contains("access_token is not a string"),
            "{message}"
        );
        assert!(!message.contains("12345"), "{message}");
    }

    #[test]
    fn html_body_is_invalid_without_quoting_it() {
        let body = "<html><body>Service Unavailable secret-marker</body></html>";
        let ResponseError::Invalid(message) = parse(body).unwrap_err() else {
            panic!("expected Invalid");
        };
        assert!(message.contains("not JSON"), "{message}");
        assert!(!message.contains("secret-marker"), "{message}");
        assert!(!message.contains("<html>"), "{message}");
    }

    #[test]
    fn truncated_body_is_invalid() {
        let ResponseError::Invalid(message) = parse(r#"{"access_token":"at-sec"#).unwrap_err()
        else {
            panic!("expected Invalid");
        };
        assert!(message.contains("truncated"), "{message}");
        assert!(!message.contains("at-sec"), "{message}");
    }

    #[test]
    fn empty_body_is_invalid() {
        let ResponseError::Invalid(message) = parse("").unwrap_err() else {
            panic!("expected Invalid");
        };
        assert!(message.contains("empty"), "{message}");
    }

    #[test]
    fn json_array_body_is_invalid() {
        let error = parse(r#"["access_token"]"#).unwrap_err();
        assert!(matches!(error, ResponseError::Invalid(_)), "{error:?}");
    }

    #[test]
    fn debug_output_hides_tokens() {
        let response = parse(
            r#"{"access_token":"secret-access","refresh_token":"secret-refresh",
                "id_token":"secret-id"}"#,
        )
        .unwrap();
        let debug = format!("{response:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
    }

    #[test]
    fn oauth_error_is_read_from_any_json_body() {
        let error = parse_oauth_error(br#"{"error":"invalid_client"}"#).unwrap();
        assert_eq!(error.error, "invalid_client");
        assert_eq!(error.description, None);
    }

    #[test]
    fn oauth_error_is_absent_from_html() {
        assert_eq!(parse_oauth_error(b"<html>error</html>"), None);
    }

    #[test]
    fn oauth_error_needs_a_string_error() {
        assert_eq!(parse_oauth_error(br#"{"error":404}"#), None);
        assert_eq!(parse_oauth_error(br#"{"message":"not found"}"#), None);
    }

    #[test]
    fn oauth_error_ignores_non_string_description() {
        let error = parse_oauth_error(br#"{"error":"x","error_description":7}"#).unwrap();
        assert_eq!(error.description, None);
    }

    #[test]
    fn delegation_response_is_read() {
        let response = parse_delegation_response(
            br#"{"id_token":"a.b.c","token_type":"bearer","expires_in":"36000"}"#,
        )
        .unwrap();
        assert_eq!(response.id_token, "a.b.c");
        assert_eq!(response.token_type, "Bearer");
        assert_eq!(response.expires_in, Some(36000));
    }

    #[test]
    fn delegation_response_without_id_token_is_invalid() {
        let error = parse_delegation_response(br#"{"id_token":null,"expires_in":60}"#).unwrap_err();
        assert_eq!(
            error,
            ResponseError::Invalid("the delegation response has no id_token".to_string())
        );
    }

    #[test]
    fn delegation_body_with_error_is_oauth_error() {
        let error = parse_delegation_response(br#"{"error":"unauthorized_client"}"#).unwrap_err();
        assert!(matches!(error, ResponseError::OAuth(ref e) if e.error == "unauthorized_client"));
    }

    proptest::proptest! {
        #[test]
        fn any_body_never_panics(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let _ = parse_token_response(&body);
            let _ = parse_delegation_response(&body);
            let _ = parse_oauth_error(&body);
        }

        #[test]
        fn expires_in_number_and_string_agree(seconds in proptest::prelude::any::<u64>()) {
            proptest::prop_assert_eq!(expires_in_of(&seconds.to_string()), Some(seconds));
            proptest::prop_assert_eq!(expires_in_of(&format!("\"{seconds}\"")), Some(seconds));
        }
    }

    #[test]
    fn delegation_debug_output_hides_id_token() {
        let response = parse_delegation_response(br#"{"id_token":"secret-id"}"#).unwrap();
        assert!(!format!("{response:?}").contains("secret-id"));
    }
}
