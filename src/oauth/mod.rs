//! OAuth 2.0 flows.
