"""Of several relays of one service (several worker replicas), one is active at a time, so events
leave in outbox order; when it stops, another takes over."""

import importlib
import threading

from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_testing.polling import eventually


def test_one_relay_is_active_and_another_takes_over_when_it_stops(isolated_env):
    runtime = importlib.import_module("profiles.app").create_app(isolated_env).extensions["runtime"]
    relays = [OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka) for _ in range(2)]
    stops = [threading.Event(), threading.Event()]
    threads = [threading.Thread(target=relay.run, args=(stop,)) for relay, stop in zip(relays, stops)]
    for thread in threads:
        thread.start()
    try:
        eventually(lambda: any(relay.active for relay in relays), message="no relay became active")
        leader = next(index for index, relay in enumerate(relays) if relay.active)
        follower = 1 - leader
        threading.Event().wait(1.0)
        assert not relays[follower].active, "two relays were active at once"

        stops[leader].set()
        threads[leader].join(30)
        eventually(lambda: relays[follower].active, timeout_s=15, message="the standby relay never took over")
    finally:
        for stop in stops:
            stop.set()
        for thread in threads:
            thread.join(30)


def test_a_relay_whose_lock_connection_dies_stands_down_before_its_next_batch(isolated_env):
    from sqlalchemy import text

    runtime = importlib.import_module("profiles.app").create_app(isolated_env).extensions["runtime"]
    relay = OutboxRelay("profiles", runtime.sessions, runtime.outbox, runtime.settings.kafka)
    terms = []  # one entry per time the relay won the election and relayed
    lead = relay._relay_while_leading
    relay._relay_while_leading = lambda stop_event, leadership: (terms.append(leadership), lead(stop_event, leadership))
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,))
    thread.start()
    try:
        eventually(lambda: relay.active and len(terms) == 1, message="the relay never became active")
        # The lock lives on a connection of its own; ending that backend ends the leadership.
        with runtime.engine.connect() as admin:
            ended = admin.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND pid <> pg_backend_pid() AND objid = CAST(:key AS oid)"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
                {"key": relay._lock_key}).scalar()
            admin.commit()
        assert ended == 1
        eventually(lambda: len(terms) == 2 and relay.active, timeout_s=15,
                   message="the relay did not stand down and win the lock again on a new connection")
    finally:
        stop.set()
        thread.join(30)
