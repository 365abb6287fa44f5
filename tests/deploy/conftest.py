"""Fixtures shared by the deployment tests."""

import pytest

from tests.deploy.compose import rendered_compose


@pytest.fixture(scope="session")
def compose(tmp_path_factory) -> dict:
    """docker-compose.yml as docker-compose resolves it, rendered once for every deployment test."""
    return rendered_compose(tmp_path_factory.mktemp("compose"))
