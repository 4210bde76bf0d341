//! The exported `SessionManager`.

use std::collections::HashMap;
use std::sync::Arc;

use crate::{
    AuthConfig, AuthenticationClient, Credentials, RevocationOutcome, SecureStorage, SessionError,
    SessionListener, SessionState, UserProfile,
};

pub struct SessionManager {}

impl SessionManager {
    pub fn new(config: AuthConfig, storage: Arc<dyn SecureStorage>) -> Result<Self, SessionError> {
        let _ = (config, storage);
        todo!()
    }

    pub fn authentication_client(&self) -> Arc<AuthenticationClient> {
        todo!()
    }

    pub fn save_credentials(&self, credentials: Arc<Credentials>) -> Result<(), SessionError> {
        let _ = credentials;
        todo!()
    }

    pub fn has_valid_credentials(&self, min_ttl_seconds: u64) -> Result<bool, SessionError> {
        let _ = min_ttl_seconds;
        todo!()
    }

    pub fn can_renew(&self) -> Result<bool, SessionError> {
        todo!()
    }

    pub async fn credentials(
        &self,
        min_ttl_seconds: u64,
        require_id_token: bool,
        scope: Option<String>,
        parameters: HashMap<String, String>,
    ) -> Result<Arc<Credentials>, SessionError> {
        let _ = (min_ttl_seconds, require_id_token, scope, parameters);
        todo!()
    }

    pub async fn renew(&self) -> Result<Arc<Credentials>, SessionError> {
        todo!()
    }

    pub async fn renew_id_token(&self) -> Result<Arc<Credentials>, SessionError> {
        todo!()
    }

    pub fn user_profile(&self) -> Result<Option<UserProfile>, SessionError> {
        todo!()
    }

    pub async fn logout(&self, revoke: bool) -> Result<RevocationOutcome, SessionError> {
        let _ = revoke;
        todo!()
    }

    pub fn state(&self) -> SessionState {
        todo!()
    }

    pub fn set_listener(&self, listener: Option<Box<dyn SessionListener>>) {
        let _ = listener;
        todo!()
    }
}
