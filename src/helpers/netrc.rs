//! netrc lines (`machine HOST login USER password SECRET`), the format
//! curl (`--netrc-file`), Python's `requests` and many others read for
//! HTTP Basic credentials.
//!
//! Tokens in the format are separated by whitespace and quoting is not
//! read alike by every reader, so a value with whitespace, a quote or a
//! control character is refused rather than written in a way one reader
//! would split.

use super::Unwritable;

/// One `machine` line.
pub fn line(machine: &str, login: &str, password: &str) -> Result<String, Unwritable> {
    for (field, value) in [("host", machine), ("login", login), ("password", password)] {
        if value.is_empty()
            || value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
        {
            return Err(Unwritable {
                format: "netrc",
                field,
            });
        }
    }
    Ok(format!(
        "machine {machine} login {login} password {password}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_machine() {
        assert_eq!(
            line("api.github.com", "x-access-token", "gho_1").unwrap(),
            "machine api.github.com login x-access-token password gho_1\n"
        );
    }

    #[test]
    fn values_a_reader_would_split_are_refused() {
        assert_eq!(line("h", "a b", "p").unwrap_err().field, "login");
        assert_eq!(line("h", "u", "p\"q").unwrap_err().field, "password");
        assert_eq!(line("h", "u", "").unwrap_err().field, "password");
    }
}
