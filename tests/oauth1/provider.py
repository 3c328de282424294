"""tether's test OAuth 1.0a provider: oauthlib's RFC 5849 endpoints on loopback.

    tests/oauth1/setup.sh
    tests/oauth1/.venv/bin/python tests/oauth1/provider.py [--port N] [--until-stdin-closes]

It binds 127.0.0.1 (port 0, an ephemeral one, unless --port says), prints one
JSON line on stdout when it is ready, `{"port": N, "url": "http://127.0.0.1:N"}`,
and logs to stderr. With --until-stdin-closes it exits when its stdin closes,
so a test harness that holds the pipe leaves no orphan behind.

Every signature, nonce and token check is oauthlib's own (its request-token,
authorization, access-token and resource endpoints); this file only stores
what oauthlib asks it to store and answers the HTTP.

OAuth endpoints (RFC 5849 §2):
  POST /oauth/request_token   temporary credentials; needs oauth_callback, which
                              must be "oob" or an http URL on a loopback host;
                              answers oauth_callback_confirmed=true
  GET  /oauth/authorize       ?oauth_token=T: a consent page (a form that POSTs
                              back); with &decision=allow|deny (and optionally
                              &user=alice|bob) it decides at once, so a test
                              "browser" needs one plain GET
  POST /oauth/authorize       the same decision as a form
                              allow: 302 to the callback with oauth_token and
                              oauth_verifier, or for "oob" a page showing the
                              verifier in <code id="oauth_verifier">
                              deny: 302 to the callback with denied=T, or a page
  POST /oauth/access_token    token credentials plus user_id and screen_name
  POST /oauth/invalidate_token
                              ends the access token it is signed with (as X's
                              endpoint of that name): 200 {"revoked": T}, or
                              401 with the problem, as for /api below
  ANY  /api/...               a protected resource: any method and path; 200
                              with JSON of what it received when the request is
                              signed with a live access token, else 401 with
                              `WWW-Authenticate: OAuth realm="tether-test",
                              oauth_problem="…"` and the same problem as a form
                              body. Form bodies are signed; other bodies are not.
                              An oauth_body_hash, when sent, must match (SHA-1 of
                              the body); under /api/hashed/ it is required.
  GET  /                      JSON: every URL above and the clients

Test endpoints (JSON, no OAuth):
  GET  /__test/stats          what the provider saw (see Stats.snapshot)
  POST /__test/reset          forgets the counts (not the tokens)
  POST /__test/tokens         {"client_key", "user"?}: mints an access token
                              without the flow; answers the token response fields
  POST /__test/revoke         {"token"} or {"all": true}: the next call with the
                              token answers 401 oauth_problem=token_revoked
  POST /__test/expire         {"token"}: the same with token_expired

Clients (consumer key, shared secret or RSA key, methods):
  tetherhmacconsumerkey01     HMAC-SHA1 and HMAC-SHA256
  tetherrsaconsumerkey001     RSA-SHA1 with tests/oauth1/rsa_public.pem
  tetherplainconsumerkey1     PLAINTEXT
The secrets are in CLIENTS below; GET / lists them too. They are test values.
"""

import argparse
import base64
import hashlib
import hmac
import html
import ipaddress
import json
import logging
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from oauthlib.common import generate_token
from oauthlib.oauth1 import (
    AccessTokenEndpoint,
    AuthorizationEndpoint,
    RequestTokenEndpoint,
    RequestValidator,
    ResourceEndpoint,
)
from oauthlib.oauth1.rfc5849 import signature

HERE = Path(__file__).resolve().parent
REALM = "tether-test"
FORM = "application/x-www-form-urlencoded"

CLIENTS = {
    "tetherhmacconsumerkey01": {
        "secret": "hmac consumer secret ~*+&é",
        "methods": ["HMAC-SHA1", "HMAC-SHA256"],
    },
    "tetherrsaconsumerkey001": {
        "rsa_public_key": (HERE / "rsa_public.pem").read_text(),
        "methods": ["RSA-SHA1"],
    },
    "tetherplainconsumerkey1": {
        "secret": "plain consumer secret&+~ %",
        "methods": ["PLAINTEXT"],
    },
}
USERS = {
    "alice": {"user_id": "1001", "screen_name": "alice"},
    "bob": {"user_id": "1002", "screen_name": "bob"},
}

# Stand-ins oauthlib checks against when a key or token is unknown, so that
# a miss costs the same time as a hit.
DUMMY_CLIENT = "dummyclientkey0000000000"
DUMMY_TOKEN = "dummytoken00000000000000"
DUMMY_SECRET = "dummy secret"

log = logging.getLogger("provider")


class Store:
    """Everything the provider remembers, behind one lock."""

    def __init__(self):
        self.lock = threading.RLock()
        self.request_tokens = {}  # token -> dict(client_key, secret, callback, realms, verifier, user)
        self.access_tokens = {}  # token -> dict(client_key, secret, user, realms, state)
        self.nonces = set()  # (client_key, timestamp, nonce, token)
        self.reset_counts()

    def reset_counts(self):
        with self.lock:
            self.counts = {
                "request_token": {"ok": 0, "rejected": 0},
                "authorize": {"allowed": 0, "denied": 0},
                "access_token": {"ok": 0, "rejected": 0},
                "invalidate_token": {"ok": 0, "rejected": 0},
                "resource": {"ok": 0, "rejected": 0},
            }
            self.problems = []
            self.resource_requests = []
            self.issued = []
            self.verifiers = []

    def snapshot(self):
        """`counts` per endpoint; `problems`: every oauth_problem answered, in
        order; `resource_requests`: per /api call {method, path, ok, problem,
        client_key, token, signature_method, nonce, timestamp}; `issued`: every
        token {type: request|access, token, secret, client_key}; `verifiers`."""
        with self.lock:
            return {
                "counts": json.loads(json.dumps(self.counts)),
                "problems": list(self.problems),
                "resource_requests": list(self.resource_requests),
                "issued": list(self.issued),
                "verifiers": list(self.verifiers),
            }

    def mint_access_token(self, client_key, user, realms=()):
        token, secret = generate_token(), generate_token()
        with self.lock:
            self.access_tokens[token] = {
                "client_key": client_key,
                "secret": secret,
                "user": user,
                "realms": list(realms),
                "state": "active",
            }
            self.issued.append(
                {"type": "access", "token": token, "secret": secret, "client_key": client_key}
            )
        return token, secret

    def set_state(self, token, state):
        with self.lock:
            if token in self.access_tokens:
                self.access_tokens[token]["state"] = state
                return 1
            return 0


STORE = Store()


# The first OAuth problem the request being handled meets (one request at a
# time per thread).
NOTED = threading.local()


def problem(name, **details):
    """Notes why the current request fails, in Problem Reporting's words."""
    if getattr(NOTED, "problem", None) is None:
        NOTED.problem = (name, details)


def is_loopback_http(uri):
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
        if parts.scheme != "http":
            return False
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Validator(RequestValidator):
    """oauthlib's questions, answered from the STORE."""

    enforce_ssl = False  # loopback http

    @property
    def allowed_signature_methods(self):
        return ("HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT")

    @property
    def dummy_client(self):
        return DUMMY_CLIENT

    @property
    def dummy_request_token(self):
        return DUMMY_TOKEN

    @property
    def dummy_access_token(self):
        return DUMMY_TOKEN

    # Realms are RFC 2617 protection realms here, not scopes: any is fine.
    def check_realms(self, realms):
        return True

    def get_default_realms(self, client_key, request):
        return []

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def verify_realms(self, token, realms, request):
        return True

    def get_realms(self, token, request):
        with STORE.lock:
            record = STORE.request_tokens.get(token) or STORE.access_tokens.get(token) or {}
            return list(record.get("realms", []))

    def validate_client_key(self, client_key, request):
        client = CLIENTS.get(client_key)
        if client is None:
            problem("consumer_key_unknown")
            return False
        if request.signature_method not in client["methods"]:
            problem("signature_method_rejected")
            return False
        return True

    def get_client_secret(self, client_key, request):
        return CLIENTS.get(client_key, {}).get("secret", DUMMY_SECRET)

    def get_rsa_key(self, client_key, request):
        client = CLIENTS.get(client_key, CLIENTS["tetherrsaconsumerkey001"])
        return client.get("rsa_public_key", CLIENTS["tetherrsaconsumerkey001"]["rsa_public_key"])

    def validate_timestamp_and_nonce(
        self, client_key, timestamp, nonce, request, request_token=None, access_token=None
    ):
        key = (client_key, timestamp, nonce, request_token or access_token)
        with STORE.lock:
            if key in STORE.nonces:
                problem("nonce_used")
                return False
            STORE.nonces.add(key)
            return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        if redirect_uri == "oob" or is_loopback_http(redirect_uri):
            return True
        problem("parameter_rejected", parameters_rejected="oauth_callback")
        return False

    def save_request_token(self, token, request):
        with STORE.lock:
            STORE.request_tokens[token["oauth_token"]] = {
                "client_key": request.client_key,
                "secret": token["oauth_token_secret"],
                "callback": request.redirect_uri,
                "realms": list(request.realms or []),
                "verifier": None,
                "user": None,
            }
            STORE.issued.append(
                {
                    "type": "request",
                    "token": token["oauth_token"],
                    "secret": token["oauth_token_secret"],
                    "client_key": request.client_key,
                }
            )

    def verify_request_token(self, token, request):
        with STORE.lock:
            return token in STORE.request_tokens

    def get_redirect_uri(self, token, request):
        with STORE.lock:
            return STORE.request_tokens[token]["callback"]

    def save_verifier(self, token, verifier, request):
        with STORE.lock:
            STORE.request_tokens[token]["verifier"] = verifier["oauth_verifier"]
            STORE.verifiers.append(verifier["oauth_verifier"])

    def get_request_token_secret(self, client_key, token, request):
        with STORE.lock:
            record = STORE.request_tokens.get(token)
            if record and record["client_key"] == client_key:
                return record["secret"]
            return DUMMY_SECRET

    def validate_request_token(self, client_key, token, request):
        with STORE.lock:
            record = STORE.request_tokens.get(token)
            if not record or record["client_key"] != client_key or not record["verifier"]:
                problem("token_rejected")
                return False
            return True

    def validate_verifier(self, client_key, token, verifier, request):
        with STORE.lock:
            record = STORE.request_tokens.get(token) or {}
            expected = record.get("verifier") or ""
        if not hmac.compare_digest(expected.encode(), verifier.encode()):
            problem("parameter_rejected", parameters_rejected="oauth_verifier")
            return False
        return True

    def invalidate_request_token(self, client_key, request_token, request):
        with STORE.lock:
            STORE.request_tokens.pop(request_token, None)

    def save_access_token(self, token, request):
        with STORE.lock:
            record = STORE.request_tokens.get(request.resource_owner_key, {})
            STORE.access_tokens[token["oauth_token"]] = {
                "client_key": request.client_key,
                "secret": token["oauth_token_secret"],
                "user": record.get("user"),
                "realms": list(request.realms or []),
                "state": "active",
            }
            STORE.issued.append(
                {
                    "type": "access",
                    "token": token["oauth_token"],
                    "secret": token["oauth_token_secret"],
                    "client_key": request.client_key,
                }
            )

    def get_access_token_secret(self, client_key, token, request):
        with STORE.lock:
            record = STORE.access_tokens.get(token)
            if record and record["client_key"] == client_key:
                return record["secret"]
            return DUMMY_SECRET

    def validate_access_token(self, client_key, token, request):
        with STORE.lock:
            record = STORE.access_tokens.get(token)
            if record is None or record["client_key"] != client_key:
                problem("token_rejected")
                return False
            if record["state"] == "revoked":
                problem("token_revoked")
                return False
            if record["state"] == "expired":
                problem("token_expired")
                return False
            request.user = record["user"]
            return True


VALIDATOR = Validator()
REQUEST_TOKEN = RequestTokenEndpoint(VALIDATOR)
AUTHORIZE = AuthorizationEndpoint(VALIDATOR)
ACCESS_TOKEN = AccessTokenEndpoint(VALIDATOR)
RESOURCE = ResourceEndpoint(VALIDATOR)


def classify(request):
    """The oauth_problem of a refused request: what the validator noted, else
    what oauthlib's own checks refused."""
    noted = getattr(NOTED, "problem", None)
    if noted is not None:
        return noted
    if request is None:
        return "parameter_absent", {}
    if request.validator_log.get("signature") is False:
        return "signature_invalid", {}
    try:
        if abs(time.time() - int(request.timestamp)) > VALIDATOR.timestamp_lifetime:
            return "timestamp_refused", {}
    except (TypeError, ValueError):
        pass
    if request.signature_method not in VALIDATOR.allowed_signature_methods:
        return "signature_method_rejected", {}
    if request.resource_owner_key and not VALIDATOR.check_access_token(request.resource_owner_key):
        return "token_rejected", {}
    return "parameter_rejected", {}


def params_of(raw):
    return parse_qsl(raw, keep_blank_values=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tether-oauth1-test-provider"

    # -- plumbing ----------------------------------------------------------

    def log_message(self, fmt, *args):
        log.info("%s %s", self.address_string(), fmt % args)

    def base_url(self):
        return f"http://{self.headers.get('Host') or '127.0.0.1:%d' % self.server.server_port}"

    def full_uri(self):
        return self.base_url() + self.path

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, body=b"", content_type="application/json", headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body or status != 302:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, value):
        self.send(status, json.dumps(value, ensure_ascii=False) + "\n")

    def send_html(self, status, title, inner):
        page = (
            f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"</head><body><h1>{html.escape(title)}</h1>{inner}</body></html>\n"
        )
        self.send(status, page, "text/html; charset=utf-8")

    def send_problem(self, status, name, details):
        challenge = f'OAuth realm="{REALM}", oauth_problem="{name}"'
        body = {"oauth_problem": name}
        for key, value in details.items():
            field = f"oauth_{key}"
            body[field] = value
            challenge += f', {field}="{value}"'
        with STORE.lock:
            STORE.problems.append(name)
        self.send(status, urlencode(body), FORM, {"WWW-Authenticate": challenge})

    def oauthlib_headers(self):
        return {name: value for name, value in self.headers.items()}

    # -- routing -------------------------------------------------------------

    def do_GET(self):
        self.route()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def route(self):
        path = urlsplit(self.path).path
        body = self.read_body()
        NOTED.problem = None
        try:
            if path == "/":
                return self.index()
            if path == "/oauth/request_token":
                return self.request_token(body)
            if path == "/oauth/authorize":
                return self.authorize(body)
            if path == "/oauth/access_token":
                return self.access_token(body)
            if path == "/oauth/invalidate_token" and self.command == "POST":
                return self.invalidate_token(body)
            if path == "/api" or path.startswith("/api/"):
                return self.resource(path, body)
            if path.startswith("/__test/"):
                return self.admin(path, body)
            self.send_json(404, {"error": "not_found", "path": path})
        except Exception:  # noqa: BLE001 - a test server reports, it does not die
            log.exception("error handling %s %s", self.command, self.path)
            self.send_json(500, {"error": "server_error"})

    def index(self):
        base = self.base_url()
        self.send_json(
            200,
            {
                "request_token_url": f"{base}/oauth/request_token",
                "authorize_url": f"{base}/oauth/authorize",
                "access_token_url": f"{base}/oauth/access_token",
                "invalidate_token_url": f"{base}/oauth/invalidate_token",
                "api_url": f"{base}/api",
                "realm": REALM,
                "clients": {
                    key: {
                        "secret": client.get("secret"),
                        "rsa_public_key": "rsa_public.pem" if "rsa_public_key" in client else None,
                        "methods": client["methods"],
                    }
                    for key, client in CLIENTS.items()
                },
                "users": USERS,
            },
        )

    # -- RFC 5849 §2 -------------------------------------------------------------

    def request_token(self, body):
        headers, text, status = REQUEST_TOKEN.create_request_token_response(
            self.full_uri(), self.command, body.decode("utf-8", "replace"), self.oauthlib_headers()
        )
        self.answer_token_endpoint("request_token", headers, text, status)

    def access_token(self, body):
        uri, raw = self.full_uri(), body.decode("utf-8", "replace")
        headers = self.oauthlib_headers()
        credentials = self.user_fields(uri, raw, headers)
        headers, text, status = ACCESS_TOKEN.create_access_token_response(
            uri, self.command, raw, headers, credentials
        )
        self.answer_token_endpoint("access_token", headers, text, status)

    def user_fields(self, uri, body, headers):
        """user_id and screen_name of the user who authorized the request token
        the request names, for the token response."""
        try:
            content_type = headers.get("Content-Type", "")
            params = dict(
                signature.collect_parameters(
                    uri_query=urlsplit(uri).query,
                    body=body if FORM in content_type else None,
                    headers=headers,
                )
            )
        except ValueError:
            return {}
        with STORE.lock:
            record = STORE.request_tokens.get(params.get("oauth_token"), {})
            return dict(USERS.get(record.get("user"), {}))

    def answer_token_endpoint(self, name, headers, text, status):
        with STORE.lock:
            STORE.counts[name]["ok" if status == 200 else "rejected"] += 1
        if status == 401:
            # oauthlib answers 401 with no body; say why, as providers do. A
            # failure no validator check noted is the signature's.
            name, details = getattr(NOTED, "problem", None) or ("signature_invalid", {})
            return self.send_problem(401, name, details)
        self.send(status, text or "", headers.get("Content-Type", FORM), {})

    def authorize(self, body):
        query = dict(params_of(urlsplit(self.path).query))
        if self.command == "POST":
            query.update(params_of(body.decode("utf-8", "replace")))
        token = query.get("oauth_token", "")
        with STORE.lock:
            record = STORE.request_tokens.get(token)
            callback = record["callback"] if record else None
        if record is None:
            return self.send_html(400, "Unknown request", "<p>No such request token.</p>")
        decision = query.get("decision")
        user = query.get("user", "alice")
        if decision is None:
            return self.consent_page(token, record)
        if user not in USERS:
            return self.send_html(400, "Unknown user", f"<p>No user {html.escape(user)}.</p>")
        if decision != "allow":
            with STORE.lock:
                STORE.counts["authorize"]["denied"] += 1
                STORE.request_tokens.pop(token, None)
            if callback == "oob":
                return self.send_html(200, "Access denied", "<p>You denied access.</p>")
            sep = "&" if urlsplit(callback).query else "?"
            return self.send(302, b"", headers={"Location": f"{callback}{sep}{urlencode({'denied': token})}"})
        uri = f"{self.base_url()}/oauth/authorize?{urlencode({'oauth_token': token})}"
        headers, text, status = AUTHORIZE.create_authorization_response(uri, "GET")
        with STORE.lock:
            STORE.counts["authorize"]["allowed"] += 1
            STORE.request_tokens[token]["user"] = user
        if status == 302:
            return self.send(302, b"", headers={"Location": headers["Location"]})
        verifier = dict(params_of(text))["oauth_verifier"]
        self.send_html(
            200,
            "Access granted",
            "<p>Enter this code in the application:</p>"
            f'<p><code id="oauth_verifier">{html.escape(verifier)}</code></p>',
        )

    def consent_page(self, token, record):
        users = "".join(f'<option value="{u}">{u}</option>' for u in USERS)
        inner = (
            f"<p>{html.escape(record['client_key'])} asks for access to your account.</p>"
            '<form method="post" action="/oauth/authorize">'
            f'<input type="hidden" name="oauth_token" value="{html.escape(token)}">'
            f'<label>User <select name="user">{users}</select></label> '
            '<button name="decision" value="allow">Allow</button> '
            '<button name="decision" value="deny">Deny</button>'
            "</form>"
        )
        self.send_html(200, "Authorize access", inner)

    # -- protected resources --------------------------------------------------------

    def resource(self, path, body):
        headers = self.oauthlib_headers()
        # The message's own lookup ignores case, as HTTP does: clients may
        # send `content-type`.
        content_type = self.headers.get("Content-Type", "")
        text = body.decode("utf-8", "replace")
        valid, request = RESOURCE.validate_protected_resource_request(
            self.full_uri(), self.command, text, headers
        )
        oauth = dict(request.oauth_params) if request is not None else {}
        if valid:
            valid, name, details = self.check_body_hash(path, oauth, body, content_type)
        else:
            name, details = classify(request)
        summary = {
            "method": self.command,
            "path": path,
            "ok": valid,
            "problem": None if valid else name,
            "client_key": oauth.get("oauth_consumer_key"),
            "token": oauth.get("oauth_token"),
            "signature_method": oauth.get("oauth_signature_method"),
            "nonce": oauth.get("oauth_nonce"),
            "timestamp": oauth.get("oauth_timestamp"),
        }
        with STORE.lock:
            STORE.counts["resource"]["ok" if valid else "rejected"] += 1
            STORE.resource_requests.append(summary)
        if not valid:
            log.info("refused %s %s: %s", self.command, path, name)
            return self.send_problem(401, name, details)
        user = USERS.get(getattr(request, "user", None), {})
        self.send_json(
            200,
            {
                "method": self.command,
                "path": path,
                "query": params_of(urlsplit(self.path).query),
                "form": params_of(text) if FORM in content_type else None,
                "body": None if FORM in content_type else text,
                "content_type": content_type or None,
                "client_key": request.client_key,
                "token": request.resource_owner_key,
                "signature_method": request.signature_method,
                "realm": request.realm,
                "body_hash": "valid" if "oauth_body_hash" in oauth else "absent",
                "user_id": user.get("user_id"),
                "screen_name": user.get("screen_name"),
            },
        )

    def invalidate_token(self, body):
        """The token the request is signed with is revoked, when oauthlib's
        resource endpoint accepts the signature."""
        valid, request = RESOURCE.validate_protected_resource_request(
            self.full_uri(), self.command, body.decode("utf-8", "replace"), self.oauthlib_headers()
        )
        with STORE.lock:
            STORE.counts["invalidate_token"]["ok" if valid else "rejected"] += 1
        if not valid:
            name, details = classify(request)
            return self.send_problem(401, name, details)
        STORE.set_state(request.resource_owner_key, "revoked")
        self.send_json(200, {"revoked": request.resource_owner_key})

    @staticmethod
    def check_body_hash(path, oauth, body, content_type):
        """OAuth Request Body Hash: a hash sent must match; under /api/hashed/
        one is required (for bodies that are not form-encoded)."""
        sent = oauth.get("oauth_body_hash")
        if sent is None:
            if path.startswith("/api/hashed/") and FORM not in content_type:
                return False, "parameter_absent", {"parameters_absent": "oauth_body_hash"}
            return True, None, {}
        expected = base64.b64encode(hashlib.sha1(body).digest()).decode()  # noqa: S324
        if FORM in content_type or not hmac.compare_digest(sent.encode(), expected.encode()):
            return False, "parameter_rejected", {"parameters_rejected": "oauth_body_hash"}
        return True, None, {}

    # -- test endpoints --------------------------------------------------------

    def admin(self, path, body):
        try:
            args = json.loads(body or b"{}")
        except ValueError:
            return self.send_json(400, {"error": "body is not JSON"})
        if path == "/__test/stats" and self.command == "GET":
            return self.send_json(200, STORE.snapshot())
        if self.command != "POST":
            return self.send_json(405, {"error": "method not allowed"})
        if path == "/__test/reset":
            STORE.reset_counts()
            return self.send_json(200, {"reset": True})
        if path == "/__test/tokens":
            client_key = args.get("client_key")
            user = args.get("user", "alice")
            if client_key not in CLIENTS or user not in USERS:
                return self.send_json(400, {"error": "unknown client_key or user"})
            token, secret = STORE.mint_access_token(client_key, user)
            return self.send_json(
                200, {"oauth_token": token, "oauth_token_secret": secret, **USERS[user]}
            )
        if path in ("/__test/revoke", "/__test/expire"):
            state = "revoked" if path.endswith("revoke") else "expired"
            if args.get("all"):
                with STORE.lock:
                    tokens = list(STORE.access_tokens)
            else:
                tokens = [args.get("token")]
            changed = sum(STORE.set_state(t, state) for t in tokens)
            return self.send_json(200, {state: changed})
        self.send_json(404, {"error": "not_found", "path": path})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any)")
    parser.add_argument(
        "--until-stdin-closes", action="store_true", help="exit when stdin reaches end of file"
    )
    args = parser.parse_args()
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s: %(message)s"
    )
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.until_stdin_closes:

        def watch():
            sys.stdin.buffer.read()
            log.info("stdin closed: stopping")
            server.shutdown()

        threading.Thread(target=watch, daemon=True).start()
    print(json.dumps({"port": port, "url": f"http://127.0.0.1:{port}"}), flush=True)
    log.info("listening on 127.0.0.1:%d", port)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
