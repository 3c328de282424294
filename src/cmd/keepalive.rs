//! `tether keepalive [NAME…] [--within DURATION]`: refreshes the
//! connections whose refresh token would lapse within the window, or whose
//! access token is due, so that a refresh token that dies unused (Microsoft
//! after 90 days, Xero after 60) never does. Made for cron and timers.
//!
//! Each refresh is the one `invoke` makes, under the same lock
//! ([`Reason::Renew`]). A lapse no refresh can move (an absolute
//! `refresh_token_lifetime`) is reported, not refreshed, and told to
//! `on_needs_authorization` once. Exit codes: 0 when every connection is
//! alive, 7 when one needs the user, 6 when the network or the provider
//! (5xx) failed, 1 for anything else.
//!
//! A store of `auto` falls back to files when the keyring does not answer;
//! a cron job or a timer has no session bus, so keepalive would refresh
//! copies the user's next interactive run never reads. It refuses instead
//! ([`Error::KeepaliveWithoutKeyring`]): nothing refreshed, no hook run.

use serde::Serialize;

use super::Ctx;
use super::connection::{Status, forecast_of, status_of};
use crate::cli::KeepaliveArgs;
use crate::config::{Connection, StoreChoice};
use crate::duration::Span;
use crate::oauth::attention::{self, Attention, Event};
use crate::oauth::refresh::{LOCK_TIMEOUT, Reason};
use crate::oauth::token_error::AnswerProblem;
use crate::store::record::{Forecast, Lapse};
use crate::store::{self, HeldIn, Record, Store, StoreKind};
use crate::{Error, Result, exit, ui};

/// What keepalive did with one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Done {
    /// Nothing was due.
    Alive,
    Refreshed,
    /// `--dry-run`: it would have been refreshed.
    WouldRefresh,
    /// Only the user can keep it alive.
    NeedsUser,
    /// The refresh failed; the old tokens are kept.
    Failed,
    /// Not tether's to keep: a connection from the environment.
    Skipped,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Alive => "alive",
            Done::Refreshed => "refreshed",
            Done::WouldRefresh => "would refresh",
            Done::NeedsUser => "needs you",
            Done::Failed => "failed",
            Done::Skipped => "skipped",
        }
    }
}

/// One line of the report.
#[derive(Debug, Serialize)]
struct Outcome {
    name: String,
    done: Done,
    detail: String,
    /// The exit code the outcome asks for.
    #[serde(skip)]
    code: u8,
}

impl Outcome {
    fn new(name: &str, done: Done, detail: String) -> Outcome {
        let code = match done {
            Done::NeedsUser => exit::NEEDS_USER,
            _ => exit::OK,
        };
        Outcome {
            name: name.to_string(),
            done,
            detail,
            code,
        }
    }

    fn failed(name: &str, err: &Error) -> Outcome {
        let code = if provider_trouble(err) {
            exit::NETWORK
        } else if err.exit_code() == exit::NEEDS_USER {
            exit::NEEDS_USER
        } else {
            exit::FAILURE
        };
        let done = match code {
            exit::NEEDS_USER => Done::NeedsUser,
            _ => Done::Failed,
        };
        Outcome {
            name: name.to_string(),
            done,
            detail: err.to_string(),
            code,
        }
    }
}

/// A network failure, or a provider that answered 5xx: worth trying again
/// later, not the user's to mend.
fn provider_trouble(err: &Error) -> bool {
    match err {
        Error::Network { .. } => true,
        Error::TokenAnswer {
            problem: AnswerProblem::ErrorStatus { status, .. } | AnswerProblem::Status { status },
            ..
        } => *status >= 500,
        _ => false,
    }
}

pub fn run(args: &KeepaliveArgs, ctx: &Ctx) -> Result<u8> {
    if args.print_systemd {
        ui::print_out(&systemd_units(&command(ctx)?))?;
        return Ok(exit::OK);
    }
    if args.print_launchd {
        ui::print_out(&launchd_agent(&command(ctx)?))?;
        return Ok(exit::OK);
    }
    let chosen = ctx.chosen(&args.names)?;
    if chosen.is_empty() {
        ui::note("No connections to keep alive.");
        return Ok(exit::OK);
    }
    let names: Vec<&String> = chosen.iter().map(|(name, _)| *name).collect();
    let store = no_fallback(ctx, &names)?;
    let horizon = ui::now().saturating_add(args.within.as_secs());
    let outcomes: Vec<Outcome> = chosen
        .iter()
        .map(|(name, connection)| {
            keep(name, connection, ctx, store, horizon, args.dry_run)
                .unwrap_or_else(|err| Outcome::failed(name, &err))
        })
        .collect();
    report(&outcomes, args)?;
    // The user first, then what a later run may mend, then the rest.
    let codes = outcomes.iter().map(|o| o.code);
    Ok([exit::NEEDS_USER, exit::NETWORK, exit::FAILURE]
        .into_iter()
        .find(|code| codes.clone().any(|c| c == *code))
        .unwrap_or(exit::OK))
}

/// The token store, when for every connection in `names` it is the one
/// the user's interactive runs use: where a connection's store is `auto`,
/// the keyring must answer (no fallback to files).
fn no_fallback<'a>(ctx: &'a Ctx, names: &[&String]) -> Result<&'a Store> {
    let store = ctx.store()?;
    for name in names {
        let choice = store.choice_of(name);
        if *choice == StoreChoice::Auto {
            Store::keyring_answers()
                .map_err(|failure| Error::KeepaliveWithoutKeyring { failure })?;
        }
        // An explicit keyring that does not answer fails here; an `auto`
        // one that stopped answering since the probe must not fall back
        // either.
        if *choice != StoreChoice::File && store.kind_of(name)? == StoreKind::File {
            return Err(Error::KeepaliveWithoutKeyring {
                failure: store::KeyringFailure::Lost,
            });
        }
    }
    Ok(store)
}

/// Keeps connection `name` alive until `horizon` (unix seconds), if it can.
fn keep(
    name: &str,
    connection: &Connection,
    ctx: &Ctx,
    store: &Store,
    horizon: u64,
    dry_run: bool,
) -> Result<Outcome> {
    let config = ctx.config()?;
    let now = ui::now();
    if store.held_in(name)? == HeldIn::Env {
        return Ok(Outcome::new(
            name,
            Done::Skipped,
            format!(
                "from `{}`: refreshed in memory where it is used",
                store::env::var_name(name)
            ),
        ));
    }
    let record = store.load(name)?;
    match status_of(name, connection, config, record.as_ref(), now) {
        Status::NotConnected => {
            return Ok(needs_user(name, "is not connected"));
        }
        Status::NeedsAuthorization | Status::Unreadable => {
            // Why, in the words `token` would use.
            let why = ctx
                .fresh_record(name, &Reason::BeforeUse, record.clone())
                .err()
                .map_or_else(|| "needs authorization".into(), |e| e.to_string());
            return Ok(Outcome::new(name, Done::NeedsUser, why));
        }
        Status::Connected | Status::ExpiredRefreshable => {}
    }
    let Some(record) = record else {
        return Ok(needs_user(name, "is not connected"));
    };
    if !record.auth.is_oauth() {
        return Ok(Outcome::new(
            name,
            Done::Alive,
            "static credential: nothing to refresh".into(),
        ));
    }
    let forecast = forecast_of(connection, config, Some(&record));
    if let Forecast::Lapses {
        at,
        lapse: Lapse::Absolute,
        ..
    } = forecast
        && at <= horizon
    {
        let said = forecast.describe(now);
        if !dry_run {
            tell_lapse(name, connection, ctx, store, &said, at)?;
        }
        return Ok(needs_user(
            name,
            &format!("refresh token {said}: no refresh extends it; connect again before then"),
        ));
    }
    let lapsing = matches!(forecast, Forecast::Lapses { at, .. } if at <= horizon);
    let due = is_due(&record, now);
    if !lapsing && !due {
        return Ok(Outcome::new(
            name,
            Done::Alive,
            alive(&record, forecast, now),
        ));
    }
    let why = if lapsing {
        format!("refresh token {}", forecast.describe(now))
    } else {
        "access token due".to_string()
    };
    if dry_run {
        return Ok(Outcome::new(name, Done::WouldRefresh, why));
    }
    let seen = record.access_token.clone();
    match ctx.fresh_record(name, &Reason::Renew(seen), Some(record)) {
        Ok(fresh) => {
            let forecast = forecast_of(connection, config, Some(&fresh.record));
            let now = ui::now();
            let detail = match fresh.refreshed {
                true => format!("{why}; now {}", alive(&fresh.record, forecast, now)),
                false => format!(
                    "another process refreshed it meanwhile; {}",
                    alive(&fresh.record, forecast, now)
                ),
            };
            Ok(Outcome::new(name, Done::Refreshed, detail))
        }
        Err(err) => Ok(Outcome::failed(name, &err)),
    }
}

/// Whether the access token of `record` is due, as `invoke` would find it.
fn is_due(record: &Record, now: u64) -> bool {
    crate::oauth::refresh::needs_refresh("", record, now, &Reason::BeforeUse).unwrap_or(false)
}

/// What an alive connection's line says.
fn alive(record: &Record, forecast: Forecast, now: u64) -> String {
    let access = match record.expires_at {
        Some(at) => format!("access token expires {}", ui::relative(at, now)),
        None => "access token does not expire".into(),
    };
    match forecast {
        Forecast::NoRefreshToken => access,
        forecast => format!("{access}; refresh token {}", forecast.describe(now)),
    }
}

fn needs_user(name: &str, detail: &str) -> Outcome {
    Outcome::new(name, Done::NeedsUser, format!("`{name}` {detail}"))
}

/// Tells `on_needs_authorization` of a lapse at `at` no refresh moves,
/// once: the record keeps the lapse it told about.
fn tell_lapse(
    name: &str,
    connection: &Connection,
    ctx: &Ctx,
    store: &Store,
    said: &str,
    at: u64,
) -> Result<()> {
    let config = ctx.config()?;
    let service = ctx.service(&connection.service)?;
    let Some(hook) = config.on_needs_authorization(service) else {
        return Ok(());
    };
    let _lock = store::lock(&ctx.paths, name, LOCK_TIMEOUT)?;
    let Some(mut record) = store.load(name)? else {
        return Ok(());
    };
    if record.notified_lapse_at == Some(at) {
        return Ok(());
    }
    let attention = Attention::new(
        Event::Lapsing,
        name,
        &connection.service,
        format!("refresh token {said}; no refresh extends it"),
    )
    .lapsing_at(at);
    attention::tell(Some(hook), &attention);
    record.notified_lapse_at = Some(at);
    store.save(name, &record)
}

fn report(outcomes: &[Outcome], args: &KeepaliveArgs) -> Result<()> {
    for outcome in outcomes {
        match outcome.done {
            Done::NeedsUser => ui::note(&format!(
                "tether: `{}` needs you: {} — run `tether connect {}`",
                outcome.name, outcome.detail, outcome.name
            )),
            Done::Failed => ui::note(&format!(
                "tether: could not keep `{}` alive: {}",
                outcome.name, outcome.detail
            )),
            _ => {}
        }
    }
    if args.json {
        return ui::print_json(outcomes);
    }
    let rows = outcomes
        .iter()
        .map(|o| {
            vec![
                o.name.clone(),
                o.done.as_str().to_string(),
                o.detail.clone(),
            ]
        })
        .collect();
    ui::print_out(&ui::table(&["NAME", "DONE", "DETAIL"], rows))
}

/// The command a timer runs: this binary, this config, `keepalive`.
fn command(ctx: &Ctx) -> Result<Vec<String>> {
    let exe = std::env::current_exe().map_err(|e| Error::io("<the tether binary>", e))?;
    Ok(vec![
        exe.display().to_string(),
        "--config".into(),
        ctx.paths.config_file.display().to_string(),
        "keepalive".into(),
    ])
}

/// How often the timer runs, as the units say it.
const DAILY: Span = Span::from_days(1);

/// A systemd user service and timer that run `argv` daily.
fn systemd_units(argv: &[String]) -> String {
    let exec: Vec<String> = argv.iter().map(|a| systemd_quote(a)).collect();
    format!(
        "# ~/.config/systemd/user/tether-keepalive.service\n\
         [Unit]\n\
         Description=Keep tether's connections alive\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={}\n\
         \n\
         # ~/.config/systemd/user/tether-keepalive.timer\n\
         [Unit]\n\
         Description=Run tether keepalive every {DAILY}\n\
         \n\
         [Timer]\n\
         OnCalendar=daily\n\
         RandomizedDelaySec=1h\n\
         Persistent=true\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n\
         \n\
         # Save the two units, then:\n\
         #   systemctl --user daemon-reload\n\
         #   systemctl --user enable --now tether-keepalive.timer\n",
        exec.join(" ")
    )
}

/// One word of an `ExecStart=` line: quoted when it has blanks or quotes,
/// `%` doubled (systemd.unit(5) specifiers).
fn systemd_quote(word: &str) -> String {
    let word = word.replace('%', "%%");
    if !word.is_empty() && !word.contains(|c: char| c.is_whitespace() || "\"'\\;".contains(c)) {
        return word;
    }
    format!("\"{}\"", word.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A launchd agent that runs `argv` every day at 09:00.
fn launchd_agent(argv: &[String]) -> String {
    let args: String = argv
        .iter()
        .map(|a| format!("    <string>{}</string>\n", xml_escape(a)))
        .collect();
    format!(
        "<!-- ~/Library/LaunchAgents/org.tether.keepalive.plist; then:\n     \
         launchctl bootstrap gui/$(id -u) ~/Library/LaunchAgents/org.tether.keepalive.plist -->\n\
         <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <plist version=\"1.0\">\n\
         <dict>\n  \
         <key>Label</key>\n  <string>org.tether.keepalive</string>\n  \
         <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n  \
         <key>StartCalendarInterval</key>\n  \
         <dict>\n    <key>Hour</key>\n    <integer>9</integer>\n    \
         <key>Minute</key>\n    <integer>0</integer>\n  </dict>\n\
         </dict>\n\
         </plist>\n"
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_words_are_quoted_for_systemd() {
        assert_eq!(systemd_quote("/usr/bin/tether"), "/usr/bin/tether");
        assert_eq!(
            systemd_quote("/home/a b/tether.toml"),
            "\"/home/a b/tether.toml\""
        );
        assert_eq!(systemd_quote("100%"), "100%%");
        assert_eq!(systemd_quote("say \"hi\""), "\"say \\\"hi\\\"\"");
    }

    #[test]
    fn the_units_run_keepalive_daily() {
        let units = systemd_units(&["/bin/tether".into(), "keepalive".into()]);
        assert!(
            units.contains("\nExecStart=/bin/tether keepalive\n"),
            "{units}"
        );
        assert!(units.contains("\nOnCalendar=daily\n"), "{units}");
        let agent = launchd_agent(&["/a&b/tether".into(), "keepalive".into()]);
        assert!(
            agent.contains("<string>/a&amp;b/tether</string>\n    <string>keepalive</string>"),
            "{agent}"
        );
    }

    #[test]
    fn network_and_server_errors_are_for_a_later_run() {
        let network = Error::Network {
            what: "x".into(),
            reason: "y".into(),
        };
        assert!(provider_trouble(&network));
        assert_eq!(Outcome::failed("c", &network).code, exit::NETWORK);
        let refused = Error::NeedsAuthorization {
            name: "c".into(),
            why: crate::NeedsUser::LastRefreshRefused,
        };
        assert_eq!(Outcome::failed("c", &refused).code, exit::NEEDS_USER);
        assert_eq!(
            Outcome::failed("c", &Error::Other("x".into())).code,
            exit::FAILURE
        );
    }
}
