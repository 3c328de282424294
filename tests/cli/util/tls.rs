//! An https test server: a private CA and a certificate for 127.0.0.1
//! made with the `openssl` program ([`TestCa`]), and a small HTTP/1.1
//! server over rustls ([`TlsServer`]) that answers with a handler like
//! the plain test servers' (a [`Received`] in, a [`Reply`] out), so a test
//! can put a provider or an API behind a CA the platform does not trust.
//!
//! Each connection runs on a thread of its own and serves requests until
//! the client closes it (keep-alive); `delay` holds every answer back, as
//! a distant server would. Bodies are read by `Content-Length` only.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::server::{Received, Reply};

/// A private CA and a server certificate it signed for `127.0.0.1` and
/// `localhost`, as PEM files in a folder of their own.
pub struct TestCa {
    _dir: tempfile::TempDir,
    /// The CA's certificate: what `ca_file` names.
    pub ca_pem: PathBuf,
    /// The server's certificate and key.
    pub cert_pem: PathBuf,
    pub key_pem: PathBuf,
}

impl TestCa {
    pub fn new() -> TestCa {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        openssl(
            dir.path(),
            &[
                &["req", "-x509"],
                &ec[..],
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=tether test CA",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                ],
            ]
            .concat(),
        );
        openssl(
            dir.path(),
            &[
                &["req"],
                &ec[..],
                &[
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr",
                    "-subj",
                    "/CN=127.0.0.1",
                ],
            ]
            .concat(),
        );
        std::fs::write(
            at("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(
            dir.path(),
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "server.ext",
            ],
        );
        TestCa {
            ca_pem: at("ca.pem"),
            cert_pem: at("server.pem"),
            key_pem: at("server.key"),
            _dir: dir,
        }
    }

    fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&self.cert_pem)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let key = PrivateKeyDer::from_pem_file(&self.key_pem).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        Arc::new(config)
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl program runs");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

type Handler = dyn Fn(&Received, u16) -> Reply + Send + Sync;

/// A running https server; it serves until the test binary ends, and
/// keeps what it received.
pub struct TlsServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    connections: Arc<AtomicUsize>,
}

impl TlsServer {
    /// Serves `handler` (which also gets the server's port) over TLS with
    /// `ca`'s server certificate, each answer `delay` late.
    pub fn start(
        ca: &TestCa,
        delay: Duration,
        handler: impl Fn(&Received, u16) -> Reply + Send + Sync + 'static,
    ) -> TlsServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let config = ca.server_config();
        let handler: Arc<Handler> = Arc::new(handler);
        let received = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        {
            let (received, connections) = (Arc::clone(&received), Arc::clone(&connections));
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    connections.fetch_add(1, Ordering::SeqCst);
                    let (config, handler) = (Arc::clone(&config), Arc::clone(&handler));
                    let received = Arc::clone(&received);
                    std::thread::spawn(move || {
                        serve(stream, config, &*handler, port, delay, &received);
                    });
                }
            });
        }
        TlsServer {
            port,
            received,
            connections,
        }
    }

    /// `https://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    /// Every request so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// TCP connections accepted so far (a TLS handshake each).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Serves one connection until the client closes it.
fn serve(
    stream: TcpStream,
    config: Arc<rustls::ServerConfig>,
    handler: &Handler,
    port: u16,
    delay: Duration,
    received: &Mutex<Vec<Received>>,
) {
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let tls = rustls::StreamOwned::new(connection, stream);
    let mut reader = BufReader::new(tls);
    while let Some(request) = read_request(&mut reader) {
        received.lock().unwrap().push(request.clone());
        let reply = handler(&request, port);
        std::thread::sleep(delay);
        if write_reply(reader.get_mut(), &request, reply).is_err() {
            return;
        }
    }
}

/// One request, or `None` when the client is done.
fn read_request(reader: &mut impl BufRead) -> Option<Received> {
    let mut line = String::new();
    reader.read_line(&mut line).ok().filter(|n| *n > 0)?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok().filter(|n| *n > 0)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize = super::server::first(&headers, "content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    Some(Received {
        method,
        path: path.to_string(),
        query: super::form_decode(query.as_bytes()),
        headers,
        body,
    })
}

fn write_reply(out: &mut impl Write, request: &Received, reply: Reply) -> std::io::Result<()> {
    let body = if request.method == "HEAD" {
        Vec::new()
    } else {
        reply.body
    };
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\n",
        reply.status,
        body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(&body)?;
    out.flush()
}
