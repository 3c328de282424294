//! `tether doctor`: what works on this machine — the config file, the
//! token stores, a browser, the clock — each as a check with a verdict and,
//! when it fails, what to do. Exits 1 when a check fails.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::Ctx;
use crate::store::Store;
use crate::{Result, exit, ui};

/// One check.
#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    ok: bool,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

pub fn run(json: bool, ctx: &Ctx) -> Result<u8> {
    let checks = vec![config(ctx), keyring(), files(ctx), browser(), clock()];
    let failed = checks.iter().any(|c| !c.ok);
    if json {
        ui::print_json(&checks)?;
    } else {
        let rows = checks
            .iter()
            .map(|c| {
                let mut detail = c.detail.clone();
                if let Some(hint) = &c.hint {
                    detail.push_str(&format!(" — {hint}"));
                }
                vec![
                    c.name.to_string(),
                    if c.ok { "ok" } else { "FAIL" }.to_string(),
                    detail,
                ]
            })
            .collect();
        ui::print_out(&ui::table(&["CHECK", "", "DETAIL"], rows))?;
    }
    Ok(if failed { exit::FAILURE } else { exit::OK })
}

fn config(ctx: &Ctx) -> Check {
    let path = ctx.paths.config_file.display().to_string();
    match ctx.config() {
        Ok(config) => Check {
            name: "config",
            ok: true,
            detail: if ctx.paths.config_file.exists() {
                format!(
                    "{path}: {} services, {} connections",
                    config.services.len(),
                    config.connections.len()
                )
            } else {
                format!("{path} does not exist yet (an empty config)")
            },
            hint: None,
        },
        Err(e) => Check {
            name: "config",
            ok: false,
            detail: e.to_string(),
            hint: e.hint(),
        },
    }
}

fn keyring() -> Check {
    match Store::keyring_answers() {
        Ok(()) => Check {
            name: "keyring",
            ok: true,
            detail: format!("the {} answers", crate::store::keyring::PLATFORM_NAME),
            hint: None,
        },
        // No keyring is fine: the file store takes over.
        Err(why) => Check {
            name: "keyring",
            ok: true,
            detail: format!("not available ({why}); tokens go to the file store"),
            hint: Some("set `store = \"file\"` to say so and silence the warning".into()),
        },
    }
}

fn files(ctx: &Ctx) -> Check {
    let dir = ctx.paths.tokens_dir();
    let probe = crate::fsutil::create_private_dir(&dir).and_then(|()| {
        let path = dir.join(".doctor");
        crate::fsutil::write_atomic(&path, b"ok", crate::fsutil::Mode::Private)?;
        std::fs::remove_file(&path).map_err(|e| crate::Error::io(&path, e))
    });
    match probe {
        Ok(()) => Check {
            name: "file store",
            ok: true,
            detail: format!("{} is writable (0700)", dir.display()),
            hint: None,
        },
        Err(e) => Check {
            name: "file store",
            ok: false,
            detail: e.to_string(),
            hint: Some("make the data folder writable, or set XDG_DATA_HOME".into()),
        },
    }
}

fn browser() -> Check {
    let from_env = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty());
    let opener = ["xdg-open", "open", "wslview"]
        .into_iter()
        .find(|program| on_path(program));
    match (from_env, opener) {
        (Some(browser), _) => Check {
            name: "browser",
            ok: true,
            detail: format!("$BROWSER is `{browser}`"),
            hint: None,
        },
        (None, Some(program)) => Check {
            name: "browser",
            ok: true,
            detail: format!("opened with `{program}`"),
            hint: None,
        },
        (None, None) => Check {
            name: "browser",
            ok: true,
            detail: "none found: `connect` prints the URL to open elsewhere".into(),
            hint: Some("use `connect --manual`, `--remote` or `--device` on this machine".into()),
        },
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
            name: "clock",
            ok: true,
            detail: format!("{} (UTC)", ui::rfc3339(secs)),
            hint: None,
        },
        _ => Check {
            name: "clock",
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
