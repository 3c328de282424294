//! `tether doctor`: what works on this machine — the config file, the
//! token stores, a browser, the clock — each as a check with a verdict and,
//! when it fails, what to do. Exits 1 when a check fails.
//!
//! The config and the token files are checked for who else may touch them,
//! from their real modes and owners: a token file or folder must be the
//! user's alone (0600, 0700); the config, which holds references rather
//! than secrets, may be read by others but not changed — unless it keeps a
//! secret in plain text (`{ value = … }`), which makes it private too.
//! `--fix` takes the extra permissions away; it cannot change an owner.
//!
//! Each shared store (`[stores.NAME]`) is checked too: reachable within
//! its timeout, a schema this tether knows, a key that opens the canary.
//!
//! Without a name, doctor also lists the connections that need attention
//! soon (a refresh token about to lapse, missing scopes, a refused
//! refresh) as warnings: they do not fail it. `doctor NAME` checks one
//! connection live ([`live`]): its service against the provider's
//! discovery document, the redirect rule, the clock of the token
//! endpoint, its tokens, a userinfo call, and with `--refresh` a real
//! refresh.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::Ctx;
use crate::cli::DoctorArgs;
use crate::config::{Config, SecretRef};
use crate::store::Store;
use crate::store::file::{Exposed, Exposure, FileStore};
use crate::store::postgres::{KeyCheck, StoreHealth, schema};
use crate::{Error, Result, exit, ui};

/// One check.
#[derive(Debug, Serialize)]
pub(super) struct Check {
    name: std::borrow::Cow<'static, str>,
    ok: bool,
    /// Worth a look, but not a failure.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    warning: bool,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

impl Check {
    pub(super) fn pass(name: impl Into<std::borrow::Cow<'static, str>>, detail: String) -> Check {
        Check {
            name: name.into(),
            ok: true,
            warning: false,
            detail,
            hint: None,
        }
    }

    pub(super) fn fail(
        name: impl Into<std::borrow::Cow<'static, str>>,
        detail: String,
        hint: Option<String>,
    ) -> Check {
        Check {
            name: name.into(),
            ok: false,
            warning: false,
            detail,
            hint,
        }
    }

    pub(super) fn warn(
        name: impl Into<std::borrow::Cow<'static, str>>,
        detail: String,
        hint: Option<String>,
    ) -> Check {
        Check {
            name: name.into(),
            ok: true,
            warning: true,
            detail,
            hint,
        }
    }

    pub(super) fn with_hint(mut self, hint: Option<String>) -> Check {
        self.hint = hint;
        self
    }
}

pub fn run(args: &DoctorArgs, ctx: &Ctx) -> Result<u8> {
    let checks = match &args.name {
        Some(name) => live::checks(name, args.refresh, ctx)?,
        None => {
            let mut checks = vec![
                config(ctx, args.fix),
                keyring(),
                files(ctx, args.fix),
                browser(),
                clock(),
            ];
            checks.extend(shared_stores(ctx));
            checks.extend(live::attention(ctx));
            checks
        }
    };
    print(&checks, args.json)
}

/// Each `[stores.NAME]`: reachable within its timeout, its schema one
/// this tether knows, its key opening the canary row, and the round trip.
fn shared_stores(ctx: &Ctx) -> Vec<Check> {
    let Ok(config) = ctx.config() else {
        return Vec::new();
    };
    config
        .stores
        .keys()
        .map(|name| {
            let label = format!("store {name}");
            match ctx.store().and_then(|store| store.shared(name)) {
                Ok(store) => shared_store(label, name, &store.check()),
                Err(e) => Check::fail(label, e.to_string(), e.hint()),
            }
        })
        .collect()
}

fn shared_store(label: String, name: &str, health: &StoreHealth) -> Check {
    let took = match &health.connected {
        Ok(took) => *took,
        Err(e) => return Check::fail(label, e.to_string(), e.hint()),
    };
    let place = &health.place;
    if let Some(version) = health.schema_version.filter(|v| *v > schema::CURRENT) {
        return Check::fail(
            label,
            format!(
                "{place}: schema version {version}, newer than this tether's {}",
                schema::CURRENT
            ),
            Some("upgrade tether on this machine".into()),
        );
    }
    let round_trip = health
        .round_trip
        .map_or_else(|| "-".into(), super::store::millis);
    let detail = format!(
        "{place}: connected in {}, round trip {round_trip}, {}",
        super::store::millis(took),
        match health.schema_version {
            Some(version) => format!("schema version {version}"),
            None => "no schema yet".into(),
        }
    );
    match health.key {
        Some(KeyCheck::DoesNotOpen) => Check::fail(
            label,
            format!("{detail}; its key does not open the canary"),
            Some(format!(
                "set `key` of `[stores.{name}]` to the store's key; during a rotation, give the old one as `previous_key`"
            )),
        ),
        Some(KeyCheck::OpensWithPreviousKey) => Check::warn(
            label,
            format!("{detail}; only `previous_key` opens the canary"),
            Some(format!(
                "finish the rotation: `tether store rekey {name} --new-key-env VAR`"
            )),
        ),
        Some(KeyCheck::Opens) => Check::pass(label, format!("{detail}; key opens the canary")),
        Some(KeyCheck::NoCanary) => Check::pass(
            label,
            format!("{detail}; no canary yet (written on first use)"),
        ),
        None => Check::pass(label, detail),
    }
}

/// Prints the checks; exit 1 when one failed.
fn print(checks: &[Check], json: bool) -> Result<u8> {
    let failed = checks.iter().any(|c| !c.ok);
    if json {
        ui::print_json(checks)?;
    } else {
        let rows = checks
            .iter()
            .map(|c| {
                let mut detail = c.detail.clone();
                if let Some(hint) = &c.hint {
                    detail.push_str(&format!(" — {hint}"));
                }
                let verdict = match (c.ok, c.warning) {
                    (false, _) => "FAIL",
                    (true, true) => "warn",
                    (true, false) => "ok",
                };
                vec![c.name.to_string(), verdict.to_string(), detail]
            })
            .collect();
        ui::print_out(&ui::table(&["CHECK", "", "DETAIL"], rows))?;
    }
    Ok(if failed { exit::FAILURE } else { exit::OK })
}

fn config(ctx: &Ctx, fix: bool) -> Check {
    let path = ctx.paths.config_file.display().to_string();
    match ctx.config() {
        Ok(config) if ctx.paths.config_file.exists() => {
            let summary = format!(
                "{path}: {} services, {} connections",
                config.services.len(),
                config.connections.len()
            );
            config_access(&ctx.paths.config_file, config, fix, summary)
        }
        Ok(_) => Check {
            name: "config".into(),
            warning: false,
            ok: true,
            detail: format!("{path} does not exist yet (an empty config)"),
            hint: None,
        },
        Err(e) => failed("config", &e),
    }
}

/// What others may do with the config file that they should not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConfigAccess {
    /// Another user (not root) owns it: that user's id.
    Owner(u32),
    /// Others may change it, and so where tokens are sent: its mode.
    Writable(u32),
    /// It keeps a secret in plain text and others have permissions on it.
    SecretOpen(u32),
}

impl ConfigAccess {
    /// What is wrong with a config of `mode` owned by `owner`, for user
    /// `me`; `plain_secret` when it keeps a `{ value = … }` secret.
    fn of(mode: u32, owner: u32, me: u32, plain_secret: bool) -> Option<ConfigAccess> {
        let mode = mode & 0o7777;
        if owner != me && owner != 0 {
            Some(ConfigAccess::Owner(owner))
        } else if plain_secret && mode & 0o077 != 0 {
            Some(ConfigAccess::SecretOpen(mode))
        } else if mode & 0o022 != 0 {
            Some(ConfigAccess::Writable(mode))
        } else {
            None
        }
    }

    /// The permissions `--fix` takes away; `None` when a mode cannot mend it.
    fn excess(self) -> Option<u32> {
        match self {
            ConfigAccess::Owner(_) => None,
            ConfigAccess::Writable(_) => Some(0o022),
            ConfigAccess::SecretOpen(_) => Some(0o077),
        }
    }

    fn detail(self, path: &str) -> String {
        match self {
            ConfigAccess::Owner(uid) => format!("{path} belongs to another user (uid {uid})"),
            ConfigAccess::Writable(mode) => {
                format!("{path} can be changed by other users (mode {mode:04o})")
            }
            ConfigAccess::SecretOpen(mode) => format!(
                "{path} holds a secret in plain text ({{ value = … }}) and is not private (mode {mode:04o})"
            ),
        }
    }

    fn hint(self, path: &str) -> String {
        match self {
            ConfigAccess::Owner(_) => {
                "make it yours with `chown`, or pass `--config` with a file of your own".into()
            }
            ConfigAccess::Writable(_) => {
                format!("run `tether doctor --fix`, or `chmod go-w {path}`")
            }
            ConfigAccess::SecretOpen(_) => {
                format!("run `tether doctor --fix`, or `chmod 600 {path}`")
            }
        }
    }
}

/// Whether the config keeps a secret in the file itself.
fn holds_plain_secret(config: &Config) -> bool {
    config
        .services
        .values()
        .any(|s| matches!(s.client_secret, Some(SecretRef::Value(_))))
}

/// The config check of a config that loads: who else may read or change
/// it; with `fix`, the extra permissions are taken away first.
fn config_access(file: &Path, config: &Config, fix: bool, summary: String) -> Check {
    let path = file.display().to_string();
    let ok = |detail: String| Check {
        name: "config".into(),
        warning: false,
        ok: true,
        detail,
        hint: None,
    };
    let access = match config_access_of(file, holds_plain_secret(config)) {
        Ok(None) => return ok(summary),
        Ok(Some(access)) => access,
        Err(e) => return failed("config", &e),
    };
    if let (true, Some(excess)) = (fix, access.excess()) {
        return match take_away(file, excess) {
            Ok((was, now)) => ok(format!(
                "{summary}; permissions fixed (was mode {was:04o}, now {now:04o})"
            )),
            Err(e) => failed("config", &e),
        };
    }
    Check {
        name: "config".into(),
        warning: false,
        ok: false,
        detail: access.detail(&path),
        hint: Some(access.hint(&path)),
    }
}

#[cfg(unix)]
fn config_access_of(file: &Path, plain_secret: bool) -> Result<Option<ConfigAccess>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(file).map_err(|e| Error::io(file, e))?;
    let me = rustix::process::geteuid().as_raw();
    Ok(ConfigAccess::of(meta.mode(), meta.uid(), me, plain_secret))
}

#[cfg(not(unix))]
fn config_access_of(_: &Path, _: bool) -> Result<Option<ConfigAccess>> {
    Ok(None)
}

/// Clears the permission bits `excess` of `file`; returns the mode before
/// and after.
#[cfg(unix)]
fn take_away(file: &Path, excess: u32) -> Result<(u32, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let was = std::fs::metadata(file)
        .map_err(|e| Error::io(file, e))?
        .permissions()
        .mode()
        & 0o7777;
    let now = was & !excess;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(now))
        .map_err(|e| Error::io(file, e))?;
    Ok((was, now))
}

#[cfg(not(unix))]
fn take_away(_: &Path, _: u32) -> Result<(u32, u32)> {
    unreachable!("no access problem is found without Unix permissions")
}

/// A failed check whose detail is an error.
fn failed(name: &'static str, e: &Error) -> Check {
    Check {
        name: name.into(),
        warning: false,
        ok: false,
        detail: e.to_string(),
        hint: e.hint(),
    }
}

fn keyring() -> Check {
    match Store::keyring_answers() {
        Ok(()) => Check {
            name: "keyring".into(),
            warning: false,
            ok: true,
            detail: format!("the {} answers", crate::store::keyring::PLATFORM_NAME),
            hint: None,
        },
        // No keyring is fine: the file store takes over.
        Err(why) => Check {
            name: "keyring".into(),
            warning: false,
            ok: true,
            detail: format!("not available ({why}); tokens go to the file store"),
            hint: Some("set `store = \"file\"` to say so and silence the warning".into()),
        },
    }
}

fn files(ctx: &Ctx, fix: bool) -> Check {
    let dir = ctx.paths.tokens_dir();
    let probe = crate::fsutil::create_private_dir(&dir).and_then(|()| {
        let path = dir.join(".doctor");
        crate::fsutil::write_atomic(&path, b"ok", crate::fsutil::Mode::Private)?;
        std::fs::remove_file(&path).map_err(|e| crate::Error::io(&path, e))
    });
    if let Err(e) = probe {
        return Check {
            name: "file store".into(),
            warning: false,
            ok: false,
            detail: e.to_string(),
            hint: Some("make the data folder writable, or set XDG_DATA_HOME".into()),
        };
    }
    match token_files_access(&FileStore::new(&ctx.paths), fix) {
        Ok(check) => check,
        Err(e) => failed("file store", &e),
    }
}

/// The file store check of a writable token folder: is everything in it
/// private? With `fix`, what a mode can mend is mended first.
fn token_files_access(store: &FileStore, fix: bool) -> Result<Check> {
    let dir = store.dir();
    let mut exposed = store.exposed()?;
    let mut fixed: Vec<(PathBuf, u32)> = Vec::new();
    if fix {
        let mut left = Vec::new();
        for item in exposed {
            match item.exposure {
                Exposure::Mode(_) => fixed.push((item.path.clone(), make_private(&item.path)?)),
                Exposure::Owner(_) => left.push(item),
            }
        }
        exposed = left;
    }
    if !exposed.is_empty() {
        return Ok(Check {
            name: "file store".into(),
            warning: false,
            ok: false,
            detail: format!("not private: {}", list(&exposed)),
            hint: Some(exposed_hint(&exposed)),
        });
    }
    let mut detail = format!("{} is writable{}", dir.display(), mode_of(dir)?);
    if !fixed.is_empty() {
        let items: Vec<String> = fixed
            .iter()
            .map(|(path, was)| format!("{} (was mode {was:04o})", path.display()))
            .collect();
        detail.push_str(&format!("; made private: {}", items.join(", ")));
    }
    Ok(Check {
        name: "file store".into(),
        warning: false,
        ok: true,
        detail,
        hint: None,
    })
}

/// `PATH (mode 0644), PATH (owned by uid 1001)`.
fn list(exposed: &[Exposed]) -> String {
    let items: Vec<String> = exposed
        .iter()
        .map(|e| format!("{} ({})", e.path.display(), e.exposure))
        .collect();
    items.join(", ")
}

fn exposed_hint(exposed: &[Exposed]) -> String {
    if exposed
        .iter()
        .any(|e| matches!(e.exposure, Exposure::Mode(_)))
    {
        "run `tether doctor --fix`, or `chmod 700` the folders and `chmod 600` the files".into()
    } else {
        "they are not yours: remove them and connect again, or `chown` them to yourself".into()
    }
}

#[cfg(unix)]
fn make_private(path: &Path) -> Result<u32> {
    crate::store::file::make_private(path)
}

#[cfg(not(unix))]
fn make_private(_: &Path) -> Result<u32> {
    unreachable!("nothing is exposed without Unix permissions")
}

/// ` (0700)`: the folder's real mode, where there are modes.
#[cfg(unix)]
fn mode_of(dir: &Path) -> Result<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir)
        .map_err(|e| Error::io(dir, e))?
        .permissions()
        .mode();
    Ok(format!(" ({:04o})", mode & 0o7777))
}

#[cfg(not(unix))]
fn mode_of(_: &Path) -> Result<String> {
    Ok(String::new())
}

fn browser() -> Check {
    let from_env = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty());
    let opener = ["xdg-open", "open", "wslview"]
        .into_iter()
        .find(|program| on_path(program));
    let display = Display::here(|name| std::env::var_os(name).filter(|v| !v.is_empty()));
    match (from_env, opener, display) {
        (Some(browser), _, _) => Check::pass("browser", format!("$BROWSER is `{browser}`")),
        (None, Some(program), Display::Shown(how)) => {
            Check::pass("browser", format!("opened with `{program}` ({how})"))
        }
        // An opener on a headless machine "works" and shows nothing.
        (None, Some(program), Display::None { ssh }) => Check::pass(
            "browser",
            format!(
                "`{program}` is installed, but there is no display here ({}): no browser can open",
                if ssh {
                    "an SSH session without DISPLAY or WAYLAND_DISPLAY"
                } else {
                    "no DISPLAY or WAYLAND_DISPLAY"
                }
            ),
        )
        .with_hint(Some(
            "use `connect --remote` (a browser on another machine) or `--device`".into(),
        )),
        (None, None, _) => Check::pass(
            "browser",
            "none found: `connect` prints the URL to open elsewhere".into(),
        )
        .with_hint(Some(
            "use `connect --manual`, `--remote` or `--device` on this machine".into(),
        )),
    }
}

/// Whether a browser opened here can be seen.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Display {
    /// Yes: how (`DISPLAY :0`, `a macOS session`).
    Shown(String),
    /// No; `ssh` when this is an SSH session.
    None { ssh: bool },
}

impl Display {
    /// From the environment (`var` reads a variable): an X11 or Wayland
    /// display; on macOS and Windows, the desktop session unless this is
    /// an SSH session.
    fn here(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Display {
        let ssh = ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"]
            .iter()
            .any(|name| var(name).is_some());
        for name in ["WAYLAND_DISPLAY", "DISPLAY"] {
            if let Some(value) = var(name) {
                return Display::Shown(format!("{name} {}", value.to_string_lossy()));
            }
        }
        if !ssh && cfg!(target_os = "macos") {
            return Display::Shown("a macOS session".into());
        }
        if !ssh && cfg!(windows) {
            return Display::Shown("a Windows session".into());
        }
        Display::None { ssh }
    }
}

fn clock() -> Check {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs());
    // Tokens expire by the clock; a clock before this program was written
    // is certainly wrong.
    const EARLIEST: u64 = 1_767_225_600; // 2026-01-01
    match now {
        Ok(secs) if secs >= EARLIEST => Check {
            name: "clock".into(),
            warning: false,
            ok: true,
            detail: format!("{} (UTC)", ui::rfc3339(secs)),
            hint: None,
        },
        _ => Check {
            name: "clock".into(),
            warning: false,
            ok: false,
            detail: "the system clock is before 2026: token expiry cannot be trusted".into(),
            hint: Some("set the clock (NTP)".into()),
        },
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

mod live;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_is_looked_for() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        assert_eq!(
            Display::here(env(&[("DISPLAY", ":0")])),
            Display::Shown("DISPLAY :0".into())
        );
        assert_eq!(
            Display::here(env(&[
                ("WAYLAND_DISPLAY", "wayland-0"),
                ("SSH_TTY", "/dev/pts/1")
            ])),
            Display::Shown("WAYLAND_DISPLAY wayland-0".into())
        );
        if cfg!(all(unix, not(target_os = "macos"))) {
            assert_eq!(Display::here(env(&[])), Display::None { ssh: false });
        }
        assert_eq!(
            Display::here(env(&[("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22")])),
            Display::None { ssh: true }
        );
    }

    #[test]
    fn a_config_may_be_read_by_others_unless_it_keeps_a_secret() {
        let of = |mode: u32, owner: u32, secret: bool| {
            ConfigAccess::of(0o100000 | mode, owner, 1000, secret)
        };
        assert_eq!(of(0o600, 1000, false), None);
        assert_eq!(of(0o644, 1000, false), None);
        assert_eq!(of(0o600, 1000, true), None);
        // Root's config is trusted, as ssh trusts a root-owned config.
        assert_eq!(of(0o644, 0, false), None);
        assert_eq!(of(0o644, 1001, false), Some(ConfigAccess::Owner(1001)));
        assert_eq!(of(0o664, 1000, false), Some(ConfigAccess::Writable(0o664)));
        assert_eq!(of(0o646, 1000, false), Some(ConfigAccess::Writable(0o646)));
        assert_eq!(of(0o640, 1000, true), Some(ConfigAccess::SecretOpen(0o640)));
        assert_eq!(of(0o664, 1000, true), Some(ConfigAccess::SecretOpen(0o664)));
        assert_eq!(ConfigAccess::Writable(0o664).excess(), Some(0o022));
        assert_eq!(ConfigAccess::SecretOpen(0o644).excess(), Some(0o077));
        assert_eq!(ConfigAccess::Owner(1001).excess(), None);
    }
}
