//! A throwaway PostgreSQL cluster for the shared-store tests: Debian's
//! `postgresql` (`initdb`, `pg_ctl`), in a temporary folder, on a loopback
//! port and a Unix socket in that folder. PostgreSQL refuses to run as
//! root, so under root the cluster belongs to `nobody` and its programs run
//! through `runuser`.
//!
//! Local (socket) connections are trusted; TCP ones need the password
//! ([`PASSWORD`], SCRAM-SHA-256). A test that finds no PostgreSQL skips,
//! except under `CI`, where it fails: CI must run them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// Where Debian puts PostgreSQL 15's programs.
const BIN: &str = "/usr/lib/postgresql/15/bin";

/// The superuser the tests connect as.
pub const USER: &str = "tether";

/// Its password over TCP.
pub const PASSWORD: &str = "pg-test-Secr3t";

/// A running cluster, stopped when dropped.
pub struct Postgres {
    dir: TempDir,
    pub port: u16,
    /// Runs the cluster's programs as this user (`nobody` under root).
    owner: Option<&'static str>,
}

impl Postgres {
    /// Starts a cluster; `None` (the test skips) when PostgreSQL is not
    /// installed, except under `CI`.
    pub fn start() -> Option<Postgres> {
        if !Path::new(BIN).join("initdb").exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the PostgreSQL tests: install postgresql"
            );
            eprintln!("skipped: no PostgreSQL in {BIN}");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("tether-pg")
            .tempdir()
            .unwrap();
        let owner = rustix::process::geteuid().is_root().then_some("nobody");
        if owner.is_some() {
            let status = Command::new("chown")
                .args(["-R", "nobody:nogroup"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(status.success());
        }
        let pg = Postgres {
            dir,
            port: super::free_fixed_port(),
            owner,
        };
        let pwfile = pg.dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        if let Some(owner) = owner {
            Command::new("chown")
                .args([&format!("{owner}:nogroup"), pwfile.to_str().unwrap()])
                .status()
                .unwrap();
        }
        pg.run_ok(
            "initdb",
            &[
                "-D",
                pg.data().to_str().unwrap(),
                "-U",
                USER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                &format!("--pwfile={}", pwfile.display()),
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        pg.pg_ctl_start();
        Some(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The folder of the Unix socket.
    pub fn socket_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// A `key=value` string over the Unix socket (trusted).
    pub fn socket_url(&self) -> String {
        format!(
            "host={} port={} user={USER} dbname=postgres",
            self.socket_dir().display(),
            self.port
        )
    }

    /// A URL over loopback TCP with the password (SCRAM).
    pub fn tcp_url(&self) -> String {
        format!(
            "postgresql://{USER}:{PASSWORD}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    fn command(&self, program: &str) -> Command {
        let path = Path::new(BIN).join(program);
        let mut command = match self.owner {
            Some(owner) => {
                let mut c = Command::new("runuser");
                c.args(["-u", owner, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        };
        command.current_dir(self.dir.path());
        command.env_remove("PGPASSWORD").env_remove("PGHOST");
        command
    }

    fn run_ok(&self, program: &str, args: &[&str]) -> Output {
        let output = self
            .command(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn pg_ctl_start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.socket_dir().display()
        );
        let log = self.dir.path().join("postgres.log");
        self.run_ok(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server (fast: open sessions are cut).
    pub fn stop(&self) {
        self.run_ok(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        );
    }

    /// Starts the server again after [`Postgres::stop`].
    pub fn start_again(&self) {
        self.pg_ctl_start();
    }

    /// The postmaster's process id.
    pub fn pid(&self) -> i32 {
        let text = std::fs::read_to_string(self.data().join("postmaster.pid")).unwrap();
        text.lines().next().unwrap().trim().parse().unwrap()
    }

    /// Runs `sql` with psql over the socket; its unaligned, tuples-only
    /// output.
    pub fn psql(&self, sql: &str) -> String {
        let output = self.run_ok(
            "psql",
            &[
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                self.socket_dir().to_str().unwrap(),
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                "-d",
                "postgres",
                "-c",
                sql,
            ],
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// `pg_dump` of the whole database, as bytes.
    pub fn dump(&self) -> Vec<u8> {
        self.run_ok(
            "pg_dump",
            &[
                "-h",
                self.socket_dir().to_str().unwrap(),
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                "postgres",
            ],
        )
        .stdout
    }

    /// Serves TLS with `certificate` and `key` (PEM files) on TCP, and
    /// from then on refuses TCP sessions without it (`hostssl` only);
    /// the Unix socket stays as it was.
    pub fn require_tls(&self, certificate: &Path, key: &Path) {
        for (from, to) in [(certificate, "server.crt"), (key, "server.key")] {
            let at = self.data().join(to);
            std::fs::copy(from, &at).unwrap();
            std::fs::set_permissions(&at, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
            if let Some(owner) = self.owner {
                let status = Command::new("chown")
                    .arg(format!("{owner}:nogroup"))
                    .arg(&at)
                    .status()
                    .unwrap();
                assert!(status.success());
            }
        }
        let hba = "local all all trust\n\
                   hostssl all all 127.0.0.1/32 scram-sha-256\n\
                   hostnossl all all 127.0.0.1/32 reject\n";
        std::fs::write(self.data().join("pg_hba.conf"), hba).unwrap();
        self.psql("ALTER SYSTEM SET ssl = on");
        self.psql("SELECT pg_reload_conf()");
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args([
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A random store key, as hex.
pub fn new_key() -> String {
    let mut bytes = [0u8; 32];
    getrandom_fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn getrandom_fill(bytes: &mut [u8]) {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .unwrap()
        .read_exact(bytes)
        .unwrap();
}
