//! What tether refuses before any request: host patterns that allow too
//! much and URL placeholders that could move a credential to another host.
//! Bad config files are in `config_errors`; these are the command line's.

use crate::util::Env;

/// A bearer service on `https://api.example.com/v1` and a connection `c`.
fn env() -> Env {
    let env = Env::new();
    env.write_config(
        "[services.s]\nauth = \"bearer\"\nbase_url = \"https://api.example.com/v1\"\n\n[connections.c]\nservice = \"s\"\n",
    );
    env
}

#[test]
fn allow_host_star_is_refused_not_ignored() {
    let env = env();
    env.cmd(&["invoke", "c", "GET", "/me", "--allow-host", "*"])
        .stderr("tether: error: `*` is not a host name, a `*.example.com` pattern or `host:port`\n")
        .fails(2);
}

#[test]
fn allow_host_over_a_public_suffix_is_refused() {
    let env = env();
    for (pattern, suffix) in [
        ("*.com", "com"),
        ("*.co.uk", "co.uk"),
        ("*.github.io", "github.io"),
    ] {
        env.cmd(&["invoke", "c", "GET", "/me", "--allow-host", pattern])
            .stderr(format!(
                "tether: error: `{pattern}` would allow every site under the public suffix `{suffix}`\n\
                 hint: name the service's own domain, such as `*.example.com`\n"
            ))
            .fails(2);
    }
}

#[test]
fn a_placeholder_glued_to_the_host_is_a_usage_error() {
    let env = env();
    for url in [
        "https://api.example.com{sfx}/v1/me",
        "https://{sfx}api.example.com/v1/me",
        "https://api{sfx}.example.com/v1/me",
    ] {
        env.cmd(&["invoke", "c", "GET", url, "--var", "sfx=.evil.com"])
            .stderr(format!(
                "tether: error: `{url}`: `{{sfx}}` is not a whole part of the host name\n\
                 hint: in the host, a placeholder is a whole label between dots, as in `https://{{dc}}.api.example.com`\n"
            ))
            .fails(2);
    }
}
