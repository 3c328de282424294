//! `tether token NAME`: a valid access token on stdout and nothing else,
//! refreshed first when due, for `$(tether token NAME)` in scripts.

use serde_json::json;

use super::Ctx;
use crate::cli::TokenArgs;
use crate::http::credential::Credential;
use crate::oauth::refresh::Reason;
use crate::{Result, ui};

pub fn run(args: &TokenArgs, ctx: &Ctx) -> Result<()> {
    let connection = ctx.connection(&args.name)?;
    let service = ctx.service(&connection.service)?;
    let record = ctx
        .fresh_record(&args.name, &Reason::BeforeUse, None)?
        .record;
    let credential = Credential::for_connection(&args.name, service, &record)?;
    if args.json {
        return ui::print_json(&json!({
            "access_token": credential.secret().expose(),
            "token_type": record.token_type.as_deref().unwrap_or("Bearer"),
            "expires_at": record.expires_at,
            "expires": record.expires_at.map(ui::rfc3339),
            "scopes": record.scopes,
        }));
    }
    if args.header {
        let (name, value) = credential.header().unwrap_or_else(|| {
            (
                "Authorization".into(),
                format!("Bearer {}", credential.secret().expose()),
            )
        });
        return ui::print_out(&format!("{name}: {value}\n"));
    }
    ui::print_out(&format!("{}\n", credential.secret().expose()))
}
