//! `invoke --jq EXPR`: a jq filter over JSON output, run by the jaq crates
//! (pure Rust).
//!
//! A [`Jq`] is compiled once, before any request, so a mistake in the
//! expression is a usage error that points at its column ([`InvalidFilter`])
//! and costs no network call. It then runs on one JSON value at a time
//! ([`Jq::run`]): the body, the `--json` envelope, or each item of a stream
//! of them, and writes each result on its own line as the `jq` program does:
//! pretty JSON with two-space indents, numbers and string escapes as jq
//! prints them, strings without quotes with `--raw-output`. Colour (on a
//! terminal) uses the palette of [`super::print`].
//!
//! The filter sees nothing of the process: `env` and `$ENV` are left out,
//! since the environment may hold credentials (`TETHER_CONNECTION_<NAME>`),
//! and `input`, `inputs` and module imports are not offered.

use std::fmt;
use std::io::{self, Write};

use anstyle::Style;
use jaq_core::load::{self, Arena, File, Loader, parse};
use jaq_core::{Compiler, Ctx, Vars, compile, data};
use jaq_json::{Num, Val};
use serde_json::Value;

use super::print::{KEY, LITERAL, NULL, STRING};
use crate::config::location::line_column;
use crate::{Error, Result};

/// How results are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Format {
    /// A string result without quotes or escapes (jq's `-r`).
    pub raw: bool,
    /// ANSI colours, for a terminal.
    pub color: bool,
}

/// A compiled filter and how its results are written.
pub struct Jq {
    filter: jaq_core::Filter<data::JustLut<Val>>,
    format: Format,
}

impl fmt::Debug for Jq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jq").field("format", &self.format).finish()
    }
}

/// Filters of the process's surroundings that `--jq` does not offer.
const WITHHELD: &[&str] = &["env"];

/// jq's `@csv` and `@tsv`, which jaq's standard library lacks: a row of
/// strings, numbers, booleans and nulls (as empty fields).
const DEFS: &str = r#"
def @csv: if isarray then map(
    if isstring then "\"" + (split("\"") | join("\"\"")) + "\""
    elif . == null then ""
    elif isnumber or isboolean then tostring
    else error("\(tojson) is not valid in a csv row") end) | join(",")
  else error("\(tojson) cannot be csv-formatted, only an array can be") end;
def @tsv: if isarray then map(
    if isstring then split("\\") | join("\\\\") | split("\t") | join("\\t")
      | split("\n") | join("\\n") | split("\r") | join("\\r")
    elif . == null then ""
    elif isnumber or isboolean then tostring
    else error("\(tojson) is not valid in a tsv row") end) | join("\t")
  else error("\(tojson) cannot be tsv-formatted, only an array can be") end;
"#;

impl Jq {
    /// Parses and compiles `expr`; its first mistake is the error.
    pub fn compile(expr: &str, format: Format) -> Result<Jq, InvalidFilter> {
        // The definitions are part of the binary and checked by the tests.
        let own = load::parse(DEFS, |p| p.defs()).expect("DEFS parse");
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .chain(own);
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs())
            .filter(|(name, _, _)| !WITHHELD.contains(name));
        let arena = Arena::default();
        let modules = Loader::new(defs)
            .load(
                &arena,
                File {
                    code: expr,
                    path: (),
                },
            )
            .map_err(|errors| InvalidFilter::from_load(expr, errors))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| InvalidFilter::from_compile(expr, errors))?;
        Ok(Jq { filter, format })
    }

    /// Runs the filter on `input` and writes each result to `out`, one per
    /// line. The results before a failure are written, as jq writes them;
    /// after `halt`, the caller should run the filter on nothing more.
    pub fn run(&self, input: &Value, out: &mut dyn Write) -> Result<(), RunError> {
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        let mut line = Vec::new();
        for result in self.filter.id.run((ctx, to_val(input))) {
            let value = match result.map_err(|e| e.get_err()) {
                Ok(value) => value,
                Err(Ok(error)) => {
                    return Err(RunError::Filter(FilterFailure::Runtime {
                        detail: error_detail(error),
                    }));
                }
                Err(Err(exception)) => match exception.get_halt() {
                    Ok(0) => return Err(RunError::Halted),
                    Ok(code) => return Err(RunError::Filter(FilterFailure::Halted { code })),
                    // Breaks and tail calls never leave a compiled filter.
                    Err(_) => return Ok(()),
                },
            };
            line.clear();
            match (&value, self.format.raw) {
                (Val::TStr(text) | Val::BStr(text), true) => line.extend_from_slice(text),
                _ => write_val(&mut line, &value, 0, self.format.color),
            }
            line.push(b'\n');
            out.write_all(&line).map_err(RunError::Write)?;
        }
        Ok(())
    }

    /// Runs the filter on each JSON value of `body` (a document, or several
    /// one after the other, as jq reads its input); an empty body has none.
    pub fn run_on_bytes(&self, body: &[u8], out: &mut dyn Write) -> Result<(), RunError> {
        for value in serde_json::Deserializer::from_slice(body).into_iter::<Value>() {
            let value = value.map_err(|e| {
                RunError::Filter(FilterFailure::NotJson {
                    detail: e.to_string(),
                })
            })?;
            self.run(&value, out)?;
        }
        Ok(())
    }

    /// [`Jq::run`] to stdout. A closed pipe ends the output quietly.
    pub fn print(&self, input: &Value) -> Result<()> {
        to_stdout(|out| self.run(input, out))
    }

    /// [`Jq::run_on_bytes`] to stdout. A closed pipe ends the output quietly.
    pub fn print_bytes(&self, body: &[u8]) -> Result<()> {
        to_stdout(|out| self.run_on_bytes(body, out))
    }
}

fn to_stdout(run: impl FnOnce(&mut dyn Write) -> Result<(), RunError>) -> Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = run(&mut out).and_then(|()| out.flush().map_err(RunError::Write));
    match written {
        Ok(()) | Err(RunError::Halted) => Ok(()),
        Err(RunError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(RunError::Write(e)) => Err(Error::io("<stdout>", e)),
        Err(RunError::Filter(failure)) => {
            // What the filter printed before it failed stays printed.
            let _ = out.flush();
            Err(Error::Filter(failure))
        }
    }
}

/// Why [`Jq::run`] stopped.
#[derive(Debug)]
pub enum RunError {
    /// The filter failed on this input.
    Filter(FilterFailure),
    /// The output could not be written.
    Write(io::Error),
    /// The filter called `halt`: the output is complete, and no error.
    Halted,
}

/// A filter that failed on its input ([`Error::Filter`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterFailure {
    /// The input is not JSON; `detail` is the parser's reason.
    NotJson { detail: String },
    /// An error raised while filtering (`.a` of a number, `error("…")`);
    /// `detail` is the interpreter's message.
    Runtime { detail: String },
    /// `halt_error` or `halt(N)` with an exit code other than 0.
    Halted { code: i32 },
}

impl fmt::Display for FilterFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterFailure::NotJson { detail } => {
                write!(f, "`--jq` needs a JSON body, and this one is not: {detail}")
            }
            FilterFailure::Runtime { detail } => write!(f, "`--jq` failed: {detail}"),
            FilterFailure::Halted { code } => write!(f, "`--jq` halted with exit code {code}"),
        }
    }
}

/// The longest error detail kept: an error that quotes a whole body would
/// bury the message.
const MAX_DETAIL: usize = 200;

/// The message of a runtime error: a string raised by `error` as it is,
/// anything else as the interpreter words it.
fn error_detail(error: jaq_core::Error<Val>) -> String {
    let detail = match error.into_val() {
        Val::TStr(text) => String::from_utf8_lossy(&text).into_owned(),
        other => other.to_string(),
    };
    match detail.char_indices().nth(MAX_DETAIL) {
        Some((end, _)) => format!("{}…", &detail[..end]),
        None => detail,
    }
}

/// A `--jq` expression that does not compile ([`Error::InvalidFilter`]):
/// where its first mistake is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFilter {
    /// The line of the expression that holds the mistake.
    pub line_text: String,
    /// 1-based, in characters.
    pub line: usize,
    pub column: usize,
    /// Whether the expression has more than one line.
    pub multiline: bool,
    pub problem: FilterProblem,
}

/// What is wrong at the place an [`InvalidFilter`] points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterProblem {
    /// The parser wanted `expected` (a token or a kind of term); `found`
    /// is what was there, `None` at the end of the expression.
    Expected {
        expected: String,
        found: Option<String>,
    },
    /// A token where the filter should have ended.
    Unexpected { found: String },
    /// A name that nothing defines: `what` is "filter", "variable",
    /// "label" or "module".
    Undefined {
        what: &'static str,
        name: String,
        arity: Option<usize>,
    },
    /// `import` or `include`: `--jq` loads no modules.
    Module { path: String },
}

impl fmt::Display for FilterProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterProblem::Expected { expected, found } => match found {
                Some(found) => write!(f, "expected {expected}, found `{found}`"),
                None => write!(f, "expected {expected}, found the end of the filter"),
            },
            FilterProblem::Unexpected { found } => write!(f, "unexpected `{found}`"),
            FilterProblem::Undefined { what, name, arity } => match arity {
                Some(arity) => write!(f, "no {what} named `{name}/{arity}`"),
                None => write!(f, "no {what} named `{name}`"),
            },
            FilterProblem::Module { path } => {
                write!(f, "cannot load module `{path}`: `--jq` loads no modules")
            }
        }
    }
}

impl fmt::Display for InvalidFilter {
    /// `invalid --jq filter at column N: PROBLEM`, then the line and a caret
    /// under the column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid `--jq` filter at ")?;
        if self.multiline {
            write!(f, "line {}, ", self.line)?;
        }
        write!(f, "column {}: {}", self.column, self.problem)?;
        // Tabs stay tabs under the line, so the caret lines up.
        let pad: String = self
            .line_text
            .chars()
            .take(self.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "\n  {}\n  {pad}^", self.line_text)
    }
}

type LoadErrors<'s> = load::Errors<&'s str, ()>;
type CompileErrors<'s> = compile::Errors<&'s str, ()>;

impl InvalidFilter {
    fn from_load(expr: &str, errors: LoadErrors<'_>) -> InvalidFilter {
        let first = errors.into_iter().find_map(|(_, error)| match error {
            load::Error::Io(paths) => paths.into_iter().next().map(|(path, _)| {
                let problem = FilterProblem::Module {
                    path: path.to_string(),
                };
                (path, problem)
            }),
            load::Error::Lex(errors) => errors.into_iter().next().map(|(expected, found)| {
                let problem = FilterProblem::Expected {
                    expected: expected.as_str().to_string(),
                    found: found.chars().next().map(String::from),
                };
                (found, problem)
            }),
            load::Error::Parse(errors) => errors.into_iter().next().map(|(expected, found)| {
                let found_text = token_text(found);
                let problem = match (expected, found_text) {
                    (parse::Expect::Nothing, Some(found)) => FilterProblem::Unexpected { found },
                    (parse::Expect::Just(token), found) => FilterProblem::Expected {
                        expected: format!("`{token}`"),
                        found,
                    },
                    (expected, found) => FilterProblem::Expected {
                        expected: expected.as_str().to_string(),
                        found,
                    },
                };
                (found, problem)
            }),
        });
        let (at, problem) = first.unwrap_or((
            &expr[expr.len()..],
            FilterProblem::Expected {
                expected: "a filter".into(),
                found: None,
            },
        ));
        InvalidFilter::at(expr, at, problem)
    }

    fn from_compile(expr: &str, errors: CompileErrors<'_>) -> InvalidFilter {
        let (at, undefined) = errors
            .into_iter()
            .flat_map(|(_, errors)| errors)
            .next()
            .unwrap_or((&expr[expr.len()..], compile::Undefined::Mod));
        let arity = match undefined {
            compile::Undefined::Filter(arity) => Some(arity),
            _ => None,
        };
        let problem = FilterProblem::Undefined {
            what: undefined.as_str(),
            name: at.to_string(),
            arity,
        };
        InvalidFilter::at(expr, at, problem)
    }

    /// The error at `part`, a slice of `expr` (the start of `expr` when it
    /// is not one).
    fn at(expr: &str, part: &str, problem: FilterProblem) -> InvalidFilter {
        let offset = (part.as_ptr() as usize)
            .checked_sub(expr.as_ptr() as usize)
            .filter(|offset| *offset <= expr.len())
            .unwrap_or(0);
        let (line, column) = line_column(expr, offset);
        InvalidFilter {
            line_text: expr.lines().nth(line - 1).unwrap_or("").to_string(),
            line,
            column,
            multiline: expr.trim_end().contains('\n'),
            problem,
        }
    }
}

/// How an error names the token `found`: a bracketed group by its opening
/// bracket alone; `None` at the end of the expression.
fn token_text(found: &str) -> Option<String> {
    match found.chars().next() {
        None => None,
        Some(open @ ('(' | '[' | '{')) => Some(open.to_string()),
        Some(_) => Some(found.to_string()),
    }
}

/// A serde_json value as a jaq value; numbers stay integers where they are.
fn to_val(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Num::from_integral(i),
            (None, Some(u)) => Num::from_integral(u),
            (None, None) => Num::Float(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(s) => Val::utf8_str(s.clone()),
        Value::Array(items) => items.iter().map(to_val).collect(),
        Value::Object(map) => Val::obj(
            map.iter()
                .map(|(k, v)| (Val::utf8_str(k.clone()), to_val(v)))
                .collect(),
        ),
    }
}

/// Writes `value` as jq prints it: two-space indents, `"key": value`.
fn write_val(out: &mut Vec<u8>, value: &Val, depth: usize, color: bool) {
    let paint = |out: &mut Vec<u8>, style: Style, text: &[u8]| {
        if color {
            out.extend_from_slice(format!("{style}").as_bytes());
            out.extend_from_slice(text);
            out.extend_from_slice(format!("{style:#}").as_bytes());
        } else {
            out.extend_from_slice(text);
        }
    };
    let indent = |out: &mut Vec<u8>, depth: usize| out.extend(std::iter::repeat_n(b' ', 2 * depth));
    match value {
        Val::Null => paint(out, NULL, b"null"),
        Val::Bool(b) => paint(out, LITERAL, if *b { b"true" } else { b"false" }),
        Val::Num(n) => paint(out, LITERAL, number(n).as_bytes()),
        Val::TStr(text) | Val::BStr(text) => paint(out, STRING, &json_string(text)),
        Val::Arr(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        Val::Obj(map) if map.is_empty() => out.extend_from_slice(b"{}"),
        Val::Arr(items) => {
            out.extend_from_slice(b"[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_val(out, item, depth + 1, color);
                out.extend_from_slice(if i + 1 < items.len() { b",\n" } else { b"\n" });
            }
            indent(out, depth);
            out.push(b']');
        }
        Val::Obj(map) => {
            out.extend_from_slice(b"{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                indent(out, depth + 1);
                let key = match key {
                    Val::TStr(text) | Val::BStr(text) => json_string(text),
                    other => json_string(other.to_string().as_bytes()),
                };
                paint(out, KEY, &key);
                out.extend_from_slice(b": ");
                write_val(out, item, depth + 1, color);
                out.extend_from_slice(if i + 1 < map.len() { b",\n" } else { b"\n" });
            }
            indent(out, depth);
            out.push(b'}');
        }
    }
}

/// A JSON string as jq writes it: `"`, `\` and control characters (DEL
/// included) escaped, everything else as it is.
fn json_string(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out.into_bytes()
}

/// A number as jq prints it: integers in full, other numbers in their
/// shortest round-trip digits, NaN as `null`, infinities as the largest
/// finite double.
fn number(n: &Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::BigInt(i) => i.to_string(),
        Num::Float(f) => float(*f),
        Num::Dec(text) => float(text.parse().unwrap_or(f64::NAN)),
    }
}

/// The layout of jq's `jvp_dtoa_fmt`: with `d` significant digits and
/// the decimal point after `p` of them, plain notation when
/// `-4 < p <= d + 15`, else `D.DDDe±XX` with at least two exponent digits.
fn float(f: f64) -> String {
    if f.is_nan() {
        return "null".into();
    }
    let f = f.clamp(f64::MIN, f64::MAX);
    // `{:e}` gives the shortest digits that read back as `f`.
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let (sign, mantissa) = mantissa
        .strip_prefix('-')
        .map_or(("", mantissa), |rest| ("-", rest));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let point = exponent + 1;
    let count = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let zeros = |n: i32| "0".repeat(usize::try_from(n).unwrap_or(0));
    let body = if point <= -4 || point > count + 15 {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{first}{fraction}e{exp_sign}{:02}", exponent.unsigned_abs())
    } else if point <= 0 {
        format!("0.{}{digits}", zeros(-point))
    } else if point >= count {
        format!("{digits}{}", zeros(point - count))
    } else {
        let (whole, fraction) = digits.split_at(usize::try_from(point).unwrap_or(0));
        format!("{whole}.{fraction}")
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, raw: bool, input: &Value) -> String {
        let jq = Jq::compile(expr, Format { raw, color: false }).unwrap();
        let mut out = Vec::new();
        jq.run(input, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn invalid(expr: &str) -> String {
        Jq::compile(expr, Format::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn results_are_written_one_per_line_as_jq_writes_them() {
        let input = json!({"a": [1, {"b": null}], "c": "x\u{7f}\"y\"", "d": {}, "e": []});
        assert_eq!(
            run(".", false, &input),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": \"x\\u007f\\\"y\\\"\",\n  \"d\": {},\n  \"e\": []\n}\n"
        );
        assert_eq!(
            run(".a[0], .c, .d", false, &input),
            "1\n\"x\\u007f\\\"y\\\"\"\n{}\n"
        );
        assert_eq!(
            run(".c, .a", true, &input),
            "x\u{7f}\"y\"\n[\n  1,\n  {\n    \"b\": null\n  }\n]\n"
        );
        assert_eq!(run("empty", false, &input), "");
    }

    #[test]
    fn numbers_follow_jq() {
        for (f, text) in [
            (1e20, "1e+20"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000"),
            (12345678901234567890.0, "12345678901234567000"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (2.5e-5, "2.5e-05"),
            (3.0, "3"),
            (-0.0, "-0"),
            (0.0, "0"),
            (1.5, "1.5"),
            (-1234567.5, "-1234567.5"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1e300, "1e+300"),
            (f64::INFINITY, "1.7976931348623157e+308"),
            (f64::NEG_INFINITY, "-1.7976931348623157e+308"),
            (f64::NAN, "null"),
        ] {
            assert_eq!(float(f), text, "{f}");
        }
        assert_eq!(
            run("4 / 2, 10 / 4, 1.50", false, &Value::Null),
            "2\n2.5\n1.5\n"
        );
        assert_eq!(run(".", false, &json!(u64::MAX)), "18446744073709551615\n");
    }

    #[test]
    fn a_mistake_points_at_its_column() {
        assert_eq!(
            invalid(".items[] | | .id"),
            "invalid `--jq` filter at column 12: expected term, found `|`\n  .items[] | | .id\n             ^"
        );
        assert_eq!(
            invalid(".a | nosuch(1)"),
            "invalid `--jq` filter at column 6: no filter named `nosuch/1`\n  .a | nosuch(1)\n       ^"
        );
        assert_eq!(
            invalid("[.a"),
            "invalid `--jq` filter at column 4: expected closing bracket, found the end of the filter\n  [.a\n     ^"
        );
        assert_eq!(
            invalid(".a |\n\t.b $x"),
            "invalid `--jq` filter at line 2, column 5: unexpected `$x`\n  \t.b $x\n  \t   ^"
        );
        assert_eq!(
            invalid("if . then 1"),
            "invalid `--jq` filter at column 12: expected else or end, found the end of the filter\n  if . then 1\n             ^"
        );
        assert_eq!(
            invalid("reduce .[] (0; .)"),
            "invalid `--jq` filter at column 12: expected `as`, found `(`\n  reduce .[] (0; .)\n             ^"
        );
        assert_eq!(
            invalid("\"abc"),
            "invalid `--jq` filter at column 5: expected closing quote, found the end of the filter\n  \"abc\n      ^"
        );
        assert_eq!(
            invalid("$nope"),
            "invalid `--jq` filter at column 1: no variable named `$nope`\n  $nope\n  ^"
        );
        assert_eq!(
            invalid("env.HOME"),
            "invalid `--jq` filter at column 1: no filter named `env/0`\n  env.HOME\n  ^"
        );
        assert_eq!(
            invalid("import \"x\" as x; ."),
            "invalid `--jq` filter at column 9: cannot load module `x`: `--jq` loads no modules\n  import \"x\" as x; .\n          ^"
        );
    }

    #[test]
    fn failures_keep_what_came_before() {
        let jq = Jq::compile(".[] | .a", Format::default()).unwrap();
        let mut out = Vec::new();
        let failed = jq.run(&json!([{"a": 1}, 2, {"a": 3}]), &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "1\n");
        let Err(RunError::Filter(FilterFailure::Runtime { detail })) = failed else {
            panic!("{failed:?}")
        };
        assert_eq!(detail, "cannot index 2 with \"a\"");

        let jq = Jq::compile("error(\"boom\")", Format::default()).unwrap();
        let failed = jq.run(&Value::Null, &mut Vec::new());
        assert!(matches!(
            failed,
            Err(RunError::Filter(FilterFailure::Runtime { detail })) if detail == "boom"
        ));

        let jq = Jq::compile(".a, halt, 2", Format::default()).unwrap();
        let mut out = Vec::new();
        let halted = jq.run_on_bytes(br#"{"a": 1} {"a": 2}"#, &mut out);
        assert!(matches!(halted, Err(RunError::Halted)), "{halted:?}");
        assert_eq!(out, b"1\n", "nothing after halt, in this value or the next");
        let jq = Jq::compile("halt_error(3)", Format::default()).unwrap();
        assert!(matches!(
            jq.run(&json!("bye"), &mut Vec::new()),
            Err(RunError::Filter(FilterFailure::Halted { code: 3 }))
        ));
    }

    #[test]
    fn a_body_may_hold_several_documents_or_none() {
        let jq = Jq::compile(".a", Format::default()).unwrap();
        let mut out = Vec::new();
        jq.run_on_bytes(b"{\"a\":1}\n{\"a\":\"x\"} ", &mut out)
            .unwrap();
        assert_eq!(out, b"1\n\"x\"\n");
        out.clear();
        jq.run_on_bytes(b"", &mut out).unwrap();
        assert!(out.is_empty());
        assert!(matches!(
            jq.run_on_bytes(b"<html>", &mut out),
            Err(RunError::Filter(FilterFailure::NotJson { .. }))
        ));
    }

    #[test]
    fn rows_format_as_csv_and_tsv() {
        let row = json!(["a\"b", "t\tn\n\\", 1, true, null]);
        assert_eq!(
            run("@csv, @tsv", true, &row),
            "\"a\"\"b\",\"t\tn\n\\\",1,true,\na\"b\tt\\tn\\n\\\\\t1\ttrue\t\n"
        );
        let jq = Jq::compile("@csv", Format::default()).unwrap();
        let failed = jq.run(&json!([{}]), &mut Vec::new());
        assert!(matches!(
            failed,
            Err(RunError::Filter(FilterFailure::Runtime { detail })) if detail == "{} is not valid in a csv row"
        ));
    }

    #[test]
    fn colour_uses_the_palette_of_print() {
        let jq = Jq::compile(
            ".",
            Format {
                raw: false,
                color: true,
            },
        )
        .unwrap();
        let mut out = Vec::new();
        jq.run(&json!({"a": 1}), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \x1b[1m\x1b[34m\"a\"\x1b[0m: \x1b[33m1\x1b[0m\n}\n"
        );
    }
}
