"""`make token` (mentoring token) prints a token the services accept for that tenant and role."""

import os
import subprocess
import sys
from pathlib import Path

from mentoring_testing.fixtures import TEST_JWT_SECRET

MENTORING = str(Path(sys.executable).with_name("mentoring"))


def test_the_printed_token_is_accepted_for_its_tenant_and_roles(apps, tenant):
    result = subprocess.run([MENTORING, "token", "--tenant", tenant, "--role", "program_manager", "--sub", "pm@x"],
                            env={**os.environ, "AUTH_JWT_SECRET": TEST_JWT_SECRET}, capture_output=True, text=True,
                            timeout=30, check=True)
    headers = {"Authorization": f"Bearer {result.stdout.strip()}"}
    client = apps["matching"].test_client()
    assert client.get("/v1/people", headers=headers).status_code == 200
    # a program manager is not an admin: registering people is refused
    assert apps["profiles"].test_client().post("/v1/people", headers=headers, json={}).status_code == 403


def test_an_unknown_role_is_refused_with_the_list_of_roles():
    result = subprocess.run([MENTORING, "token", "--tenant", "t", "--role", "king", "--sub", "x"],
                            env={**os.environ, "AUTH_JWT_SECRET": TEST_JWT_SECRET}, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2
    assert "unknown role" in result.stderr and "org_admin" in result.stderr


REPO = Path(__file__).resolve().parents[2]


def test_make_token_for_a_person_role_needs_the_person():
    result = subprocess.run(["make", "-s", "token", "ROLE=mentor"], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "ROLE=mentor acts as a person: set SUB=" in result.stderr
    assert result.stdout.strip() == "", "no token for an admin subject was printed"


def test_make_token_for_an_org_admin_defaults_its_subject_to_the_tenants_admin():
    import jwt

    result = subprocess.run(["make", "-s", "token", "TENANT=globex"], cwd=REPO, capture_output=True, text=True,
                            timeout=120, check=True)
    claims = jwt.decode(result.stdout.strip().splitlines()[-1], options={"verify_signature": False})
    assert claims["sub"] == "admin@globex.example" and claims["roles"] == ["org_admin"]
