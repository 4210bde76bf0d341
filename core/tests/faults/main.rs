//! The fault suite: the ways session managers fail in the field, one module
//! per kind of fault, each test named after the behaviour it asserts. The
//! provider is a wiremock mock or the dev identity provider, both on
//! 127.0.0.1; storage and the device clock are the harness's own.

#[path = "../common/mod.rs"]
mod common;

mod clock_skew;
mod delegation;
mod error_secrets;
mod jwt_decoding;
mod lost_response;
mod network;
mod rate_limit;
mod records;
mod refresh_response;
mod renewal_timing;
mod revocation;
mod rotation;
mod storage_unavailable;
mod token_response;
mod token_size;
