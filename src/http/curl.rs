//! Shell words: `invoke --curl`, the snippets of `connection show` and
//! the `tether authorize` line of `connect --remote` are quoted here, and
//! only here, with the `shlex` crate.
//!
//! A curl command never embeds a token: where the credential goes it
//! calls `"$(tether token NAME)"` (for OAuth 1.0a, whose every request is
//! signed, `"$(tether token NAME --header --method M --url URL)"`), and
//! everything else is quoted, so that nothing a URL, a header or a body
//! holds can run in the shell it is pasted into.

use std::borrow::Cow;

use super::credential::Credential;
use super::send::Request;
use super::target::Method;
use crate::config::{AuthKind, Service};

/// Where the token goes in a curl command before the command substitution
/// takes its place: letters only, so that no URL or header encoding
/// changes it.
const TOKEN_SLOT: &str = "TETHERTOKENSLOT";

/// Quotes `text` as one word for a POSIX shell, when it needs quoting.
///
/// A NUL byte, which no shell word can carry, stays where it is inside
/// the quotes: a shell drops it or rejects the line, and runs nothing
/// either way.
pub fn quote(text: &str) -> Cow<'_, str> {
    shlex::Quoter::new()
        .allow_nul(true)
        .quote(text)
        .expect("quoting fails only on NUL bytes, which are allowed")
}

/// A curl command that sends `request` through connection `name`, asking
/// `tether token` for the credential when it runs.
pub fn command(name: &str, request: &Request, service: &Service) -> String {
    let credential = Credential::placeholder(service, TOKEN_SLOT);
    let token = format!("\"$(tether token {})\"", quote(name));
    let word = |text: &str| with_token(text, &token);
    let mut url = request.url.clone();
    let mut headers = request.headers.clone();
    let signed = service.auth == AuthKind::Oauth1;
    if !signed && !matches!(credential, Credential::Basic { .. }) {
        credential.apply(&mut headers, &mut url);
    }
    let mut parts = vec!["curl".to_string()];
    if request.method != Method::Get {
        parts.push(format!("-X {}", request.method));
    }
    parts.push(word(url.as_str()));
    if signed {
        // The signature covers the method and the URL, so tether signs
        // the very request curl sends (a form body is not covered here).
        parts.push(format!(
            "-H \"$(tether token {} --header --method {} --url {})\"",
            quote(name),
            request.method,
            quote(url.as_str())
        ));
    }
    for (name, value) in &headers {
        parts.push(format!("-H {}", word(&format!("{name}: {value}"))));
    }
    if let Credential::Basic { username, .. } = &credential {
        parts.push(format!("-u {}", word(&format!("{username}:{TOKEN_SLOT}"))));
    }
    if let Some(body) = &request.body {
        parts.push(format!(
            "--data-binary {}",
            word(&String::from_utf8_lossy(body))
        ));
    }
    format!("{}\n", parts.join(" \\\n  "))
}

/// One shell word for `text`: the pieces around each [`TOKEN_SLOT`]
/// quoted, the slot itself replaced by the command substitution `token`.
fn with_token(text: &str, token: &str) -> String {
    let mut word = String::new();
    for (i, piece) in text.split(TOKEN_SLOT).enumerate() {
        if i > 0 {
            word.push_str(token);
        }
        if !piece.is_empty() {
            word.push_str(&quote(piece));
        }
    }
    if word.is_empty() {
        word.push_str(&quote(""));
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AuthKind;

    fn request(method: Method, url: &str) -> Request {
        Request {
            method,
            url: url::Url::parse(url).unwrap(),
            headers: Vec::new(),
            body: None,
        }
    }

    #[test]
    fn curl_commands_run_nothing_but_tether_token() {
        let service = Service {
            auth: AuthKind::ApiKey,
            api_key_query: Some("key".into()),
            ..Service::default()
        };
        let mut request = request(Method::Post, "https://api.example.com/$(id)/x");
        request.headers = vec![("X-Note".into(), "it's $(id)".into())];
        request.body = Some(b"{\"a\":\"`id`\"}".to_vec());
        assert_eq!(
            command("my bot", &request, &service),
            "curl \\\n  -X POST \\\n  'https://api.example.com/$(id)/x?key='\"$(tether token 'my bot')\" \\\n  \
             -H \"X-Note: it's \"'$(id)' \\\n  --data-binary '{\"a\":\"`id`\"}'\n"
        );
    }

    /// The command as a shell runs it, with `curl` and `tether` standing
    /// in as functions that print what they get: every argument arrives
    /// as it was meant, and nothing in them ran.
    #[cfg(unix)]
    #[test]
    fn a_shell_runs_nothing_but_tether_token() {
        let service = Service {
            auth: AuthKind::ApiKey,
            api_key_query: Some("key".into()),
            ..Service::default()
        };
        let mut request = request(Method::Post, "https://api.example.com/$(id)/x");
        request.headers = vec![("X-Note".into(), "it's $(id) `id` !! \\ ^".into())];
        request.body = Some(b"{\"a\":\"`id`\"} $HOME".to_vec());
        let script = format!(
            "tether() {{ printf 'token-of-%s' \"$2\"; }}\ncurl() {{ printf '%s\\n' \"$@\"; }}\n{}",
            command("my bot", &request, &service)
        );
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "-X\nPOST\nhttps://api.example.com/$(id)/x?key=token-of-my bot\n\
             -H\nX-Note: it's $(id) `id` !! \\ ^\n--data-binary\n{\"a\":\"`id`\"} $HOME\n"
        );
    }

    #[test]
    fn an_oauth1_request_asks_tether_for_its_own_signature() {
        let service = Service {
            auth: AuthKind::Oauth1,
            ..Service::default()
        };
        let text = command(
            "tr llo",
            &request(Method::Delete, "https://api.trello.com/1/x?a=1"),
            &service,
        );
        assert_eq!(
            text,
            "curl \\\n  -X DELETE \\\n  'https://api.trello.com/1/x?a=1' \\\n  -H \"$(tether token 'tr llo' --header --method DELETE --url 'https://api.trello.com/1/x?a=1')\"\n"
        );
    }

    #[test]
    fn the_token_goes_where_the_credential_goes() {
        let bearer = Service {
            auth: AuthKind::Oauth2,
            ..Service::default()
        };
        assert_eq!(
            command(
                "c",
                &request(Method::Get, "https://api.example.com/"),
                &bearer
            ),
            "curl \\\n  https://api.example.com/ \\\n  -H 'Authorization: Bearer '\"$(tether token c)\"\n"
        );
        let basic = Service {
            auth: AuthKind::Basic,
            ..Service::default()
        };
        assert_eq!(
            command("c", &request(Method::Delete, "https://h.example/x"), &basic),
            "curl \\\n  -X DELETE \\\n  https://h.example/x \\\n  -u USER:\"$(tether token c)\"\n"
        );
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(quote("mc-prod"), "mc-prod");
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("$(id)`id`"), "'$(id)`id`'");
    }

    #[test]
    fn a_word_of_nothing_but_the_token_is_the_token() {
        let token = "\"$(tether token c)\"";
        assert_eq!(with_token(TOKEN_SLOT, token), token);
        assert_eq!(with_token("", token), "''");
        assert_eq!(
            with_token(&format!("a b{TOKEN_SLOT}c d"), token),
            format!("'a b'{token}'c d'")
        );
    }
}
