//! The `ExecCredential` of client-go credential plugins
//! (`client.authentication.k8s.io`), which kubectl runs from a kubeconfig
//! `exec` stanza and reads on stdout.
//!
//! kubectl says which version it wants in `KUBERNETES_EXEC_INFO`, an
//! `ExecCredential` whose `apiVersion` the answer must repeat; without the
//! variable (older kubectl, or a stanza with `provideClusterInfo` unset on
//! old releases) `v1beta1` is the version every kubectl since 1.11 reads.
//! The answer's `status` holds the `token` and, when known, its
//! `expirationTimestamp` (RFC 3339): kubectl keeps the token in memory
//! until then and runs the plugin again after it.

use base64::Engine;
use serde_json::{Value, json};

/// `apiVersion` of the version kubectl 1.22 and later prefer.
pub const V1: &str = "client.authentication.k8s.io/v1";
/// `apiVersion` every kubectl since 1.11 reads.
pub const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";

/// Why `KUBERNETES_EXEC_INFO` cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecInfoProblem {
    /// It is not a JSON object with an `apiVersion` string.
    NotExecCredential,
    /// It names a version tether does not write.
    UnknownVersion { version: String },
}

impl std::fmt::Display for ExecInfoProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExecInfoProblem::NotExecCredential => {
                f.write_str("it is not an ExecCredential with an `apiVersion`")
            }
            ExecInfoProblem::UnknownVersion { version } => write!(
                f,
                "it asks for `{version}`; tether writes `{V1}` and `{V1BETA1}`"
            ),
        }
    }
}

/// The `apiVersion` to answer with, from `KUBERNETES_EXEC_INFO` when it
/// is set.
pub fn api_version(exec_info: Option<&str>) -> Result<&'static str, ExecInfoProblem> {
    let Some(text) = exec_info.filter(|t| !t.trim().is_empty()) else {
        return Ok(V1BETA1);
    };
    let info: Value = serde_json::from_str(text).map_err(|_| ExecInfoProblem::NotExecCredential)?;
    match info.get("apiVersion").and_then(Value::as_str) {
        Some(V1) => Ok(V1),
        Some(V1BETA1) => Ok(V1BETA1),
        Some(other) => Err(ExecInfoProblem::UnknownVersion {
            version: other.to_string(),
        }),
        None => Err(ExecInfoProblem::NotExecCredential),
    }
}

/// The `ExecCredential` kubectl reads, as JSON text with a final newline.
/// `expires` is the expiry as RFC 3339, when known.
pub fn exec_credential(api_version: &str, token: &str, expires: Option<&str>) -> String {
    let mut status = json!({ "token": token });
    if let Some(at) = expires {
        status["expirationTimestamp"] = json!(at);
    }
    let credential = json!({
        "apiVersion": api_version,
        "kind": "ExecCredential",
        "status": status,
    });
    format!("{credential}\n")
}

/// The `exp` claim of a JWT (an OpenID Connect ID token), read without
/// checking the signature: only to know when to fetch a new one.
pub fn jwt_expiry(token: &str) -> Option<u64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()?
        .get("exp")?
        .as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_comes_from_exec_info_else_v1beta1() {
        assert_eq!(api_version(None), Ok(V1BETA1));
        assert_eq!(api_version(Some("")), Ok(V1BETA1));
        let v1 = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
        assert_eq!(api_version(Some(v1)), Ok(V1));
        assert_eq!(
            api_version(Some(
                r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#
            )),
            Err(ExecInfoProblem::UnknownVersion {
                version: "client.authentication.k8s.io/v1alpha1".into()
            })
        );
        assert_eq!(
            api_version(Some("{")),
            Err(ExecInfoProblem::NotExecCredential)
        );
    }

    #[test]
    fn the_credential_has_token_and_expiry() {
        let text = exec_credential(V1, "t0k", Some("2026-11-27T21:30:00Z"));
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value,
            json!({
                "apiVersion": V1,
                "kind": "ExecCredential",
                "status": {"token": "t0k", "expirationTimestamp": "2026-11-27T21:30:00Z"},
            })
        );
        let text = exec_credential(V1BETA1, "t0k", None);
        assert_eq!(
            text,
            "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t0k\"}}\n"
        );
    }

    #[test]
    fn jwt_expiry_reads_the_exp_claim() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"alice","exp":1800000000}"#);
        assert_eq!(
            jwt_expiry(&format!("e30.{payload}.sig")),
            Some(1_800_000_000)
        );
        assert_eq!(jwt_expiry("not-a-jwt"), None);
        assert_eq!(jwt_expiry("a.!!!.b"), None);
    }
}
