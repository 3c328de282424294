// A real OAuth 2.0 / OpenID authorization server (oidc-provider) on loopback,
// for tether's integration tests.
//
//   node server.mjs [PORT] [CONFIG_JSON]
//
// PORT 0 (the default) picks an ephemeral port. When listening, prints one
// JSON line on stdout and nothing else there:
//
//   {"issuer":"http://127.0.0.1:PORT","port":PORT}
//
// Settings come from the environment, overridden by the keys of CONFIG_JSON
// (same names, JSON values):
//
//   ACCESS_TOKEN_TTL      seconds an access token lives (default 3600); also
//                         for client_credentials tokens
//   REFRESH_TOKEN_TTL     seconds a refresh token lives (default 14 days)
//   ROTATE_REFRESH_TOKENS "true" (default): every refresh returns a new
//                         refresh token and consumes the old one; presenting a
//                         consumed one fails with invalid_grant AND revokes the
//                         whole grant (RFC 9700 §4.14.2). "false": never rotate.
//   REFRESH_TOKEN_POLICY  "always" (default): the code and device flows get a
//                         refresh token whenever the client may use the
//                         refresh_token grant, whatever the scope.
//                         "offline_access": oidc-provider's stock (and
//                         Google-like) rule: only for scope offline_access,
//                         which it honours only together with prompt=consent.
//   REFRESH_TOKEN_EXPIRES_IN "true": token responses that carry a refresh token
//                         also say how long it lives, `refresh_token_expires_in`
//                         (as GitHub Apps and Microsoft do); default "false"
//   CLIENT_AUTH_METHODS   space-separated token endpoint client authentication
//                         methods the server supports and lists in its discovery
//                         document (default: oidc-provider's)
//   CLIENTS               JSON array of client metadata: replaces the defaults
//   EXTRA_CLIENTS         JSON array of client metadata: added to the defaults
//                         (one with an existing client_id replaces it)
//   EXTRA_SCOPES          space-separated scopes to accept besides the defaults
//   PORT                  as the first argument
//   KEEP_ALIVE            "true": do not exit when stdin closes
//
// Clients must authenticate with their registered method: a secret sent the
// other way (Basic vs form body) gets 401 invalid_client.
//
// The server exits on SIGTERM/SIGINT, and when its stdin closes (so that a
// test run that dies leaves no orphan behind).
//
// Test-only endpoints, on the same origin:
//
//   GET  /__test/stats    what the server saw, see `stats()` below
//   POST /__test/expire   ?kind=access (default) | refresh | all: makes every
//                         live token of that kind expired now; {"expired":n}
//   POST /__test/reset    zeroes the counters (tokens stay valid)
//   ANY  /__test/resource/...  a protected resource: 200 with what it learned
//                         from a valid Bearer token, else 401 with
//                         WWW-Authenticate (RFC 6750 §3)

import * as crypto from 'node:crypto';
import * as http from 'node:http';

import Provider from 'oidc-provider';

// stdout carries the one JSON line; oidc-provider's notices (console.info)
// and anything else chatty go to stderr.
console.info = console.error;
console.log = console.error;

const settings = { ...process.env, ...parseJsonArg(process.argv[3]) };
const port = Number(process.argv[2] ?? settings.PORT ?? 0);

function parseJsonArg(text) {
  if (!text) return {};
  const parsed = JSON.parse(text);
  return Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}

function setting(name, fallback) {
  const value = settings[name];
  return value === undefined || value === '' ? fallback : value;
}

function flag(name, fallback) {
  const value = setting(name, String(fallback)).toLowerCase();
  if (!['true', 'false', '1', '0'].includes(value)) {
    throw new Error(`${name} must be true or false, not ${value}`);
  }
  return value === 'true' || value === '1';
}

function seconds(name, fallback) {
  const value = Number(setting(name, fallback));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const accessTokenTtl = seconds('ACCESS_TOKEN_TTL', 3600);
const refreshTokenTtl = seconds('REFRESH_TOKEN_TTL', 14 * 24 * 3600);
const rotateRefreshTokens = flag('ROTATE_REFRESH_TOKENS', true);
const refreshTokenPolicy = setting('REFRESH_TOKEN_POLICY', 'always');
const refreshTokenExpiresIn = flag('REFRESH_TOKEN_EXPIRES_IN', false);
const clientAuthMethods = setting('CLIENT_AUTH_METHODS', '').split(' ').filter(Boolean);
if (!['always', 'offline_access'].includes(refreshTokenPolicy)) {
  throw new Error('REFRESH_TOKEN_POLICY must be always or offline_access');
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

// RFC 8252 §7.3: for native clients oidc-provider accepts the registered
// loopback redirect URI with any port; the path must match.
const nativeRedirect = {
  application_type: 'native',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
  response_types: ['code'],
};

const defaultClients = [
  { client_id: 'tether-native', token_endpoint_auth_method: 'none', ...nativeRedirect },
  {
    client_id: 'tether-confidential',
    client_secret: 'confidential-secret-0123456789',
    token_endpoint_auth_method: 'client_secret_basic',
    ...nativeRedirect,
  },
  {
    client_id: 'tether-post',
    client_secret: 'post-secret-0123456789',
    token_endpoint_auth_method: 'client_secret_post',
    ...nativeRedirect,
  },
  {
    client_id: 'tether-machine',
    client_secret: 'machine-secret-0123456789',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  },
  // A resource server: no grant of its own, may call introspection.
  {
    client_id: 'api',
    client_secret: 'api-secret-0123456789',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [],
    response_types: [],
    redirect_uris: [],
  },
];

function clientList() {
  let clients = setting('CLIENTS') ? JSON.parse(settings.CLIENTS) : defaultClients;
  if (setting('EXTRA_CLIENTS')) {
    const extra = JSON.parse(settings.EXTRA_CLIENTS);
    const ids = new Set(extra.map((c) => c.client_id));
    clients = [...clients.filter((c) => !ids.has(c.client_id)), ...extra];
  }
  return clients;
}

// ---------------------------------------------------------------------------
// Storage: a plain Map, so nothing is evicted behind a test's back and
// /__test/expire can reach every token.

const store = new Map(); // `${model}:${id}` -> { payload, expiresAt (ms) }
const indexes = new Map(); // `grant:…`, `uid:…`, `userCode:…` -> key(s)

function now() {
  return Math.floor(Date.now() / 1000);
}

class MapAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  get(key) {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    store.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : 0 });
    if (payload.grantId) {
      const grantKey = `grant:${payload.grantId}`;
      indexes.set(grantKey, [...(indexes.get(grantKey) ?? []), key]);
    }
    if (this.model === 'Session') indexes.set(`uid:${payload.uid}`, id);
    if (payload.userCode) indexes.set(`userCode:${payload.userCode}`, id);
  }

  async find(id) {
    return this.get(this.key(id));
  }

  async findByUid(uid) {
    const id = indexes.get(`uid:${uid}`);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = indexes.get(`userCode:${userCode}`);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const payload = this.get(this.key(id));
    if (payload) payload.consumed = now();
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    const grantKey = `grant:${grantId}`;
    for (const key of indexes.get(grantKey) ?? []) store.delete(key);
    indexes.delete(grantKey);
  }
}

function expireTokens(kind) {
  const models = {
    access: ['AccessToken', 'ClientCredentials'],
    refresh: ['RefreshToken'],
    all: ['AccessToken', 'ClientCredentials', 'RefreshToken'],
  }[kind];
  if (!models) return undefined;
  // Far enough in the past to be beyond oidc-provider's clock tolerance (15 s).
  const past = now() - 3600;
  let expired = 0;
  for (const [key, entry] of store) {
    if (models.includes(key.slice(0, key.indexOf(':'))) && entry.payload.exp > past) {
      entry.payload.exp = past;
      expired += 1;
    }
  }
  return expired;
}

// ---------------------------------------------------------------------------
// What the server saw. Never logs a token value, only counts and keeps them
// for GET /__test/stats.

function emptyStats() {
  return {
    grants: {}, // grant_type -> successful token responses
    grant_errors: {}, // grant_type -> error responses
    errors: [], // [{ grant_type, error, description }] in order
    issued: [], // every access and refresh token value, in issue order
    tokens: [], // [{ type, grant_type, client_id, value }] incl. id tokens
    codes: [], // authorization codes and device codes handed out
    revoked: 0, // successful calls to the revocation endpoint
    grants_revoked: 0, // grants revoked, e.g. by reuse of a rotated refresh token
    introspections: 0,
    device_authorizations: 0,
    resource: { ok: 0, rejected: 0 },
  };
}

let stats = emptyStats();

function count(map, key) {
  map[key] = (map[key] ?? 0) + 1;
}

// oidc-provider accepts client_secret_basic and client_secret_post from
// either kind of client. A client that sends its secret the wrong way breaks
// against stricter servers, so this one answers 401 invalid_client to a
// client that does not use its registered method (RFC 6749 §2.3.1 leaves the
// choice to the server). Checked after the route ran: the route's work (a
// consumed code, say) stands, but the client gets nothing.
function enforceClientAuthMethod(ctx) {
  const method = ctx.oidc.client?.clientAuthMethod;
  const sentBasic = ctx.headers.authorization !== undefined;
  const sentPost = ctx.oidc.params?.client_secret !== undefined;
  const wrong = (method === 'client_secret_post' && sentBasic)
    || (method === 'client_secret_basic' && sentPost && !sentBasic);
  if (!wrong || !['token', 'revocation', 'introspection', 'device_authorization'].includes(ctx.oidc.route)) {
    return;
  }
  ctx.status = 401;
  ctx.body = {
    error: 'invalid_client',
    error_description: `client authentication must use ${method}`,
  };
}

// Runs around every provider route: the token endpoint's response body is
// still an object here, so the values are the exact ones the client got.
async function observe(ctx, next) {
  await next();
  const route = ctx.oidc?.route;
  if (!route) return;
  enforceClientAuthMethod(ctx);
  const body = ctx.body && typeof ctx.body === 'object' ? ctx.body : {};
  const clientId = ctx.oidc.client?.clientId ?? ctx.oidc.params?.client_id;
  if (route === 'token') {
    const grantType = String(ctx.oidc.params?.grant_type ?? 'none');
    const ok = ctx.status === 200 && !body.error;
    if (ok && refreshTokenExpiresIn && typeof body.refresh_token === 'string') {
      const token = await ctx.oidc.provider.RefreshToken.find(body.refresh_token);
      if (token) body.refresh_token_expires_in = token.exp - now();
    }
    count(ok ? stats.grants : stats.grant_errors, grantType);
    if (ok) {
      for (const type of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof body[type] !== 'string') continue;
        if (type !== 'id_token') stats.issued.push(body[type]);
        stats.tokens.push({ type, grant_type: grantType, client_id: clientId, value: body[type] });
      }
    } else {
      stats.errors.push({ grant_type: grantType, error: body.error, description: body.error_description });
    }
    const issued = ['access_token', 'refresh_token'].filter((t) => body[t]).join('+') || body.error;
    console.error(`token ${grantType} client=${clientId} -> ${ctx.status} ${issued}`);
  } else if (route === 'revocation') {
    if (ctx.status === 200) stats.revoked += 1;
    console.error(`revocation client=${clientId} -> ${ctx.status}`);
  } else if (route === 'introspection') {
    stats.introspections += 1;
  } else if (route === 'device_authorization' && ctx.status === 200 && body.device_code) {
    stats.device_authorizations += 1;
    stats.codes.push(body.device_code);
  }
}

// ---------------------------------------------------------------------------

async function main() {
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;
  const issuer = `http://127.0.0.1:${actualPort}`;

  const scopes = ['openid', 'offline_access', 'profile', 'email', 'read', 'write'];
  scopes.push(...setting('EXTRA_SCOPES', '').split(' ').filter(Boolean));

  const provider = new Provider(issuer, {
    adapter: MapAdapter,
    clients: clientList(),
    scopes,
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      // Without resource indicators every access token is an opaque token
      // carrying the granted scopes, which is what a plain OAuth 2.0 client
      // like tether expects.
      resourceIndicators: { enabled: false },
    },
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      RefreshToken: refreshTokenTtl,
      AuthorizationCode: 60,
      DeviceCode: 600,
      Grant: refreshTokenTtl,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
    },
    rotateRefreshToken: rotateRefreshTokens,
    ...(clientAuthMethods.length ? { clientAuthMethods } : {}),
    ...(refreshTokenPolicy === 'always'
      ? {
        // The stock rule wants scope offline_access, which the provider only
        // keeps together with prompt=consent. Most OAuth 2.0 providers give a
        // refresh token to any client allowed the refresh_token grant, so
        // that is the default here; REFRESH_TOKEN_POLICY=offline_access
        // brings the stock rule back.
        issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
        // And the grant must outlive the browser session that created it.
        expiresWithSession: async () => false,
      }
      : {}),
  });

  provider.use(observe);
  provider.on('authorization_code.saved', (code) => stats.codes.push(code.jti));
  provider.on('grant.revoked', () => { stats.grants_revoked += 1; });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url.startsWith('/__test/')) {
      testEndpoint(provider, req, res).catch((err) => {
        console.error('test endpoint failed', err);
        res.writeHead(500).end();
      });
    } else {
      callback(req, res);
    }
  });

  const stop = (why) => {
    console.error(`oidc test server stopping (${why})`);
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (!flag('KEEP_ALIVE', false)) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }

  process.stdout.write(`${JSON.stringify({ issuer, port: actualPort })}\n`);
}

function json(res, status, value, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

async function testEndpoint(provider, req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /__test/stats') {
    json(res, 200, stats);
  } else if (route === 'POST /__test/expire') {
    const expired = expireTokens(url.searchParams.get('kind') ?? 'access');
    if (expired === undefined) json(res, 400, { error: 'kind must be access, refresh or all' });
    else json(res, 200, { expired });
  } else if (route === 'POST /__test/reset') {
    stats = emptyStats();
    json(res, 200, {});
  } else if (url.pathname.startsWith('/__test/resource')) {
    await resource(provider, req, res, url);
  } else {
    json(res, 404, { error: 'no such test endpoint' });
  }
  req.resume();
}

// A protected resource that trusts only tokens this server issued and that
// are still valid.
async function resource(provider, req, res, url) {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer ([^\s]+)$/i.exec(header);
  const value = match?.[1];
  const token = value
    && ((await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value)));
  if (!token) {
    stats.resource.rejected += 1;
    const challenge = value ? 'Bearer error="invalid_token"' : 'Bearer';
    json(res, 401, { error: value ? 'invalid_token' : 'missing_token' }, { 'www-authenticate': challenge });
    return;
  }
  stats.resource.ok += 1;
  json(res, 200, {
    method: req.method,
    path: url.pathname.slice('/__test/resource'.length) || '/',
    query: Object.fromEntries(url.searchParams),
    client_id: token.clientId,
    sub: token.accountId ?? null,
    scope: token.scope ?? '',
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
