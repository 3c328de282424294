//! Holding Ctrl-C (SIGINT) and SIGTERM back through a critical section.
//!
//! Once a provider has been asked for new tokens, the answer must reach the
//! store: a rotated refresh token replaces the old one at the provider, and
//! presenting the old one again revokes the whole grant at many providers.
//! [`hold`] defers the two signals from just before such a request is sent
//! until its outcome is saved. When the [`Held`] guard goes, a signal that
//! came meanwhile ends the process the way that signal would have (a shell
//! then reports 130 or 143). Outside a held section the signals do what
//! they always do.
//!
//! On Unix the handlers (through `signal-hook`) are installed on the first
//! hold and stay: from then on each signal either is recorded (while held)
//! or performs its default action. Elsewhere holding does nothing.

/// SIGINT and SIGTERM held back until this is dropped; then a signal that
/// came meanwhile ends the process.
#[derive(Debug)]
#[must_use = "the signals are held only while the guard lives"]
pub struct Held {
    _private: (),
}

/// Holds SIGINT and SIGTERM back until the returned guard is dropped.
/// Holds nest: the signals wait for the outermost guard.
pub fn hold() -> Held {
    imp::hold();
    Held { _private: () }
}

impl Drop for Held {
    fn drop(&mut self) {
        imp::release();
    }
}

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, OnceLock};

    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::{flag, low_level};

    /// The state the signal handlers share with [`hold`] and [`release`].
    struct Handlers {
        /// True outside a held section: a signal takes its default action.
        default_action: Arc<AtomicBool>,
        /// The signal that came while held; 0 for none.
        pending: Arc<AtomicUsize>,
        /// How many holds are open.
        depth: AtomicUsize,
    }

    static HANDLERS: OnceLock<Option<Handlers>> = OnceLock::new();

    /// The handlers, installed on first use; `None` when the system
    /// refused them, and then nothing is held.
    fn handlers() -> Option<&'static Handlers> {
        HANDLERS.get_or_init(|| install().ok()).as_ref()
    }

    fn install() -> std::io::Result<Handlers> {
        let default_action = Arc::new(AtomicBool::new(true));
        let pending = Arc::new(AtomicUsize::new(0));
        for signal in [SIGINT, SIGTERM] {
            // In this order: when the default action applies, it ends the
            // process before the signal is recorded.
            flag::register_conditional_default(signal, Arc::clone(&default_action))?;
            let number = usize::try_from(signal).expect("signal numbers are positive");
            flag::register_usize(signal, Arc::clone(&pending), number)?;
        }
        Ok(Handlers {
            default_action,
            pending,
            depth: AtomicUsize::new(0),
        })
    }

    pub fn hold() {
        if let Some(handlers) = handlers() {
            handlers.depth.fetch_add(1, Ordering::SeqCst);
            handlers.default_action.store(false, Ordering::SeqCst);
        }
    }

    pub fn release() {
        let Some(handlers) = HANDLERS.get().and_then(Option::as_ref) else {
            return;
        };
        if handlers.depth.fetch_sub(1, Ordering::SeqCst) != 1 {
            return;
        }
        // A signal from now on acts at once; one that came before is here.
        handlers.default_action.store(true, Ordering::SeqCst);
        let pending = handlers.pending.swap(0, Ordering::SeqCst);
        if let Ok(signal) = i32::try_from(pending)
            && signal != 0
        {
            let _ = low_level::emulate_default_handler(signal);
            // Only reached when the default action could not be performed.
            std::process::exit(128 + signal);
        }
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn hold() {}

    pub fn release() {}
}
