"""A mentorship keeps the version of the match it copies, so an older event about the match is
ignored: most of all a confirmation that arrives after the match's end (a republish after a broker
lost its log), which must not start a plan for a pair that no longer exists."""

from datetime import date

from scheduling.domain import mentorships as domain

PAIR = dict(mentorship_id="m-1", tenant_id="acme", cohort_id="c-1", program_id="p-1", mentee_id="ada",
            mentor_id="linus")


def planned(match_version: int = 1) -> domain.Mentorship:
    return domain.plan(**PAIR, cadence="monthly", meeting_minutes=45, term_months=6, starts_on=date(2027, 3, 1),
                       match_version=match_version)


def test_a_plan_holds_the_version_of_the_confirmed_match():
    assert planned().match_version == 1


def test_only_a_later_version_of_the_match_is_news():
    mentorship = planned()
    assert domain.is_newer_match_event(mentorship, 2)
    assert not domain.is_newer_match_event(mentorship, 1)


def test_ending_holds_the_ends_match_version_so_a_replayed_end_is_no_news():
    ended = domain.end(planned(), "asked", match_version=2)
    assert (ended.status, ended.end_reason, ended.match_version, ended.version) == (domain.ENDED, "asked", 2, 2)
    assert not domain.is_newer_match_event(ended, 2)
    assert not domain.is_newer_match_event(ended, 1)  # the confirmation, late


def test_an_end_that_arrives_before_its_confirmation_is_kept_as_an_ended_plan_that_never_ran():
    ended = domain.ended_unplanned(**PAIR, cadence="monthly", meeting_minutes=45, ended_on=date(2027, 4, 2),
                                   end_reason="person_left", match_version=2)
    assert (ended.status, ended.end_reason, ended.match_version) == (domain.ENDED, "person_left", 2)
    assert ended.starts_on == ended.ends_on == date(2027, 4, 2)
    assert not domain.is_newer_match_event(ended, 1)
