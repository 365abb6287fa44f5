"""The fake repositories the handler tests use answer to the same calls as the real ones: every
public method of each of SchedulingUnitOfWork's repositories, with the same parameters."""

import inspect

import pytest

from scheduling.unit_of_work import REPOSITORIES
from tests.unit.scheduling.fakes import FAKES


def public_methods(cls) -> dict[str, list[str]]:
    return {name: list(inspect.signature(member).parameters) for name, member in inspect.getmembers(cls)
            if inspect.isfunction(member) and not name.startswith("_")}


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
def test_each_fake_has_the_real_repositorys_methods_and_parameters(name):
    real, fake = public_methods(REPOSITORIES[name]), public_methods(FAKES[name])
    assert {method: fake.get(method) for method in real} == real
