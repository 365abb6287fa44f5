"""The relay's wait for a NOTIFY watches the connection's socket itself. A notification that
reached the connection while it ran a statement is already off the socket, in psycopg's backlog:
the wait must see it at once, not sleep through it."""

import threading

import psycopg
import pytest

from mentoring_shared.db.engine import normalize_url
from mentoring_shared.messaging.relay_election import wait_for_notification


@pytest.fixture
def listening(service_databases):
    url = normalize_url(service_databases["profiles"]).replace("postgresql+psycopg://", "postgresql://")
    listener = psycopg.connect(url, autocommit=True)
    notifier = psycopg.connect(url, autocommit=True)
    listener.execute("LISTEN relay_wait_test")
    yield listener, notifier
    listener.close()
    notifier.close()


def test_a_notification_received_during_a_statement_ends_the_wait(listening):
    listener, notifier = listening
    notifier.execute("NOTIFY relay_wait_test")
    listener.execute("SELECT pg_sleep(0.2)")  # the notification arrives meanwhile, and is read with the result
    assert wait_for_notification(listener, threading.Event(), wait_s=60)  # would wait a minute if missed


def test_a_notification_during_the_wait_ends_it(listening):
    listener, notifier = listening
    notify = threading.Timer(0.3, notifier.execute, args=("NOTIFY relay_wait_test",))
    notify.start()
    assert wait_for_notification(listener, threading.Event(), wait_s=60)
    notify.join()  # its statement may still await its answer: done before the fixture closes the connection


def test_without_a_notification_the_wait_ends_empty_handed_or_when_stopped(listening):
    listener, _ = listening
    assert not wait_for_notification(listener, threading.Event(), wait_s=0.3)
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    assert not wait_for_notification(listener, stop, wait_s=60)
