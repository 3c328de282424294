//! Peak memory of a tether process, measured while it runs.
//!
//! [`MemoryWatch`] polls the peak resident size (`VmHWM` in
//! `/proc/PID/status`) of a running tether until it exits, and kills it
//! when it passes [`MEMORY_LIMIT`], so that a missing bound fails the test
//! rather than the machine.

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The peak resident memory tether may reach here, in KiB: 30 MB.
pub const MEMORY_LIMIT: u64 = 30_000_000 / 1024;

/// The peak resident memory of a process, watched until it exits.
pub struct MemoryWatch {
    thread: JoinHandle<Peak>,
}

/// What a [`MemoryWatch`] saw.
#[derive(Debug, Clone, Copy)]
pub struct Peak {
    /// The highest `VmHWM` read, in KiB.
    pub kib: u64,
    /// Whether the watch killed the process for passing the limit (or for
    /// outliving the watch).
    pub killed: bool,
}

impl MemoryWatch {
    /// Watches process `pid` every 2 ms. Its peak is known up to the last
    /// read before it exits, so a brief rise in its last 2 ms could be
    /// missed; a process that grows without bound cannot be.
    pub fn start(pid: u32) -> MemoryWatch {
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(300);
            // The start time tells this process from a later one that got
            // its id.
            let started = start_time(pid);
            let mut peak = Peak {
                kib: 0,
                killed: false,
            };
            while started.is_some() && start_time(pid) == started {
                // A process that has exited (a zombie) has no memory lines.
                let Some(kib) = vm_hwm(pid) else { break };
                peak.kib = peak.kib.max(kib);
                if kib > MEMORY_LIMIT || Instant::now() > deadline {
                    let _ = std::process::Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status();
                    peak.killed = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            peak
        });
        MemoryWatch { thread }
    }

    /// The peak, once the process has exited (0 when it exited before the
    /// first look); fails the test when the process went past
    /// [`MEMORY_LIMIT`].
    pub fn peak(self) -> Peak {
        let peak = self.thread.join().unwrap();
        assert!(
            !peak.killed,
            "tether was killed at a peak of {} KiB (the limit is {MEMORY_LIMIT} KiB)",
            peak.kib
        );
        peak
    }
}

/// The `VmHWM` line of `/proc/PID/status`, in KiB.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Field 22 of `/proc/PID/stat`, the start time.
fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19).map(str::to_string)
}
