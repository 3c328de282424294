//! Token stores (DESIGN §3): where connection records and stored client
//! secrets live.
