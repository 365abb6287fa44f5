"""A service process tunes its garbage collector once its app is built: the gunicorn workers (the
post_worker_init hook) and the worker process both call tune_for_service."""

import gc

import pytest

from mentoring_shared.gc_tuning import THRESHOLDS, tune_for_service
from mentoring_shared.web import gunicorn_hooks


@pytest.fixture
def restored_collector():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_tuning_freezes_what_startup_made_and_collects_the_young_less_often(restored_collector):
    made_at_startup = [[]]  # a container the collector tracks
    tune_for_service()
    assert gc.get_threshold() == THRESHOLDS
    assert gc.get_freeze_count() > 0
    assert all(made is not made_at_startup for made in gc.get_objects()), "no collection walks it again"


def test_each_gunicorn_worker_tunes_after_loading_the_app(restored_collector):
    gc.unfreeze()
    gunicorn_hooks.post_worker_init(worker=None)
    assert gc.get_threshold() == THRESHOLDS
    assert gc.get_freeze_count() > 0
