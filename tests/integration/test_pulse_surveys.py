"""Pulse surveys on the program's schedule, through the worker's chore against the real database:
each active pair is asked once per round, both sides, and never before its first round."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from tests.integration.feedback_records import insert_pair, insert_program
from tests.integration.helpers import count_rows


def pulses(app, tenant, pair) -> int:
    return count_rows(app, "feedback_requests", tenant_id=tenant, match_id=pair["match_id"], kind="pulse")


def test_each_round_asks_both_sides_once(apps, tenant):
    from feedback.pulse_surveys import PulseSurveys

    app = apps["feedback"]
    program = insert_program(app, tenant, pulse_first_after_days=30, pulse_every_days=60)
    due = insert_pair(app, tenant, program=program, confirmed_days_ago=31)
    young = insert_pair(app, tenant, program=program, confirmed_days_ago=10)
    ended = insert_pair(app, tenant, program=program, confirmed_days_ago=31, status="ended")
    surveys = PulseSurveys(app.extensions["runtime"], timedelta(days=14))
    now = datetime.now(UTC)
    surveys.tick(now)
    assert pulses(app, tenant, due) == 2 and pulses(app, tenant, young) == 0 and pulses(app, tenant, ended) == 0
    surveys.tick(now + timedelta(hours=1))  # the same round again: nothing new
    assert pulses(app, tenant, due) == 2
    surveys.tick(now + timedelta(days=60))  # the next round; the young pair's first
    assert pulses(app, tenant, due) == 4 and pulses(app, tenant, young) == 2
    assert count_rows(app, "feedback_requests", tenant_id=tenant, match_id=due["match_id"], kind="pulse",
                      author_id=due["mentee_id"], subject_id=due["mentor_id"]) == 2


def test_a_program_changing_its_schedule_applies_from_the_next_tick(apps, tenant):
    from feedback.pulse_surveys import PulseSurveys

    app = apps["feedback"]
    program = insert_program(app, tenant, pulse_first_after_days=90, pulse_every_days=90)
    pair = insert_pair(app, tenant, program=program, confirmed_days_ago=40)
    surveys = PulseSurveys(app.extensions["runtime"], timedelta(days=14))
    surveys.tick(datetime.now(UTC))
    assert pulses(app, tenant, pair) == 0
    runtime = app.extensions["runtime"]
    table = runtime.outbox.metadata.tables["programs"]
    with runtime.sessions() as db:
        db.execute(update(table).where(table.c.program_id == program["program_id"]).values(pulse_first_after_days=30))
        db.commit()
    surveys.tick(datetime.now(UTC))
    assert pulses(app, tenant, pair) == 2
