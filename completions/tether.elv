
use builtin;
use str;

set edit:completion:arg-completer[tether] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tether'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tether'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand service 'Define the services tether can connect to'
            cand connect 'Authorize a connection (creating it when absent)'
            cand connection 'List, inspect and remove connections'
            cand status 'Show every connection and its status (same as `connection list`)'
            cand disconnect 'Revoke a connection''s tokens at the provider and delete them here'
            cand authorize 'Open an authorization URL printed by `connect --remote` and catch its redirect'
            cand invoke 'Call an API through a connection'
            cand token 'Print a valid access token, refreshing it when due'
            cand doctor 'Check what works here: config, token store, browser, clock'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (roff): `tether man > tether.1`'
            cand exec 'Run a command with fresh tokens in its environment'
            cand credential 'Hand credentials to git, kubectl, docker and netrc readers'
            cand keepalive 'Refresh the connections whose refresh token would lapse soon (for cron and timers)'
            cand store 'Set up and look after shared token stores (`[stores.NAME]`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;service'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Define a new service'
            cand list 'List the services'
            cand ls 'List the services'
            cand show 'Show one service'
            cand edit 'Change a service (only the given fields)'
            cand remove 'Remove a service and its stored client secret'
            cand rm 'Remove a service and its stored client secret'
            cand templates 'List the built-in templates (those that match FILTER), or show one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;service;add'= {
            cand --from 'Inherit from a built-in template (`tether service templates`); the config keeps only `template` and what you set'
            cand --issuer 'Fill the endpoints from this issuer''s discovery document'
            cand --auth 'How the service authenticates'
            cand --client-id 'The OAuth client ID'
            cand --base-url 'The API''s base URL; relative `invoke` URLs start here. `{var}` allowed'
            cand --allowed-host 'A host a credential may be sent to besides base_url''s (repeatable; `*.example.com`)'
            cand --default-header 'A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it'
            cand --var 'A value for `{K}` in the service''s URLs (repeatable), e.g. tenant=common'
            cand --client-secret-env 'Read the client secret from this environment variable'
            cand --client-secret-command 'Read the client secret from this command''s output (split like a shell would not: one word per argument)'
            cand --private-key-file 'Read the client''s PEM private key from this file, which must be 0600 (OAuth 1.0a RSA-SHA1)'
            cand --private-key-env 'Read the client''s PEM private key from this environment variable'
            cand --private-key-command 'Read the client''s PEM private key from this command''s output (one word per argument)'
            cand --signature-method 'How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]'
            cand --signature-location 'Where the OAuth 1.0a parameters travel: header or query [default: header]'
            cand --body-hash 'Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]'
            cand --request-token-url 'The OAuth 1.0a temporary-credentials (request token) endpoint'
            cand --access-token-url 'The OAuth 1.0a token-credentials (access token) endpoint'
            cand --request-token-param 'An extra parameter of the OAuth 1.0a request-token request (repeatable)'
            cand --authorize-url 'The authorization endpoint'
            cand --token-url 'The token endpoint'
            cand --refresh-url 'The endpoint for refresh requests [default: token_url]'
            cand --revoke-url 'The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)'
            cand --device-authorization-url 'The device authorization endpoint (RFC 8628)'
            cand --token-host 'A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu'
            cand --scope 'A default scope (repeatable)'
            cand --scope-separator 'What joins scopes in requests [default: " "]'
            cand --auth-param 'An extra authorization-request parameter (repeatable)'
            cand --token-param 'An extra token-request parameter (repeatable)'
            cand --refresh-param 'An extra refresh-request parameter (repeatable)'
            cand --redirect-port 'A fixed loopback port for the redirect [default: any free port]'
            cand --redirect-uri 'A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb'
            cand --redirect-var 'Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId'
            cand --pkce 'Use PKCE (S256) [default: true]'
            cand --client-auth 'How the client authenticates at the token endpoint [default: basic]'
            cand --scope-param 'The authorization parameter that carries the scopes [default: scope]'
            cand --token-path 'The object of the token response holding the token fields, e.g. authed_user'
            cand --token-var 'A token-response field to keep as a connection var (repeatable) [default: every non-secret string]'
            cand --token-scheme 'The Authorization scheme for API calls [default: Bearer]'
            cand --token-header 'The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token'
            cand --metadata-url 'A URL fetched with the new token after connecting; see --metadata-var'
            cand --metadata-auth-scheme 'The Authorization scheme of the metadata request [default: Bearer]'
            cand --metadata-var 'Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id'
            cand --api-key-header 'The header that carries the API key, e.g. Authorization'
            cand --api-key-query 'The query parameter that carries the API key, e.g. key'
            cand --api-key-prefix 'Text before the key in the header, e.g. "Bearer "'
            cand --ca-file 'A PEM file of CA certificates trusted besides the platform''s for every request of this service'
            cand --pagination 'How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH'
            cand --env 'The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]'
            cand --git-username 'The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]'
            cand --docker-username 'The user name `tether credential docker` gives with the token [default: oauth2accesstoken]'
            cand --refresh-token-lifetime 'How long the provider''s refresh tokens live from the authorization, whatever their use, e.g. 7d'
            cand --refresh-token-idle 'How long the provider''s refresh tokens live unused (each refresh starts it again), e.g. 90d'
            cand --include-granted-scopes 'Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]'
            cand --on-needs-authorization 'A command run with a JSON description on stdin when a connection needs authorization or lapses soon'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --client-secret-stdin 'Read the client secret from standard input into the keyring'
            cand --client-secret-prompt 'Ask for the client secret (hidden) and keep it in the keyring'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;list'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of a table'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;ls'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of a table'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;show'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of text'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;edit'= {
            cand --auth 'How the service authenticates'
            cand --client-id 'The OAuth client ID'
            cand --base-url 'The API''s base URL; relative `invoke` URLs start here. `{var}` allowed'
            cand --allowed-host 'A host a credential may be sent to besides base_url''s (repeatable; `*.example.com`)'
            cand --default-header 'A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it'
            cand --var 'A value for `{K}` in the service''s URLs (repeatable), e.g. tenant=common'
            cand --client-secret-env 'Read the client secret from this environment variable'
            cand --client-secret-command 'Read the client secret from this command''s output (split like a shell would not: one word per argument)'
            cand --private-key-file 'Read the client''s PEM private key from this file, which must be 0600 (OAuth 1.0a RSA-SHA1)'
            cand --private-key-env 'Read the client''s PEM private key from this environment variable'
            cand --private-key-command 'Read the client''s PEM private key from this command''s output (one word per argument)'
            cand --signature-method 'How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]'
            cand --signature-location 'Where the OAuth 1.0a parameters travel: header or query [default: header]'
            cand --body-hash 'Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]'
            cand --request-token-url 'The OAuth 1.0a temporary-credentials (request token) endpoint'
            cand --access-token-url 'The OAuth 1.0a token-credentials (access token) endpoint'
            cand --request-token-param 'An extra parameter of the OAuth 1.0a request-token request (repeatable)'
            cand --authorize-url 'The authorization endpoint'
            cand --token-url 'The token endpoint'
            cand --refresh-url 'The endpoint for refresh requests [default: token_url]'
            cand --revoke-url 'The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)'
            cand --device-authorization-url 'The device authorization endpoint (RFC 8628)'
            cand --token-host 'A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu'
            cand --scope 'A default scope (repeatable)'
            cand --scope-separator 'What joins scopes in requests [default: " "]'
            cand --auth-param 'An extra authorization-request parameter (repeatable)'
            cand --token-param 'An extra token-request parameter (repeatable)'
            cand --refresh-param 'An extra refresh-request parameter (repeatable)'
            cand --redirect-port 'A fixed loopback port for the redirect [default: any free port]'
            cand --redirect-uri 'A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb'
            cand --redirect-var 'Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId'
            cand --pkce 'Use PKCE (S256) [default: true]'
            cand --client-auth 'How the client authenticates at the token endpoint [default: basic]'
            cand --scope-param 'The authorization parameter that carries the scopes [default: scope]'
            cand --token-path 'The object of the token response holding the token fields, e.g. authed_user'
            cand --token-var 'A token-response field to keep as a connection var (repeatable) [default: every non-secret string]'
            cand --token-scheme 'The Authorization scheme for API calls [default: Bearer]'
            cand --token-header 'The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token'
            cand --metadata-url 'A URL fetched with the new token after connecting; see --metadata-var'
            cand --metadata-auth-scheme 'The Authorization scheme of the metadata request [default: Bearer]'
            cand --metadata-var 'Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id'
            cand --api-key-header 'The header that carries the API key, e.g. Authorization'
            cand --api-key-query 'The query parameter that carries the API key, e.g. key'
            cand --api-key-prefix 'Text before the key in the header, e.g. "Bearer "'
            cand --ca-file 'A PEM file of CA certificates trusted besides the platform''s for every request of this service'
            cand --pagination 'How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH'
            cand --env 'The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]'
            cand --git-username 'The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]'
            cand --docker-username 'The user name `tether credential docker` gives with the token [default: oauth2accesstoken]'
            cand --refresh-token-lifetime 'How long the provider''s refresh tokens live from the authorization, whatever their use, e.g. 7d'
            cand --refresh-token-idle 'How long the provider''s refresh tokens live unused (each refresh starts it again), e.g. 90d'
            cand --include-granted-scopes 'Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]'
            cand --on-needs-authorization 'A command run with a JSON description on stdin when a connection needs authorization or lapses soon'
            cand --unset 'Remove a key from the service (repeatable), e.g. `--unset revoke_url`'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --client-secret-stdin 'Read the client secret from standard input into the keyring'
            cand --client-secret-prompt 'Ask for the client secret (hidden) and keep it in the keyring'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;remove'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --force 'Remove it even while connections use it'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;rm'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --force 'Remove it even while connections use it'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;templates'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of a table'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show one template: what it sets and how to register an app'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;service;templates;show'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of text'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;service;templates;help'= {
            cand show 'Show one template: what it sets and how to register an app'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;service;templates;help;show'= {
        }
        &'tether;service;templates;help;help'= {
        }
        &'tether;service;help'= {
            cand add 'Define a new service'
            cand list 'List the services'
            cand show 'Show one service'
            cand edit 'Change a service (only the given fields)'
            cand remove 'Remove a service and its stored client secret'
            cand templates 'List the built-in templates (those that match FILTER), or show one'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;service;help;add'= {
        }
        &'tether;service;help;list'= {
        }
        &'tether;service;help;show'= {
        }
        &'tether;service;help;edit'= {
        }
        &'tether;service;help;remove'= {
        }
        &'tether;service;help;templates'= {
            cand show 'Show one template: what it sets and how to register an app'
        }
        &'tether;service;help;templates;show'= {
        }
        &'tether;service;help;help'= {
        }
        &'tether;connect'= {
            cand -s 'The service to connect (needed when the connection is new, unless a service has its name)'
            cand --service 'The service to connect (needed when the connection is new, unless a service has its name)'
            cand --scope 'A scope to ask for instead of the service''s defaults (repeatable)'
            cand --var 'A value for `{K}` in the service''s URLs for this connection (repeatable), e.g. shop=acme; kept in its `vars`'
            cand --port 'Use this loopback port for the redirect'
            cand --timeout 'How long to wait for the browser, in seconds'
            cand --username 'The user name (basic)'
            cand --store 'Keep the tokens in this store (keyring, file or a [stores.NAME]); written as the connection''s `store`'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --no-browser 'Do not open a browser; print the URL and wait'
            cand --manual 'Paste the final redirect URL (or the code) instead of using the loopback listener'
            cand --device 'Use the device authorization grant: enter a code on any device (RFC 8628)'
            cand --remote 'Authorize from another machine: print a `tether authorize` command to run where a browser is'
            cand --stdin 'Read the API key, password or token from standard input (api_key, basic, bearer)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the connections and their status'
            cand ls 'List the connections and their status'
            cand show 'Show one connection and how to use it'
            cand remove 'Delete a connection''s tokens and its config entry'
            cand rm 'Delete a connection''s tokens and its config entry'
            cand export 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret'
            cand import 'Read a line printed by `export` from stdin into the local token store'
            cand move 'Move a connection''s tokens to another store (keyring, file or a shared one)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;connection;list'= {
            cand --for 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of a table'
            cand --check 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;ls'= {
            cand --for 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of a table'
            cand --check 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;show'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of text'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;remove'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;rm'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;export'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;import'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;move'= {
            cand --to 'The store to move it to: `keyring`, `file` or a `[stores.NAME]`'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;connection;help'= {
            cand list 'List the connections and their status'
            cand show 'Show one connection and how to use it'
            cand remove 'Delete a connection''s tokens and its config entry'
            cand export 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret'
            cand import 'Read a line printed by `export` from stdin into the local token store'
            cand move 'Move a connection''s tokens to another store (keyring, file or a shared one)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;connection;help;list'= {
        }
        &'tether;connection;help;show'= {
        }
        &'tether;connection;help;remove'= {
        }
        &'tether;connection;help;export'= {
        }
        &'tether;connection;help;import'= {
        }
        &'tether;connection;help;move'= {
        }
        &'tether;connection;help;help'= {
        }
        &'tether;status'= {
            cand --for 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of a table'
            cand --check 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;disconnect'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;authorize'= {
            cand --timeout 'How long to wait for the browser, in seconds'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --no-browser 'Print the URL instead of opening a browser'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;invoke'= {
            cand --var 'Fill `{NAME}` in the URL (repeatable)'
            cand --body 'Send a raw body: `@FILE`, or `-` for standard input'
            cand -o 'Write the response body to a file'
            cand --output 'Write the response body to a file'
            cand --timeout 'Give up on the request after this many seconds'
            cand --retries 'Retry idempotent requests on 429, 502, 503 and 504 [default: 0; with --batch, 8 on 429 and 503]'
            cand --allow-host 'Also send the credential to this host (repeatable)'
            cand --jq 'Filter the JSON body (or the --json envelope) with a jq expression; the body of an HTTP error is printed unfiltered'
            cand --max-pages 'With --paginate: stop after N pages'
            cand --next 'Where a page names the next [default: the service''s `pagination`, else link]'
            cand --items 'A dotted path to the array of items in each page, e.g. `data` [default: the page is the array]'
            cand --cursor 'A dotted path to the cursor (--next cursor) or the next URL (--next next_url) in the body'
            cand --param 'The query parameter that carries the cursor or the page number [default: cursor, page]'
            cand --has-more 'A dotted path to a boolean that is true while more pages follow, e.g. `info.more_records`'
            cand --batch 'Send the requests of an NDJSON file (`-`: standard input), one per line, and print one NDJSON result per request'
            cand --parallel 'With --batch: requests in flight at once'
            cand --rate 'With --batch: start at most this many requests per second (`10/s`) or minute (`600/m`)'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -f 'Send `field=value` items form-encoded'
            cand --form 'Send `field=value` items form-encoded'
            cand -v 'Print the request and response headers on stderr (credentials redacted)'
            cand --verbose 'Print the request and response headers on stderr (credentials redacted)'
            cand -c 'With --output: resume what an interrupted download kept in FILE.part'
            cand --continue 'With --output: resume what an interrupted download kept in FILE.part'
            cand -d 'Write the response body to a new file named after the answer (Content-Disposition) or the URL, in the current folder'
            cand --download 'Write the response body to a new file named after the answer (Content-Disposition) or the URL, in the current folder'
            cand --json 'Print {status, headers, body} as JSON'
            cand --no-fail 'Exit 0 whatever the HTTP status'
            cand --dry-run 'Print the request that would be sent and exit'
            cand --curl 'Print an equivalent curl command and exit'
            cand --no-auth 'Send the request without the connection''s credential, items as given'
            cand -r 'With --jq: print strings without quotes, as `jq -r` does'
            cand --raw-output 'With --jq: print strings without quotes, as `jq -r` does'
            cand --paginate 'Follow the pages of a listing and print their items as one JSON array (with --jq: the filter runs on each item)'
            cand --ndjson 'With --paginate: one item per line (NDJSON), written as the pages arrive'
            cand --ordered 'With --batch: print the results in input order instead of as they complete'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;token'= {
            cand --url 'With --header: the URL the header is for, checked against the connection''s allowed hosts; an OAuth 1.0a header signs this one request'
            cand --method 'With --url: the method of that request (OAuth 1.0a signs it)'
            cand --sasl 'Print the SASL initial response (base64) of this mechanism, for a mail client that takes one'
            cand --user 'With --sasl: the user to log in as [default: the connection''s `email` var]'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --header 'Print `Authorization: Bearer …` instead of the bare token'
            cand --json 'Print {access_token, token_type, expires_at, scopes}'
            cand --show-secrets 'With --json: include an OAuth 1.0a connection''s token secret'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;doctor'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON instead of a table'
            cand --fix 'Take away what other users may do with the config and the token files where a check finds too much'
            cand --refresh 'With NAME: make a real refresh (the old tokens are kept if it fails)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;completions'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;man'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;exec'= {
            cand -c 'A connection whose token goes in TETHER_TOKEN, or the service''s `env` (repeatable)'
            cand --connection 'A connection whose token goes in TETHER_TOKEN, or the service''s `env` (repeatable)'
            cand --env 'A variable and the connection whose token it holds (repeatable), e.g. GITHUB_TOKEN=gh-work'
            cand --keep-env 'Pass this variable through although tether would keep it from the command (repeatable)'
            cand --min-valid 'Refresh a token first when less than this remains of it, e.g. 30m'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;credential'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand git 'git''s credential helper: `git config --global credential.helper ''!tether credential git''`'
            cand kubectl 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza'
            cand docker 'docker''s credential helper (also run as `docker-credential-tether`)'
            cand netrc 'Print netrc lines for the connections'' hosts (stdout only)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;credential;git'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;credential;kubectl'= {
            cand --min-valid 'Refresh first when less than this remains of the token, e.g. 5m'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --id-token 'Hand the OpenID Connect ID token instead of the access token'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;credential;docker'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;credential;netrc'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;credential;help'= {
            cand git 'git''s credential helper: `git config --global credential.helper ''!tether credential git''`'
            cand kubectl 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza'
            cand docker 'docker''s credential helper (also run as `docker-credential-tether`)'
            cand netrc 'Print netrc lines for the connections'' hosts (stdout only)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;credential;help;git'= {
        }
        &'tether;credential;help;kubectl'= {
        }
        &'tether;credential;help;docker'= {
        }
        &'tether;credential;help;netrc'= {
        }
        &'tether;credential;help;help'= {
        }
        &'tether;keepalive'= {
            cand --within 'Refresh the connections whose refresh token would lapse within this long'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --dry-run 'Say what would be done, and do nothing'
            cand --json 'Print JSON instead of a table'
            cand --print-systemd 'Print a systemd user service and timer that run keepalive daily (nothing is installed)'
            cand --print-launchd 'Print a launchd agent that runs keepalive daily (nothing is installed)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;store'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create or migrate a shared store''s tables and write its key check'
            cand rekey 'Re-encrypt every record of a shared store under a new key, in one transaction'
            cand check 'Check a shared store: reachable, schema version, key, round trip'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;store;init'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --print 'Print the DDL instead of running it'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;store;rekey'= {
            cand --new-key-env 'The environment variable that holds the new key (hex or base64 of 32 bytes)'
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;store;check'= {
            cand --config 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]'
            cand --json 'Print JSON'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tether;store;help'= {
            cand init 'Create or migrate a shared store''s tables and write its key check'
            cand rekey 'Re-encrypt every record of a shared store under a new key, in one transaction'
            cand check 'Check a shared store: reachable, schema version, key, round trip'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;store;help;init'= {
        }
        &'tether;store;help;rekey'= {
        }
        &'tether;store;help;check'= {
        }
        &'tether;store;help;help'= {
        }
        &'tether;help'= {
            cand service 'Define the services tether can connect to'
            cand connect 'Authorize a connection (creating it when absent)'
            cand connection 'List, inspect and remove connections'
            cand status 'Show every connection and its status (same as `connection list`)'
            cand disconnect 'Revoke a connection''s tokens at the provider and delete them here'
            cand authorize 'Open an authorization URL printed by `connect --remote` and catch its redirect'
            cand invoke 'Call an API through a connection'
            cand token 'Print a valid access token, refreshing it when due'
            cand doctor 'Check what works here: config, token store, browser, clock'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (roff): `tether man > tether.1`'
            cand exec 'Run a command with fresh tokens in its environment'
            cand credential 'Hand credentials to git, kubectl, docker and netrc readers'
            cand keepalive 'Refresh the connections whose refresh token would lapse soon (for cron and timers)'
            cand store 'Set up and look after shared token stores (`[stores.NAME]`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tether;help;service'= {
            cand add 'Define a new service'
            cand list 'List the services'
            cand show 'Show one service'
            cand edit 'Change a service (only the given fields)'
            cand remove 'Remove a service and its stored client secret'
            cand templates 'List the built-in templates (those that match FILTER), or show one'
        }
        &'tether;help;service;add'= {
        }
        &'tether;help;service;list'= {
        }
        &'tether;help;service;show'= {
        }
        &'tether;help;service;edit'= {
        }
        &'tether;help;service;remove'= {
        }
        &'tether;help;service;templates'= {
            cand show 'Show one template: what it sets and how to register an app'
        }
        &'tether;help;service;templates;show'= {
        }
        &'tether;help;connect'= {
        }
        &'tether;help;connection'= {
            cand list 'List the connections and their status'
            cand show 'Show one connection and how to use it'
            cand remove 'Delete a connection''s tokens and its config entry'
            cand export 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret'
            cand import 'Read a line printed by `export` from stdin into the local token store'
            cand move 'Move a connection''s tokens to another store (keyring, file or a shared one)'
        }
        &'tether;help;connection;list'= {
        }
        &'tether;help;connection;show'= {
        }
        &'tether;help;connection;remove'= {
        }
        &'tether;help;connection;export'= {
        }
        &'tether;help;connection;import'= {
        }
        &'tether;help;connection;move'= {
        }
        &'tether;help;status'= {
        }
        &'tether;help;disconnect'= {
        }
        &'tether;help;authorize'= {
        }
        &'tether;help;invoke'= {
        }
        &'tether;help;token'= {
        }
        &'tether;help;doctor'= {
        }
        &'tether;help;completions'= {
        }
        &'tether;help;man'= {
        }
        &'tether;help;exec'= {
        }
        &'tether;help;credential'= {
            cand git 'git''s credential helper: `git config --global credential.helper ''!tether credential git''`'
            cand kubectl 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza'
            cand docker 'docker''s credential helper (also run as `docker-credential-tether`)'
            cand netrc 'Print netrc lines for the connections'' hosts (stdout only)'
        }
        &'tether;help;credential;git'= {
        }
        &'tether;help;credential;kubectl'= {
        }
        &'tether;help;credential;docker'= {
        }
        &'tether;help;credential;netrc'= {
        }
        &'tether;help;keepalive'= {
        }
        &'tether;help;store'= {
            cand init 'Create or migrate a shared store''s tables and write its key check'
            cand rekey 'Re-encrypt every record of a shared store under a new key, in one transaction'
            cand check 'Check a shared store: reachable, schema version, key, round trip'
        }
        &'tether;help;store;init'= {
        }
        &'tether;help;store;rekey'= {
        }
        &'tether;help;store;check'= {
        }
        &'tether;help;help'= {
        }
    ]
    $completions[$command]
}
