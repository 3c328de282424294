//! The harness's own HTTP client, for what a test asks a server directly
//! (the authorization server's test endpoints, token introspection): a
//! blocking call on reqwest, plain http on loopback only.

use std::time::Duration;

/// A bound on one call, so a server that hangs fails the test instead of
/// holding it.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A response: its status and its body as text.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// The `Location` header, for a test that follows a redirect itself.
    pub location: Option<String>,
}

/// Sends one request and reads the whole answer; panics when no answer
/// comes (the caller checks the status).
pub fn send(method: &str, url: &str, headers: &[(&str, String)], body: Option<String>) -> Reply {
    // reqwest needs a rustls provider even for plain http.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .no_proxy()
            .tls_certs_only(Vec::new())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = client.request(method, url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        Reply {
            status,
            body,
            location,
        }
    })
}
