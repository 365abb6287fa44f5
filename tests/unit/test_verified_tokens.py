"""Verified bearer tokens are remembered until they expire, so a client's every request does not pay
for a signature check again; an expired or refused token is checked (and refused) every time."""

import time

import jwt
import pytest

from mentoring_shared.config import AuthSettings
from mentoring_shared.web.auth import Principal, TokenVerifier
from mentoring_shared.web.problems import Problem
from mentoring_shared.web.verified_tokens import VerifiedTokens

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_kept_token_is_answered_until_it_expires():
    clock = Clock()
    tokens = VerifiedTokens(clock=clock)
    tokens.keep("t", "principal", expires_at=clock.now + 60)
    assert tokens.get("t") == "principal"
    clock.now += 59.9
    assert tokens.get("t") == "principal"
    clock.now += 0.1
    assert tokens.get("t") is None


def test_a_long_lived_token_is_checked_again_after_the_maximum_age():
    clock = Clock()
    tokens = VerifiedTokens(max_age_s=300, clock=clock)
    tokens.keep("t", "principal", expires_at=clock.now + 86_400)
    clock.now += 300
    assert tokens.get("t") is None


def test_the_oldest_tokens_make_room_for_new_ones():
    tokens = VerifiedTokens(capacity=2, clock=Clock())
    for name in ("a", "b", "c"):
        tokens.keep(name, name.upper(), expires_at=2_000_000)
    assert [tokens.get(name) for name in ("a", "b", "c")] == [None, "B", "C"]


def verifier() -> TokenVerifier:
    return TokenVerifier(AuthSettings(jwt_secret=SECRET))


def signed(**claims) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "ada", "tenant_id": "acme", "roles": ["mentor"], "iat": now, "exp": now + 600, **claims},
                      SECRET, algorithm="HS256")


def test_the_verifier_decodes_a_token_once_and_answers_the_same_principal(monkeypatch):
    check = verifier()
    token = signed()
    decoded = []
    real_decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: decoded.append(1) or real_decode(*a, **k))
    first, second = check.verify(token), check.verify(token)
    assert first == second == Principal(subject="ada", tenant_id="acme", roles=frozenset({"mentor"}))
    assert len(decoded) == 1


def test_an_expired_token_is_refused_even_after_being_accepted():
    check = verifier()
    expiry = int(time.time()) + 1
    token = signed(exp=expiry)
    assert check.verify(token).subject == "ada"
    time.sleep(max(0.0, expiry - time.time()) + 0.05)
    with pytest.raises(Problem) as refused:
        check.verify(token)
    assert refused.value.status == 401 and "expired" in refused.value.detail


def test_a_refused_token_is_refused_every_time():
    check = verifier()
    forged = jwt.encode({"sub": "ada", "tenant_id": "acme", "exp": int(time.time()) + 600}, "another-secret-long-enough-0123456789",
                        algorithm="HS256")
    for _ in range(2):
        with pytest.raises(Problem):
            check.verify(forged)
