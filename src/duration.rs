//! The one duration syntax of tether's flags and keys: whole numbers with a
//! unit, largest first, run together — `90s`, `30m`, `1h30m`, `14d`, `2w`.
//!
//! Units are `s`, `m`, `h`, `d` (24 hours) and `w` (7 days); a bare number
//! is refused rather than guessed at. [`Span`] parses from a flag
//! (`value_parser = Span::parse`), deserializes from a TOML string, and
//! prints back in the same syntax, so what tether shows can be pasted into
//! a flag.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A length of time written in tether's duration syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span(u64);

/// Why a duration did not parse; the message names the accepted syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanFault {
    pub text: String,
}

impl fmt::Display for SpanFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a duration: write a number and a unit, such as 90s, 30m, 12h, 14d or 2w",
            self.text
        )
    }
}

impl std::error::Error for SpanFault {}

const UNITS: [(char, u64); 5] = [
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// The longest span tether accepts: about 100 years, so a sum with a
/// timestamp can never overflow.
const MAX_SECONDS: u64 = 100 * 365 * 86_400;

impl Span {
    pub const fn from_secs(seconds: u64) -> Span {
        Span(seconds)
    }

    pub const fn from_days(days: u64) -> Span {
        Span(days * 86_400)
    }

    pub const fn as_secs(self) -> u64 {
        self.0
    }

    pub const fn duration(self) -> Duration {
        Duration::from_secs(self.0)
    }

    /// Parses `text`; the shape clap's `value_parser` wants.
    pub fn parse(text: &str) -> Result<Span, SpanFault> {
        let fault = || SpanFault {
            text: text.to_string(),
        };
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err(fault());
        }
        let mut total: u64 = 0;
        // Units must come largest first, each at most once.
        let mut allowed = &UNITS[..];
        while !rest.is_empty() {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 || digits > 12 {
                return Err(fault());
            }
            let number: u64 = rest[..digits].parse().map_err(|_| fault())?;
            rest = &rest[digits..];
            let unit = rest.chars().next().ok_or_else(fault)?;
            let at = allowed
                .iter()
                .position(|(u, _)| *u == unit)
                .ok_or_else(fault)?;
            total = number
                .checked_mul(allowed[at].1)
                .and_then(|s| total.checked_add(s))
                .filter(|s| *s <= MAX_SECONDS)
                .ok_or_else(fault)?;
            allowed = &allowed[at + 1..];
            rest = &rest[unit.len_utf8()..];
        }
        Ok(Span(total))
    }
}

impl FromStr for Span {
    type Err = SpanFault;

    fn from_str(text: &str) -> Result<Span, SpanFault> {
        Span::parse(text)
    }
}

/// Prints in the parse syntax, largest units first, in days rather than
/// weeks (`90d` reads better than `12w6d`): `1h30m`, `14d`, `0s`.
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut left = self.0;
        for (unit, seconds) in &UNITS[1..] {
            if left >= *seconds {
                write!(f, "{}{unit}", left / seconds)?;
                left %= seconds;
            }
        }
        Ok(())
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        let text = String::deserialize(deserializer)?;
        Span::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit_and_runs_of_them() {
        for (text, seconds) in [
            ("90s", 90),
            ("30m", 1_800),
            ("12h", 43_200),
            ("14d", 1_209_600),
            ("2w", 1_209_600),
            ("1h30m", 5_400),
            ("1d12h", 129_600),
            ("0s", 0),
            (" 7d ", 604_800),
        ] {
            assert_eq!(Span::parse(text), Ok(Span(seconds)), "{text}");
        }
    }

    #[test]
    fn refuses_what_it_would_have_to_guess() {
        for text in [
            "",
            "90",
            "d",
            "1.5h",
            "-1d",
            "1x",
            "30m1h",
            "1h1h",
            "1 h",
            "1hh",
            "٣d",
            "99999999999999w",
            "1000000d",
        ] {
            assert_eq!(
                Span::parse(text),
                Err(SpanFault {
                    text: text.to_string()
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn prints_what_it_parses() {
        for text in ["45s", "1h30m", "14d", "90d", "1d2h3m4s", "0s"] {
            assert_eq!(Span::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Span::parse("2w").unwrap().to_string(), "14d");
        assert_eq!(Span::parse("90s").unwrap().to_string(), "1m30s");
    }

    #[test]
    fn the_fault_names_the_syntax_not_just_the_input() {
        let fault = Span::parse("soon").unwrap_err();
        assert_eq!(
            fault.to_string(),
            "`soon` is not a duration: write a number and a unit, such as 90s, 30m, 12h, 14d or 2w"
        );
    }
}
