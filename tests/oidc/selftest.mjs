// Proof that the test authorization server and the test browser behave as
// tether's integration tests assume: `node tests/oidc/selftest.mjs`.
//
// Plays tether's part by hand: PKCE, a loopback callback, the token requests.

import { strict as assert } from 'node:assert';
import { spawn, execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { walk, deliver } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const browserScript = path.join(here, 'browser.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-selftest-'));
process.env.TEST_BROWSER_LOG = path.join(scratch, 'browser.log');
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** Starts server.mjs with `env`; resolves once it printed its JSON line. */
function startServer(env = {}) {
  const child = spawn(process.execPath, [path.join(here, 'server.mjs'), '0'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n');
      if (line.length > 1) resolve({ child, ...JSON.parse(line[0]), stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

async function discover(issuer) {
  return (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
}

/** A loopback listener that hands over the first /callback query it gets. */
function callbackCatcher() {
  let hand;
  const received = new Promise((resolve) => { hand = resolve; });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('connected');
    hand(Object.fromEntries(url.searchParams));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        redirectUri: `http://127.0.0.1:${server.address().port}/callback`,
        received,
        close: () => server.close(),
      });
    });
  });
}

function pkce() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

function authorizeUrl(config, params) {
  const url = new URL(config.authorization_endpoint);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** POSTs a form to `url`; `basic` is [id, secret] for client_secret_basic. */
async function postForm(url, form, basic) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(basic.join(':')).toString('base64')}`;
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/**
 * The authorization-code flow as tether runs it. Returns the callback query,
 * and the token response when the callback carried a code.
 */
async function codeFlow(config, {
  clientId = 'tether-native', scope = 'openid read', mode = 'approve', extra = {}, auth = 'none',
  secret, usePkce = true, catcher: given,
} = {}) {
  const catcher = given ?? await callbackCatcher();
  const { verifier, challenge } = pkce();
  const state = crypto.randomBytes(16).toString('base64url');
  try {
    const url = authorizeUrl(config, {
      client_id: clientId,
      response_type: 'code',
      redirect_uri: catcher.redirectUri,
      scope,
      state,
      code_challenge: usePkce ? challenge : undefined,
      code_challenge_method: usePkce ? 'S256' : undefined,
      ...extra,
    });
    const result = await walk(url, { mode });
    assert.ok(result.redirect, `expected a redirect back, got page ${result.page}`);
    await deliver(result.redirect, mode);
    const query = await catcher.received;
    assert.equal(query.state, state);
    if (!query.code) return { query };
    const form = {
      grant_type: 'authorization_code',
      code: query.code,
      redirect_uri: catcher.redirectUri,
      code_verifier: verifier,
    };
    let basic;
    if (auth === 'none') form.client_id = clientId;
    if (auth === 'post') Object.assign(form, { client_id: clientId, client_secret: secret });
    if (auth === 'basic') basic = [clientId, secret];
    const token = await postForm(config.token_endpoint, form, basic);
    return { query, token, verifier, redirectUri: catcher.redirectUri };
  } finally {
    if (!given) catcher.close();
  }
}

function refresh(config, refreshToken, clientId = 'tether-native') {
  return postForm(config.token_endpoint, {
    grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId,
  });
}

async function introspect(config, token) {
  const { body } = await postForm(config.introspection_endpoint, { token }, ['api', 'api-secret-0123456789']);
  return body;
}

async function stats(issuer) {
  return (await fetch(`${issuer}/__test/stats`)).json();
}

describe('default server', () => {
  let server;
  let config;

  before(async () => {
    server = await startServer();
    config = await discover(server.issuer);
  });
  after(() => server.child.kill('SIGTERM'));

  test('prints its issuer and port, and serves discovery', () => {
    assert.match(server.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.issuer, `http://127.0.0.1:${server.port}`);
    assert.equal(config.issuer, server.issuer);
    assert.deepEqual(config.code_challenge_methods_supported, ['S256']);
    for (const endpoint of ['token', 'introspection', 'revocation', 'device_authorization']) {
      assert.ok(config[`${endpoint}_endpoint`].startsWith(server.issuer), endpoint);
    }
  });

  test('code + PKCE gives a refresh token; rotation; reuse revokes the grant', async () => {
    const before = await stats(server.issuer);
    const { query, token } = await codeFlow(config);
    assert.equal(query.iss, server.issuer);
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.expires_in, 3600);
    assert.equal(token.body.scope, 'openid read');
    assert.ok(token.body.refresh_token, 'no offline_access or prompt=consent needed');
    assert.ok(token.body.id_token);

    const rt1 = token.body.refresh_token;
    const second = await refresh(config, rt1);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const rt2 = second.body.refresh_token;
    assert.ok(rt2 && rt2 !== rt1, 'the refresh token rotates');
    assert.notEqual(second.body.access_token, token.body.access_token);
    const third = await refresh(config, rt2);
    assert.equal(third.status, 200);
    const rt3 = third.body.refresh_token;
    assert.ok(rt3 && rt3 !== rt2);
    assert.equal((await introspect(config, third.body.access_token)).active, true);

    // Presenting a consumed (rotated) refresh token fails, and oidc-provider
    // then revokes the whole grant: the newest refresh token and every access
    // token of the grant stop working too. A refresh race logs the user out.
    const reuse = await refresh(config, rt1);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    const newest = await refresh(config, rt3);
    assert.equal(newest.body.error, 'invalid_grant');
    assert.equal((await introspect(config, third.body.access_token)).active, false);

    const after = await stats(server.issuer);
    assert.equal(after.grants.authorization_code - (before.grants.authorization_code ?? 0), 1);
    assert.equal(after.grants.refresh_token - (before.grants.refresh_token ?? 0), 2);
    assert.equal(after.grant_errors.refresh_token - (before.grant_errors.refresh_token ?? 0), 2);
    assert.ok(after.grants_revoked > before.grants_revoked);
    for (const value of [token.body.access_token, rt1, rt2, rt3, third.body.access_token]) {
      assert.ok(after.issued.includes(value));
    }
    assert.ok(after.codes.includes(query.code));
  });

  test('PKCE is required, and the verifier is checked', async () => {
    const without = await codeFlow(config, { usePkce: false });
    assert.equal(without.query.error, 'invalid_request');
    assert.match(without.query.error_description, /PKCE/);

    const confidentialWithout = await codeFlow(config, {
      clientId: 'tether-confidential', usePkce: false,
    });
    assert.equal(confidentialWithout.query.error, 'invalid_request');

    const catcher = await callbackCatcher();
    try {
      const { challenge } = pkce();
      const url = authorizeUrl(config, {
        client_id: 'tether-native', response_type: 'code', redirect_uri: catcher.redirectUri,
        scope: 'read', state: 's', code_challenge: challenge, code_challenge_method: 'S256',
      });
      await deliver((await walk(url)).redirect, 'approve');
      const { code } = await catcher.received;
      const wrong = await postForm(config.token_endpoint, {
        grant_type: 'authorization_code', code, redirect_uri: catcher.redirectUri,
        client_id: 'tether-native', code_verifier: pkce().verifier,
      });
      assert.equal(wrong.body.error, 'invalid_grant');
    } finally {
      catcher.close();
    }
  });

  test('a plain OAuth 2.0 request (no openid) works, and plain PKCE is refused', async () => {
    const { token } = await codeFlow(config, { scope: 'read write' });
    assert.equal(token.status, 200);
    assert.equal(token.body.scope, 'read write');
    assert.ok(token.body.refresh_token);
    assert.equal(token.body.id_token, undefined);

    const plain = await codeFlow(config, { extra: { code_challenge_method: 'plain' } });
    assert.equal(plain.query.error, 'invalid_request');
  });

  test('deny mode comes back with access_denied', async () => {
    const { query } = await codeFlow(config, { mode: 'deny' });
    assert.equal(query.error, 'access_denied');
    assert.equal(query.code, undefined);
  });

  test('confidential clients: client_secret_basic and client_secret_post', async () => {
    const basic = await codeFlow(config, {
      clientId: 'tether-confidential', auth: 'basic', secret: 'confidential-secret-0123456789',
    });
    assert.equal(basic.token.status, 200, JSON.stringify(basic.token.body));
    assert.ok(basic.token.body.refresh_token);

    const post = await codeFlow(config, {
      clientId: 'tether-post', auth: 'post', secret: 'post-secret-0123456789',
    });
    assert.equal(post.token.status, 200, JSON.stringify(post.token.body));

    const wrongMethod = await codeFlow(config, {
      clientId: 'tether-post', auth: 'basic', secret: 'post-secret-0123456789',
    });
    assert.equal(wrongMethod.token.status, 401);
    assert.equal(wrongMethod.token.body.error, 'invalid_client');
    const postForBasic = await codeFlow(config, {
      clientId: 'tether-confidential', auth: 'post', secret: 'confidential-secret-0123456789',
    });
    assert.equal(postForBasic.token.body.error, 'invalid_client');
  });

  test('client credentials, introspection, the protected resource, expiry', async () => {
    const machine = ['tether-machine', 'machine-secret-0123456789'];
    const { status, body } = await postForm(
      config.token_endpoint, { grant_type: 'client_credentials', scope: 'read' }, machine,
    );
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.refresh_token, undefined);
    const info = await introspect(config, body.access_token);
    assert.equal(info.active, true);
    assert.equal(info.client_id, 'tether-machine');
    assert.equal(info.scope, 'read');

    const resource = `${server.issuer}/__test/resource/v1/items?x=1`;
    const ok = await fetch(resource, { headers: { authorization: `Bearer ${body.access_token}` } });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), {
      method: 'GET', path: '/v1/items', query: { x: '1' }, client_id: 'tether-machine', sub: null, scope: 'read',
    });
    const anonymous = await fetch(resource);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');

    const expired = await (await fetch(`${server.issuer}/__test/expire`, { method: 'POST' })).json();
    assert.ok(expired.expired >= 1);
    const rejected = await fetch(resource, { headers: { authorization: `Bearer ${body.access_token}` } });
    assert.equal(rejected.status, 401);
    assert.equal(rejected.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.equal((await introspect(config, body.access_token)).active, false);

    const forbidden = await postForm(
      config.token_endpoint, { grant_type: 'client_credentials' }, ['tether-machine', 'wrong'],
    );
    assert.equal(forbidden.body.error, 'invalid_client');
  });

  test('expire kind=refresh makes a refresh fail with invalid_grant', async () => {
    const { token } = await codeFlow(config);
    const response = await fetch(`${server.issuer}/__test/expire?kind=refresh`, { method: 'POST' });
    assert.equal(response.status, 200);
    const refused = await refresh(config, token.body.refresh_token);
    assert.equal(refused.body.error, 'invalid_grant');
  });

  test('revocation (RFC 7009) is counted and takes the grant with it', async () => {
    const { token } = await codeFlow(config);
    const before = (await stats(server.issuer)).revoked;
    const { status } = await postForm(config.revocation_endpoint, {
      token: token.body.refresh_token, token_type_hint: 'refresh_token', client_id: 'tether-native',
    });
    assert.equal(status, 200);
    assert.equal((await stats(server.issuer)).revoked, before + 1);
    assert.equal((await refresh(config, token.body.refresh_token)).body.error, 'invalid_grant');
    assert.equal((await introspect(config, token.body.access_token)).active, false);
  });

  test('device flow (RFC 8628): pending, approved by the browser, then tokens', async () => {
    const device = await postForm(config.device_authorization_endpoint, { client_id: 'tether-native', scope: 'read' });
    assert.equal(device.status, 200, JSON.stringify(device.body));
    const poll = () => postForm(config.token_endpoint, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: device.body.device_code,
      client_id: 'tether-native',
    });
    assert.equal((await poll()).body.error, 'authorization_pending');
    const result = await walk(device.body.verification_uri_complete);
    assert.match(result.page, /Sign-in Success/);
    const token = await poll();
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.ok(token.body.access_token && token.body.refresh_token);

    // The bare verification URI, typing the user code, and a refusal.
    const refused = await postForm(config.device_authorization_endpoint, { client_id: 'tether-native' });
    await walk(refused.body.verification_uri, { mode: 'deny', userCode: refused.body.user_code });
    const denied = await postForm(config.token_endpoint, {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: refused.body.device_code,
      client_id: 'tether-native',
    });
    assert.equal(denied.body.error, 'access_denied');
  });

  test('browser.mjs as $BROWSER: approve, print and none', async () => {
    const run = (url, env) => new Promise((resolve) => {
      execFile(browserScript, [url], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
        resolve({ code: err ? err.code : 0, stdout, stderr });
      });
    });
    const catcher = await callbackCatcher();
    const { challenge } = pkce();
    const url = authorizeUrl(config, {
      client_id: 'tether-native', response_type: 'code', redirect_uri: catcher.redirectUri,
      scope: 'read', state: 'st', code_challenge: challenge, code_challenge_method: 'S256',
    });
    try {
      const approved = await run(url, { TEST_BROWSER_MODE: 'approve' });
      assert.equal(approved.code, 0, approved.stderr);
      assert.ok((await catcher.received).code);
    } finally {
      catcher.close();
    }

    const out = path.join(path.dirname(process.env.TEST_BROWSER_LOG), 'redirect.txt');
    const printed = await run(url, { TEST_BROWSER_MODE: 'print', TEST_BROWSER_OUT: out });
    assert.equal(printed.code, 0, printed.stderr);
    const redirect = new URL(fs.readFileSync(out, 'utf8').trim());
    assert.equal(redirect.pathname, '/callback');
    assert.ok(redirect.searchParams.get('code'));
    assert.equal(redirect.searchParams.get('state'), 'st');

    const none = await run(url, { TEST_BROWSER_MODE: 'none' });
    assert.equal(none.code, 0);

    const log = fs.readFileSync(process.env.TEST_BROWSER_LOG, 'utf8');
    assert.ok(!log.includes(redirect.searchParams.get('code')), 'the log hides codes');
    assert.match(log, /code=\(redacted\)/);
  });

  test('wrong-state-first sends a favicon request and a wrong state first', async () => {
    const seen = [];
    let done;
    const finished = new Promise((resolve) => { done = resolve; });
    const listener = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://127.0.0.1');
      seen.push(url.pathname === '/callback' ? `callback state=${url.searchParams.get('state')}` : url.pathname);
      res.writeHead(url.searchParams.get('state') === 'right' ? 200 : 400).end();
      if (url.searchParams.get('state') === 'right') done();
    });
    await new Promise((resolve) => { listener.listen(0, '127.0.0.1', resolve); });
    try {
      const { challenge } = pkce();
      const url = authorizeUrl(config, {
        client_id: 'tether-native', response_type: 'code',
        redirect_uri: `http://127.0.0.1:${listener.address().port}/callback`,
        scope: 'read', state: 'right', code_challenge: challenge, code_challenge_method: 'S256',
      });
      await deliver((await walk(url)).redirect, 'wrong-state-first');
      await finished;
      assert.deepEqual(seen, ['/favicon.ico', 'callback state=not-the-state-tether-sent', 'callback state=right']);
    } finally {
      listener.close();
    }
  });

  test('the token log on stderr names no token', async () => {
    const s = await stats(server.issuer);
    for (const value of s.issued) assert.ok(!server.stderr().includes(value));
  });
});

describe('settings', () => {
  test('ACCESS_TOKEN_TTL and ROTATE_REFRESH_TOKENS=false', async () => {
    const server = await startServer({ ACCESS_TOKEN_TTL: '5', ROTATE_REFRESH_TOKENS: 'false' });
    try {
      const config = await discover(server.issuer);
      const { token } = await codeFlow(config);
      assert.equal(token.body.expires_in, 5);
      const again = await refresh(config, token.body.refresh_token);
      assert.equal(again.status, 200);
      assert.equal(again.body.expires_in, 5);
      assert.equal(again.body.refresh_token, token.body.refresh_token, 'not rotated');
      assert.equal((await refresh(config, token.body.refresh_token)).status, 200, 'reusable');
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  test('REFRESH_TOKEN_POLICY=offline_access: only offline_access with prompt=consent', async () => {
    const server = await startServer({ REFRESH_TOKEN_POLICY: 'offline_access' });
    try {
      const config = await discover(server.issuer);
      const plain = await codeFlow(config, { scope: 'openid read' });
      assert.equal(plain.token.body.refresh_token, undefined);
      const noPrompt = await codeFlow(config, { scope: 'openid offline_access read' });
      assert.equal(noPrompt.token.body.refresh_token, undefined, 'offline_access is dropped without prompt=consent');
      const consent = await codeFlow(config, {
        scope: 'openid offline_access read', extra: { prompt: 'consent' },
      });
      assert.ok(consent.token.body.refresh_token);
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  test('EXTRA_CLIENTS adds a client with a fixed redirect URI', async () => {
    const catcher = await callbackCatcher();
    const server = await startServer({
      EXTRA_CLIENTS: JSON.stringify([{
        client_id: 'fixed', token_endpoint_auth_method: 'none', redirect_uris: [catcher.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
      }]),
    });
    try {
      const config = await discover(server.issuer);
      const { token } = await codeFlow(config, { clientId: 'fixed', catcher });
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.ok(token.body.refresh_token);
    } finally {
      catcher.close();
      server.child.kill('SIGTERM');
    }
  });

  test('the server exits when its stdin closes', async () => {
    const server = await startServer();
    const exited = new Promise((resolve) => { server.child.on('exit', (code) => resolve(code)); });
    server.child.stdin.end();
    assert.equal(await exited, 0);
  });
});
