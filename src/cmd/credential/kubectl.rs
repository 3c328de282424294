//! `tether credential kubectl NAME`: a client-go exec plugin. kubectl
//! runs it from a kubeconfig `exec` stanza and reads an `ExecCredential`
//! (`helpers::kube`) on stdout, in the version `KUBERNETES_EXEC_INFO`
//! asks for.
//!
//! `--id-token` hands the OpenID Connect ID token instead of the access
//! token, for clusters whose API server trusts the provider's ID tokens
//! (as kubelogin does). Its expiry is the token's own `exp`; one that is
//! due is renewed by refreshing the connection as if its access token had
//! been refused, which makes the provider issue a new ID token.

use super::{Ctx, Handed, hand, reason};
use crate::cli::KubectlArgs;
use crate::error::IdTokenGap;
use crate::helpers::kube;
use crate::oauth::refresh::{MARGIN, Reason};
use crate::secret::Secret;
use crate::{Error, Result, ui};

/// The variable kubectl sets for exec plugins.
const EXEC_INFO: &str = "KUBERNETES_EXEC_INFO";

pub fn run(args: &KubectlArgs, ctx: &Ctx) -> Result<()> {
    let info = std::env::var(EXEC_INFO).ok();
    let version = kube::api_version(info.as_deref()).map_err(Error::ExecInfo)?;
    let handed = hand(ctx, &args.name, &reason(args.min_valid))?;
    let (token, expires_at) = if args.id_token {
        let wanted = args.min_valid.map_or(MARGIN, |span| span.as_secs());
        id_token(ctx, &args.name, handed, wanted)?
    } else {
        (handed.token, handed.expires_at)
    };
    let expires = expires_at.map(ui::rfc3339);
    ui::print_out(&kube::exec_credential(
        version,
        token.expose(),
        expires.as_deref(),
    ))
}

/// The connection's ID token and its expiry, renewed first when less than
/// `wanted` seconds remain of it.
fn id_token(ctx: &Ctx, name: &str, handed: Handed, wanted: u64) -> Result<(Secret, Option<u64>)> {
    let gap = |why| Error::NoIdToken {
        connection: name.to_string(),
        why,
    };
    let now = ui::now();
    let due = |id: &Secret| kube::jwt_expiry(id.expose()).is_some_and(|at| now + wanted >= at);
    let record = handed.record;
    let Some(id) = record.id_token.clone() else {
        return Err(gap(IdTokenGap::Missing));
    };
    let id = if due(&id) && record.refreshable() {
        ctx.fresh_record(name, &Reason::Rejected(handed.token), None)?
            .record
            .id_token
            .ok_or_else(|| gap(IdTokenGap::Missing))?
    } else {
        id
    };
    let expires_at = kube::jwt_expiry(id.expose());
    if expires_at.is_some_and(|at| now >= at) {
        return Err(gap(IdTokenGap::Expired));
    }
    Ok((id, expires_at))
}
