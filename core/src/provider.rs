//! The HTTP client for the provider's endpoints.
