"""Why a pair scores what it does, factor by factor, and why a mentee may have no match: the hard
rules a pair breaks and how many mentors each rule takes away from a mentee.

A pair's score here is the one score_pairs gives it, computed by the same code on the same fitted
text model. Many pairs are explained together (a run's matches, a mentee's suggestions) on one
prepared cohort: preparing it, the text model above all, is most of the cost."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.engine import factors
from matching.engine.exclusions import RULES
from matching.engine.model import FACTORS, MatchingProblem
from matching.engine.prepared_cohort import PreparedCohort, garbage_collection_paused, prepare_cohort
from matching.engine.scoring import scores_of_pairs


@dataclass(frozen=True)
class Factor:
    name: str
    weight: float          # normalized: the weights of all factors sum to 1
    value: float           # 0..1
    contribution: float    # weight * value: the share of the 0..1 score this factor gives
    detail: str            # what a person reads, e.g. "6.5 h a week in common"


@dataclass(frozen=True)
class PairExplanation:
    mentee_id: str
    mentor_id: str
    score: int                                   # as in score_pairs: 0..SCORE_SCALE, or EXCLUDED
    factors: tuple[Factor, ...]                  # highest contribution first
    exclusions: tuple[tuple[str, str], ...]      # (code, text) of every hard rule the pair breaks

    @property
    def eligible(self) -> bool:
        return not self.exclusions

    def as_dict(self) -> dict:
        return {
            "mentee_id": self.mentee_id, "mentor_id": self.mentor_id, "score": self.score,
            "eligible": self.eligible,
            "factors": [{"name": factor.name, "weight": round(factor.weight, 4), "value": round(factor.value, 4),
                         "contribution": round(factor.contribution, 4), "detail": factor.detail}
                        for factor in self.factors],
            "exclusions": [{"code": code, "text": text} for code, text in self.exclusions],
        }


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}".removesuffix(".0")


def _goals_skills(cohort: PreparedCohort, mentee: int, mentor: int) -> tuple[float, str]:
    wanted, levels = cohort.wanted_tags[mentee], cohort.skill_points[mentor]
    shared = [tag for tag in wanted if tag in levels]
    tag_value = float(factors.tag_match(sum(levels[tag] for tag in shared), len(wanted)))
    tag_share, text_share = (float(share) for share in cohort.goal_shares[mentee])
    text_value = cohort.text.value(mentee, mentor) if text_share else 0.0
    parts = []
    if wanted:
        parts.append(f"shared: {', '.join(shared)}" if shared else "no shared skills")
    if text_share:
        parts.append(f"text similarity {text_value:.2f}")
    return tag_share * tag_value + text_share * text_value, "; ".join(parts) or "the mentee listed no goals"


def _seniority(cohort: PreparedCohort, mentee: int, mentor: int) -> tuple[float, str]:
    mentee_band, mentor_band = cohort.mentees[mentee].seniority_band, cohort.mentors[mentor].seniority_band
    value = float(cohort.seniority.value(mentee, mentor))
    if mentee_band is None or mentor_band is None:
        return value, "seniority band unknown"
    gap = factors.seniority_gap(mentee_band, mentor_band, cohort.problem.program_type)
    if cohort.problem.program_type == "reverse":
        return value, f"mentee band {mentee_band}, mentor band {mentor_band} (gap {gap}, reverse mentoring)"
    return value, f"mentor band {mentor_band}, mentee band {mentee_band} (gap {gap})"


def _working_hours(cohort: PreparedCohort, mentee: int, mentor: int) -> tuple[float, str]:
    minutes = int(cohort.working_minutes.value(mentee, mentor))
    return float(factors.working_hours_overlap(minutes)), f"{_hours(minutes)} h a week in common"


def _cross_department(cohort: PreparedCohort, mentee: int, mentor: int) -> tuple[float, str]:
    mentee_department, mentor_department = cohort.mentees[mentee].department, cohort.mentors[mentor].department
    value = float(cohort.departments.value(mentee, mentor))
    if mentee_department and mentor_department:
        detail = f"{mentee_department} -> {mentor_department}"
        if factors.department_key(mentee_department) == factors.department_key(mentor_department):
            detail = f"both in {mentor_department}"
    else:
        detail = f"{mentee_department or 'department unknown'} -> {mentor_department or 'department unknown'}"
    preferred = {factors.department_key(name) for name in cohort.mentees[mentee].preferred_departments}
    if factors.department_key(mentor_department) in preferred - {None}:
        detail += " (a department the mentee asked for)"
    return value, detail


_EXPLAINERS = {"goals_skills": _goals_skills, "seniority": _seniority,
               "working_hours_overlap": _working_hours, "cross_department": _cross_department}
assert tuple(_EXPLAINERS) == FACTORS


def _explained(cohort: PreparedCohort, mentee: int, mentor: int, score: int,
               broken: Iterable[str]) -> PairExplanation:
    explained = []
    for name, explainer in _EXPLAINERS.items():
        value, detail = explainer(cohort, mentee, mentor)
        weight = cohort.weights[name]
        explained.append(Factor(name, weight, value, weight * value, detail))
    explained.sort(key=lambda factor: -factor.contribution)  # stable: ties keep the FACTORS order
    return PairExplanation(cohort.mentees[mentee].person_id, cohort.mentors[mentor].person_id, score,
                           tuple(explained), tuple((code, RULES[code]) for code in broken))


def explain_pairs(problem: MatchingProblem, pairs: Sequence[tuple[str, str]]) -> list[PairExplanation]:
    """Explain many (mentee id, mentor id) pairs at once, in the order given."""
    if not pairs:
        return []
    with garbage_collection_paused():
        cohort = prepare_cohort(problem, [mentee_id for mentee_id, _ in pairs])
        mentees = np.array([cohort.mentee_index(mentee_id) for mentee_id, _ in pairs], dtype=np.int64)
        mentors = np.array([cohort.mentor_index(mentor_id) for _, mentor_id in pairs], dtype=np.int64)
        scores = scores_of_pairs(cohort, mentees, mentors)
        broken = cohort.broken_rules(mentees, mentors)
        return [_explained(cohort, int(mentee), int(mentor), int(score),
                           [code for code, mask in broken.items() if mask[position]])
                for position, (mentee, mentor, score) in enumerate(zip(mentees, mentors, scores))]


def explain_pair(problem: MatchingProblem, mentee_id: str, mentor_id: str) -> PairExplanation:
    return explain_pairs(problem, [(mentee_id, mentor_id)])[0]


def exclusion_summaries(problem: MatchingProblem, mentee_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """exclusion_summary for many mentees at once (the hard rules only: no text model is fitted)."""
    with garbage_collection_paused():
        cohort = prepare_cohort(problem, mentee_ids)
        return {mentee_id: cohort.exclusion_counts(cohort.mentee_index(mentee_id)) for mentee_id in mentee_ids}


def exclusion_summary(problem: MatchingProblem, mentee_id: str) -> dict[str, int]:
    """For a mentee (typically one left unmatched): how many mentors each hard rule excludes. A mentor
    excluded by two rules counts under both; every rule is listed, with 0 where it excludes none."""
    return exclusion_summaries(problem, [mentee_id])[mentee_id]
