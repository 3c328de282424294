# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tether_global_optspecs
    string join \n config= h/help V/version
end

function __fish_tether_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tether_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tether_using_subcommand
    set -l cmd (__fish_tether_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tether -n "__fish_tether_needs_command" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_needs_command" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_needs_command" -f -a "service" -d 'Define the services tether can connect to'
complete -c tether -n "__fish_tether_needs_command" -f -a "connect" -d 'Authorize a connection (creating it when absent)'
complete -c tether -n "__fish_tether_needs_command" -f -a "connection" -d 'List, inspect and remove connections'
complete -c tether -n "__fish_tether_needs_command" -f -a "status" -d 'Show every connection and its status (same as `connection list`)'
complete -c tether -n "__fish_tether_needs_command" -f -a "disconnect" -d 'Revoke a connection\'s tokens at the provider and delete them here'
complete -c tether -n "__fish_tether_needs_command" -f -a "authorize" -d 'Open an authorization URL printed by `connect --remote` and catch its redirect'
complete -c tether -n "__fish_tether_needs_command" -f -a "invoke" -d 'Call an API through a connection'
complete -c tether -n "__fish_tether_needs_command" -f -a "token" -d 'Print a valid access token, refreshing it when due'
complete -c tether -n "__fish_tether_needs_command" -f -a "doctor" -d 'Check what works here: config, token store, browser, clock'
complete -c tether -n "__fish_tether_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c tether -n "__fish_tether_needs_command" -f -a "man" -d 'Print the manual page (roff): `tether man > tether.1`'
complete -c tether -n "__fish_tether_needs_command" -f -a "exec" -d 'Run a command with fresh tokens in its environment'
complete -c tether -n "__fish_tether_needs_command" -f -a "credential" -d 'Hand credentials to git, kubectl, docker and netrc readers'
complete -c tether -n "__fish_tether_needs_command" -f -a "keepalive" -d 'Refresh the connections whose refresh token would lapse soon (for cron and timers)'
complete -c tether -n "__fish_tether_needs_command" -f -a "store" -d 'Set up and look after shared token stores (`[stores.NAME]`)'
complete -c tether -n "__fish_tether_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "add" -d 'Define a new service'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "list" -d 'List the services'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "ls" -d 'List the services'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "show" -d 'Show one service'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "edit" -d 'Change a service (only the given fields)'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "remove" -d 'Remove a service and its stored client secret'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "rm" -d 'Remove a service and its stored client secret'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "templates" -d 'List the built-in templates (those that match FILTER), or show one'
complete -c tether -n "__fish_tether_using_subcommand service; and not __fish_seen_subcommand_from add list ls show edit remove rm templates help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l from -d 'Inherit from a built-in template (`tether service templates`); the config keeps only `template` and what you set' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l issuer -d 'Fill the endpoints from this issuer\'s discovery document' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l auth -d 'How the service authenticates' -r -f -a "oauth2\t'OAuth 2.0 authorization code in the browser'
client-credentials\t'OAuth 2.0 client credentials (no user)'
device\t'OAuth 2.0 device authorization'
api-key\t'An API key in a header or query parameter'
basic\t'HTTP Basic with a username and password'
bearer\t'A static bearer token'
oauth1\t'OAuth 1.0a: request token, browser, access token; every call signed'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l client-id -d 'The OAuth client ID' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l base-url -d 'The API\'s base URL; relative `invoke` URLs start here. `{var}` allowed' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l allowed-host -d 'A host a credential may be sent to besides base_url\'s (repeatable; `*.example.com`)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l default-header -d 'A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l var -d 'A value for `{K}` in the service\'s URLs (repeatable), e.g. tenant=common' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l client-secret-env -d 'Read the client secret from this environment variable' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l client-secret-command -d 'Read the client secret from this command\'s output (split like a shell would not: one word per argument)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l private-key-file -d 'Read the client\'s PEM private key from this file, which must be 0600 (OAuth 1.0a RSA-SHA1)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l private-key-env -d 'Read the client\'s PEM private key from this environment variable' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l private-key-command -d 'Read the client\'s PEM private key from this command\'s output (one word per argument)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l signature-method -d 'How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]' -r -f -a "HMAC-SHA1\t'HMAC-SHA1 with the client and token secrets'
HMAC-SHA256\t'HMAC-SHA256 with the client and token secrets'
RSA-SHA1\t'RSA-SHA1 with the client\'s private key'
PLAINTEXT\t'The secrets themselves, over https only'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l signature-location -d 'Where the OAuth 1.0a parameters travel: header or query [default: header]' -r -f -a "header\t'The `Authorization: OAuth …` header'
query\t'The query of the request URI'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l body-hash -d 'Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]' -r -f -a "true\t''
false\t''"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l request-token-url -d 'The OAuth 1.0a temporary-credentials (request token) endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l access-token-url -d 'The OAuth 1.0a token-credentials (access token) endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l request-token-param -d 'An extra parameter of the OAuth 1.0a request-token request (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l authorize-url -d 'The authorization endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l token-url -d 'The token endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l refresh-url -d 'The endpoint for refresh requests [default: token_url]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l revoke-url -d 'The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l device-authorization-url -d 'The device authorization endpoint (RFC 8628)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l token-host -d 'A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l scope -d 'A default scope (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l scope-separator -d 'What joins scopes in requests [default: " "]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l auth-param -d 'An extra authorization-request parameter (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l token-param -d 'An extra token-request parameter (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l refresh-param -d 'An extra refresh-request parameter (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l redirect-port -d 'A fixed loopback port for the redirect [default: any free port]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l redirect-uri -d 'A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l redirect-var -d 'Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l pkce -d 'Use PKCE (S256) [default: true]' -r -f -a "true\t''
false\t''"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l client-auth -d 'How the client authenticates at the token endpoint [default: basic]' -r -f -a "basic\t'HTTP Basic (client_secret_basic)'
body\t'In the form body (client_secret_post)'
basic-always\t'HTTP Basic even without a secret (client_id with an empty password)'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l scope-param -d 'The authorization parameter that carries the scopes [default: scope]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l token-path -d 'The object of the token response holding the token fields, e.g. authed_user' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l token-var -d 'A token-response field to keep as a connection var (repeatable) [default: every non-secret string]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l token-scheme -d 'The Authorization scheme for API calls [default: Bearer]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l token-header -d 'The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l metadata-url -d 'A URL fetched with the new token after connecting; see --metadata-var' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l metadata-auth-scheme -d 'The Authorization scheme of the metadata request [default: Bearer]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l metadata-var -d 'Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l api-key-header -d 'The header that carries the API key, e.g. Authorization' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l api-key-query -d 'The query parameter that carries the API key, e.g. key' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l api-key-prefix -d 'Text before the key in the header, e.g. "Bearer "' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l ca-file -d 'A PEM file of CA certificates trusted besides the platform\'s for every request of this service' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l pagination -d 'How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l env -d 'The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l git-username -d 'The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l docker-username -d 'The user name `tether credential docker` gives with the token [default: oauth2accesstoken]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l refresh-token-lifetime -d 'How long the provider\'s refresh tokens live from the authorization, whatever their use, e.g. 7d' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l refresh-token-idle -d 'How long the provider\'s refresh tokens live unused (each refresh starts it again), e.g. 90d' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l include-granted-scopes -d 'Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]' -r -f -a "true\t''
false\t''"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l on-needs-authorization -d 'A command run with a JSON description on stdin when a connection needs authorization or lapses soon' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l client-secret-stdin -d 'Read the client secret from standard input into the keyring'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -l client-secret-prompt -d 'Ask for the client secret (hidden) and keep it in the keyring'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from list" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from list" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from ls" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from show" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from show" -l json -d 'Print JSON instead of text'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l auth -d 'How the service authenticates' -r -f -a "oauth2\t'OAuth 2.0 authorization code in the browser'
client-credentials\t'OAuth 2.0 client credentials (no user)'
device\t'OAuth 2.0 device authorization'
api-key\t'An API key in a header or query parameter'
basic\t'HTTP Basic with a username and password'
bearer\t'A static bearer token'
oauth1\t'OAuth 1.0a: request token, browser, access token; every call signed'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l client-id -d 'The OAuth client ID' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l base-url -d 'The API\'s base URL; relative `invoke` URLs start here. `{var}` allowed' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l allowed-host -d 'A host a credential may be sent to besides base_url\'s (repeatable; `*.example.com`)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l default-header -d 'A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l var -d 'A value for `{K}` in the service\'s URLs (repeatable), e.g. tenant=common' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l client-secret-env -d 'Read the client secret from this environment variable' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l client-secret-command -d 'Read the client secret from this command\'s output (split like a shell would not: one word per argument)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l private-key-file -d 'Read the client\'s PEM private key from this file, which must be 0600 (OAuth 1.0a RSA-SHA1)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l private-key-env -d 'Read the client\'s PEM private key from this environment variable' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l private-key-command -d 'Read the client\'s PEM private key from this command\'s output (one word per argument)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l signature-method -d 'How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]' -r -f -a "HMAC-SHA1\t'HMAC-SHA1 with the client and token secrets'
HMAC-SHA256\t'HMAC-SHA256 with the client and token secrets'
RSA-SHA1\t'RSA-SHA1 with the client\'s private key'
PLAINTEXT\t'The secrets themselves, over https only'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l signature-location -d 'Where the OAuth 1.0a parameters travel: header or query [default: header]' -r -f -a "header\t'The `Authorization: OAuth …` header'
query\t'The query of the request URI'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l body-hash -d 'Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]' -r -f -a "true\t''
false\t''"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l request-token-url -d 'The OAuth 1.0a temporary-credentials (request token) endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l access-token-url -d 'The OAuth 1.0a token-credentials (access token) endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l request-token-param -d 'An extra parameter of the OAuth 1.0a request-token request (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l authorize-url -d 'The authorization endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l token-url -d 'The token endpoint' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l refresh-url -d 'The endpoint for refresh requests [default: token_url]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l revoke-url -d 'The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l device-authorization-url -d 'The device authorization endpoint (RFC 8628)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l token-host -d 'A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l scope -d 'A default scope (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l scope-separator -d 'What joins scopes in requests [default: " "]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l auth-param -d 'An extra authorization-request parameter (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l token-param -d 'An extra token-request parameter (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l refresh-param -d 'An extra refresh-request parameter (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l redirect-port -d 'A fixed loopback port for the redirect [default: any free port]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l redirect-uri -d 'A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l redirect-var -d 'Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l pkce -d 'Use PKCE (S256) [default: true]' -r -f -a "true\t''
false\t''"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l client-auth -d 'How the client authenticates at the token endpoint [default: basic]' -r -f -a "basic\t'HTTP Basic (client_secret_basic)'
body\t'In the form body (client_secret_post)'
basic-always\t'HTTP Basic even without a secret (client_id with an empty password)'"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l scope-param -d 'The authorization parameter that carries the scopes [default: scope]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l token-path -d 'The object of the token response holding the token fields, e.g. authed_user' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l token-var -d 'A token-response field to keep as a connection var (repeatable) [default: every non-secret string]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l token-scheme -d 'The Authorization scheme for API calls [default: Bearer]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l token-header -d 'The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l metadata-url -d 'A URL fetched with the new token after connecting; see --metadata-var' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l metadata-auth-scheme -d 'The Authorization scheme of the metadata request [default: Bearer]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l metadata-var -d 'Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l api-key-header -d 'The header that carries the API key, e.g. Authorization' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l api-key-query -d 'The query parameter that carries the API key, e.g. key' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l api-key-prefix -d 'Text before the key in the header, e.g. "Bearer "' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l ca-file -d 'A PEM file of CA certificates trusted besides the platform\'s for every request of this service' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l pagination -d 'How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l env -d 'The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l git-username -d 'The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l docker-username -d 'The user name `tether credential docker` gives with the token [default: oauth2accesstoken]' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l refresh-token-lifetime -d 'How long the provider\'s refresh tokens live from the authorization, whatever their use, e.g. 7d' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l refresh-token-idle -d 'How long the provider\'s refresh tokens live unused (each refresh starts it again), e.g. 90d' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l include-granted-scopes -d 'Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]' -r -f -a "true\t''
false\t''"
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l on-needs-authorization -d 'A command run with a JSON description on stdin when a connection needs authorization or lapses soon' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l unset -d 'Remove a key from the service (repeatable), e.g. `--unset revoke_url`' -r
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l client-secret-stdin -d 'Read the client secret from standard input into the keyring'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -l client-secret-prompt -d 'Ask for the client secret (hidden) and keep it in the keyring'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from remove" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from remove" -l force -d 'Remove it even while connections use it'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from rm" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from rm" -l force -d 'Remove it even while connections use it'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from templates" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from templates" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from templates" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from templates" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from templates" -a "show" -d 'Show one template: what it sets and how to register an app'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from templates" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "add" -d 'Define a new service'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the services'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one service'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change a service (only the given fields)'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a service and its stored client secret'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "templates" -d 'List the built-in templates (those that match FILTER), or show one'
complete -c tether -n "__fish_tether_using_subcommand service; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand connect" -s s -l service -d 'The service to connect (needed when the connection is new, unless a service has its name)' -r
complete -c tether -n "__fish_tether_using_subcommand connect" -l scope -d 'A scope to ask for instead of the service\'s defaults (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand connect" -l var -d 'A value for `{K}` in the service\'s URLs for this connection (repeatable), e.g. shop=acme; kept in its `vars`' -r
complete -c tether -n "__fish_tether_using_subcommand connect" -l port -d 'Use this loopback port for the redirect' -r
complete -c tether -n "__fish_tether_using_subcommand connect" -l timeout -d 'How long to wait for the browser, in seconds' -r
complete -c tether -n "__fish_tether_using_subcommand connect" -l username -d 'The user name (basic)' -r
complete -c tether -n "__fish_tether_using_subcommand connect" -l store -d 'Keep the tokens in this store (keyring, file or a [stores.NAME]); written as the connection\'s `store`' -r
complete -c tether -n "__fish_tether_using_subcommand connect" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connect" -l no-browser -d 'Do not open a browser; print the URL and wait'
complete -c tether -n "__fish_tether_using_subcommand connect" -l manual -d 'Paste the final redirect URL (or the code) instead of using the loopback listener'
complete -c tether -n "__fish_tether_using_subcommand connect" -l device -d 'Use the device authorization grant: enter a code on any device (RFC 8628)'
complete -c tether -n "__fish_tether_using_subcommand connect" -l remote -d 'Authorize from another machine: print a `tether authorize` command to run where a browser is'
complete -c tether -n "__fish_tether_using_subcommand connect" -l stdin -d 'Read the API key, password or token from standard input (api_key, basic, bearer)'
complete -c tether -n "__fish_tether_using_subcommand connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_using_subcommand connect" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "list" -d 'List the connections and their status'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "ls" -d 'List the connections and their status'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "show" -d 'Show one connection and how to use it'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "remove" -d 'Delete a connection\'s tokens and its config entry'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "rm" -d 'Delete a connection\'s tokens and its config entry'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "export" -d 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "import" -d 'Read a line printed by `export` from stdin into the local token store'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "move" -d 'Move a connection\'s tokens to another store (keyring, file or a shared one)'
complete -c tether -n "__fish_tether_using_subcommand connection; and not __fish_seen_subcommand_from list ls show remove rm export import move help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from list" -l for -d 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]' -r
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from list" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from list" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from list" -l check -d 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from ls" -l for -d 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]' -r
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from ls" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from ls" -l check -d 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from show" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from show" -l json -d 'Print JSON instead of text'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from remove" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from rm" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from export" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from import" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from move" -l to -d 'The store to move it to: `keyring`, `file` or a `[stores.NAME]`' -r
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from move" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from move" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from move" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the connections and their status'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one connection and how to use it'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete a connection\'s tokens and its config entry'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from help" -f -a "import" -d 'Read a line printed by `export` from stdin into the local token store'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from help" -f -a "move" -d 'Move a connection\'s tokens to another store (keyring, file or a shared one)'
complete -c tether -n "__fish_tether_using_subcommand connection; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand status" -l for -d 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]' -r
complete -c tether -n "__fish_tether_using_subcommand status" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand status" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand status" -l check -d 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr'
complete -c tether -n "__fish_tether_using_subcommand status" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand status" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand disconnect" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand disconnect" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand disconnect" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand authorize" -l timeout -d 'How long to wait for the browser, in seconds' -r
complete -c tether -n "__fish_tether_using_subcommand authorize" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand authorize" -l no-browser -d 'Print the URL instead of opening a browser'
complete -c tether -n "__fish_tether_using_subcommand authorize" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand authorize" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l var -d 'Fill `{NAME}` in the URL (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l body -d 'Send a raw body: `@FILE`, or `-` for standard input' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -s o -l output -d 'Write the response body to a file' -r -F
complete -c tether -n "__fish_tether_using_subcommand invoke" -l timeout -d 'Give up on the request after this many seconds' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l retries -d 'Retry idempotent requests on 429, 502, 503 and 504 [default: 0; with --batch, 8 on 429 and 503]' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l allow-host -d 'Also send the credential to this host (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l jq -d 'Filter the JSON body (or the --json envelope) with a jq expression; the body of an HTTP error is printed unfiltered' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l max-pages -d 'With --paginate: stop after N pages' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l next -d 'Where a page names the next [default: the service\'s `pagination`, else link]' -r -f -a "link\t'A `Link: <URL>; rel="next"` header (RFC 8288)'
cursor\t'A cursor in the body (--cursor), sent back in a query parameter (--param)'
next_url\t'A URL in the body (--cursor)'
page\t'A page number in a query parameter (--param), counted up'"
complete -c tether -n "__fish_tether_using_subcommand invoke" -l items -d 'A dotted path to the array of items in each page, e.g. `data` [default: the page is the array]' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l cursor -d 'A dotted path to the cursor (--next cursor) or the next URL (--next next_url) in the body' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l param -d 'The query parameter that carries the cursor or the page number [default: cursor, page]' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l has-more -d 'A dotted path to a boolean that is true while more pages follow, e.g. `info.more_records`' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l batch -d 'Send the requests of an NDJSON file (`-`: standard input), one per line, and print one NDJSON result per request' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l parallel -d 'With --batch: requests in flight at once' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l rate -d 'With --batch: start at most this many requests per second (`10/s`) or minute (`600/m`)' -r
complete -c tether -n "__fish_tether_using_subcommand invoke" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand invoke" -s f -l form -d 'Send `field=value` items form-encoded'
complete -c tether -n "__fish_tether_using_subcommand invoke" -s v -l verbose -d 'Print the request and response headers on stderr (credentials redacted)'
complete -c tether -n "__fish_tether_using_subcommand invoke" -s c -l continue -d 'With --output: resume what an interrupted download kept in FILE.part'
complete -c tether -n "__fish_tether_using_subcommand invoke" -s d -l download -d 'Write the response body to a new file named after the answer (Content-Disposition) or the URL, in the current folder'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l json -d 'Print {status, headers, body} as JSON'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l no-fail -d 'Exit 0 whatever the HTTP status'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l dry-run -d 'Print the request that would be sent and exit'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l curl -d 'Print an equivalent curl command and exit'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l no-auth -d 'Send the request without the connection\'s credential, items as given'
complete -c tether -n "__fish_tether_using_subcommand invoke" -s r -l raw-output -d 'With --jq: print strings without quotes, as `jq -r` does'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l paginate -d 'Follow the pages of a listing and print their items as one JSON array (with --jq: the filter runs on each item)'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l ndjson -d 'With --paginate: one item per line (NDJSON), written as the pages arrive'
complete -c tether -n "__fish_tether_using_subcommand invoke" -l ordered -d 'With --batch: print the results in input order instead of as they complete'
complete -c tether -n "__fish_tether_using_subcommand invoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_using_subcommand invoke" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand token" -l url -d 'With --header: the URL the header is for, checked against the connection\'s allowed hosts; an OAuth 1.0a header signs this one request' -r
complete -c tether -n "__fish_tether_using_subcommand token" -l method -d 'With --url: the method of that request (OAuth 1.0a signs it)' -r
complete -c tether -n "__fish_tether_using_subcommand token" -l sasl -d 'Print the SASL initial response (base64) of this mechanism, for a mail client that takes one' -r -f -a "xoauth2\t'Google\'s and Microsoft\'s XOAUTH2'
oauthbearer\t'OAUTHBEARER (RFC 7628)'"
complete -c tether -n "__fish_tether_using_subcommand token" -l user -d 'With --sasl: the user to log in as [default: the connection\'s `email` var]' -r
complete -c tether -n "__fish_tether_using_subcommand token" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand token" -l header -d 'Print `Authorization: Bearer …` instead of the bare token'
complete -c tether -n "__fish_tether_using_subcommand token" -l json -d 'Print {access_token, token_type, expires_at, scopes}'
complete -c tether -n "__fish_tether_using_subcommand token" -l show-secrets -d 'With --json: include an OAuth 1.0a connection\'s token secret'
complete -c tether -n "__fish_tether_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_using_subcommand token" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand doctor" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand doctor" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand doctor" -l fix -d 'Take away what other users may do with the config and the token files where a check finds too much'
complete -c tether -n "__fish_tether_using_subcommand doctor" -l refresh -d 'With NAME: make a real refresh (the old tokens are kept if it fails)'
complete -c tether -n "__fish_tether_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand completions" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand completions" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand man" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand man" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand man" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand exec" -s c -l connection -d 'A connection whose token goes in TETHER_TOKEN, or the service\'s `env` (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand exec" -l env -d 'A variable and the connection whose token it holds (repeatable), e.g. GITHUB_TOKEN=gh-work' -r
complete -c tether -n "__fish_tether_using_subcommand exec" -l keep-env -d 'Pass this variable through although tether would keep it from the command (repeatable)' -r
complete -c tether -n "__fish_tether_using_subcommand exec" -l min-valid -d 'Refresh a token first when less than this remains of it, e.g. 30m' -r
complete -c tether -n "__fish_tether_using_subcommand exec" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_using_subcommand exec" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -f -a "git" -d 'git\'s credential helper: `git config --global credential.helper \'!tether credential git\'`'
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -f -a "kubectl" -d 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza'
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -f -a "docker" -d 'docker\'s credential helper (also run as `docker-credential-tether`)'
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -f -a "netrc" -d 'Print netrc lines for the connections\' hosts (stdout only)'
complete -c tether -n "__fish_tether_using_subcommand credential; and not __fish_seen_subcommand_from git kubectl docker netrc help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from git" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from git" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from git" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from kubectl" -l min-valid -d 'Refresh first when less than this remains of the token, e.g. 5m' -r
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from kubectl" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from kubectl" -l id-token -d 'Hand the OpenID Connect ID token instead of the access token'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from kubectl" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from kubectl" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from docker" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from docker" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from docker" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from netrc" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from netrc" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from netrc" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from help" -f -a "git" -d 'git\'s credential helper: `git config --global credential.helper \'!tether credential git\'`'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from help" -f -a "kubectl" -d 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from help" -f -a "docker" -d 'docker\'s credential helper (also run as `docker-credential-tether`)'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from help" -f -a "netrc" -d 'Print netrc lines for the connections\' hosts (stdout only)'
complete -c tether -n "__fish_tether_using_subcommand credential; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand keepalive" -l within -d 'Refresh the connections whose refresh token would lapse within this long' -r
complete -c tether -n "__fish_tether_using_subcommand keepalive" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand keepalive" -l dry-run -d 'Say what would be done, and do nothing'
complete -c tether -n "__fish_tether_using_subcommand keepalive" -l json -d 'Print JSON instead of a table'
complete -c tether -n "__fish_tether_using_subcommand keepalive" -l print-systemd -d 'Print a systemd user service and timer that run keepalive daily (nothing is installed)'
complete -c tether -n "__fish_tether_using_subcommand keepalive" -l print-launchd -d 'Print a launchd agent that runs keepalive daily (nothing is installed)'
complete -c tether -n "__fish_tether_using_subcommand keepalive" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand keepalive" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand store; and not __fish_seen_subcommand_from init rekey check help" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand store; and not __fish_seen_subcommand_from init rekey check help" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand store; and not __fish_seen_subcommand_from init rekey check help" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand store; and not __fish_seen_subcommand_from init rekey check help" -f -a "init" -d 'Create or migrate a shared store\'s tables and write its key check'
complete -c tether -n "__fish_tether_using_subcommand store; and not __fish_seen_subcommand_from init rekey check help" -f -a "rekey" -d 'Re-encrypt every record of a shared store under a new key, in one transaction'
complete -c tether -n "__fish_tether_using_subcommand store; and not __fish_seen_subcommand_from init rekey check help" -f -a "check" -d 'Check a shared store: reachable, schema version, key, round trip'
complete -c tether -n "__fish_tether_using_subcommand store; and not __fish_seen_subcommand_from init rekey check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from init" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from init" -l print -d 'Print the DDL instead of running it'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from rekey" -l new-key-env -d 'The environment variable that holds the new key (hex or base64 of 32 bytes)' -r
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from rekey" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from rekey" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from rekey" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from check" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]' -r -F
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from check" -l json -d 'Print JSON'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create or migrate a shared store\'s tables and write its key check'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "rekey" -d 'Re-encrypt every record of a shared store under a new key, in one transaction'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check a shared store: reachable, schema version, key, round trip'
complete -c tether -n "__fish_tether_using_subcommand store; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "service" -d 'Define the services tether can connect to'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "connect" -d 'Authorize a connection (creating it when absent)'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "connection" -d 'List, inspect and remove connections'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "status" -d 'Show every connection and its status (same as `connection list`)'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "disconnect" -d 'Revoke a connection\'s tokens at the provider and delete them here'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "authorize" -d 'Open an authorization URL printed by `connect --remote` and catch its redirect'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "invoke" -d 'Call an API through a connection'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "token" -d 'Print a valid access token, refreshing it when due'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "doctor" -d 'Check what works here: config, token store, browser, clock'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "completions" -d 'Print a shell completion script'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "man" -d 'Print the manual page (roff): `tether man > tether.1`'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "exec" -d 'Run a command with fresh tokens in its environment'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "credential" -d 'Hand credentials to git, kubectl, docker and netrc readers'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "keepalive" -d 'Refresh the connections whose refresh token would lapse soon (for cron and timers)'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "store" -d 'Set up and look after shared token stores (`[stores.NAME]`)'
complete -c tether -n "__fish_tether_using_subcommand help; and not __fish_seen_subcommand_from service connect connection status disconnect authorize invoke token doctor completions man exec credential keepalive store help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "add" -d 'Define a new service'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "list" -d 'List the services'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "show" -d 'Show one service'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "edit" -d 'Change a service (only the given fields)'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "remove" -d 'Remove a service and its stored client secret'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from service" -f -a "templates" -d 'List the built-in templates (those that match FILTER), or show one'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from connection" -f -a "list" -d 'List the connections and their status'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from connection" -f -a "show" -d 'Show one connection and how to use it'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from connection" -f -a "remove" -d 'Delete a connection\'s tokens and its config entry'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from connection" -f -a "export" -d 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from connection" -f -a "import" -d 'Read a line printed by `export` from stdin into the local token store'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from connection" -f -a "move" -d 'Move a connection\'s tokens to another store (keyring, file or a shared one)'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from credential" -f -a "git" -d 'git\'s credential helper: `git config --global credential.helper \'!tether credential git\'`'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from credential" -f -a "kubectl" -d 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from credential" -f -a "docker" -d 'docker\'s credential helper (also run as `docker-credential-tether`)'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from credential" -f -a "netrc" -d 'Print netrc lines for the connections\' hosts (stdout only)'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "init" -d 'Create or migrate a shared store\'s tables and write its key check'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "rekey" -d 'Re-encrypt every record of a shared store under a new key, in one transaction'
complete -c tether -n "__fish_tether_using_subcommand help; and __fish_seen_subcommand_from store" -f -a "check" -d 'Check a shared store: reachable, schema version, key, round trip'
