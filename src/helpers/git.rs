//! git's credential-helper protocol (`git help credential`, "INPUT/OUTPUT
//! FORMAT"): git runs the helper with an action as its last argument and
//! writes `key=value` lines on its stdin, up to a blank line or the end;
//! for `get` the helper answers with lines of the same form.
//!
//! * Keys ending in `[]` may repeat (`capability[]`, `wwwauth[]`); other
//!   keys keep their last value, as git reads them.
//! * When git announces `capability[]=authtype` (git 2.46 and later), the
//!   answer may carry a ready `Authorization` value instead of a user and
//!   password: `authtype=Bearer` and `credential=TOKEN`, after the
//!   helper's own `capability[]=authtype` line, which git needs to read
//!   those fields. tether sends both forms, so an older git reads the
//!   user and password.
//! * `password_expiry_utc` (git 2.41) tells git when the password dies, so
//!   it never reuses a dead one; `ephemeral=true` tells git's other
//!   helpers not to store what tether will renew anyway.
//! * `quit=1` stops git from asking any further helper or the user.
//!
//! A value with a line break or a NUL cannot be written: it would end the
//! line early, so such a value is refused rather than cut.

use url::Url;

use super::Unwritable;

/// What git asks of the helper: the last argument it runs it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Give a credential for the request.
    Get,
    /// git used the credential and it worked: keep it.
    Store,
    /// git used the credential and the server refused it.
    Erase,
    /// An action from a later git; the protocol says to ignore it.
    Other(String),
}

impl Action {
    pub fn parse(word: &str) -> Action {
        match word {
            "get" => Action::Get,
            "store" => Action::Store,
            "erase" => Action::Erase,
            other => Action::Other(other.to_string()),
        }
    }
}

/// What a request on stdin cannot be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestProblem {
    /// A line without `=`.
    NotKeyValue { line: usize },
}

impl std::fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestProblem::NotKeyValue { line } => {
                write!(f, "line {line} is not `key=value`")
            }
        }
    }
}

/// One credential description, as git sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    fields: Vec<(String, String)>,
}

impl Request {
    /// Reads `key=value` lines up to the first blank line (or the end).
    /// A value is never quoted in an error: it may be a password.
    pub fn parse(text: &str) -> Result<Request, RequestProblem> {
        let mut fields = Vec::new();
        for (index, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                break;
            }
            let (key, value) = line
                .split_once('=')
                .ok_or(RequestProblem::NotKeyValue { line: index + 1 })?;
            fields.push((key.to_string(), value.to_string()));
        }
        Ok(Request { fields })
    }

    /// The last value of a single-valued key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable key (`capability[]`).
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> {
        self.fields
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether git can take a ready `Authorization` value.
    pub fn takes_authtype(&self) -> bool {
        self.all("capability[]").any(|c| c == "authtype")
    }

    /// The request's origin as a URL (`protocol://host`, host with its
    /// port), when it has a protocol and a host that make one.
    pub fn origin(&self) -> Option<Url> {
        let protocol = self.get("protocol")?;
        let host = self.get("host").filter(|h| !h.is_empty())?;
        let url = Url::parse(&format!("{protocol}://{host}/")).ok()?;
        url.host_str().is_some().then_some(url)
    }

    /// The secret git used: the password, or the ready credential.
    pub fn secret(&self) -> Option<&str> {
        self.get("password").or_else(|| self.get("credential"))
    }
}

/// What the helper hands git for a `get`.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub protocol: &'a str,
    pub host: &'a str,
    pub username: &'a str,
    pub token: &'a str,
    /// When the token expires, in unix seconds.
    pub expires_at: Option<u64>,
    /// Whether git announced `capability[]=authtype`.
    pub authtype: bool,
}

impl Answer<'_> {
    /// The answer's lines.
    pub fn to_lines(&self) -> Result<String, Unwritable> {
        let mut out = String::new();
        if self.authtype {
            out.push_str("capability[]=authtype\n");
        }
        push(&mut out, "protocol", self.protocol)?;
        push(&mut out, "host", self.host)?;
        push(&mut out, "username", self.username)?;
        push(&mut out, "password", self.token)?;
        if let Some(at) = self.expires_at {
            push(&mut out, "password_expiry_utc", &at.to_string())?;
        }
        if self.authtype {
            out.push_str("authtype=Bearer\n");
            push(&mut out, "credential", self.token)?;
            out.push_str("ephemeral=true\n");
        }
        Ok(out)
    }
}

/// The answer that stops git from asking further helpers or the user.
pub const QUIT: &str = "quit=1\n";

fn push(out: &mut String, key: &'static str, value: &str) -> Result<(), Unwritable> {
    if value.contains(['\n', '\r', '\0']) {
        return Err(Unwritable {
            format: "a git credential",
            field: key,
        });
    }
    out.push_str(key);
    out.push('=');
    out.push_str(value);
    out.push('\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_blank_line() {
        let request = Request::parse(
            "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=example.com:8443\nwwwauth[]=Basic realm=\"x\"\n\nprotocol=ignored\n",
        )
        .unwrap();
        assert_eq!(request.get("protocol"), Some("https"));
        assert_eq!(request.get("wwwauth[]"), Some("Basic realm=\"x\""));
        assert!(request.takes_authtype());
        let origin = request.origin().unwrap();
        assert_eq!(origin.host_str(), Some("example.com"));
        assert_eq!(origin.port(), Some(8443));
    }

    #[test]
    fn a_value_may_hold_equals_signs_and_the_last_wins() {
        let request = Request::parse("password=a=b\npassword=c=d").unwrap();
        assert_eq!(request.secret(), Some("c=d"));
        let ready = Request::parse("authtype=Bearer\ncredential=tok\n").unwrap();
        assert_eq!(ready.secret(), Some("tok"));
    }

    #[test]
    fn a_line_without_equals_is_refused_without_quoting_it() {
        let problem = Request::parse("protocol=https\nhunter2\n").unwrap_err();
        assert_eq!(problem.to_string(), "line 2 is not `key=value`");
    }

    #[test]
    fn no_origin_without_protocol_or_host() {
        assert_eq!(Request::parse("host=x.example\n").unwrap().origin(), None);
        assert_eq!(Request::parse("protocol=https\n").unwrap().origin(), None);
        assert_eq!(
            Request::parse("protocol=cert\nhost=\n").unwrap().origin(),
            None
        );
    }

    #[test]
    fn answers_with_and_without_authtype() {
        let answer = Answer {
            protocol: "https",
            host: "github.com",
            username: "x-access-token",
            token: "gho_t",
            expires_at: Some(1_800_000_000),
            authtype: false,
        };
        assert_eq!(
            answer.to_lines().unwrap(),
            "protocol=https\nhost=github.com\nusername=x-access-token\npassword=gho_t\npassword_expiry_utc=1800000000\n"
        );
        let ready = Answer {
            authtype: true,
            expires_at: None,
            ..answer
        };
        assert_eq!(
            ready.to_lines().unwrap(),
            "capability[]=authtype\nprotocol=https\nhost=github.com\nusername=x-access-token\npassword=gho_t\nauthtype=Bearer\ncredential=gho_t\nephemeral=true\n"
        );
    }

    #[test]
    fn a_value_with_a_line_break_is_refused() {
        let answer = Answer {
            protocol: "https",
            host: "h",
            username: "u\nquit=1",
            token: "t",
            expires_at: None,
            authtype: false,
        };
        assert_eq!(answer.to_lines().unwrap_err().field, "username");
    }

    #[test]
    fn actions() {
        assert_eq!(Action::parse("get"), Action::Get);
        assert_eq!(Action::parse("erase"), Action::Erase);
        assert_eq!(
            Action::parse("capability"),
            Action::Other("capability".into())
        );
    }
}
