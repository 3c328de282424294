"""Self-test of the OAuth 1.0a test provider, driven by oauthlib's own client.

    tests/oauth1/setup.sh
    tests/oauth1/.venv/bin/python tests/oauth1/selftest.py

Starts provider.py on an ephemeral port and checks what tether's tests will
rely on: the three-legged flow with a loopback callback and with "oob", every
client's signature method, form bodies signed and JSON bodies not, the nonce
store, revocation and expiry, and the problems reported in WWW-Authenticate.
If this fails, the provider is broken, not tether.
"""

import json
import re
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from oauthlib.oauth1 import Client

HERE = Path(__file__).resolve().parent
HMAC_KEY, HMAC_SECRET = "tetherhmacconsumerkey01", "hmac consumer secret ~*+&é"
RSA_KEY = "tetherrsaconsumerkey001"
PLAIN_KEY, PLAIN_SECRET = "tetherplainconsumerkey1", "plain consumer secret&+~ %"
RSA_PEM = (HERE / "rsa_private_pkcs1.pem").read_text()
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

PROVIDER = None
BASE = None


def setUpModule():
    global PROVIDER, BASE
    PROVIDER = subprocess.Popen(
        [sys.executable, str(HERE / "provider.py"), "--until-stdin-closes"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    BASE = json.loads(PROVIDER.stdout.readline())["url"]


def tearDownModule():
    PROVIDER.stdin.close()
    PROVIDER.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(method, url, body=None, headers=None):
    """(status, headers, text) of one request; no redirect is followed."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def signed(client, method, path, body=None, headers=None):
    uri, headers, body = client.sign(BASE + path, method, body, headers or {})
    if isinstance(body, (dict, list)):
        # oauthlib hands form pairs back as it got them.
        body = urlencode(body)
    return http(method, uri, body, headers)


def admin(path, value=None):
    status, _, text = http("POST" if value is not None else "GET", BASE + path, json.dumps(value) if value is not None else None)
    assert status == 200, (path, status, text)
    return json.loads(text)


def minted(client_key, **kwargs):
    token = admin("/__test/tokens", {"client_key": client_key})
    return token, Client(
        client_key,
        resource_owner_key=token["oauth_token"],
        resource_owner_secret=token["oauth_token_secret"],
        **kwargs,
    )


def hmac_client(**kwargs):
    return minted(HMAC_KEY, client_secret=HMAC_SECRET, **kwargs)


class Flow(unittest.TestCase):
    def request_token(self, client):
        status, _, text = signed(client, "POST", "/oauth/request_token")
        self.assertEqual(status, 200, text)
        fields = dict(parse_qsl(text))
        self.assertEqual(fields["oauth_callback_confirmed"], "true")
        return fields

    def test_three_legged_with_a_loopback_callback(self):
        callback = "http://127.0.0.1:8765/callback?x=1"
        temporary = self.request_token(Client(HMAC_KEY, client_secret=HMAC_SECRET, callback_uri=callback))
        status, headers, _ = http(
            "GET", f"{BASE}/oauth/authorize?{urlencode({'oauth_token': temporary['oauth_token'], 'decision': 'allow', 'user': 'bob'})}"
        )
        self.assertEqual(status, 302)
        location = headers["Location"]
        self.assertTrue(location.startswith("http://127.0.0.1:8765/callback?x=1&"), location)
        back = dict(parse_qsl(urlsplit(location).query))
        self.assertEqual(back["oauth_token"], temporary["oauth_token"])
        client = Client(
            HMAC_KEY,
            client_secret=HMAC_SECRET,
            resource_owner_key=temporary["oauth_token"],
            resource_owner_secret=temporary["oauth_token_secret"],
            verifier=back["oauth_verifier"],
        )
        status, _, text = signed(client, "POST", "/oauth/access_token")
        self.assertEqual(status, 200, text)
        token = dict(parse_qsl(text))
        self.assertEqual((token["user_id"], token["screen_name"]), ("1002", "bob"))
        # The request token is spent.
        status, _, _ = signed(client, "POST", "/oauth/access_token")
        self.assertEqual(status, 401)
        api = Client(
            HMAC_KEY,
            client_secret=HMAC_SECRET,
            resource_owner_key=token["oauth_token"],
            resource_owner_secret=token["oauth_token_secret"],
            signature_method="HMAC-SHA256",
        )
        status, _, text = signed(api, "GET", "/api/me?x=1&x=2")
        self.assertEqual(status, 200, text)
        seen = json.loads(text)
        self.assertEqual(seen["screen_name"], "bob")
        self.assertEqual(seen["query"], [["x", "1"], ["x", "2"]])
        self.assertEqual(seen["signature_method"], "HMAC-SHA256")

    def test_oob_shows_the_verifier(self):
        temporary = self.request_token(Client(PLAIN_KEY, client_secret=PLAIN_SECRET, callback_uri="oob", signature_method="PLAINTEXT"))
        status, _, page = http("GET", f"{BASE}/oauth/authorize?oauth_token={temporary['oauth_token']}")
        self.assertEqual(status, 200)
        self.assertIn('<form method="post"', page)
        status, _, page = http("POST", f"{BASE}/oauth/authorize", urlencode({"oauth_token": temporary["oauth_token"], "decision": "allow"}), FORM)
        self.assertEqual(status, 200, page)
        verifier = re.search(r'<code id="oauth_verifier">([^<]+)</code>', page).group(1)
        client = Client(
            PLAIN_KEY,
            client_secret=PLAIN_SECRET,
            resource_owner_key=temporary["oauth_token"],
            resource_owner_secret=temporary["oauth_token_secret"],
            verifier=verifier,
            signature_method="PLAINTEXT",
        )
        status, _, text = signed(client, "POST", "/oauth/access_token")
        self.assertEqual(status, 200, text)
        self.assertEqual(dict(parse_qsl(text))["screen_name"], "alice")

    def test_deny_redirects_with_denied(self):
        temporary = self.request_token(Client(HMAC_KEY, client_secret=HMAC_SECRET, callback_uri="http://localhost:9/cb"))
        status, headers, _ = http("GET", f"{BASE}/oauth/authorize?oauth_token={temporary['oauth_token']}&decision=deny")
        self.assertEqual(status, 302)
        self.assertEqual(headers["Location"], f"http://localhost:9/cb?denied={temporary['oauth_token']}")

    def test_a_callback_off_loopback_is_refused(self):
        client = Client(HMAC_KEY, client_secret=HMAC_SECRET, callback_uri="https://evil.example/cb")
        status, headers, _ = signed(client, "POST", "/oauth/request_token")
        self.assertEqual(status, 401)
        self.assertIn('oauth_problem="parameter_rejected"', headers["WWW-Authenticate"])


class Resources(unittest.TestCase):
    def test_every_client_and_method_is_verified(self):
        for client_key, kwargs in [
            (HMAC_KEY, dict(client_secret=HMAC_SECRET)),
            (HMAC_KEY, dict(client_secret=HMAC_SECRET, signature_method="HMAC-SHA256")),
            (RSA_KEY, dict(rsa_key=RSA_PEM, signature_method="RSA-SHA1")),
            (PLAIN_KEY, dict(client_secret=PLAIN_SECRET, signature_method="PLAINTEXT")),
        ]:
            _, client = minted(client_key, **kwargs)
            for method, body, headers in [
                ("GET", None, None),
                ("POST", urlencode({"a": "b c", "star": "*", "é": "ü"}), FORM),
                # A string: oauthlib's client would turn pairs into a dict.
                ("PUT", "rep=1&rep=2&sp=a+b", FORM),
                ("DELETE", None, None),
            ]:
                status, _, text = signed(client, method, "/api/items/1?q=a+b&t=~", body, headers)
                self.assertEqual(status, 200, (client_key, kwargs, method, text))
                self.assertEqual(json.loads(text)["method"], method)

    def test_a_wrong_signature_is_refused(self):
        _, client = minted(HMAC_KEY, client_secret="not the secret")
        status, headers, body = signed(client, "GET", "/api/me")
        self.assertEqual(status, 401)
        self.assertIn('oauth_problem="signature_invalid"', headers["WWW-Authenticate"])
        self.assertEqual(body, "oauth_problem=signature_invalid")

    def test_a_method_the_client_may_not_use_is_refused(self):
        _, client = minted(HMAC_KEY, client_secret=HMAC_SECRET, signature_method="PLAINTEXT")
        status, headers, _ = signed(client, "GET", "/api/me")
        self.assertEqual(status, 401)
        self.assertIn("signature_method_rejected", headers["WWW-Authenticate"])

    def test_json_bodies_are_not_parameters(self):
        _, client = hmac_client()
        uri, headers, _ = client.sign(BASE + "/api/statuses", "POST")
        headers["Content-Type"] = "application/json"
        status, _, text = http("POST", uri, '{"status": "a=b&c"}', headers)
        self.assertEqual(status, 200, text)
        seen = json.loads(text)
        self.assertEqual((seen["body"], seen["form"], seen["body_hash"]), ('{"status": "a=b&c"}', None, "absent"))

    def test_body_hash_is_checked_when_sent_and_required_under_hashed(self):
        _, client = hmac_client()
        json_headers = {"Content-Type": "application/json"}
        status, _, text = signed(client, "PUT", "/api/hashed/1", '{"a": 1}', json_headers)
        self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["body_hash"], "valid")
        uri, headers, _ = client.sign(BASE + "/api/hashed/1", "PUT", '{"a": 1}', json_headers)
        status, headers, _ = http("PUT", uri, '{"a": 2}', headers)
        self.assertEqual(status, 401)
        self.assertIn('oauth_problem="parameter_rejected"', headers["WWW-Authenticate"])
        uri, headers, _ = client.sign(BASE + "/api/hashed/1", "PUT")
        headers.update(json_headers)
        status, headers, _ = http("PUT", uri, '{"a": 1}', headers)
        self.assertEqual(status, 401)
        self.assertIn('oauth_problem="parameter_absent"', headers["WWW-Authenticate"])

    def test_a_replay_fails_and_fresh_nonces_in_one_second_pass(self):
        _, client = hmac_client()
        client.timestamp = str(int(time.time()))
        for nonce in ["nonceAAAAAAAAAAAAAAAAAAA1", "nonceAAAAAAAAAAAAAAAAAAA2"]:
            client.nonce = nonce
            status, _, text = signed(client, "GET", "/api/me")
            self.assertEqual(status, 200, text)
        status, headers, _ = signed(client, "GET", "/api/me")
        self.assertEqual(status, 401)
        self.assertIn('oauth_problem="nonce_used"', headers["WWW-Authenticate"])

    def test_an_old_timestamp_is_refused(self):
        _, client = hmac_client()
        client.timestamp = str(int(time.time()) - 3600)
        status, headers, _ = signed(client, "GET", "/api/me")
        self.assertEqual(status, 401)
        self.assertIn('oauth_problem="timestamp_refused"', headers["WWW-Authenticate"])

    def test_revoked_and_expired_tokens_say_so(self):
        for action, state in [("/__test/revoke", "revoked"), ("/__test/expire", "expired")]:
            token, client = hmac_client()
            self.assertEqual(signed(client, "GET", "/api/me")[0], 200)
            self.assertEqual(admin(action, {"token": token["oauth_token"]}), {state: 1})
            status, headers, body = signed(client, "GET", "/api/me")
            self.assertEqual(status, 401)
            self.assertEqual(
                headers["WWW-Authenticate"], f'OAuth realm="tether-test", oauth_problem="token_{state}"'
            )
            self.assertEqual(body, f"oauth_problem=token_{state}")

    def test_unknown_tokens_are_rejected(self):
        client = Client(HMAC_KEY, client_secret=HMAC_SECRET, resource_owner_key="unknowntoken0000000000000", resource_owner_secret="x")
        status, headers, _ = signed(client, "GET", "/api/me")
        self.assertEqual(status, 401)
        self.assertIn('oauth_problem="token_rejected"', headers["WWW-Authenticate"])

    def test_stats_count_resource_calls(self):
        admin("/__test/reset", {})
        _, client = hmac_client()
        signed(client, "GET", "/api/a")
        client.client_secret = "wrong"
        signed(client, "GET", "/api/b")
        stats = admin("/__test/stats")
        self.assertEqual(stats["counts"]["resource"], {"ok": 1, "rejected": 1})
        self.assertEqual([r["problem"] for r in stats["resource_requests"]], [None, "signature_invalid"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
