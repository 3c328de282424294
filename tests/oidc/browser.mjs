#!/usr/bin/env node
// The browser of tether's tests: a `$BROWSER` stand-in.
//
//   browser.mjs URL
//
// Follows URL as a person's browser would: keeps cookies, follows the
// authorization server's redirects, signs in and approves on the
// authorization server's own pages (oidc-provider's dev interactions), and
// finally loads the redirect back to the client — tether's loopback listener.
// The same walk approves a device (RFC 8628): give it the verification URI
// with `?user_code=…` (or the bare verification URI and TEST_BROWSER_USER_CODE).
//
// TEST_BROWSER_MODE:
//   approve            (default) sign in, consent, load the redirect
//   deny               cancel at the sign-in page: the redirect carries
//                      error=access_denied (a device is refused instead)
//   wrong-state-first  before the real redirect, load the listener's
//                      /favicon.ico and the redirect with a wrong state
//   print              do not load the redirect: write its URL (with the code)
//                      to TEST_BROWSER_OUT, or to stdout
//   none               do nothing (for time-out tests)
// TEST_BROWSER_LOGIN   the account to sign in as (default "alice"): the `sub`
// TEST_BROWSER_LOG     a file to append the log to (default: stderr)
//
// The log never shows an authorization code: it may end up in tether's output
// when tether passes the browser's stderr through, and tests scan that output
// for secrets.

import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const STEP_LIMIT = 30;
const REQUEST_TIMEOUT_MS = 10_000;

/** Writes one log line, with any code or token in it hidden. */
export function log(message) {
  const line = `browser: ${redact(message)}\n`;
  if (process.env.TEST_BROWSER_LOG) fs.appendFileSync(process.env.TEST_BROWSER_LOG, line);
  else process.stderr.write(line);
}

function redact(text) {
  return String(text).replace(/([?&#](?:code|device_code|access_token|refresh_token)=)[^&#\s]*/g, '$1(redacted)');
}

/** Cookies by name and path, enough for one authorization server. */
class CookieJar {
  #cookies = new Map(); // `${path}\t${name}` -> { name, value, path }

  take(response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const cookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), path: '/' };
      let gone = false;
      for (const attribute of attributes) {
        const [key, value = ''] = attribute.split('=');
        const name = key.toLowerCase();
        if (name === 'path') cookie.path = value || '/';
        if (name === 'max-age' && Number(value) <= 0) gone = true;
        if (name === 'expires' && Date.parse(value) <= Date.now()) gone = true;
      }
      const key = `${cookie.path}\t${cookie.name}`;
      if (gone) this.#cookies.delete(key);
      else this.#cookies.set(key, cookie);
    }
  }

  header(url) {
    const { pathname } = new URL(url);
    return [...this.#cookies.values()]
      .filter(({ path }) => pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

function decodeEntities(text) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributes(tag) {
  const found = {};
  for (const [, name, , , quoted, bare] of tag.matchAll(/([\w-]+)(\s*=\s*("([^"]*)"|([^\s>]+)))?/g)) {
    found[name.toLowerCase()] = decodeEntities(quoted ?? bare ?? '');
  }
  return found;
}

/** The first form of a page: its action, id and fields with their values. */
export function parseForm(html, base) {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!match) return undefined;
  const form = attributes(match[1]);
  const fields = {};
  for (const [tag] of match[2].matchAll(/<input\b[^>]*>/gi)) {
    const { name, value = '' } = attributes(tag.slice(6));
    if (name) fields[name] = value;
  }
  return {
    id: form.id ?? '',
    method: (form.method ?? 'get').toUpperCase(),
    action: new URL(form.action ?? '', base).href,
    fields,
  };
}

/**
 * Walks from `start` until the authorization server lets go: either a
 * redirect that leaves it (returned as `redirect`, not loaded) or a page with
 * no form (returned as `page`, e.g. the device flow's success page).
 */
export async function walk(start, { mode = 'approve', login = 'alice', userCode } = {}) {
  const jar = new CookieJar();
  const server = new URL(start).origin;
  let request = { method: 'GET', url: start };

  for (let step = 0; step < STEP_LIMIT; step += 1) {
    const headers = { accept: 'text/html' };
    const cookie = jar.header(request.url);
    if (cookie) headers.cookie = cookie;
    if (request.body) headers['content-type'] = 'application/x-www-form-urlencoded';
    log(`${request.method} ${request.url}`);
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    jar.take(response);

    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location'), request.url).href;
      await response.arrayBuffer();
      if (new URL(location).origin !== server) return { redirect: location };
      request = { method: 'GET', url: location };
      continue;
    }

    const html = await response.text();
    if (response.status !== 200) {
      throw new Error(`${request.url} answered ${response.status}: ${summary(html)}`);
    }
    const form = parseForm(html, request.url);
    if (!form) return { page: summary(html) };
    request = fill(form, html, request.url, { mode, login, userCode });
    if (!request) return { page: summary(html) };
  }
  throw new Error(`still at the authorization server after ${STEP_LIMIT} steps`);
}

function summary(html) {
  return html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * What a person does with the form on this page; undefined when they stop
 * there (a page that only reports an error).
 */
function fill(form, html, pageUrl, { mode, login, userCode }) {
  const fields = { ...form.fields };
  if ('login' in fields) {
    if (mode === 'deny') {
      const abort = /href="([^"]*\/abort)"/.exec(html)?.[1] ?? `${new URL(pageUrl).pathname}/abort`;
      log('cancels at the sign-in page');
      return { method: 'GET', url: new URL(decodeEntities(abort), pageUrl).href };
    }
    fields.login = login;
    fields.password = 'any password';
    log(`signs in as ${login}`);
  } else if (fields.prompt === 'consent') {
    log('consents');
  } else if (form.id === 'op.deviceInputForm') {
    if (/class="red"/.test(html)) {
      log(`stops at an error: ${summary(html).slice(0, 120)}`);
      return undefined;
    }
    if (!userCode) throw new Error('the page asks for a user code: set TEST_BROWSER_USER_CODE');
    fields.user_code = userCode;
    log('enters the user code');
  } else if (form.id === 'op.deviceConfirmForm') {
    if (mode === 'deny') {
      delete fields.confirm;
      fields.abort = 'yes';
      log('refuses the device');
    } else {
      log('confirms the device');
    }
  }
  const body = new URLSearchParams(fields).toString();
  if (form.method === 'GET') {
    const url = new URL(form.action);
    url.search = body;
    return { method: 'GET', url: url.href };
  }
  return { method: 'POST', url: form.action, body };
}

async function load(url) {
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    log(`GET ${url} -> ${response.status} ${summary(text).slice(0, 120)}`);
    return response.status;
  } catch (err) {
    log(`GET ${url} failed: ${err.cause?.code ?? err.message}`);
    return undefined;
  }
}

/** Delivers the redirect back to the client as the mode says. */
export async function deliver(redirect, mode) {
  if (mode === 'print') {
    if (process.env.TEST_BROWSER_OUT) fs.writeFileSync(process.env.TEST_BROWSER_OUT, `${redirect}\n`);
    else process.stdout.write(`${redirect}\n`);
    log('printed the redirect instead of loading it');
    return undefined;
  }
  if (mode === 'wrong-state-first') {
    const url = new URL(redirect);
    await load(new URL('/favicon.ico', url).href);
    const wrong = new URL(redirect);
    wrong.searchParams.set('state', 'not-the-state-tether-sent');
    await load(wrong.href);
  }
  return load(redirect);
}

const MODES = new Set(['approve', 'deny', 'wrong-state-first', 'print', 'none']);

async function main() {
  const mode = process.env.TEST_BROWSER_MODE || 'approve';
  if (!MODES.has(mode)) throw new Error(`unknown TEST_BROWSER_MODE ${mode}`);
  const url = process.argv.at(-1);
  if (process.argv.length < 3 || !/^https?:\/\//.test(url)) throw new Error('usage: browser.mjs URL');
  if (mode === 'none') {
    log(`ignores ${url}`);
    return;
  }
  const result = await walk(url, {
    mode,
    login: process.env.TEST_BROWSER_LOGIN || 'alice',
    userCode: process.env.TEST_BROWSER_USER_CODE,
  });
  if (result.page) {
    log(`ends on a page: ${result.page.slice(0, 120)}`);
  } else {
    await deliver(result.redirect, mode);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  main().catch((err) => {
    log(`failed: ${err.message}`);
    process.exit(1);
  });
}
