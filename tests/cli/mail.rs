//! Mail with tether's tokens: a real Dovecot IMAP server whose `oauth2`
//! passdb checks each token by introspection at the test authorization
//! server takes the bare token from `curl --oauth2-bearer "$(tether token
//! …)"`, and the XOAUTH2 and OAUTHBEARER responses of `tether token
//! --sasl` from a client that sends them as they are.

use std::path::Path;

use crate::credential_git::set_connection_key;
use crate::exec::connected;
use crate::util::dovecot::Dovecot;
use crate::util::line_matches;
use crate::util::oidc::Oidc;

const BIN: &str = env!("CARGO_BIN_EXE_tether");

#[test]
fn imap_takes_the_token_and_the_sasl_responses() {
    let server = Oidc::start();
    let Some(dovecot) = Dovecot::start_or_skip(&server.introspection_url()) else {
        return;
    };
    let env = connected(&server);

    // curl builds the SASL response itself from the bare token.
    let script = format!(
        "curl --silent --show-error --oauth2-bearer \"$('{BIN}' token me)\" --user alice: {}",
        dovecot.url()
    );
    let output = env
        .program(Path::new("sh"), &["-c", &script])
        .stdout("* LIST [..]INBOX\r\n")
        .ok();
    assert!(output.stdout.contains("INBOX"), "{}", dovecot.log());

    // A client that takes a ready SASL response.
    let sasl = |mechanism: &str, user: &[&str]| {
        let args = [&["token", "me", "--sasl", mechanism][..], user].concat();
        env.cmd(&args).ok().stdout.trim().to_string()
    };
    for (flag, mechanism) in [("xoauth2", "XOAUTH2"), ("oauthbearer", "OAUTHBEARER")] {
        let response = sasl(flag, &["--user", "alice"]);
        let answer = dovecot.authenticate(mechanism, &response);
        assert!(
            line_matches("a OK [..]Logged in", &answer),
            "{answer}\n{}",
            dovecot.log()
        );
        // Someone else's name with alice's token is refused.
        let answer = dovecot.authenticate(mechanism, &sasl(flag, &["--user", "bob"]));
        assert!(answer.starts_with("a NO"), "{answer}");
    }

    // The user defaults to the connection's `email` var.
    env.cmd(&["token", "me", "--sasl", "xoauth2"])
        .stderr(
            "tether: error: no user to log in as: connection `me` has no `email` var\n\
             hint: pass `--user ADDRESS`, or set `vars = { email = \"…\" }` in connection `me`\n",
        )
        .fails(2);
    set_connection_key(&env, "me", "vars = { email = \"alice\" }");
    let by_var = sasl("xoauth2", &[]);
    assert_eq!(by_var, sasl("xoauth2", &["--user", "alice"]));

    // A token the provider no longer honours is refused by the server.
    server.expire("access");
    let answer = dovecot.authenticate("XOAUTH2", &by_var);
    assert!(answer.starts_with("a NO"), "{answer}");
    env.assert_never_printed(&crate::exec::never_handed(&server));
}

#[test]
fn an_oauth1_connection_has_no_sasl_response() {
    crate::exec::oauth1_env()
        .cmd(&["token", "bb", "--sasl", "xoauth2", "--user", "a@b.example"])
        .stderr(crate::exec::NO_BEARER)
        .fails(2);
}
