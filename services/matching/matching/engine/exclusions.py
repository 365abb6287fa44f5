"""Hard rules: pairs that must never be matched, whatever their score. Each rule has a stable code
(what the API and the UI key on) and a human text.

Most rules touch few pairs (a reporting line, an avoid list, a previous or forbidden pair), so they
are computed as sparse (mentee index, mentor index) lists by walking people, never all pairs. The
language and working-time rules depend only on each side's signature, so they are small tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from matching.engine.model import MatchingProblem, Participant
from matching.engine.signature_tables import SignatureTable, signature_table

SAME_PERSON = "same_person"
REPORTING_LINE = "reporting_line"
AVOID = "avoid"
PREVIOUS_PAIR = "previous_pair"
FORBIDDEN = "forbidden"
LANGUAGE = "language"
NO_SHARED_WORKING_TIME = "no_shared_working_time"

RULES: dict[str, str] = {
    SAME_PERSON: "The mentee and the mentor are the same person.",
    REPORTING_LINE: "One of them is in the other's management chain.",
    AVOID: "One of them asked not to be matched with the other.",
    PREVIOUS_PAIR: "They have been matched before.",
    FORBIDDEN: "The program manager ruled this pair out.",
    LANGUAGE: "They have no language in common that the pair needs.",
    NO_SHARED_WORKING_TIME: "They do not share enough working time a week for a meeting.",
}
SPARSE_RULES = (SAME_PERSON, REPORTING_LINE, AVOID, PREVIOUS_PAIR, FORBIDDEN)

PairList = tuple[np.ndarray, np.ndarray]  # (mentee indices, mentor indices), int32, sorted, unique


class ManagementChains:
    """Everyone above an employee, following `managers` (employee id -> manager's employee id) through
    people who are not enrolled; safe against loops in bad HR data. Chains are remembered, so a
    cohort's walks together cost about one pass over the tree."""

    def __init__(self, managers: Mapping[str, str | None]):
        self._managers = managers
        self._above: dict[str, tuple[str, ...]] = {}

    def above(self, employee_id: str) -> tuple[str, ...]:
        if employee_id in self._above:
            return self._above[employee_id]
        path: list[str] = []
        seen = {employee_id}
        node = self._managers.get(employee_id) or None   # an empty manager id means none
        while node is not None and node not in seen and node not in self._above:
            seen.add(node)
            path.append(node)
            node = self._managers.get(node) or None
        tail: tuple[str, ...]
        if node is None:
            tail, complete = (), True
        elif node in seen:  # a loop in the data: the chain stops there, and nothing is remembered
            tail, complete = (), False
        else:  # a chain already known; it reaches the top, so it cannot lead back into this walk
            tail, complete = (node, *self._above[node]), True
        chain = (*path, *tail)
        if complete:
            self._above[employee_id] = chain
            for position, person in enumerate(path):  # each on the walk has a suffix as its chain
                self._above[person] = chain[position + 1:]
        return chain


def _pair_list(pairs: Iterable[tuple[int, int]]) -> PairList:
    array = np.array(sorted(set(pairs)), dtype=np.int32).reshape(-1, 2)
    return array[:, 0].copy(), array[:, 1].copy()


def _index(people: Sequence[Participant]) -> dict[str, int]:
    return {person.person_id: index for index, person in enumerate(people)}


def _by_employee(people: Sequence[Participant]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for index, person in enumerate(people):
        if person.employee_id:
            found.setdefault(person.employee_id, []).append(index)
    return found


def _reporting_line(problem: MatchingProblem, mentees: Sequence[Participant],
                    mentors: Sequence[Participant]) -> Iterable[tuple[int, int]]:
    chains = ManagementChains(problem.managers)
    mentors_by_employee, mentees_by_employee = _by_employee(mentors), _by_employee(mentees)
    for side, others, flip in ((mentees, mentors_by_employee, False), (mentors, mentees_by_employee, True)):
        for index, person in enumerate(side):
            if not person.employee_id:
                continue
            for manager in chains.above(person.employee_id):
                for other in others.get(manager, ()):
                    yield (other, index) if flip else (index, other)


def _avoid(mentees: Sequence[Participant], mentors: Sequence[Participant]) -> Iterable[tuple[int, int]]:
    mentee_index, mentor_index = _index(mentees), _index(mentors)
    for index, mentee in enumerate(mentees):
        for avoided in mentee.avoid_person_ids:
            if avoided in mentor_index:
                yield index, mentor_index[avoided]
    for index, mentor in enumerate(mentors):
        for avoided in mentor.avoid_person_ids:
            if avoided in mentee_index:
                yield mentee_index[avoided], index


def _listed(pairs: Iterable[tuple[str, str]], mentees: Sequence[Participant],
            mentors: Sequence[Participant]) -> Iterable[tuple[int, int]]:
    mentee_index, mentor_index = _index(mentees), _index(mentors)
    for mentee_id, mentor_id in pairs:
        if mentee_id in mentee_index and mentor_id in mentor_index:
            yield mentee_index[mentee_id], mentor_index[mentor_id]


def _same_person(mentees: Sequence[Participant], mentors: Sequence[Participant]) -> Iterable[tuple[int, int]]:
    mentor_index = _index(mentors)
    return ((index, mentor_index[mentee.person_id]) for index, mentee in enumerate(mentees)
            if mentee.person_id in mentor_index)


def sparse_exclusions(problem: MatchingProblem, mentees: Sequence[Participant],
                      mentors: Sequence[Participant]) -> dict[str, PairList]:
    """The pairs each sparse rule excludes, as indices into `mentees` and `mentors`."""
    return {
        SAME_PERSON: _pair_list(_same_person(mentees, mentors)),
        REPORTING_LINE: _pair_list(_reporting_line(problem, mentees, mentors)),
        AVOID: _pair_list(_avoid(mentees, mentors)),
        PREVIOUS_PAIR: _pair_list(_listed(problem.previous_pairs, mentees, mentors)),
        FORBIDDEN: _pair_list(_listed(problem.forbidden_pairs, mentees, mentors)),
    }


LanguageSignature = tuple[frozenset[str], frozenset[str]]  # (spoken, preferred)


def _language_set(languages: Iterable[str]) -> frozenset[str]:
    return frozenset(language.strip().lower() for language in languages if language.strip())


def languages_clash(mentee: LanguageSignature, mentor: LanguageSignature) -> bool:
    """Signatures are (spoken, preferred) on each side. A side's preferred languages (else, for the
    mentee, the ones it speaks) must include one the other speaks; a side that lists no languages
    is not held to anything."""
    mentee_spoken, mentee_preferred = mentee
    mentor_spoken, mentor_preferred = mentor
    mentee_needs = mentee_preferred or mentee_spoken
    if mentee_needs and mentor_spoken and not mentee_needs & mentor_spoken:
        return True
    return bool(mentor_preferred and mentee_spoken and not mentor_preferred & mentee_spoken)


def language_signature(person: Participant) -> LanguageSignature:
    return _language_set(person.languages), _language_set(person.preferred_languages)


def language_table(mentees: Sequence[Participant], mentors: Sequence[Participant]) -> SignatureTable:
    """True where the pair has no language it needs in common."""
    return signature_table([language_signature(person) for person in mentees],
                           [language_signature(person) for person in mentors], languages_clash, bool)


def too_little_working_time(minutes: np.ndarray, meeting_minutes: int) -> np.ndarray:
    return np.asarray(minutes) < meeting_minutes


def in_one_reporting_line(employee_a: str | None, employee_b: str | None, managers: Mapping[str, str | None]) -> bool:
    """Whether one of two employees is anywhere above the other (an existing pair re-checked after a move)."""
    if not employee_a or not employee_b:
        return False
    chains = ManagementChains(managers)
    return employee_b in chains.above(employee_a) or employee_a in chains.above(employee_b)
