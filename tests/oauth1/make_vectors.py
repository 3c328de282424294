"""Writes tests/oauth1/vectors.json: OAuth 1.0a signatures made by oauthlib.

    tests/oauth1/setup.sh
    tests/oauth1/.venv/bin/python tests/oauth1/make_vectors.py

Every vector is one request signed by the pinned oauthlib's own client
(`oauthlib.oauth1.Client`) with a fixed nonce and timestamp: the signature
base string it signed, the signature, and the `Authorization` header or the
signed URL it produced. tether's unit tests (src/oauth1/tests.rs) sign the
same requests and must reproduce every base string and signature exactly.

The test RSA key pair (rsa_private_pkcs1.pem, the same key as
rsa_private_pkcs8.pem, and rsa_public.pem) is made here when it is missing.
It is a test key, committed on purpose; it protects nothing.

The output depends only on the inputs below and the pinned oauthlib:
running the script again rewrites the same file.
"""

import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse

import oauthlib
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from oauthlib.oauth1 import Client
from oauthlib.oauth1.rfc5849 import signature

HERE = Path(__file__).resolve().parent
PKCS1 = HERE / "rsa_private_pkcs1.pem"
PKCS8 = HERE / "rsa_private_pkcs8.pem"
PUBLIC = HERE / "rsa_public.pem"
OUT = HERE / "vectors.json"

FORM = "application/x-www-form-urlencoded"
METHODS = ["HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT"]

# RFC 5849 §3.4.1.1's example credentials.
RFC = dict(
    consumer_key="9djdj82h48djs9d2",
    consumer_secret="j49sk3j29djd",
    token="kkk9d7dh3k39sjv7",
    token_secret="dh893hdasih9",
    nonce="7d8f3e4a",
    timestamp="137131201",
)
# OAuth Core 1.0 Appendix A's credentials (photos.example.net).
PHOTOS = dict(
    consumer_key="dpf43f3p2l4k3l03",
    consumer_secret="kd94hf93k423kf44",
    token="nnch734d00sl2jdk",
    token_secret="pfkkdhi9sl3r4s00",
    nonce="kllo9940pd9333jh",
    timestamp="1191242096",
)
# Secrets with every character class the encoding treats specially.
TRICKY = dict(
    consumer_key="key with space+plus",
    consumer_secret="cs &+%~*é/=?",
    token="tok~*+ é",
    token_secret="ts é ☃ & %41",
    nonce="n0nce~with-._chars",
    timestamp="1700000000",
)

# One request each; every one is signed with every method in `methods`.
CASES = [
    dict(
        name="rfc5849-3.4.1.1",
        http_method="POST",
        url="http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        form=[["c2", ""], ["a3", "2 q"]],
        realm="Example",
        **RFC,
    ),
    dict(
        name="oauth-core-a.5",
        http_method="GET",
        url="http://photos.example.net/photos?file=vacation.jpg&size=original",
        realm="http://photos.example.net/",
        **PHOTOS,
    ),
    dict(
        name="query-encodings",
        http_method="GET",
        url=(
            "HTTPS://API.Example.COM:443/v1/Search%20Path/~user"
            "?q=a+b%20c&plus=%2B&tilde=~&tilde2=%7E&star=*&star2=%2A"
            "&rep=2&rep=10&rep=1&empty=&flag&B=upper&a%20b=sp"
            "&caf%C3%A9=na%C3%AFve&emoji=%F0%9F%98%80&realm=query-realm"
        ),
        **RFC,
    ),
    dict(
        name="form-encodings",
        http_method="POST",
        url="http://127.0.0.1:8080/api/items?x=1&rep=a",
        form=[
            ["rep", "b"],
            ["rep", "a"],
            ["space", "a b"],
            ["plus", "1+1=2"],
            ["tilde", "~"],
            ["star", "*"],
            ["empty", ""],
            ["non-ascii", "Zoë ☃ 😀"],
            ["amp", "a&b=c"],
            ["pct", "100%"],
            ["é", "key not ASCII"],
        ],
        **RFC,
    ),
    dict(
        name="default-port-dropped",
        http_method="GET",
        url="http://EXAMPLE.COM:80/r%20v/X?id=123",
        **PHOTOS,
    ),
    dict(
        name="other-port-kept",
        http_method="DELETE",
        url="https://example.com:8443/items/42?force=true",
        **PHOTOS,
    ),
    dict(
        name="ipv6-host",
        http_method="GET",
        url="http://[::1]:8080/v1/me",
        **PHOTOS,
    ),
    dict(
        name="put-form",
        http_method="PUT",
        url="https://api.example.com/v1/items/7",
        form=[["title", "New title"], ["tags", "a,b"]],
        **PHOTOS,
    ),
    dict(
        name="tricky-credentials",
        http_method="POST",
        url="https://api.example.com/v1/echo?q=x",
        form=[["a", "b"]],
        realm="Photos & Co",
        **TRICKY,
    ),
    dict(
        name="empty-token-secret",
        http_method="GET",
        url="https://api.example.com/v1/me",
        **dict(PHOTOS, token_secret=""),
    ),
    dict(
        name="two-legged",
        http_method="GET",
        url="https://api.example.com/v1/public?page=2",
        **dict(PHOTOS, token=None, token_secret=None),
    ),
    dict(
        name="temporary-credentials",
        http_method="POST",
        url="https://photos.example.net/initiate",
        callback="http://127.0.0.1:8765/callback?x=1&y=%7E",
        **dict(PHOTOS, token=None, token_secret=None),
    ),
    dict(
        name="temporary-credentials-oob",
        http_method="POST",
        url="https://photos.example.net/initiate",
        callback="oob",
        realm="Photos",
        **dict(PHOTOS, token=None, token_secret=None),
    ),
    dict(
        name="token-request",
        http_method="POST",
        url="https://photos.example.net/token",
        verifier="hfdp7dh39dks9884",
        **dict(PHOTOS, token="hh5s93j4hdidpola", token_secret="hdhd0244k9j7ao03"),
    ),
    dict(
        name="query-location",
        http_method="GET",
        url="http://photos.example.net/photos?file=vacation.jpg&size=original",
        location="query",
        **PHOTOS,
    ),
    dict(
        name="query-location-form",
        http_method="POST",
        url="http://127.0.0.1:8080/api/items",
        form=[["space", "a b"], ["star", "*"]],
        location="query",
        **TRICKY,
    ),
    dict(
        name="json-body-not-signed",
        http_method="POST",
        url="https://api.example.com/v1/statuses",
        body='{"status": "héllo + ~*"}',
        content_type="application/json",
        body_hash=False,
        **PHOTOS,
    ),
    dict(
        name="json-body-hash",
        http_method="PUT",
        url="https://api.example.com/v1/statuses/1",
        body='{"status": "héllo + ~*"}',
        content_type="application/json",
        body_hash=True,
        **PHOTOS,
    ),
]


def ensure_keys():
    """The test key pair, made once: PKCS#1 and PKCS#8 of one key."""
    if PKCS1.exists() and PKCS8.exists() and PUBLIC.exists():
        return PKCS1.read_text()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    none = serialization.NoEncryption()
    pem = serialization.Encoding.PEM
    PKCS1.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL, none))
    PKCS8.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, none))
    PUBLIC.write_bytes(
        key.public_key().public_bytes(pem, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return PKCS1.read_text()


class BaseStrings:
    """Records every base string oauthlib's client signs."""

    def __init__(self):
        self.seen = []
        self.original = signature.signature_base_string
        signature.signature_base_string = self.record

    def record(self, *args):
        base = self.original(*args)
        self.seen.append(base)
        return base


def recomputed_base_string(http_method, signed_uri, headers, body):
    """The base string oauthlib's server side computes for a signed request
    (PLAINTEXT signs none, but tether computes one all the same)."""
    params = signature.collect_parameters(
        uri_query=urlparse(signed_uri).query,
        body=body,
        headers=headers,
        exclude_oauth_signature=True,
        with_realm=False,
    )
    return signature.signature_base_string(
        http_method,
        signature.base_string_uri(signed_uri),
        signature.normalize_parameters(params),
    )


def vector(case, method, rsa_pem, rsa_file, recorder):
    location = case.get("location", "header")
    client = Client(
        case["consumer_key"],
        client_secret=None if method == "RSA-SHA1" else case["consumer_secret"],
        resource_owner_key=case.get("token"),
        resource_owner_secret=case.get("token_secret"),
        callback_uri=case.get("callback"),
        verifier=case.get("verifier"),
        signature_method=method,
        signature_type="QUERY" if location == "query" else "AUTH_HEADER",
        rsa_key=rsa_pem if method == "RSA-SHA1" else None,
        realm=case.get("realm"),
        nonce=case["nonce"],
        timestamp=case["timestamp"],
    )
    headers = {}
    body = None
    if case.get("form") is not None:
        # As a string: oauthlib's client turns a list of pairs into a dict,
        # which would drop repeated names.
        headers["Content-Type"] = FORM
        body = urlencode([tuple(pair) for pair in case["form"]])
    elif case.get("body") is not None and case.get("body_hash"):
        # oauthlib's client hashes a non-form body whenever it is given one
        # with its content type.
        headers["Content-Type"] = case["content_type"]
        body = case["body"]
    recorder.seen.clear()
    signed_uri, signed_headers, signed_body = client.sign(
        case["url"], http_method=case["http_method"], body=body, headers=headers
    )
    signed_bases = list(recorder.seen)
    if signed_uri != case["url"] and location == "header":
        sys.exit(f"{case['name']}: oauthlib changed the URL of a header-signed request")
    base = recomputed_base_string(
        case["http_method"],
        signed_uri,
        signed_headers if location == "header" else {},
        signed_body if case.get("form") is not None else None,
    )
    if method != "PLAINTEXT" and signed_bases != [base]:
        sys.exit(f"{case['name']} {method}: oauthlib signed {signed_bases}, expected [{base!r}]")
    authorization = signed_headers.get("Authorization")
    if authorization:
        params = dict(signature.collect_parameters(headers={"Authorization": authorization}, exclude_oauth_signature=False))
    else:
        # Decoded once: oauthlib's collect_parameters would unescape the
        # oauth_ values of a query a second time (a PLAINTEXT signature there
        # holds `%`).
        params = dict(parse_qsl(urlparse(signed_uri).query, keep_blank_values=True))
    return {
        "name": f"{case['name']} {method}",
        "signature_method": method,
        "location": location,
        "http_method": case["http_method"],
        "url": case["url"],
        "form": case.get("form"),
        "body": case.get("body"),
        "body_hash": bool(case.get("body_hash")),
        "consumer_key": case["consumer_key"],
        "consumer_secret": None if method == "RSA-SHA1" else case["consumer_secret"],
        "rsa_key": rsa_file if method == "RSA-SHA1" else None,
        "token": case.get("token"),
        "token_secret": case.get("token_secret"),
        "callback": case.get("callback"),
        "verifier": case.get("verifier"),
        "realm": case.get("realm"),
        "timestamp": case["timestamp"],
        "nonce": case["nonce"],
        "base_string": base,
        "signature": params["oauth_signature"],
        "authorization": authorization,
        "signed_url": signed_uri if location == "query" else None,
    }


def main():
    rsa_pem = ensure_keys()
    recorder = BaseStrings()
    vectors = []
    rsa_files = ["rsa_private_pkcs1.pem", "rsa_private_pkcs8.pem"]
    for case in CASES:
        for method in case.get("methods", METHODS):
            rsa_file = rsa_files[len(vectors) % 2]
            vectors.append(vector(case, method, rsa_pem, rsa_file, recorder))
    document = {
        "generator": f"tests/oauth1/make_vectors.py with oauthlib {oauthlib.__version__}",
        "vectors": vectors,
    }
    OUT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {OUT.relative_to(HERE.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main()
