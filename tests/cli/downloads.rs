//! `invoke -o FILE --continue` and `invoke --download` against a file
//! server that honours `Range` and `If-Range` and can cut an answer short:
//! an interrupted download leaves FILE as it was (or absent) and its bytes
//! in `FILE.part`; `--continue` asks for the rest and completes it, or
//! starts over when the file changed; `--download` names the file after
//! the answer and never replaces one that exists.

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::util::Env;
use crate::util::copies::Copy;
use crate::util::server::{Received, Reply};

const TOKEN: &str = "tok-files-61b0e2";

/// The file the server holds: 300 KiB that say where they are.
fn data() -> Vec<u8> {
    (0..300 * 1024u32)
        .map(|i| u8::try_from((i * 7 + i / 251) % 256).unwrap())
        .collect()
}

/// A reader of `bytes` that fails after them: the answer stops there and
/// never ends, until the client gives up.
struct CutShort(std::io::Cursor<Vec<u8>>);

impl Read for CutShort {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(std::io::Error::other("the connection breaks")),
            n => Ok(n),
        }
    }
}

/// What the file server saw and how it answers.
#[derive(Default)]
struct Files {
    /// Cut the next full answer after this many bytes.
    cut_after: Mutex<Option<usize>>,
    /// The file's version: its ETag is `"v{n}"`.
    version: AtomicUsize,
    /// Whether the answer carries a `Content-Disposition`.
    disposition: AtomicBool,
}

fn file_server(files: &Arc<Files>) -> Copy {
    let files = Arc::clone(files);
    Copy::start("file server", move |request: &Received, _| {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        let data = data();
        let etag = format!("\"v{}\"", files.version.load(Ordering::SeqCst));
        let same = request.header("if-range").is_none_or(|v| v == etag);
        let from = request
            .header("range")
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|_| same);
        let reply = match (from, files.cut_after.lock().unwrap().take()) {
            (Some(from), _) => Reply::bytes(206, "application/octet-stream", data[from..].to_vec())
                .header(
                    "Content-Range",
                    format!("bytes {from}-{}/{}", data.len() - 1, data.len()),
                ),
            (None, Some(cut)) => Reply::stream(
                200,
                "application/octet-stream",
                Some(data.len()),
                CutShort(std::io::Cursor::new(data[..cut].to_vec())),
            ),
            (None, None) => Reply::bytes(200, "application/octet-stream", data),
        };
        let reply = reply.header("ETag", etag);
        if files.disposition.load(Ordering::SeqCst) {
            reply.header(
                "Content-Disposition",
                "attachment; filename=\"../../.profile-report.bin\"",
            )
        } else {
            reply
        }
    })
}

fn bearer_env(server: &Copy) -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[services.files]\nauth = \"bearer\"\nbase_url = \"{}\"\n\n[connections.c]\nservice = \"files\"\n",
        server.url("")
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(TOKEN)
        .stderr(env.connected_static("c", "files"))
        .ok();
    env
}

/// The `Range` and `If-Range` of each request the server received.
fn ranges(server: &Copy) -> Vec<(Option<String>, Option<String>)> {
    server
        .received()
        .iter()
        .map(|r| {
            (
                r.header("range").map(str::to_string),
                r.header("if-range").map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn an_interrupted_download_leaves_no_file_and_continue_completes_it() {
    let files = Arc::new(Files::default());
    *files.cut_after.lock().unwrap() = Some(100 * 1024);
    let server = file_server(&files);
    let env = bearer_env(&server);
    let file = env.root().join("data.bin");
    let part = env.root().join("data.bin.part");
    download_cut_short(&env);
    assert!(!file.exists(), "no partial FILE");
    let kept = std::fs::metadata(&part).unwrap().len();
    assert!(kept > 0 && kept <= 100 * 1024, "{kept}");

    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/data.bin",
        "-o",
        "data.bin",
        "--continue",
    ])
    .ok();
    assert!(std::fs::read(&file).unwrap() == data(), "the whole file");
    assert!(!part.exists());
    assert!(!env.root().join("data.bin.part.tether").exists());
    assert_eq!(
        ranges(&server),
        [
            (None, None),
            (Some(format!("bytes={kept}-")), Some("\"v0\"".to_string()))
        ],
        "the rest was asked for, if the file is still the same"
    );
}

#[test]
fn continue_starts_over_when_the_file_changed() {
    let files = Arc::new(Files::default());
    *files.cut_after.lock().unwrap() = Some(50 * 1024);
    let server = file_server(&files);
    let env = bearer_env(&server);
    download_cut_short(&env);
    // The server now holds another version: the kept bytes are stale.
    files.version.store(1, Ordering::SeqCst);
    std::fs::write(env.root().join("data.bin.part"), vec![0xee; 1000]).unwrap();
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/data.bin",
        "-o",
        "data.bin",
        "--continue",
    ])
    .ok();
    assert!(std::fs::read(env.root().join("data.bin")).unwrap() == data());
    assert_eq!(
        ranges(&server)[1],
        (Some("bytes=1000-".to_string()), Some("\"v0\"".to_string()))
    );
}

#[test]
fn download_names_the_file_after_the_answer_and_keeps_existing_files() {
    let files = Arc::new(Files::default());
    let server = file_server(&files);
    let env = bearer_env(&server);
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/exports/all%20leads.bin?fmt=bin",
        "--download",
    ])
    .stderr("tether: saved to all leads.bin\n")
    .ok();
    assert!(std::fs::read(env.root().join("all leads.bin")).unwrap() == data());
    env.cmd(&["invoke", "c", "GET", "/exports/all%20leads.bin", "-d"])
        .stderr("tether: saved to all leads.bin.1\n")
        .ok();
    assert!(std::fs::read(env.root().join("all leads.bin.1")).unwrap() == data());

    // Content-Disposition names it: its base name, no leading dot.
    files.disposition.store(true, Ordering::SeqCst);
    std::fs::write(env.root().join("profile-report.bin"), b"mine").unwrap();
    env.cmd(&["invoke", "c", "GET", "/x", "--download"])
        .stderr("tether: saved to profile-report.bin.1\n")
        .ok();
    assert_eq!(
        std::fs::read(env.root().join("profile-report.bin")).unwrap(),
        b"mine"
    );
    assert!(std::fs::read(env.root().join("profile-report.bin.1")).unwrap() == data());
}

/// `invoke c GET /data.bin -o data.bin` from a server that stops sending
/// part of the way: it times out (exit 6), leaving `data.bin.part`.
fn download_cut_short(env: &Env) {
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/data.bin",
        "-o",
        "data.bin",
        "--timeout",
        "2",
    ])
    .stderr(
        "tether: error: GET http://127.0.0.1:[..]/data.bin: timed out[..]\n\
         hint: check the network and the URL, then try again\n",
    )
    .fails(6);
}
