//! The exported `AuthenticationClient`: one request per call, no storage.

use std::collections::HashMap;
use std::sync::Arc;

use crate::{AuthConfig, AuthorizationRequest, Credentials, Delegation, SessionError, UserProfile};

pub struct AuthenticationClient {}

impl AuthenticationClient {
    pub fn new(config: AuthConfig) -> Result<Self, SessionError> {
        let _ = config;
        todo!()
    }

    pub async fn authorize(
        &self,
        parameters: HashMap<String, String>,
    ) -> Result<Arc<AuthorizationRequest>, SessionError> {
        let _ = parameters;
        todo!()
    }

    pub async fn exchange_code(
        &self,
        request: Arc<AuthorizationRequest>,
        redirect_url: String,
    ) -> Result<Arc<Credentials>, SessionError> {
        let _ = (request, redirect_url);
        todo!()
    }

    pub async fn renew(
        &self,
        refresh_token: String,
        scope: Option<String>,
        parameters: HashMap<String, String>,
    ) -> Result<Arc<Credentials>, SessionError> {
        let _ = (refresh_token, scope, parameters);
        todo!()
    }

    pub async fn delegation_with_id_token(
        &self,
        id_token: String,
    ) -> Result<Arc<Delegation>, SessionError> {
        let _ = id_token;
        todo!()
    }

    pub async fn delegation_with_refresh_token(
        &self,
        refresh_token: String,
    ) -> Result<Arc<Delegation>, SessionError> {
        let _ = refresh_token;
        todo!()
    }

    pub async fn revoke(&self, refresh_token: String) -> Result<(), SessionError> {
        let _ = refresh_token;
        todo!()
    }

    pub async fn user_info(&self, access_token: String) -> Result<UserProfile, SessionError> {
        let _ = access_token;
        todo!()
    }
}
