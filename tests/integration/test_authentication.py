"""Bearer JWT authentication: HS256 with the local secret (embedded default) and RS256 with keys
fetched from a JWKS URL over real HTTP (production)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mentoring_testing.fixtures import TEST_JWT_SECRET, platform_environment, token
from tests.integration.helpers import new_person

PROBLEM = "application/problem+json"


def hs256(claims: dict, secret: str = TEST_JWT_SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def claims(tenant: str, **overrides) -> dict:
    now = int(time.time())
    base = {"sub": "someone", "tenant_id": tenant, "roles": ["org_admin"], "iat": now, "exp": now + 600}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


@pytest.mark.parametrize("case", ["expired", "wrong secret", "no tenant", "unknown role", "roles not a list",
                                  "no expiry", "not a jwt", "basic scheme"])
def test_invalid_tokens_are_unauthorized(apps, tenant, case):
    now = int(time.time())
    tokens = {
        "expired": hs256(claims(tenant, iat=now - 7200, exp=now - 3600)),
        "wrong secret": hs256(claims(tenant), secret="another-secret-of-sufficient-length-0123456789"),
        "no tenant": hs256(claims(tenant, tenant_id=None)),
        "unknown role": hs256(claims(tenant, roles=["superuser"])),
        "roles not a list": hs256(claims(tenant, roles="org_admin")),
        "no expiry": hs256(claims(tenant, exp=None)),
        "not a jwt": "abc.def.ghi",
    }
    header = "Basic dXNlcjpwYXNz" if case == "basic scheme" else f"Bearer {tokens[case]}"
    response = apps["profiles"].test_client().get("/v1/people", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    challenge = response.headers["WWW-Authenticate"]
    if case == "basic scheme":
        assert challenge == 'Bearer realm="mentoring"'
    else:
        assert challenge.startswith('Bearer realm="mentoring", error="invalid_token", error_description="')
        assert response.get_json()["detail"] == f"invalid token: {EXPECTED_DETAIL[case]}"


EXPECTED_DETAIL = {  # in words of our own: nothing of the decoder's internals
    "expired": "the token has expired", "wrong secret": "the token's signature does not verify",
    "no tenant": "the token lacks the tenant_id claim", "unknown role": "roles must be a list of "
    "org_admin, program_manager, mentor, mentee, service", "roles not a list": "roles must be a list of "
    "org_admin, program_manager, mentor, mentee, service", "no expiry": "the token lacks the exp claim",
    "not a jwt": "the token is not a well-formed JWT",
}


@pytest.mark.parametrize("garbage", ["abc.def.ghi", "x" * 40, "eyJhbGciOiJIUzI1NiJ9.e30", "a.b.c.d.e"])
def test_a_garbage_token_answers_in_our_words(apps, garbage):
    response = apps["profiles"].test_client().get("/v1/people", headers={"Authorization": f"Bearer {garbage}"})
    assert response.status_code == 401
    assert response.get_json()["detail"] == "invalid token: the token is not a well-formed JWT"


def test_a_valid_token_reaches_its_own_tenant(apps, tenant):
    response = apps["profiles"].test_client().get("/v1/people", headers={"Authorization": f"Bearer {token(tenant)}"})
    assert response.status_code == 200


class JwksServer:
    """Serves a JWKS document over HTTP on a free local port, as an identity provider would."""

    def __init__(self, public_keys: dict):
        document = json.dumps({"keys": [{**jwt.algorithms.RSAAlgorithm.to_jwk(key, as_dict=True), "kid": kid,
                                         "use": "sig", "alg": "RS256"} for kid, key in public_keys.items()]})

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = document.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/.well-known/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def rs256_app(service_databases, broker):
    import importlib

    signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = JwksServer({"key-1": signing_key.public_key()})
    env = platform_environment(service_databases, broker.bootstrap, AUTH_JWKS_URL=jwks.url,
                               AUTH_ISSUER="https://idp.example", AUTH_AUDIENCE="mentoring")
    del env["AUTH_JWT_SECRET"]
    yield importlib.import_module("profiles.app").create_app(env), signing_key
    jwks.close()


def test_rs256_tokens_are_verified_with_keys_from_the_jwks_url(rs256_app, tenant):
    app, signing_key = rs256_app
    client = app.test_client()

    def rs256(key, kid="key-1", **overrides):
        return jwt.encode(claims(tenant, **{"iss": "https://idp.example", "aud": "mentoring", **overrides}), key,
                          algorithm="RS256", headers={"kid": kid})

    ok = client.post("/v1/people", json=new_person(), headers={"Authorization": f"Bearer {rs256(signing_key)}"})
    assert ok.status_code == 201, ok.get_json()

    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for bad in (rs256(impostor),                               # signed by a key the IdP does not publish
                rs256(impostor, kid="unknown-key"),            # a key id the JWKS does not list
                rs256(signing_key, aud="another-api"),         # meant for another audience
                rs256(signing_key, iss="https://evil.example"),
                hs256(claims(tenant, iss="https://idp.example", aud="mentoring"))):  # HS256 refused under RS256
        response = client.get("/v1/people", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401, response.get_json()
