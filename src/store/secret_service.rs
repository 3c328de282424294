//! The Secret Service (freedesktop.org) behind `keyring-core`, on Linux and
//! the BSDs, talking D-Bus in pure Rust.
//!
//! tether opens a *plain* Secret Service session rather than the
//! Diffie–Hellman one: the 1024-bit key exchange costs about 5 ms of every
//! run that reads a token, and protects nothing here. The session bus only
//! admits processes of the same user, and any such process may ask the
//! unlocked keyring for the same secret itself; the spec allows `plain`
//! for exactly this reason.
//!
//! Items live in the default collection (the login keyring) with the
//! attributes `service` and `username` that other keyring clients use, and
//! the label `tether: ACCOUNT`. A locked collection or item is unlocked on
//! demand, which may show the desktop's unlock prompt.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring_core::api::{CredentialApi, CredentialStoreApi};
use keyring_core::{Credential, CredentialStore, Entry, Error, Result};
use secret_service::EncryptionType;
use secret_service::blocking::SecretService;

/// The content type of stored values: they are bytes to the keyring.
const CONTENT_TYPE: &str = "application/octet-stream";

/// A connection to the Secret Service.
pub struct Store {
    ss: Arc<Mutex<SecretService<'static>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretServiceStore")
    }
}

impl Store {
    /// Connects to the session bus's Secret Service.
    pub fn connect() -> Result<Arc<CredentialStore>> {
        let ss = SecretService::connect(EncryptionType::Plain).map_err(platform)?;
        Ok(Arc::new(Store {
            ss: Arc::new(Mutex::new(ss)),
        }))
    }
}

impl CredentialStoreApi for Store {
    fn vendor(&self) -> String {
        "Secret Service (plain session), tether".into()
    }

    fn id(&self) -> String {
        "tether-secret-service".into()
    }

    fn build(&self, service: &str, user: &str, _: Option<&HashMap<&str, &str>>) -> Result<Entry> {
        Ok(Entry::new_with_credential(Arc::new(Item {
            ss: self.ss.clone(),
            service: service.to_string(),
            user: user.to_string(),
        })))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One entry: the item whose attributes are this service and user.
struct Item {
    ss: Arc<Mutex<SecretService<'static>>>,
    service: String,
    user: String,
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Item({}, {})", self.service, self.user)
    }
}

impl Item {
    fn attributes(&self) -> HashMap<&str, &str> {
        HashMap::from([
            ("service", self.service.as_str()),
            ("username", self.user.as_str()),
        ])
    }

    /// Runs `job` on the first item that matches, unlocked.
    fn with_item<T>(
        &self,
        job: impl FnOnce(
            &secret_service::blocking::Item<'_>,
        ) -> std::result::Result<T, secret_service::Error>,
    ) -> Result<T> {
        let ss = self.ss.lock().map_err(|_| poisoned())?;
        let found = ss.search_items(self.attributes()).map_err(platform)?;
        if let Some(item) = found.unlocked.first() {
            return job(item).map_err(platform);
        }
        let Some(item) = found.locked.first() else {
            return Err(Error::NoEntry);
        };
        item.unlock().map_err(platform)?;
        job(item).map_err(platform)
    }
}

impl CredentialApi for Item {
    fn set_secret(&self, secret: &[u8]) -> Result<()> {
        let ss = self.ss.lock().map_err(|_| poisoned())?;
        let collection = ss.get_default_collection().map_err(platform)?;
        if collection.is_locked().map_err(platform)? {
            collection.unlock().map_err(platform)?;
        }
        collection
            .create_item(
                &format!("tether: {}", self.user),
                self.attributes(),
                secret,
                true,
                CONTENT_TYPE,
            )
            .map(drop)
            .map_err(platform)
    }

    fn get_secret(&self) -> Result<Vec<u8>> {
        self.with_item(|item| item.get_secret())
    }

    fn delete_credential(&self) -> Result<()> {
        self.with_item(|item| item.delete())
    }

    fn get_credential(&self) -> Result<Option<Arc<Credential>>> {
        Ok(None)
    }

    fn get_specifiers(&self) -> Option<(String, String)> {
        Some((self.service.clone(), self.user.clone()))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn platform(e: secret_service::Error) -> Error {
    match e {
        secret_service::Error::NoResult => Error::NoEntry,
        secret_service::Error::Locked | secret_service::Error::Prompt => {
            Error::NoStorageAccess(Box::new(e))
        }
        other => Error::PlatformFailure(Box::new(other)),
    }
}

fn poisoned() -> Error {
    Error::PlatformFailure("the keyring connection was poisoned by an earlier failure".into())
}
