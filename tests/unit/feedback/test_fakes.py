"""The fakes the handler tests use stay in step with the real repositories."""

import inspect

import pytest

from feedback.unit_of_work import FeedbackUnitOfWork
from tests.unit.feedback.fakes import FAKES


def _public_methods(cls) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(cls).items()
            if callable(member) and not name.startswith("_")}


@pytest.mark.parametrize("name", sorted(FeedbackUnitOfWork.repositories))
def test_fakes_match_the_repositories(name):
    real, fake = FeedbackUnitOfWork.repositories[name], FAKES[name]
    assert _public_methods(fake) == _public_methods(real)


def test_every_repository_of_the_unit_of_work_is_named_on_it():
    assert set(FeedbackUnitOfWork.repositories) == set(FeedbackUnitOfWork.__annotations__) == set(FAKES)
