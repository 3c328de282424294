//! The device authorization grant (RFC 8628), for machines where a browser
//! cannot reach a loopback listener.
//!
//! [`start`] asks for a device code (§3.1–3.2); the user visits the
//! verification URI and enters the user code, on any device; [`poll`]
//! polls the token endpoint (§3.4–3.5) at the server's `interval`, slowing
//! down by 5 s on `slow_down`, until the user approves (`access_denied`
//! and `expired_token` end it) or the code expires.

use std::time::Duration;

use oauth2::StandardDeviceAuthorizationResponse;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
};
use oauth2::{DeviceAuthorizationUrl, RequestTokenError, StandardRevocableToken};

use super::token::{Endpoint, Http, Tokens, refused, with_scopes};
use super::token_error::{AnswerProblem, TokenRequest};
use crate::http::client::Net;
use crate::{Error, Result};

/// What the user must do, and what tether polls with.
#[derive(Debug)]
pub struct Pending {
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: Duration,
    details: StandardDeviceAuthorizationResponse,
}

type DeviceClient = oauth2::Client<
    BasicErrorResponse,
    Tokens,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn client(endpoint: &Endpoint, device_url: &str) -> Result<DeviceClient> {
    let device = DeviceAuthorizationUrl::new(device_url.to_string())
        .map_err(|e| Error::usage(format!("device_authorization_url is invalid: {e}"), None))?;
    Ok(super::token::client(endpoint)?.set_device_authorization_url(device))
}

/// Asks for a device code and a user code.
pub async fn start(
    net: &Net,
    endpoint: &Endpoint,
    device_url: &str,
    scopes: &[String],
) -> Result<Pending> {
    let client = client(endpoint, device_url)?;
    let mut request = client.exchange_device_code();
    if let Some(scope) = with_scopes(scopes, &endpoint.scope_separator) {
        request = request.add_extra_param("scope", scope);
    }
    let details: StandardDeviceAuthorizationResponse = request
        .request_async(&Http::new(net.client_for(device_url)?, endpoint))
        .await
        .map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => refused(TokenRequest::DeviceCode, &r),
            RequestTokenError::Request(failure) => failure
                .into_error(TokenRequest::DeviceCode, || {
                    "the device authorization request failed".into()
                }),
            other => Error::TokenAnswer {
                request: TokenRequest::DeviceCode,
                problem: AnswerProblem::Failed {
                    detail: other.to_string(),
                },
            },
        })?;
    Ok(Pending {
        user_code: details.user_code().secret().clone(),
        verification_uri: details.verification_uri().to_string(),
        verification_uri_complete: details
            .verification_uri_complete()
            .map(|v| v.secret().clone()),
        expires_in: details.expires_in(),
        details,
    })
}

/// Polls until the user approves, refuses, or the code expires (or
/// `timeout` passes, if sooner).
pub async fn poll(
    net: &Net,
    endpoint: &Endpoint,
    device_url: &str,
    pending: &Pending,
    timeout: Duration,
) -> Result<Tokens> {
    let client = client(endpoint, device_url)?;
    let mut request = client.exchange_device_access_token(&pending.details);
    for (k, v) in &endpoint.extra {
        request = request.add_extra_param(k.clone(), v.clone());
    }
    let result = request
        .request_async(
            &Http::new(net.client_for(&endpoint.url)?, endpoint),
            tokio::time::sleep,
            Some(timeout.min(pending.expires_in)),
        )
        .await;
    match result {
        Ok(tokens) => super::token::checked(tokens, TokenRequest::DevicePoll, endpoint),
        Err(RequestTokenError::ServerResponse(response)) => {
            Err(refused(TokenRequest::DevicePoll, &response))
        }
        Err(RequestTokenError::Request(failure)) => Err(failure
            .into_error(TokenRequest::DevicePoll, || {
                "polling the token endpoint failed".into()
            })),
        Err(other) => Err(Error::TokenAnswer {
            request: TokenRequest::DevicePoll,
            problem: AnswerProblem::Failed {
                detail: other.to_string(),
            },
        }),
    }
}
