//! A loopback Kubernetes API server for kubectl's exec-plugin tests: https
//! (kubectl runs exec plugins only for https servers) with a certificate
//! of a private CA, answering `GET /version` to a bearer token the test
//! authorization server says is active, and 401 with a `Status` to
//! anything else, as an API server with OIDC or webhook token
//! authentication does.

use std::time::Duration;

use serde_json::json;

use super::git_server::{Carried, TokenCheck, presented};
use super::server::Reply;
use super::tls::{TestCa, TlsServer};

/// The version the server reports.
pub const GIT_VERSION: &str = "v1.32.0-tether-test";

pub struct KubeApi {
    pub ca: TestCa,
    server: TlsServer,
}

impl KubeApi {
    pub fn start(check: TokenCheck) -> KubeApi {
        let ca = TestCa::new();
        let server = TlsServer::start(&ca, Duration::ZERO, move |request, _| {
            let token = presented(request)
                .filter(|(token, carried)| *carried == Carried::Bearer && check.active(token));
            match (token, request.path.as_str()) {
                (Some(_), "/version") => Reply::json(
                    200,
                    &json!({"major": "1", "minor": "32", "gitVersion": GIT_VERSION, "platform": "linux/amd64"}),
                ),
                (Some(_), _) => Reply::json(404, &status(404, "NotFound")),
                (None, _) => Reply::json(401, &status(401, "Unauthorized")),
            }
        });
        KubeApi { ca, server }
    }

    /// `https://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        self.server.url("")
    }

    /// The bearer tokens of every request so far, in order.
    pub fn tokens(&self) -> Vec<String> {
        self.server
            .received()
            .iter()
            .filter_map(presented)
            .map(|(token, _)| token)
            .collect()
    }

    /// A kubeconfig whose user runs `command args…` as its exec plugin,
    /// asking for `api_version` of `client.authentication.k8s.io`.
    pub fn kubeconfig(&self, api_version: &str, command: &str, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|a| format!("\"{a}\"")).collect();
        format!(
            "apiVersion: v1\n\
             kind: Config\n\
             clusters:\n\
             - name: test\n  cluster:\n    server: {server}\n    certificate-authority: {ca}\n\
             users:\n\
             - name: tether\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/{api_version}\n      command: \"{command}\"\n      args: [{args}]\n      interactiveMode: Never\n\
             contexts:\n\
             - name: test\n  context:\n    cluster: test\n    user: tether\n\
             current-context: test\n",
            server = self.url(),
            ca = self.ca.ca_pem.display(),
            args = args.join(", "),
        )
    }
}

fn status(code: u16, reason: &str) -> serde_json::Value {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "code": code})
}
