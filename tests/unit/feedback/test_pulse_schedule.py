"""When a pair's pulse survey falls due: the first round after `first` days, then every `every` days."""

from datetime import UTC, datetime, timedelta

from feedback.pulse_surveys import round_due_since

MATCHED = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)


def at(days: float) -> datetime:
    return MATCHED + timedelta(days=days)


def test_no_round_before_the_first():
    assert round_due_since(MATCHED, 30, 60, at(29.9)) is None


def test_the_first_round_falls_due_after_the_first_interval():
    assert round_due_since(MATCHED, 30, 60, at(30)) == at(30)
    assert round_due_since(MATCHED, 30, 60, at(89)) == at(30)


def test_later_rounds_follow_every_interval():
    assert round_due_since(MATCHED, 30, 60, at(90)) == at(90)
    assert round_due_since(MATCHED, 30, 60, at(200)) == at(150)  # a pair seen late: the current round only
