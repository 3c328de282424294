//! Where tether keeps its files.
//!
//! The config file, first found wins: `--config PATH`, `TETHER_CONFIG`
//! (both handled by clap), `$XDG_CONFIG_HOME/tether/tether.toml`,
//! `~/.config/tether/tether.toml`.
//! Token files live under `$XDG_DATA_HOME/tether/tokens`, lock files under
//! `$XDG_STATE_HOME/tether/locks`. On Linux and macOS these are the XDG
//! folders command-line users expect; on Windows, the AppData folders.

use std::path::{Path, PathBuf};

use etcetera::BaseStrategy;

use crate::{Error, Result};

/// The folders and files tether uses, resolved once per run.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The config file (may not exist yet).
    pub config_file: PathBuf,
    /// `…/tether` under the data folder: the file token store lives here.
    pub data_dir: PathBuf,
    /// `…/tether` under the state folder: lock files live here.
    pub state_dir: PathBuf,
}

impl Paths {
    /// Resolves the paths; `config_flag` is `--config` or `TETHER_CONFIG`.
    pub fn resolve(config_flag: Option<&Path>) -> Result<Paths> {
        let strategy = etcetera::choose_base_strategy()
            .map_err(|e| Error::Other(format!("cannot find the home folder ({e}); set HOME")))?;
        let config_file = match config_flag {
            Some(path) => path.to_path_buf(),
            None => strategy.config_dir().join("tether").join("tether.toml"),
        };
        let data_dir = strategy.data_dir().join("tether");
        let state_dir = strategy
            .state_dir()
            .unwrap_or_else(|| strategy.data_dir())
            .join("tether");
        Ok(Paths {
            config_file,
            data_dir,
            state_dir,
        })
    }

    /// The folder of the file token store.
    pub fn tokens_dir(&self) -> PathBuf {
        self.data_dir.join("tokens")
    }

    /// The folder of the per-connection refresh locks.
    pub fn locks_dir(&self) -> PathBuf {
        self.state_dir.join("locks")
    }
}
