"""Of several relays of one service (several worker replicas), one is active at a time, so events
leave in outbox order; when it stops, another takes over."""

import importlib
import threading

from mentoring_shared.messaging.relay import OutboxRelay
from mentoring_shared.testing.polling import eventually


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
