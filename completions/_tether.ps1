
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tether' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tether'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tether' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'Define the services tether can connect to')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Authorize a connection (creating it when absent)')
            [CompletionResult]::new('connection', 'connection', [CompletionResultType]::ParameterValue, 'List, inspect and remove connections')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every connection and its status (same as `connection list`)')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Revoke a connection''s tokens at the provider and delete them here')
            [CompletionResult]::new('authorize', 'authorize', [CompletionResultType]::ParameterValue, 'Open an authorization URL printed by `connect --remote` and catch its redirect')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Call an API through a connection')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token, refreshing it when due')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check what works here: config, token store, browser, clock')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff): `tether man > tether.1`')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with fresh tokens in its environment')
            [CompletionResult]::new('credential', 'credential', [CompletionResultType]::ParameterValue, 'Hand credentials to git, kubectl, docker and netrc readers')
            [CompletionResult]::new('keepalive', 'keepalive', [CompletionResultType]::ParameterValue, 'Refresh the connections whose refresh token would lapse soon (for cron and timers)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Set up and look after shared token stores (`[stores.NAME]`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;service' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Define a new service')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the services')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one service')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a service (only the given fields)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a service and its stored client secret')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a service and its stored client secret')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'List the built-in templates (those that match FILTER), or show one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;service;add' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Inherit from a built-in template (`tether service templates`); the config keeps only `template` and what you set')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Fill the endpoints from this issuer''s discovery document')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the service authenticates')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The OAuth client ID')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL; relative `invoke` URLs start here. `{var}` allowed')
            [CompletionResult]::new('--allowed-host', '--allowed-host', [CompletionResultType]::ParameterName, 'A host a credential may be sent to besides base_url''s (repeatable; `*.example.com`)')
            [CompletionResult]::new('--default-header', '--default-header', [CompletionResultType]::ParameterName, 'A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A value for `{K}` in the service''s URLs (repeatable), e.g. tenant=common')
            [CompletionResult]::new('--client-secret-env', '--client-secret-env', [CompletionResultType]::ParameterName, 'Read the client secret from this environment variable')
            [CompletionResult]::new('--client-secret-command', '--client-secret-command', [CompletionResultType]::ParameterName, 'Read the client secret from this command''s output (split like a shell would not: one word per argument)')
            [CompletionResult]::new('--private-key-file', '--private-key-file', [CompletionResultType]::ParameterName, 'Read the client''s PEM private key from this file, which must be 0600 (OAuth 1.0a RSA-SHA1)')
            [CompletionResult]::new('--private-key-env', '--private-key-env', [CompletionResultType]::ParameterName, 'Read the client''s PEM private key from this environment variable')
            [CompletionResult]::new('--private-key-command', '--private-key-command', [CompletionResultType]::ParameterName, 'Read the client''s PEM private key from this command''s output (one word per argument)')
            [CompletionResult]::new('--signature-method', '--signature-method', [CompletionResultType]::ParameterName, 'How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]')
            [CompletionResult]::new('--signature-location', '--signature-location', [CompletionResultType]::ParameterName, 'Where the OAuth 1.0a parameters travel: header or query [default: header]')
            [CompletionResult]::new('--body-hash', '--body-hash', [CompletionResultType]::ParameterName, 'Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]')
            [CompletionResult]::new('--request-token-url', '--request-token-url', [CompletionResultType]::ParameterName, 'The OAuth 1.0a temporary-credentials (request token) endpoint')
            [CompletionResult]::new('--access-token-url', '--access-token-url', [CompletionResultType]::ParameterName, 'The OAuth 1.0a token-credentials (access token) endpoint')
            [CompletionResult]::new('--request-token-param', '--request-token-param', [CompletionResultType]::ParameterName, 'An extra parameter of the OAuth 1.0a request-token request (repeatable)')
            [CompletionResult]::new('--authorize-url', '--authorize-url', [CompletionResultType]::ParameterName, 'The authorization endpoint')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'The token endpoint')
            [CompletionResult]::new('--refresh-url', '--refresh-url', [CompletionResultType]::ParameterName, 'The endpoint for refresh requests [default: token_url]')
            [CompletionResult]::new('--revoke-url', '--revoke-url', [CompletionResultType]::ParameterName, 'The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)')
            [CompletionResult]::new('--device-authorization-url', '--device-authorization-url', [CompletionResultType]::ParameterName, 'The device authorization endpoint (RFC 8628)')
            [CompletionResult]::new('--token-host', '--token-host', [CompletionResultType]::ParameterName, 'A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'A default scope (repeatable)')
            [CompletionResult]::new('--scope-separator', '--scope-separator', [CompletionResultType]::ParameterName, 'What joins scopes in requests [default: " "]')
            [CompletionResult]::new('--auth-param', '--auth-param', [CompletionResultType]::ParameterName, 'An extra authorization-request parameter (repeatable)')
            [CompletionResult]::new('--token-param', '--token-param', [CompletionResultType]::ParameterName, 'An extra token-request parameter (repeatable)')
            [CompletionResult]::new('--refresh-param', '--refresh-param', [CompletionResultType]::ParameterName, 'An extra refresh-request parameter (repeatable)')
            [CompletionResult]::new('--redirect-port', '--redirect-port', [CompletionResultType]::ParameterName, 'A fixed loopback port for the redirect [default: any free port]')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb')
            [CompletionResult]::new('--redirect-var', '--redirect-var', [CompletionResultType]::ParameterName, 'Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId')
            [CompletionResult]::new('--pkce', '--pkce', [CompletionResultType]::ParameterName, 'Use PKCE (S256) [default: true]')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'How the client authenticates at the token endpoint [default: basic]')
            [CompletionResult]::new('--scope-param', '--scope-param', [CompletionResultType]::ParameterName, 'The authorization parameter that carries the scopes [default: scope]')
            [CompletionResult]::new('--token-path', '--token-path', [CompletionResultType]::ParameterName, 'The object of the token response holding the token fields, e.g. authed_user')
            [CompletionResult]::new('--token-var', '--token-var', [CompletionResultType]::ParameterName, 'A token-response field to keep as a connection var (repeatable) [default: every non-secret string]')
            [CompletionResult]::new('--token-scheme', '--token-scheme', [CompletionResultType]::ParameterName, 'The Authorization scheme for API calls [default: Bearer]')
            [CompletionResult]::new('--token-header', '--token-header', [CompletionResultType]::ParameterName, 'The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token')
            [CompletionResult]::new('--metadata-url', '--metadata-url', [CompletionResultType]::ParameterName, 'A URL fetched with the new token after connecting; see --metadata-var')
            [CompletionResult]::new('--metadata-auth-scheme', '--metadata-auth-scheme', [CompletionResultType]::ParameterName, 'The Authorization scheme of the metadata request [default: Bearer]')
            [CompletionResult]::new('--metadata-var', '--metadata-var', [CompletionResultType]::ParameterName, 'Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id')
            [CompletionResult]::new('--api-key-header', '--api-key-header', [CompletionResultType]::ParameterName, 'The header that carries the API key, e.g. Authorization')
            [CompletionResult]::new('--api-key-query', '--api-key-query', [CompletionResultType]::ParameterName, 'The query parameter that carries the API key, e.g. key')
            [CompletionResult]::new('--api-key-prefix', '--api-key-prefix', [CompletionResultType]::ParameterName, 'Text before the key in the header, e.g. "Bearer "')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of CA certificates trusted besides the platform''s for every request of this service')
            [CompletionResult]::new('--pagination', '--pagination', [CompletionResultType]::ParameterName, 'How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]')
            [CompletionResult]::new('--git-username', '--git-username', [CompletionResultType]::ParameterName, 'The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]')
            [CompletionResult]::new('--docker-username', '--docker-username', [CompletionResultType]::ParameterName, 'The user name `tether credential docker` gives with the token [default: oauth2accesstoken]')
            [CompletionResult]::new('--refresh-token-lifetime', '--refresh-token-lifetime', [CompletionResultType]::ParameterName, 'How long the provider''s refresh tokens live from the authorization, whatever their use, e.g. 7d')
            [CompletionResult]::new('--refresh-token-idle', '--refresh-token-idle', [CompletionResultType]::ParameterName, 'How long the provider''s refresh tokens live unused (each refresh starts it again), e.g. 90d')
            [CompletionResult]::new('--include-granted-scopes', '--include-granted-scopes', [CompletionResultType]::ParameterName, 'Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]')
            [CompletionResult]::new('--on-needs-authorization', '--on-needs-authorization', [CompletionResultType]::ParameterName, 'A command run with a JSON description on stdin when a connection needs authorization or lapses soon')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from standard input into the keyring')
            [CompletionResult]::new('--client-secret-prompt', '--client-secret-prompt', [CompletionResultType]::ParameterName, 'Ask for the client secret (hidden) and keep it in the keyring')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;ls' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;edit' {
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the service authenticates')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The OAuth client ID')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The API''s base URL; relative `invoke` URLs start here. `{var}` allowed')
            [CompletionResult]::new('--allowed-host', '--allowed-host', [CompletionResultType]::ParameterName, 'A host a credential may be sent to besides base_url''s (repeatable; `*.example.com`)')
            [CompletionResult]::new('--default-header', '--default-header', [CompletionResultType]::ParameterName, 'A header sent on every `invoke` (repeatable), e.g. Notion-Version=2026-03-11; a header item of the call overrides it')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A value for `{K}` in the service''s URLs (repeatable), e.g. tenant=common')
            [CompletionResult]::new('--client-secret-env', '--client-secret-env', [CompletionResultType]::ParameterName, 'Read the client secret from this environment variable')
            [CompletionResult]::new('--client-secret-command', '--client-secret-command', [CompletionResultType]::ParameterName, 'Read the client secret from this command''s output (split like a shell would not: one word per argument)')
            [CompletionResult]::new('--private-key-file', '--private-key-file', [CompletionResultType]::ParameterName, 'Read the client''s PEM private key from this file, which must be 0600 (OAuth 1.0a RSA-SHA1)')
            [CompletionResult]::new('--private-key-env', '--private-key-env', [CompletionResultType]::ParameterName, 'Read the client''s PEM private key from this environment variable')
            [CompletionResult]::new('--private-key-command', '--private-key-command', [CompletionResultType]::ParameterName, 'Read the client''s PEM private key from this command''s output (one word per argument)')
            [CompletionResult]::new('--signature-method', '--signature-method', [CompletionResultType]::ParameterName, 'How OAuth 1.0a requests are signed: HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT [default: HMAC-SHA1]')
            [CompletionResult]::new('--signature-location', '--signature-location', [CompletionResultType]::ParameterName, 'Where the OAuth 1.0a parameters travel: header or query [default: header]')
            [CompletionResult]::new('--body-hash', '--body-hash', [CompletionResultType]::ParameterName, 'Send oauth_body_hash on OAuth 1.0a requests whose body is not a form [default: false]')
            [CompletionResult]::new('--request-token-url', '--request-token-url', [CompletionResultType]::ParameterName, 'The OAuth 1.0a temporary-credentials (request token) endpoint')
            [CompletionResult]::new('--access-token-url', '--access-token-url', [CompletionResultType]::ParameterName, 'The OAuth 1.0a token-credentials (access token) endpoint')
            [CompletionResult]::new('--request-token-param', '--request-token-param', [CompletionResultType]::ParameterName, 'An extra parameter of the OAuth 1.0a request-token request (repeatable)')
            [CompletionResult]::new('--authorize-url', '--authorize-url', [CompletionResultType]::ParameterName, 'The authorization endpoint')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'The token endpoint')
            [CompletionResult]::new('--refresh-url', '--refresh-url', [CompletionResultType]::ParameterName, 'The endpoint for refresh requests [default: token_url]')
            [CompletionResult]::new('--revoke-url', '--revoke-url', [CompletionResultType]::ParameterName, 'The token revocation endpoint (RFC 7009; for OAuth 1.0a, a signed POST)')
            [CompletionResult]::new('--device-authorization-url', '--device-authorization-url', [CompletionResultType]::ParameterName, 'The device authorization endpoint (RFC 8628)')
            [CompletionResult]::new('--token-host', '--token-host', [CompletionResultType]::ParameterName, 'A host a value learnt from the provider may point an endpoint at (repeatable), e.g. accounts.zoho.eu')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'A default scope (repeatable)')
            [CompletionResult]::new('--scope-separator', '--scope-separator', [CompletionResultType]::ParameterName, 'What joins scopes in requests [default: " "]')
            [CompletionResult]::new('--auth-param', '--auth-param', [CompletionResultType]::ParameterName, 'An extra authorization-request parameter (repeatable)')
            [CompletionResult]::new('--token-param', '--token-param', [CompletionResultType]::ParameterName, 'An extra token-request parameter (repeatable)')
            [CompletionResult]::new('--refresh-param', '--refresh-param', [CompletionResultType]::ParameterName, 'An extra refresh-request parameter (repeatable)')
            [CompletionResult]::new('--redirect-port', '--redirect-port', [CompletionResultType]::ParameterName, 'A fixed loopback port for the redirect [default: any free port]')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'A fixed loopback redirect URI, e.g. http://127.0.0.1:8400/cb')
            [CompletionResult]::new('--redirect-var', '--redirect-var', [CompletionResultType]::ParameterName, 'Keep a query parameter of the redirect as a connection var (repeatable), e.g. realm_id=realmId')
            [CompletionResult]::new('--pkce', '--pkce', [CompletionResultType]::ParameterName, 'Use PKCE (S256) [default: true]')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'How the client authenticates at the token endpoint [default: basic]')
            [CompletionResult]::new('--scope-param', '--scope-param', [CompletionResultType]::ParameterName, 'The authorization parameter that carries the scopes [default: scope]')
            [CompletionResult]::new('--token-path', '--token-path', [CompletionResultType]::ParameterName, 'The object of the token response holding the token fields, e.g. authed_user')
            [CompletionResult]::new('--token-var', '--token-var', [CompletionResultType]::ParameterName, 'A token-response field to keep as a connection var (repeatable) [default: every non-secret string]')
            [CompletionResult]::new('--token-scheme', '--token-scheme', [CompletionResultType]::ParameterName, 'The Authorization scheme for API calls [default: Bearer]')
            [CompletionResult]::new('--token-header', '--token-header', [CompletionResultType]::ParameterName, 'The header that carries the access token in API calls instead of Authorization, e.g. X-Shopify-Access-Token')
            [CompletionResult]::new('--metadata-url', '--metadata-url', [CompletionResultType]::ParameterName, 'A URL fetched with the new token after connecting; see --metadata-var')
            [CompletionResult]::new('--metadata-auth-scheme', '--metadata-auth-scheme', [CompletionResultType]::ParameterName, 'The Authorization scheme of the metadata request [default: Bearer]')
            [CompletionResult]::new('--metadata-var', '--metadata-var', [CompletionResultType]::ParameterName, 'Keep a field of the metadata answer as a connection var (repeatable), e.g. dc=dc or cloud_id=0.id')
            [CompletionResult]::new('--api-key-header', '--api-key-header', [CompletionResultType]::ParameterName, 'The header that carries the API key, e.g. Authorization')
            [CompletionResult]::new('--api-key-query', '--api-key-query', [CompletionResultType]::ParameterName, 'The query parameter that carries the API key, e.g. key')
            [CompletionResult]::new('--api-key-prefix', '--api-key-prefix', [CompletionResultType]::ParameterName, 'Text before the key in the header, e.g. "Bearer "')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of CA certificates trusted besides the platform''s for every request of this service')
            [CompletionResult]::new('--pagination', '--pagination', [CompletionResultType]::ParameterName, 'How `invoke --paginate` finds the next page (repeatable): next=link|cursor|next_url|page, items=PATH, cursor=PATH, param=NAME, has_more=PATH')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The variable `tether exec -c` puts the token in, e.g. GITHUB_TOKEN [default: TETHER_TOKEN]')
            [CompletionResult]::new('--git-username', '--git-username', [CompletionResultType]::ParameterName, 'The user name `tether credential git` gives with the token, e.g. oauth2 [default: x-access-token]')
            [CompletionResult]::new('--docker-username', '--docker-username', [CompletionResultType]::ParameterName, 'The user name `tether credential docker` gives with the token [default: oauth2accesstoken]')
            [CompletionResult]::new('--refresh-token-lifetime', '--refresh-token-lifetime', [CompletionResultType]::ParameterName, 'How long the provider''s refresh tokens live from the authorization, whatever their use, e.g. 7d')
            [CompletionResult]::new('--refresh-token-idle', '--refresh-token-idle', [CompletionResultType]::ParameterName, 'How long the provider''s refresh tokens live unused (each refresh starts it again), e.g. 90d')
            [CompletionResult]::new('--include-granted-scopes', '--include-granted-scopes', [CompletionResultType]::ParameterName, 'Send include_granted_scopes=true, so a new consent adds to the scopes granted before [default: false]')
            [CompletionResult]::new('--on-needs-authorization', '--on-needs-authorization', [CompletionResultType]::ParameterName, 'A command run with a JSON description on stdin when a connection needs authorization or lapses soon')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a key from the service (repeatable), e.g. `--unset revoke_url`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from standard input into the keyring')
            [CompletionResult]::new('--client-secret-prompt', '--client-secret-prompt', [CompletionResultType]::ParameterName, 'Ask for the client secret (hidden) and keep it in the keyring')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;remove' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove it even while connections use it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;rm' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove it even while connections use it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;templates' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template: what it sets and how to register an app')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;service;templates;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;service;templates;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template: what it sets and how to register an app')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;service;templates;help;show' {
            break
        }
        'tether;service;templates;help;help' {
            break
        }
        'tether;service;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Define a new service')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one service')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a service (only the given fields)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a service and its stored client secret')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'List the built-in templates (those that match FILTER), or show one')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;service;help;add' {
            break
        }
        'tether;service;help;list' {
            break
        }
        'tether;service;help;show' {
            break
        }
        'tether;service;help;edit' {
            break
        }
        'tether;service;help;remove' {
            break
        }
        'tether;service;help;templates' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template: what it sets and how to register an app')
            break
        }
        'tether;service;help;templates;show' {
            break
        }
        'tether;service;help;help' {
            break
        }
        'tether;connect' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The service to connect (needed when the connection is new, unless a service has its name)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service to connect (needed when the connection is new, unless a service has its name)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'A scope to ask for instead of the service''s defaults (repeatable)')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A value for `{K}` in the service''s URLs for this connection (repeatable), e.g. shop=acme; kept in its `vars`')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Use this loopback port for the redirect')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the browser, in seconds')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The user name (basic)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the tokens in this store (keyring, file or a [stores.NAME]); written as the connection''s `store`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser; print the URL and wait')
            [CompletionResult]::new('--manual', '--manual', [CompletionResultType]::ParameterName, 'Paste the final redirect URL (or the code) instead of using the loopback listener')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Use the device authorization grant: enter a code on any device (RFC 8628)')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Authorize from another machine: print a `tether authorize` command to run where a browser is')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the API key, password or token from standard input (api_key, basic, bearer)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the connections and their status')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the connections and their status')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one connection and how to use it')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a connection''s tokens and its config entry')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a connection''s tokens and its config entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a line printed by `export` from stdin into the local token store')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move a connection''s tokens to another store (keyring, file or a shared one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;connection;list' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;ls' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of text')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;remove' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;rm' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;export' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;import' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;move' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The store to move it to: `keyring`, `file` or a `[stores.NAME]`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;connection;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the connections and their status')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one connection and how to use it')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a connection''s tokens and its config entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a line printed by `export` from stdin into the local token store')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move a connection''s tokens to another store (keyring, file or a shared one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;connection;help;list' {
            break
        }
        'tether;connection;help;show' {
            break
        }
        'tether;connection;help;remove' {
            break
        }
        'tether;connection;help;export' {
            break
        }
        'tether;connection;help;import' {
            break
        }
        'tether;connection;help;move' {
            break
        }
        'tether;connection;help;help' {
            break
        }
        'tether;status' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'With --check: usable for at least this long, e.g. 1h or 7d [default: now]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Print nothing; exit 0 when every connection is usable, else 7 naming the others on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;disconnect' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;authorize' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the browser, in seconds')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the URL instead of opening a browser')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;invoke' {
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Fill `{NAME}` in the URL (repeatable)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Send a raw body: `@FILE`, or `-` for standard input')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the response body to a file')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the response body to a file')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on the request after this many seconds')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retry idempotent requests on 429, 502, 503 and 504 [default: 0; with --batch, 8 on 429 and 503]')
            [CompletionResult]::new('--allow-host', '--allow-host', [CompletionResultType]::ParameterName, 'Also send the credential to this host (repeatable)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON body (or the --json envelope) with a jq expression; the body of an HTTP error is printed unfiltered')
            [CompletionResult]::new('--max-pages', '--max-pages', [CompletionResultType]::ParameterName, 'With --paginate: stop after N pages')
            [CompletionResult]::new('--next', '--next', [CompletionResultType]::ParameterName, 'Where a page names the next [default: the service''s `pagination`, else link]')
            [CompletionResult]::new('--items', '--items', [CompletionResultType]::ParameterName, 'A dotted path to the array of items in each page, e.g. `data` [default: the page is the array]')
            [CompletionResult]::new('--cursor', '--cursor', [CompletionResultType]::ParameterName, 'A dotted path to the cursor (--next cursor) or the next URL (--next next_url) in the body')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'The query parameter that carries the cursor or the page number [default: cursor, page]')
            [CompletionResult]::new('--has-more', '--has-more', [CompletionResultType]::ParameterName, 'A dotted path to a boolean that is true while more pages follow, e.g. `info.more_records`')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Send the requests of an NDJSON file (`-`: standard input), one per line, and print one NDJSON result per request')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'With --batch: requests in flight at once')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'With --batch: start at most this many requests per second (`10/s`) or minute (`600/m`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Send `field=value` items form-encoded')
            [CompletionResult]::new('--form', '--form', [CompletionResultType]::ParameterName, 'Send `field=value` items form-encoded')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print the request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print the request and response headers on stderr (credentials redacted)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'With --output: resume what an interrupted download kept in FILE.part')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'With --output: resume what an interrupted download kept in FILE.part')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Write the response body to a new file named after the answer (Content-Disposition) or the URL, in the current folder')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Write the response body to a new file named after the answer (Content-Disposition) or the URL, in the current folder')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {status, headers, body} as JSON')
            [CompletionResult]::new('--no-fail', '--no-fail', [CompletionResultType]::ParameterName, 'Exit 0 whatever the HTTP status')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent and exit')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print an equivalent curl command and exit')
            [CompletionResult]::new('--no-auth', '--no-auth', [CompletionResultType]::ParameterName, 'Send the request without the connection''s credential, items as given')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as `jq -r` does')
            [CompletionResult]::new('--raw-output', '--raw-output', [CompletionResultType]::ParameterName, 'With --jq: print strings without quotes, as `jq -r` does')
            [CompletionResult]::new('--paginate', '--paginate', [CompletionResultType]::ParameterName, 'Follow the pages of a listing and print their items as one JSON array (with --jq: the filter runs on each item)')
            [CompletionResult]::new('--ndjson', '--ndjson', [CompletionResultType]::ParameterName, 'With --paginate: one item per line (NDJSON), written as the pages arrive')
            [CompletionResult]::new('--ordered', '--ordered', [CompletionResultType]::ParameterName, 'With --batch: print the results in input order instead of as they complete')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;token' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'With --header: the URL the header is for, checked against the connection''s allowed hosts; an OAuth 1.0a header signs this one request')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'With --url: the method of that request (OAuth 1.0a signs it)')
            [CompletionResult]::new('--sasl', '--sasl', [CompletionResultType]::ParameterName, 'Print the SASL initial response (base64) of this mechanism, for a mail client that takes one')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'With --sasl: the user to log in as [default: the connection''s `email` var]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Print `Authorization: Bearer …` instead of the bare token')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {access_token, token_type, expires_at, scopes}')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'With --json: include an OAuth 1.0a connection''s token secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;doctor' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('--fix', '--fix', [CompletionResultType]::ParameterName, 'Take away what other users may do with the config and the token files where a check finds too much')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'With NAME: make a real refresh (the old tokens are kept if it fails)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;man' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;exec' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A connection whose token goes in TETHER_TOKEN, or the service''s `env` (repeatable)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'A connection whose token goes in TETHER_TOKEN, or the service''s `env` (repeatable)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'A variable and the connection whose token it holds (repeatable), e.g. GITHUB_TOKEN=gh-work')
            [CompletionResult]::new('--keep-env', '--keep-env', [CompletionResultType]::ParameterName, 'Pass this variable through although tether would keep it from the command (repeatable)')
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Refresh a token first when less than this remains of it, e.g. 30m')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;credential' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'git''s credential helper: `git config --global credential.helper ''!tether credential git''`')
            [CompletionResult]::new('kubectl', 'kubectl', [CompletionResultType]::ParameterValue, 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza')
            [CompletionResult]::new('docker', 'docker', [CompletionResultType]::ParameterValue, 'docker''s credential helper (also run as `docker-credential-tether`)')
            [CompletionResult]::new('netrc', 'netrc', [CompletionResultType]::ParameterValue, 'Print netrc lines for the connections'' hosts (stdout only)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;credential;git' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;credential;kubectl' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Refresh first when less than this remains of the token, e.g. 5m')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--id-token', '--id-token', [CompletionResultType]::ParameterName, 'Hand the OpenID Connect ID token instead of the access token')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;credential;docker' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;credential;netrc' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;credential;help' {
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'git''s credential helper: `git config --global credential.helper ''!tether credential git''`')
            [CompletionResult]::new('kubectl', 'kubectl', [CompletionResultType]::ParameterValue, 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza')
            [CompletionResult]::new('docker', 'docker', [CompletionResultType]::ParameterValue, 'docker''s credential helper (also run as `docker-credential-tether`)')
            [CompletionResult]::new('netrc', 'netrc', [CompletionResultType]::ParameterValue, 'Print netrc lines for the connections'' hosts (stdout only)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;credential;help;git' {
            break
        }
        'tether;credential;help;kubectl' {
            break
        }
        'tether;credential;help;docker' {
            break
        }
        'tether;credential;help;netrc' {
            break
        }
        'tether;credential;help;help' {
            break
        }
        'tether;keepalive' {
            [CompletionResult]::new('--within', '--within', [CompletionResultType]::ParameterName, 'Refresh the connections whose refresh token would lapse within this long')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done, and do nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON instead of a table')
            [CompletionResult]::new('--print-systemd', '--print-systemd', [CompletionResultType]::ParameterName, 'Print a systemd user service and timer that run keepalive daily (nothing is installed)')
            [CompletionResult]::new('--print-launchd', '--print-launchd', [CompletionResultType]::ParameterName, 'Print a launchd agent that runs keepalive daily (nothing is installed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;store' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or migrate a shared store''s tables and write its key check')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Re-encrypt every record of a shared store under a new key, in one transaction')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a shared store: reachable, schema version, key, round trip')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;store;init' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the DDL instead of running it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;store;rekey' {
            [CompletionResult]::new('--new-key-env', '--new-key-env', [CompletionResultType]::ParameterName, 'The environment variable that holds the new key (hex or base64 of 32 bytes)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;store;check' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file [default: $XDG_CONFIG_HOME/tether/tether.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tether;store;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or migrate a shared store''s tables and write its key check')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Re-encrypt every record of a shared store under a new key, in one transaction')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a shared store: reachable, schema version, key, round trip')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;store;help;init' {
            break
        }
        'tether;store;help;rekey' {
            break
        }
        'tether;store;help;check' {
            break
        }
        'tether;store;help;help' {
            break
        }
        'tether;help' {
            [CompletionResult]::new('service', 'service', [CompletionResultType]::ParameterValue, 'Define the services tether can connect to')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Authorize a connection (creating it when absent)')
            [CompletionResult]::new('connection', 'connection', [CompletionResultType]::ParameterValue, 'List, inspect and remove connections')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show every connection and its status (same as `connection list`)')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Revoke a connection''s tokens at the provider and delete them here')
            [CompletionResult]::new('authorize', 'authorize', [CompletionResultType]::ParameterValue, 'Open an authorization URL printed by `connect --remote` and catch its redirect')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Call an API through a connection')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token, refreshing it when due')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check what works here: config, token store, browser, clock')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff): `tether man > tether.1`')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with fresh tokens in its environment')
            [CompletionResult]::new('credential', 'credential', [CompletionResultType]::ParameterValue, 'Hand credentials to git, kubectl, docker and netrc readers')
            [CompletionResult]::new('keepalive', 'keepalive', [CompletionResultType]::ParameterValue, 'Refresh the connections whose refresh token would lapse soon (for cron and timers)')
            [CompletionResult]::new('store', 'store', [CompletionResultType]::ParameterValue, 'Set up and look after shared token stores (`[stores.NAME]`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tether;help;service' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Define a new service')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one service')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a service (only the given fields)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a service and its stored client secret')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'List the built-in templates (those that match FILTER), or show one')
            break
        }
        'tether;help;service;add' {
            break
        }
        'tether;help;service;list' {
            break
        }
        'tether;help;service;show' {
            break
        }
        'tether;help;service;edit' {
            break
        }
        'tether;help;service;remove' {
            break
        }
        'tether;help;service;templates' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one template: what it sets and how to register an app')
            break
        }
        'tether;help;service;templates;show' {
            break
        }
        'tether;help;connect' {
            break
        }
        'tether;help;connection' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the connections and their status')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one connection and how to use it')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a connection''s tokens and its config entry')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a one-line credential for CI (`TETHER_CONNECTION_<NAME>`); it is a secret')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Read a line printed by `export` from stdin into the local token store')
            [CompletionResult]::new('move', 'move', [CompletionResultType]::ParameterValue, 'Move a connection''s tokens to another store (keyring, file or a shared one)')
            break
        }
        'tether;help;connection;list' {
            break
        }
        'tether;help;connection;show' {
            break
        }
        'tether;help;connection;remove' {
            break
        }
        'tether;help;connection;export' {
            break
        }
        'tether;help;connection;import' {
            break
        }
        'tether;help;connection;move' {
            break
        }
        'tether;help;status' {
            break
        }
        'tether;help;disconnect' {
            break
        }
        'tether;help;authorize' {
            break
        }
        'tether;help;invoke' {
            break
        }
        'tether;help;token' {
            break
        }
        'tether;help;doctor' {
            break
        }
        'tether;help;completions' {
            break
        }
        'tether;help;man' {
            break
        }
        'tether;help;exec' {
            break
        }
        'tether;help;credential' {
            [CompletionResult]::new('git', 'git', [CompletionResultType]::ParameterValue, 'git''s credential helper: `git config --global credential.helper ''!tether credential git''`')
            [CompletionResult]::new('kubectl', 'kubectl', [CompletionResultType]::ParameterValue, 'A kubectl exec plugin: prints an ExecCredential for a kubeconfig `exec` stanza')
            [CompletionResult]::new('docker', 'docker', [CompletionResultType]::ParameterValue, 'docker''s credential helper (also run as `docker-credential-tether`)')
            [CompletionResult]::new('netrc', 'netrc', [CompletionResultType]::ParameterValue, 'Print netrc lines for the connections'' hosts (stdout only)')
            break
        }
        'tether;help;credential;git' {
            break
        }
        'tether;help;credential;kubectl' {
            break
        }
        'tether;help;credential;docker' {
            break
        }
        'tether;help;credential;netrc' {
            break
        }
        'tether;help;keepalive' {
            break
        }
        'tether;help;store' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create or migrate a shared store''s tables and write its key check')
            [CompletionResult]::new('rekey', 'rekey', [CompletionResultType]::ParameterValue, 'Re-encrypt every record of a shared store under a new key, in one transaction')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a shared store: reachable, schema version, key, round trip')
            break
        }
        'tether;help;store;init' {
            break
        }
        'tether;help;store;rekey' {
            break
        }
        'tether;help;store;check' {
            break
        }
        'tether;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
