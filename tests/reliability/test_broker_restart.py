"""The broker is killed (kill -9) under load and started again empty (tansu keeps topics in memory,
so every event it had acknowledged is gone): still every person the API acknowledged reaches every
read model exactly once, with no worker restarted by hand, on SQLite and on PostgreSQL, and also
when a consumer was paused (SIGSTOP) across the restart."""

from __future__ import annotations

import time

import pytest

from mentoring_shared.contracts.topics import PROFILES_PEOPLE
from mentoring_shared.service_registry import SERVICES
from mentoring_testing.fixtures import migrated_databases, platform_environment, token
from mentoring_testing.polling import eventually
from mentoring_testing.servers import Broker, ServerUnavailable
from tests.reliability.platform_under_load import (
    DeliveryCheck,
    PeopleLoad,
    PlatformProcesses,
    Timeline,
    describe_layout_change,
    sqlite_databases,
    topic_layout,
)

PEOPLE = 800
RATE_PER_S = 50            # the load lasts ~16 s: ~5 s before the kill, 5 s without a broker, ~6 s after
KILL_AFTER = 250           # acknowledged people before the broker dies
BROKER_AWAY_S = 5.0
PAUSED_AFTER_RESTART_S = 3.0
DELIVERY_TIMEOUT_S = 60.0


class ProcessDied(Exception):
    """Not an AssertionError, so `eventually` stops at once: a dead worker will not deliver."""


@pytest.mark.parametrize("database, paused_consumer", [
    pytest.param("sqlite", None, id="sqlite"),
    pytest.param("postgresql", None, id="postgresql"),
    pytest.param("sqlite", "feedback", id="sqlite-feedback-consumer-paused"),
])
def test_every_acknowledged_person_reaches_every_read_model_once_across_a_broker_restart(
        database, paused_consumer, request, tmp_path, tenant):
    if database == "sqlite":
        urls = sqlite_databases(tmp_path)
    else:
        urls = migrated_databases(request.getfixturevalue("postgres_server"))
    check = DeliveryCheck(urls, tenant)
    broker = Broker.start(prefer_container=False)  # a child process we may kill -9 and start again
    platform = PlatformProcesses(platform_environment(urls, broker.bootstrap, LOG_LEVEL="INFO"), tmp_path)
    timeline = Timeline()
    load = None
    layout_before: dict = {}

    def delivered(people: list[str]):
        if platform.exited():
            raise ProcessDied(f"processes exited: {platform.exited()}")
        states = check.states(people)
        timeline.observe(states)
        assert all(state.complete for state in states.values()), \
            "\n".join(state.describe(len(people)) for state in states.values())
        return states

    def diagnostics() -> str:
        try:
            layout = describe_layout_change(layout_before, topic_layout(broker.bootstrap))
        except Exception as error:  # the broker itself may be the trouble
            layout = f"  not readable: {error}"
        return "\n".join([
            timeline.describe(), "topics now, compared with before the kill:", layout,
            f"profiles' outbox events not yet sent: {check.unsent_events()}",
            f"processes exited: {platform.exited() or 'none'}", f"tansu log: {broker.log_path}",
            platform.logs_tails()])

    try:
        for service in SERVICES:
            platform.start_worker(service)
        port = platform.start_api("profiles")
        load = PeopleLoad(f"http://127.0.0.1:{port}", token(tenant), total=PEOPLE, rate_per_s=RATE_PER_S)

        # The pipeline runs end to end (every worker has joined its group) before the load begins.
        first = eventually(lambda: load.create_one(), timeout_s=60, interval_s=0.5,
                           message="the profiles API did not acknowledge a first person")
        load.refused.clear()  # connections refused while gunicorn was starting
        eventually(lambda: delivered([first]), timeout_s=60, interval_s=0.5,
                   message="the first person did not reach every read model")
        timeline.note("a first person is in every read model")
        layout_before = topic_layout(broker.bootstrap)

        load.start()
        eventually(lambda: load.count >= KILL_AFTER, timeout_s=60, message="the load did not get going")
        if paused_consumer:
            platform.pause(f"{paused_consumer}-worker")
            timeline.note(f"{paused_consumer} worker paused (SIGSTOP)")
        broker.kill()
        acknowledged_at_kill = load.count
        timeline.note(f"broker killed (-9) at {acknowledged_at_kill} acknowledged")
        time.sleep(BROKER_AWAY_S)
        broker.restart()
        acknowledged_while_away = load.count - acknowledged_at_kill
        timeline.note(f"broker restarted, empty; {acknowledged_while_away} acknowledged while it was away")
        if paused_consumer:
            time.sleep(PAUSED_AFTER_RESTART_S)
            assert load.count < PEOPLE, "the load ended before the paused consumer woke: nothing ran across it"
            platform.resume(f"{paused_consumer}-worker")
            timeline.note(f"{paused_consumer} worker resumed (SIGCONT) at {load.count} acknowledged")
        assert load.join(timeout_s=90), f"the load did not finish: {load.count} acknowledged"
        people = list(load.acknowledged)  # the first person included
        timeline.note(f"load finished: {len(people)} acknowledged, other answers {dict(load.refused) or 'none'}")

        # The load really ran across the restart, and the API kept acknowledging without a broker.
        assert acknowledged_while_away > 0, "the API acknowledged nobody while the broker was away"
        assert len(people) > 0.95 * PEOPLE, f"only {len(people)} of {PEOPLE} people acknowledged: {load.refused}"
        events = check.upsert_events()
        assert all(events.get(person) for person in people), "an acknowledged person has no upsert event"

        eventually(lambda: delivered(people), timeout_s=DELIVERY_TIMEOUT_S, interval_s=1.0,
                   message="not every acknowledged person reached every read model exactly once")
        timeline.note("every acknowledged person is in every read model, each event once in each inbox")
        assert not platform.exited(), "a process exited"
        # The topic that carried the events came back in its configured shape, so keys kept their
        # partitions (tansu recreates a topic with 4 the moment a consumer names it).
        assert topic_layout(broker.bootstrap)[PROFILES_PEOPLE][0] == 3, "profiles.people lost its shape"
        print(diagnostics())  # shown with -rP: how long the repair took, the topics after the restart
    except (AssertionError, ProcessDied, ServerUnavailable) as error:
        raise AssertionError(f"{error}\n{diagnostics()}") from None
    finally:
        if load is not None:
            load.stop()
        platform.stop_all()
        broker.stop()
        check.close()
