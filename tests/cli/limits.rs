//! What `invoke` holds in memory is bounded, whatever a server or a file
//! sends: `-o FILE` streams the body to `FILE.part` and renames it when
//! complete, and `@file` reads only regular files of at most 64 MiB.
//! Memory is measured on the real process ([`MemoryWatch`]).

use std::io::Read;
use std::path::Path;

use crate::util::Env;
use crate::util::memory::MemoryWatch;
use crate::util::server::{Reply, TestServer};

/// The token of the bearer connection of these tests.
const TOKEN: &str = "tok-limits-5e8d1c";

/// The size of the download of [`a_two_gigabyte_download_streams_to_the_file`].
const DOWNLOAD: u64 = 2 << 30;

/// The bytes of the download come in blocks of this size: the same
/// pseudo-random block each time, its first 8 bytes replaced by the block's
/// number, so that every block is checked and none can be swapped.
const BLOCK: usize = 64 * 1024;

fn base_block() -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..BLOCK)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// Block `n` of a download.
fn block(base: &[u8], n: u64) -> Vec<u8> {
    let mut block = base.to_vec();
    block[..8].copy_from_slice(&n.to_le_bytes());
    block
}

/// `total` bytes of blocks, made as they are read.
struct Blocks {
    base: Vec<u8>,
    sent: u64,
    total: u64,
}

impl Read for Blocks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.total - self.sent;
        if left == 0 {
            return Ok(0);
        }
        let offset = usize::try_from(self.sent % BLOCK as u64).unwrap();
        let block = block(&self.base, self.sent / BLOCK as u64);
        let n = buf
            .len()
            .min(BLOCK - offset)
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        buf[..n].copy_from_slice(&block[offset..offset + n]);
        self.sent += n as u64;
        Ok(n)
    }
}

/// Blocks, until `stop_after` bytes: then the server sends no more (and
/// the client waits for the rest it was promised).
struct Stalling {
    blocks: Blocks,
    stop_after: u64,
}

impl Read for Stalling {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.blocks.sent >= self.stop_after {
            return Err(std::io::Error::other("the server stops sending"));
        }
        let room = usize::try_from(self.stop_after - self.blocks.sent).unwrap_or(usize::MAX);
        let n = buf.len().min(room);
        self.blocks.read(&mut buf[..n])
    }
}

/// A file server: `/gigabyte` is [`DOWNLOAD`] (2 GiB) bytes of blocks, `/small`
/// one block, `/stalling` promises 1 MiB and stops sending after 256 KiB.
fn file_server() -> TestServer {
    TestServer::start("file server", |received| {
        let blocks = |total| Blocks {
            base: base_block(),
            sent: 0,
            total,
        };
        let octets = "application/octet-stream";
        match received.path.as_str() {
            "/gigabyte" => Reply::stream(
                200,
                octets,
                Some(usize::try_from(DOWNLOAD).unwrap()),
                blocks(DOWNLOAD),
            ),
            "/small" => Reply::stream(200, octets, Some(BLOCK), blocks(BLOCK as u64)),
            "/stalling" => Reply::stream(
                200,
                octets,
                Some(1 << 20),
                Stalling {
                    blocks: blocks(1 << 20),
                    stop_after: 256 * 1024,
                },
            ),
            other => panic!("no route {other}"),
        }
    })
}

/// An env with a bearer connection `c` whose base_url is `server`.
fn bearer_env(server: &TestServer) -> Env {
    let env = Env::new();
    env.write_config(&format!(
        "[services.files]\nauth = \"bearer\"\nbase_url = \"http://127.0.0.1:{}\"\n\n[connections.c]\nservice = \"files\"\n",
        server.port
    ));
    env.cmd(&["connect", "c", "--stdin"])
        .stdin(format!("{TOKEN}\n"))
        .stderr(env.connected_static("c", "files"))
        .ok();
    env
}

/// Whether `path` holds exactly `total` bytes of blocks.
fn holds_blocks(path: &Path, total: u64) -> bool {
    let base = base_block();
    let mut file = std::fs::File::open(path).unwrap();
    let mut buf = vec![0; BLOCK];
    let mut n = 0;
    while n * (BLOCK as u64) < total {
        if file.read_exact(&mut buf).is_err() || buf != block(&base, n) {
            return false;
        }
        n += 1;
    }
    file.read(&mut buf).unwrap() == 0
}

#[test]
fn a_two_gigabyte_download_streams_to_the_file() {
    let server = file_server();
    let env = bearer_env(&server);
    let out = env.root().join("big.bin");
    let running = env
        .cmd(&[
            "invoke",
            "c",
            "GET",
            "/gigabyte",
            "-o",
            out.to_str().unwrap(),
            "--timeout",
            "900",
        ])
        .spawn();
    let watch = MemoryWatch::start(running.id());
    let peak = watch.peak();
    running.ok();
    assert!(peak.kib > 0, "a download of seconds is measured");
    eprintln!("peak RSS of a 2 GiB download: {} KiB", peak.kib);
    assert_eq!(std::fs::metadata(&out).unwrap().len(), DOWNLOAD);
    let complete = holds_blocks(&out, DOWNLOAD);
    std::fs::remove_file(&out).unwrap();
    assert!(complete, "the file holds what the server sent");
    assert!(!env.root().join("big.bin.part").exists());
}

#[test]
fn a_download_cut_short_stays_in_the_part_file() {
    let server = file_server();
    let env = bearer_env(&server);
    let out = env.root().join("data.bin");
    std::fs::write(&out, b"the previous download").unwrap();
    env.cmd(&[
        "invoke",
        "c",
        "GET",
        "/stalling",
        "-o",
        "data.bin",
        "--timeout",
        "3",
    ])
    .stderr(
        "tether: error: GET http://127.0.0.1:[..]/stalling: timed out[..]\n\
         hint: check the network and the URL, then try again\n",
    )
    .fails(6);
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous download");
    let part = std::fs::read(env.root().join("data.bin.part")).unwrap();
    assert!(
        !part.is_empty() && part.len() <= 256 * 1024,
        "{}",
        part.len()
    );
    assert_eq!(
        part[..BLOCK.min(part.len())],
        block(&base_block(), 0)[..BLOCK.min(part.len())]
    );

    // A complete download replaces both.
    env.cmd(&["invoke", "c", "GET", "/small", "-o", "data.bin"])
        .ok();
    assert!(holds_blocks(&out, BLOCK as u64));
    assert!(!env.root().join("data.bin.part").exists());
}

#[test]
fn a_download_to_a_file_that_is_not_regular_is_written_in_place() {
    let server = file_server();
    let env = bearer_env(&server);
    env.cmd(&["invoke", "c", "GET", "/small", "-o", "/dev/null"])
        .ok();
    assert!(!Path::new("/dev/null.part").exists());
}

#[test]
fn a_field_from_a_device_is_refused() {
    let server = file_server();
    server.expect_no_calls();
    let env = bearer_env(&server);
    let running = env
        .cmd(&["invoke", "c", "POST", "/upload", "data=@/dev/zero"])
        .stderr(
            "tether: error: /dev/zero: is not a regular file\n\
             hint: `@` reads regular files; pipe anything else to `--body -`\n",
        )
        .spawn();
    let watch = MemoryWatch::start(running.id());
    watch.peak();
    running.fails(2);
    env.cmd(&["invoke", "c", "POST", "/upload", "--body", "@/dev/zero"])
        .stderr(
            "tether: error: /dev/zero: is not a regular file\n\
             hint: `@` reads regular files; pipe anything else to `--body -`\n",
        )
        .fails(2);
}

#[test]
fn a_body_file_over_64_mebibytes_is_refused() {
    let server = file_server();
    server.expect_no_calls();
    let env = bearer_env(&server);
    // Sparse: it takes no room on disk.
    let big = std::fs::File::create(env.root().join("big.json")).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    drop(big);
    for item in ["@big.json", "data:=@big.json"] {
        env.cmd(&["invoke", "c", "POST", "/upload", item])
            .stderr(
                "tether: error: big.json: holds more than 64 MiB, the most tether sends\n\
                 hint: for a larger body, use curl with `$(tether token NAME)`\n",
            )
            .fails(2);
    }
}
