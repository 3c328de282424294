//! The command line, as clap derive types and nothing else.
//!
//! This module depends on no other part of tether, so the completion
//! scripts and the man page can be generated from it alone. The `///`
//! comments are the help text users read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Named, authorized connections to third-party APIs.
///
/// Define a service once, connect it in the browser, then call the API by
/// connection name. Tokens live in the OS keyring and are refreshed when due.
#[derive(Debug, Parser)]
#[command(
    name = "tether",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]
    #[arg(long, global = true, value_name = "PATH", env = "TETHER_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

// The service flags make `Service` large; the value is built once per run,
// so boxing it would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Define the services tether can connect to
    #[command(subcommand)]
    Service(ServiceCommand),

    /// Authorize a connection (creating it when absent)
    #[command(long_about = CONNECT_LONG, after_help = CONNECT_EXAMPLES)]
    Connect(ConnectArgs),

    /// List, inspect and remove connections
    #[command(subcommand)]
    Connection(ConnectionCommand),

    /// Show every connection and its status (same as `connection list`)
    Status(StatusArgs),

    /// Revoke a connection's tokens at the provider and delete them here
    Disconnect(NameArg),

    /// Open an authorization URL printed by `connect --remote` and catch its redirect
    Authorize(AuthorizeArgs),

    /// Call an API through a connection
    #[command(after_help = INVOKE_EXAMPLES)]
    Invoke(InvokeArgs),

    /// Print a valid access token, refreshing it when due
    Token(TokenArgs),

    /// Check what works here: config, token store, browser, clock
    Doctor(DoctorArgs),

    /// Print a shell completion script
    Completions(CompletionsArgs),

    /// Print the manual page (roff): `tether man > tether.1`
    Man(ManArgs),

    /// Run a command with fresh tokens in its environment
    #[command(long_about = EXEC_LONG, after_help = EXEC_EXAMPLES)]
    Exec(ExecArgs),

    /// Hand credentials to git, kubectl, docker and netrc readers
    #[command(subcommand)]
    Credential(CredentialCommand),
    /// Refresh the connections whose refresh token would lapse soon (for cron and timers)
    Keepalive(KeepaliveArgs),
    /// Set up and look after shared token stores (`[stores.NAME]`)
    #[command(subcommand)]
    Store(StoreCommand),
}

const EXEC_LONG: &str = "\
Run a command with fresh tokens in its environment.

Each connection's token is refreshed first (and whenever less than
--min-valid remains), then put in a variable: TETHER_TOKEN for one `-c NAME`
(or the service's `env`), or the VAR of `--env VAR=NAME`. tether then
replaces itself with the command, so its input, output, signals and exit
status are the command's own; the token is never in its arguments.

The command does not see TETHER_CONNECTION_* nor the variables the config's
secret references name, unless --keep-env names them.

A token that expires while the command runs is the command's problem: for
long-lived programs, let them ask tether when they need a token
(`tether credential git|kubectl|docker`, `tether token NAME`).";

const EXEC_EXAMPLES: &str = "\
Examples:
  tether exec -c gh-work -- gh repo list
  tether exec --env GITHUB_TOKEN=gh-work --env SLACK_TOKEN=slack -- ./deploy.sh
  tether exec -c gcp --min-valid 30m -- python upload.py";

const CONNECT_LONG: &str = "\
Authorize a connection (creating it when absent).

tether opens the service's authorization page in the browser ($BROWSER when
set), waits for the redirect on a loopback port and stores the tokens in the
token store. Re-running `connect` on a connected connection authorizes it
again; the old tokens are replaced only when the new authorization succeeds.";

const CONNECT_EXAMPLES: &str = "\
Examples:
  tether connect gh-work --service github
  tether connect gh-work --scope repo --scope read:org
  tether connect acme-shop --service shopify --var shop=acme
  tether connect mc-prod --no-browser      # print the URL, open it anywhere
  tether connect mc-prod --manual          # paste the final redirect URL";

const INVOKE_EXAMPLES: &str = "\
Request items:
  Header:value      a request header (`Header:` removes a default one)
  name==value       a query parameter
  field=value       a JSON string field (a form field with --form)
  field:=json       a raw JSON field (number, bool, array, object)
  field=@file       a JSON string read from a file (field:=@file: raw JSON)
  A backslash escapes a separator: `a\\=b=c` sets the field `a=b`.

Examples:
  tether invoke mc-prod GET /campaigns count==10
  tether invoke gh-work POST /repos/me/x/issues title='Broken' labels:='[\"bug\"]'
  tether invoke gh-work GET https://api.github.com/user -v
  tether invoke gh-work GET /user/repos --jq '.[].full_name' -r
  tether invoke gh-work GET /user/repos per_page==100 --paginate --ndjson
  tether invoke slack GET /conversations.list --paginate --next cursor \\
      --cursor response_metadata.next_cursor --items channels
  tether invoke gh-work --batch requests.ndjson --parallel 16 --rate 20/s";

/// `tether service …`
#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// Define a new service
    Add(ServiceAddArgs),
    /// List the services
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Show one service
    Show(ShowArgs),
    /// Change a service (only the given fields)
    Edit(ServiceEditArgs),
    /// Remove a service and its stored client secret
    #[command(visible_alias = "rm")]
    Remove(ServiceRemoveArgs),
    /// List the built-in templates (those that match FILTER), or show one
    Templates(TemplatesArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub command: Option<TemplatesCommand>,
    /// Only the templates whose name, display name or a tag holds this text, e.g. `mail`
    #[arg(value_name = "FILTER")]
    pub filter: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `tether service templates …`
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Show one template: what it sets and how to register an app
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `tether status` and `tether connection list`.
#[derive(Debug, Args)]
#[command(after_help = STATUS_EXAMPLES)]
pub struct StatusArgs {
    /// Only these connections [default: every one]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Print JSON instead of a table
    #[arg(long, conflicts_with = "check")]
    pub json: bool,
    /// Print nothing; exit 0 when every connection is usable, else 7 naming
    /// the others on stderr
    #[arg(long)]
    pub check: bool,
    /// With --check: usable for at least this long, e.g. 1h or 7d [default: now]
    #[arg(long = "for", value_name = "DURATION", value_parser = crate::duration::Span::parse, requires = "check")]
    pub for_at_least: Option<crate::duration::Span>,
}

const STATUS_EXAMPLES: &str = "\
Examples:
  tether status
  tether status gh-work --json
  tether status --check --for 1h || tether keepalive   # CI preflight";

/// `tether keepalive …`
#[derive(Debug, Args)]
#[command(after_help = KEEPALIVE_EXAMPLES)]
pub struct KeepaliveArgs {
    /// Only these connections [default: every one]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Refresh the connections whose refresh token would lapse within this long
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::Span::parse, default_value = "14d")]
    pub within: crate::duration::Span,
    /// Say what would be done, and do nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// Print a systemd user service and timer that run keepalive daily (nothing is installed)
    #[arg(long, conflicts_with_all = ["names", "dry_run", "json", "print_launchd"])]
    pub print_systemd: bool,
    /// Print a launchd agent that runs keepalive daily (nothing is installed)
    #[arg(long, conflicts_with_all = ["names", "dry_run", "json"])]
    pub print_launchd: bool,
}

const KEEPALIVE_EXAMPLES: &str = "\
Exit status: 0 all alive, 7 a connection needs you (named on stderr), 6 network
or provider trouble, 1 the token store did not answer (nothing was refreshed).

Examples:
  tether keepalive                       # refresh what lapses within 14 days
  tether keepalive gh-work --within 30d --dry-run
  tether keepalive --print-systemd       # then save the two units it prints";

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,

    /// Take away what other users may do with the config and the token files
    /// where a check finds too much
    #[arg(long)]
    pub fix: bool,

    /// Check one connection live: its service against the provider, the clock, its tokens
    #[arg(value_name = "NAME")]
    pub name: Option<String>,

    /// With NAME: make a real refresh (the old tokens are kept if it fails)
    #[arg(long, requires = "name")]
    pub refresh: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The name to show
    pub name: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServiceAddArgs {
    /// The service's name, used by `connect --service`
    pub name: String,
    /// Inherit from a built-in template (`tether service templates`); the
    /// config keeps only `template` and what you set
    #[arg(long, value_name = "TEMPLATE")]
    pub from: Option<String>,
    /// Fill the endpoints from this issuer's discovery document
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
    #[command(flatten)]
    pub fields: ServiceFields,
}

#[derive(Debug, Args)]
pub struct ServiceEditArgs {
    /// The service to change
    pub name: String,
    #[command(flatten)]
    pub fields: ServiceFields,
    /// Remove a key from the service (repeatable), e.g. `--unset revoke_url`
    #[arg(long, value_name = "KEY")]
    pub unset: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ServiceRemoveArgs {
    /// The service to remove
    pub name: String,
    /// Remove it even while connections use it
    #[arg(long)]
    pub force: bool,
}

/// How a service authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthKind {
    /// OAuth 2.0 authorization code in the browser
    Oauth2,
    /// OAuth 2.0 client credentials (no user)
    ClientCredentials,
    /// OAuth 2.0 device authorization
    Device,
    /// An API key in a header or query parameter
    ApiKey,
    /// HTTP Basic with a username and password
    Basic,
    /// A static bearer token
    Bearer,
    /// OAuth 1.0a: request token, browser, access token; every call signed
    Oauth1,
}

/// How OAuth 1.0a requests are signed (RFC 5849 §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignatureMethod {
    /// HMAC-SHA1 with the client and token secrets
    #[value(name = "HMAC-SHA1")]
    HmacSha1,
    /// HMAC-SHA256 with the client and token secrets
    #[value(name = "HMAC-SHA256")]
    HmacSha256,
    /// RSA-SHA1 with the client's private key
    #[value(name = "RSA-SHA1")]
    RsaSha1,
    /// The secrets themselves, over https only
    #[value(name = "PLAINTEXT")]
    Plaintext,
}

/// Where the OAuth 1.0a protocol parameters travel (RFC 5849 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignatureLocation {
    /// The `Authorization: OAuth …` header
    Header,
    /// The query of the request URI
    Query,
}

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClientAuth {
    /// HTTP Basic (client_secret_basic)
    Basic,
    /// In the form body (client_secret_post)
    Body,
    /// HTTP Basic even without a secret (client_id with an empty password)
    BasicAlways,
}

/// Every key of a `[services.NAME]` table, as a flag of the same name.
#[derive(Debug, Default, Args)]
pub struct ServiceFields {
    /// How the service authenticates
    #[arg(long, value_enum, help_heading = "Service")]
    pub auth: Option<AuthKind>,
    /// The OAuth client ID
    #[arg(long, value_name = "ID", help_heading = "Service")]
    pub client_id: Option<String>,
    /// The API's base URL; relative `invoke` URLs start here. `{var}` allowed
    #[arg(long, value_name = "URL", help_heading = "Service")]
    pub base_url: Option<String>,
    /// A host a credential may be sent to besides base_url's (repeatable; `*.example.com`)
    #[arg(long, value_name = "HOST", help_heading = "Service")]
    pub allowed_host: Vec<String>,
    /// A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it
    #[arg(long, value_name = "NAME=VALUE", help_heading = "Service")]
    pub default_header: Vec<String>,
    /// A value for `{K}` in the service's URLs (repeatable), e.g. tenant=common
    #[arg(long = "var", value_name = "K=V", help_heading = "Service")]
    pub var: Vec<String>,

    /// Read the client secret from this environment variable
    #[arg(
        long,
        value_name = "VAR",
        help_heading = "Client secret",
        group = "secret"
    )]
    pub client_secret_env: Option<String>,
    /// Read the client secret from this command's output (split like a shell would not: one word per argument)
    #[arg(long, value_name = "CMD", num_args = 1.., allow_hyphen_values = true, help_heading = "Client secret", group = "secret")]
    pub client_secret_command: Option<Vec<String>>,
    /// Read the client secret from standard input into the keyring
    #[arg(long, help_heading = "Client secret", group = "secret")]
    pub client_secret_stdin: bool,
    /// Ask for the client secret (hidden) and keep it in the keyring
    #[arg(long, help_heading = "Client secret", group = "secret")]
    pub client_secret_prompt: bool,

    /// Read the client's PEM private key from this file, which must be 0600 (OAuth 1.0a RSA-SHA1)
    #[arg(
        long,
        value_name = "PATH",
        help_heading = "OAuth 1.0a",
        group = "private_key"
    )]
    pub private_key_file: Option<String>,
    /// Read the client's PEM private key from this environment variable
    #[arg(
        long,
        value_name = "VAR",
        help_heading = "OAuth 1.0a",
        group = "private_key"
    )]
    pub private_key_env: Option<String>,
    /// Read the client's PEM private key from this command's output (one word per argument)
    #[arg(long, value_name = "CMD", num_args = 1.., allow_hyphen_values = true, help_heading = "OAuth 1.0a", group = "private_key")]
    pub private_key_command: Option<Vec<String>>,
    /// How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]
    #[arg(long, value_enum, value_name = "METHOD", help_heading = "OAuth 1.0a")]
    pub signature_method: Option<SignatureMethod>,
    /// Where the OAuth 1.0a parameters travel: header or query [default: header]
    #[arg(long, value_enum, value_name = "WHERE", help_heading = "OAuth 1.0a")]
    pub signature_location: Option<SignatureLocation>,
    /// Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]
    #[arg(long, value_name = "BOOL", help_heading = "OAuth 1.0a")]
    pub body_hash: Option<bool>,
    /// The OAuth 1.0a temporary-credentials (request token) endpoint
    #[arg(long, value_name = "URL", help_heading = "OAuth 1.0a")]
    pub request_token_url: Option<String>,
    /// The OAuth 1.0a token-credentials (access token) endpoint
    #[arg(long, value_name = "URL", help_heading = "OAuth 1.0a")]
    pub access_token_url: Option<String>,
    /// An extra parameter of the OAuth 1.0a request-token request (repeatable)
    #[arg(long, value_name = "K=V", help_heading = "OAuth 1.0a")]
    pub request_token_param: Vec<String>,

    /// The authorization endpoint
    #[arg(long, value_name = "URL", help_heading = "OAuth 2.0")]
    pub authorize_url: Option<String>,
    /// The token endpoint
    #[arg(long, value_name = "URL", help_heading = "OAuth 2.0")]
    pub token_url: Option<String>,
    /// The endpoint for refresh requests [default: token_url]
    #[arg(long, value_name = "URL", help_heading = "OAuth 2.0")]
    pub refresh_url: Option<String>,
    /// The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)
    #[arg(long, value_name = "URL", help_heading = "OAuth 2.0")]
    pub revoke_url: Option<String>,
    /// The device authorization endpoint (RFC 8628)
    #[arg(long, value_name = "URL", help_heading = "OAuth 2.0")]
    pub device_authorization_url: Option<String>,
    /// A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu
    #[arg(long, value_name = "HOST", help_heading = "OAuth 2.0")]
    pub token_host: Vec<String>,
    /// A default scope (repeatable)
    #[arg(long, value_name = "SCOPE", help_heading = "OAuth 2.0")]
    pub scope: Vec<String>,
    /// What joins scopes in requests [default: " "]
    #[arg(long, value_name = "SEP", help_heading = "OAuth 2.0")]
    pub scope_separator: Option<String>,
    /// An extra authorization-request parameter (repeatable)
    #[arg(long, value_name = "K=V", help_heading = "OAuth 2.0")]
    pub auth_param: Vec<String>,
    /// An extra token-request parameter (repeatable)
    #[arg(long, value_name = "K=V", help_heading = "OAuth 2.0")]
    pub token_param: Vec<String>,
    /// An extra refresh-request parameter (repeatable)
    #[arg(long, value_name = "K=V", help_heading = "OAuth 2.0")]
    pub refresh_param: Vec<String>,
    /// A fixed loopback port for the redirect [default: any free port]
    #[arg(long, value_name = "PORT", help_heading = "OAuth 2.0")]
    pub redirect_port: Option<u16>,
    /// A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb
    #[arg(long, value_name = "URI", help_heading = "OAuth 2.0")]
    pub redirect_uri: Option<String>,
    /// Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId
    #[arg(long, value_name = "VAR=PARAM", help_heading = "Provider quirks")]
    pub redirect_var: Vec<String>,
    /// Use PKCE (S256) [default: true]
    #[arg(long, value_name = "BOOL", help_heading = "OAuth 2.0")]
    pub pkce: Option<bool>,
    /// How the client authenticates at the token endpoint [default: basic]
    #[arg(long, value_enum, help_heading = "OAuth 2.0")]
    pub client_auth: Option<ClientAuth>,

    /// The authorization parameter that carries the scopes [default: scope]
    #[arg(long, value_name = "NAME", help_heading = "Provider quirks")]
    pub scope_param: Option<String>,
    /// The object of the token response holding the token fields, e.g. authed_user
    #[arg(long, value_name = "PATH", help_heading = "Provider quirks")]
    pub token_path: Option<String>,
    /// A token-response field to keep as a connection var (repeatable) [default: every non-secret string]
    #[arg(long, value_name = "FIELD", help_heading = "Provider quirks")]
    pub token_var: Vec<String>,
    /// The Authorization scheme for API calls [default: Bearer]
    #[arg(long, value_name = "SCHEME", help_heading = "Provider quirks")]
    pub token_scheme: Option<String>,
    /// The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token
    #[arg(long, value_name = "NAME", help_heading = "Provider quirks")]
    pub token_header: Option<String>,
    /// A URL fetched with the new token after connecting; see --metadata-var
    #[arg(long, value_name = "URL", help_heading = "Provider quirks")]
    pub metadata_url: Option<String>,
    /// The Authorization scheme of the metadata request [default: Bearer]
    #[arg(long, value_name = "SCHEME", help_heading = "Provider quirks")]
    pub metadata_auth_scheme: Option<String>,
    /// Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id
    #[arg(long, value_name = "VAR=PATH", help_heading = "Provider quirks")]
    pub metadata_var: Vec<String>,

    /// The header that carries the API key, e.g. Authorization
    #[arg(long, value_name = "NAME", help_heading = "API key")]
    pub api_key_header: Option<String>,
    /// The query parameter that carries the API key, e.g. key
    #[arg(long, value_name = "NAME", help_heading = "API key")]
    pub api_key_query: Option<String>,
    /// Text before the key in the header, e.g. "Bearer "
    #[arg(long, value_name = "TEXT", help_heading = "API key")]
    pub api_key_prefix: Option<String>,

    /// A PEM file of CA certificates trusted besides the platform's for every request of this service
    #[arg(long, value_name = "PATH", help_heading = "Service")]
    pub ca_file: Option<String>,

    /// How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH
    #[arg(long, value_name = "K=V", help_heading = "Pagination")]
    pub pagination: Vec<String>,

    /// The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]
    #[arg(long, value_name = "VAR", help_heading = "Other programs")]
    pub env: Option<String>,
    /// The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]
    #[arg(long, value_name = "NAME", help_heading = "Other programs")]
    pub git_username: Option<String>,
    /// The user name `tether credential docker` gives with the token [default: oauth2accesstoken]
    #[arg(long, value_name = "NAME", help_heading = "Other programs")]
    pub docker_username: Option<String>,
    /// How long the provider's refresh tokens live from the authorization, whatever their use, e.g. 7d
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::Span::parse, help_heading = "Refresh tokens")]
    pub refresh_token_lifetime: Option<crate::duration::Span>,
    /// How long the provider's refresh tokens live unused (each refresh starts it again), e.g. 90d
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::Span::parse, help_heading = "Refresh tokens")]
    pub refresh_token_idle: Option<crate::duration::Span>,
    /// Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]
    #[arg(long, value_name = "BOOL", help_heading = "OAuth 2.0")]
    pub include_granted_scopes: Option<bool>,
    /// A command run with a JSON description on stdin when a connection needs authorization or lapses soon
    #[arg(long, value_name = "CMD", num_args = 1.., allow_hyphen_values = true, help_heading = "Refresh tokens")]
    pub on_needs_authorization: Option<Vec<String>>,
}

/// `tether connect …`
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The connection's name
    pub name: String,
    /// The service to connect (needed when the connection is new, unless a service has its name)
    #[arg(long, short, value_name = "SERVICE")]
    pub service: Option<String>,
    /// A scope to ask for instead of the service's defaults (repeatable)
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,
    /// A value for `{K}` in the service's URLs for this connection (repeatable), e.g. shop=acme; kept in its `vars`
    #[arg(long = "var", value_name = "K=V")]
    pub vars: Vec<String>,
    /// Do not open a browser; print the URL and wait
    #[arg(long)]
    pub no_browser: bool,
    /// Paste the final redirect URL (or the code) instead of using the loopback listener
    #[arg(long, conflicts_with = "no_browser")]
    pub manual: bool,
    /// Use the device authorization grant: enter a code on any device (RFC 8628)
    #[arg(long, conflicts_with = "manual")]
    pub device: bool,
    /// Authorize from another machine: print a `tether authorize` command to run where a browser is
    #[arg(long, conflicts_with_all = ["manual", "device"])]
    pub remote: bool,
    /// Use this loopback port for the redirect
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
    /// How long to wait for the browser, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Read the API key, password or token from standard input (api_key, basic, bearer)
    #[arg(long)]
    pub stdin: bool,
    /// The user name (basic)
    #[arg(long, value_name = "USER")]
    pub username: Option<String>,
    /// Keep the tokens in this store (keyring, file or a [stores.NAME]); written as the connection's `store`
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
}

/// `tether authorize …`
#[derive(Debug, Args)]
pub struct AuthorizeArgs {
    /// The URL `tether connect --remote` printed
    pub url: String,
    /// Print the URL instead of opening a browser
    #[arg(long)]
    pub no_browser: bool,
    /// How long to wait for the browser, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
}

/// `tether connection …`
#[derive(Debug, Subcommand)]
pub enum ConnectionCommand {
    /// List the connections and their status
    #[command(visible_alias = "ls")]
    List(StatusArgs),
    /// Show one connection and how to use it
    Show(ShowArgs),
    /// Delete a connection's tokens and its config entry
    #[command(visible_alias = "rm")]
    Remove(NameArg),
    /// Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret
    Export(NameArg),
    /// Read a line printed by `export` from stdin into the local token store
    Import(NameArg),
    /// Move a connection's tokens to another store (keyring, file or a shared one)
    #[command(after_help = MOVE_EXAMPLES)]
    Move(MoveArgs),
}

const MOVE_EXAMPLES: &str = "\
Examples:
  tether connection move ci-deploy --to team    # into the shared store `team`
  tether connection move gh-work --to keyring   # back to this machine's keyring";

/// `tether connection move …`
#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The connection
    pub name: String,
    /// The store to move it to: `keyring`, `file` or a `[stores.NAME]`
    #[arg(long, value_name = "STORE")]
    pub to: String,
}

/// `tether store …`
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Create or migrate a shared store's tables and write its key check
    #[command(after_help = STORE_INIT_EXAMPLES)]
    Init(StoreInitArgs),
    /// Re-encrypt every record of a shared store under a new key, in one transaction
    #[command(after_help = STORE_REKEY_EXAMPLES)]
    Rekey(StoreRekeyArgs),
    /// Check a shared store: reachable, schema version, key, round trip
    Check(StoreCheckArgs),
}

const STORE_INIT_EXAMPLES: &str = "\
Examples:
  tether store init team            # create the schema (tether does this on first use too)
  tether store init team --print    # print the DDL for a DBA, touch nothing";

const STORE_REKEY_EXAMPLES: &str = "\
Examples:
  NEW_KEY=$(openssl rand -hex 32) tether store rekey team --new-key-env NEW_KEY
Then give every machine the new key as `key` and the old one as `previous_key`,
and drop `previous_key` once all have the new key.";

/// `tether store init …`
#[derive(Debug, Args)]
pub struct StoreInitArgs {
    /// The store (`[stores.NAME]`)
    pub store: String,
    /// Print the DDL instead of running it
    #[arg(long)]
    pub print: bool,
}

/// `tether store rekey …`
#[derive(Debug, Args)]
pub struct StoreRekeyArgs {
    /// The store (`[stores.NAME]`)
    pub store: String,
    /// The environment variable that holds the new key (hex or base64 of 32 bytes)
    #[arg(long, value_name = "VAR")]
    pub new_key_env: String,
}

/// `tether store check …`
#[derive(Debug, Args)]
pub struct StoreCheckArgs {
    /// The store (`[stores.NAME]`)
    pub store: String,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NameArg {
    /// The connection
    pub name: String,
}

/// `tether invoke …`
#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// The connection to call through
    pub name: String,
    /// GET, POST, PUT, PATCH, DELETE or HEAD
    #[arg(value_name = "METHOD", required_unless_present = "batch")]
    pub method: Option<String>,
    /// An absolute URL, or a path relative to the service's base_url
    #[arg(required_unless_present = "batch")]
    pub url: Option<String>,
    /// Request items: Header:value, name==value, field=value, field:=json
    #[arg(value_name = "ITEM")]
    pub items: Vec<String>,
    /// Fill `{NAME}` in the URL (repeatable)
    #[arg(long = "var", value_name = "K=V")]
    pub vars: Vec<String>,
    /// Send `field=value` items form-encoded
    #[arg(long, short)]
    pub form: bool,
    /// Send a raw body: `@FILE`, or `-` for standard input
    #[arg(long, value_name = "SOURCE", conflicts_with = "form")]
    pub body: Option<String>,
    /// Print the request and response headers on stderr (credentials redacted)
    #[arg(long, short)]
    pub verbose: bool,
    /// Write the response body to a file
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --output: resume what an interrupted download kept in FILE.part
    #[arg(long = "continue", short = 'c', requires = "output")]
    pub resume: bool,
    /// Write the response body to a new file named after the answer
    /// (Content-Disposition) or the URL, in the current folder
    #[arg(long, short, conflicts_with_all = ["output", "json", "jq", "paginate"])]
    pub download: bool,
    /// Print {status, headers, body} as JSON
    #[arg(long)]
    pub json: bool,
    /// Exit 0 whatever the HTTP status
    #[arg(long)]
    pub no_fail: bool,
    /// Give up on the request after this many seconds
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Retry idempotent requests on 429, 502, 503 and 504 [default: 0; with --batch, 8 on 429 and 503]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=20))]
    pub retries: Option<u32>,
    /// Print the request that would be sent and exit
    #[arg(long)]
    pub dry_run: bool,
    /// Print an equivalent curl command and exit
    #[arg(long, conflicts_with = "dry_run")]
    pub curl: bool,
    /// Also send the credential to this host (repeatable)
    #[arg(long, value_name = "HOST")]
    pub allow_host: Vec<String>,
    /// Send the request without the connection's credential, items as given
    #[arg(long, conflicts_with = "curl")]
    pub no_auth: bool,
    /// Filter the JSON body (or the --json envelope) with a jq expression;
    /// the body of an HTTP error is printed unfiltered
    #[arg(long, value_name = "EXPR", conflicts_with = "output")]
    pub jq: Option<String>,
    /// With --jq: print strings without quotes, as `jq -r` does
    #[arg(long, short, requires = "jq")]
    pub raw_output: bool,

    /// Follow the pages of a listing and print their items as one JSON
    /// array (with --jq: the filter runs on each item)
    #[arg(long, conflicts_with_all = ["output", "json"], help_heading = "Pagination")]
    pub paginate: bool,
    /// With --paginate: one item per line (NDJSON), written as the pages arrive
    #[arg(long, requires = "paginate", help_heading = "Pagination")]
    pub ndjson: bool,
    /// With --paginate: stop after N pages
    #[arg(long, value_name = "N", requires = "paginate", value_parser = clap::value_parser!(u32).range(1..), help_heading = "Pagination")]
    pub max_pages: Option<u32>,
    /// Where a page names the next [default: the service's `pagination`, else link]
    #[arg(
        long,
        value_enum,
        value_name = "HOW",
        requires = "paginate",
        help_heading = "Pagination"
    )]
    pub next: Option<NextPage>,
    /// A dotted path to the array of items in each page, e.g. `data` [default: the page is the array]
    #[arg(
        long = "items",
        value_name = "PATH",
        requires = "paginate",
        help_heading = "Pagination"
    )]
    pub items_at: Option<String>,
    /// A dotted path to the cursor (--next cursor) or the next URL (--next next_url) in the body
    #[arg(
        long,
        value_name = "PATH",
        requires = "paginate",
        help_heading = "Pagination"
    )]
    pub cursor: Option<String>,
    /// The query parameter that carries the cursor or the page number [default: cursor, page]
    #[arg(
        long,
        value_name = "NAME",
        requires = "paginate",
        help_heading = "Pagination"
    )]
    pub param: Option<String>,
    /// A dotted path to a boolean that is true while more pages follow, e.g. `info.more_records`
    #[arg(
        long,
        value_name = "PATH",
        requires = "paginate",
        help_heading = "Pagination"
    )]
    pub has_more: Option<String>,

    /// Send the requests of an NDJSON file (`-`: standard input), one per
    /// line, and print one NDJSON result per request
    #[arg(long, value_name = "FILE", conflicts_with_all = ["method", "url", "items", "body", "form", "output", "download", "json", "jq", "paginate", "dry_run", "curl", "verbose"], help_heading = "Batch")]
    pub batch: Option<String>,
    /// With --batch: requests in flight at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256), help_heading = "Batch")]
    pub parallel: u16,
    /// With --batch: print the results in input order instead of as they complete
    #[arg(long, requires = "batch", help_heading = "Batch")]
    pub ordered: bool,
    /// With --batch: start at most this many requests per second (`10/s`) or minute (`600/m`)
    #[arg(long, value_name = "RATE", requires = "batch", help_heading = "Batch")]
    pub rate: Option<String>,
}

/// Where a page of a listing names the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NextPage {
    /// A `Link: <URL>; rel="next"` header (RFC 8288)
    Link,
    /// A cursor in the body (--cursor), sent back in a query parameter (--param)
    Cursor,
    /// A URL in the body (--cursor)
    #[value(name = "next_url")]
    NextUrl,
    /// A page number in a query parameter (--param), counted up
    Page,
}

/// `tether exec …`
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// A connection whose token goes in TETHER_TOKEN, or the service's `env` (repeatable)
    #[arg(long = "connection", short = 'c', value_name = "NAME")]
    pub connections: Vec<String>,
    /// A variable and the connection whose token it holds (repeatable), e.g. GITHUB_TOKEN=gh-work
    #[arg(long, value_name = "VAR=NAME")]
    pub env: Vec<String>,
    /// Pass this variable through although tether would keep it from the command (repeatable)
    #[arg(long, value_name = "VAR")]
    pub keep_env: Vec<String>,
    /// Refresh a token first when less than this remains of it, e.g. 30m
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::Span::parse)]
    pub min_valid: Option<crate::duration::Span>,
    /// The command and its arguments, after `--`
    #[arg(required = true, last = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

/// `tether credential …`
#[derive(Debug, Subcommand)]
pub enum CredentialCommand {
    /// git's credential helper: `git config --global credential.helper '!tether credential git'`
    #[command(long_about = GIT_HELPER_LONG)]
    Git(GitHelperArgs),
    /// A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza
    Kubectl(KubectlArgs),
    /// docker's credential helper (also run as `docker-credential-tether`)
    Docker(DockerHelperArgs),
    /// Print netrc lines for the connections' hosts (stdout only)
    Netrc(NetrcArgs),
}

const GIT_HELPER_LONG: &str = "\
git's credential helper.

git runs it with its action last (get, store or erase) and the request on
stdin. Without NAME, the connection is the one whose `git_hosts` (or whose
service's base_url) names the request's host; a host no connection names
gets no answer, so git asks its next helper. store does nothing; erase of
the current token makes the next get refresh it.

  git config --global credential.https://github.com.helper '!tether credential git'";

#[derive(Debug, Args)]
pub struct GitHelperArgs {
    /// [NAME] ACTION: the connection (else chosen by host), then git's action: get, store or erase
    #[arg(value_name = "ARGS", num_args = 1..=2, required = true)]
    pub words: Vec<String>,
}

#[derive(Debug, Args)]
pub struct KubectlArgs {
    /// The connection
    pub name: String,
    /// Hand the OpenID Connect ID token instead of the access token
    #[arg(long)]
    pub id_token: bool,
    /// Refresh first when less than this remains of the token, e.g. 5m
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::Span::parse)]
    pub min_valid: Option<crate::duration::Span>,
}

#[derive(Debug, Args)]
pub struct DockerHelperArgs {
    /// docker's action: get, list, store, erase or version
    pub action: String,
}

#[derive(Debug, Args)]
pub struct NetrcArgs {
    /// The connections
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
}

/// A SASL mechanism that carries an OAuth 2.0 token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SaslMechanism {
    /// Google's and Microsoft's XOAUTH2
    Xoauth2,
    /// OAUTHBEARER (RFC 7628)
    Oauthbearer,
}

/// `tether token …`
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The connection
    pub name: String,
    /// Print `Authorization: Bearer …` instead of the bare token
    #[arg(long, conflicts_with = "json")]
    pub header: bool,
    /// Print {access_token, token_type, expires_at, scopes}
    #[arg(long)]
    pub json: bool,
    /// With --header: the URL the header is for, checked against the connection's allowed hosts; an OAuth 1.0a header signs this one request
    #[arg(long, value_name = "URL", requires = "header")]
    pub url: Option<String>,
    /// With --url: the method of that request (OAuth 1.0a signs it)
    #[arg(long, value_name = "METHOD", default_value = "GET", requires = "url")]
    pub method: String,
    /// With --json: include an OAuth 1.0a connection's token secret
    #[arg(long, requires = "json")]
    pub show_secrets: bool,
    /// Print the SASL initial response (base64) of this mechanism, for a mail client that takes one
    #[arg(long, value_enum, value_name = "MECHANISM", conflicts_with_all = ["header", "json"])]
    pub sasl: Option<SaslMechanism>,
    /// With --sasl: the user to log in as [default: the connection's `email` var]
    #[arg(long, value_name = "ADDRESS", requires = "sasl")]
    pub user: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print a script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `tether man …`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, e.g. `invoke` or `service add`
    /// [default: the page of tether itself]
    #[arg(value_name = "SUBCOMMAND")]
    pub command: Vec<String>,
}
