"""The fakes stand in for the real repositories only while they offer the same methods."""

import inspect

import pytest

from profiles.unit_of_work import ProfilesUnitOfWork
from tests.unit.profiles.fakes import fake_unit_of_work


def public_methods(cls) -> dict[str, list[str]]:
    return {name: list(inspect.signature(member).parameters)
            for name, member in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")}


@pytest.mark.parametrize("name", sorted(ProfilesUnitOfWork.repositories))
def test_each_fake_repository_has_the_real_ones_public_methods_and_parameters(name):
    real = public_methods(ProfilesUnitOfWork.repositories[name])
    fake = public_methods(type(getattr(fake_unit_of_work(), name)))
    assert {method: fake.get(method) for method in real} == real
