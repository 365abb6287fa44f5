"""Figures from a group's counts, and the privacy rule that withholds some of them. Pure Python.

The rule (issue 6):
1. A figure built from people's answers - the feedback response rate, the average rating, the NPS -
   is withheld when fewer people than the privacy threshold stand behind it: the distinct authors
   asked (response rate), who rated (average rating), who answered the recommend question (NPS).
   Withheld means the value and the counts it is made of (answered requests, promoters, detractors,
   ratings) are null, and `withheld` says why, e.g. "fewer than 5 respondents". The number of
   respondents itself stays: it says how many people took part, not what they said.
2. A group (cohort or program) with fewer pairs than the threshold has all its answer-based
   figures withheld ("fewer than 5 pairs"), however many answers it has: in a tiny group, people
   know who answered.
3. Counts of pairs, people, sessions, minutes and goals are not answers and are always shown.
4. The threshold is the program's `privacy_threshold` (default 5 when the program is unknown);
   for a figure spanning several programs, the largest threshold among them.
5. No working a withheld figure out by subtraction: when a report shows a total beside its groups
   and some groups' figure is withheld, further groups (fewest respondents first) are withheld
   too, until the withheld groups together reach the total's threshold - so subtracting the shown
   groups from the total reveals only a figure built from enough people.
"""

from __future__ import annotations

from typing import Any

ANSWER_FIGURES = ("response_rate", "average_rating", "nps")
# the parts of each answer figure that are (or reveal) what people answered
ANSWER_PARTS = {"response_rate": ("value", "answered"), "average_rating": ("value", "ratings"),
                "nps": ("value", "promoters", "detractors", "promoters_percent", "detractors_percent", "responses")}
COMPLEMENTARY_NOTE = "withheld so that a smaller group's figure cannot be worked out from the total"


def withheld_note(threshold: int, what: str = "respondents") -> str:
    return f"fewer than {threshold} {what}"


def ratio(part: int, whole: int, digits: int = 3) -> float | None:
    return round(part / whole, digits) if whole else None


def net_promoter_score(promoters: int, detractors: int, responses: int) -> float | None:
    """Promoters (9-10) minus detractors (0-6), as percentages of the responses: -100..100."""
    if not responses:
        return None
    return round(100 * (promoters - detractors) / responses, 1)


def group_figures(counts: dict[str, int], threshold: int) -> dict[str, Any]:
    """A group's figures from its counts (see queries.COUNT_NAMES), with rules 1-3 applied."""
    completed, cancelled = counts["sessions_completed"], counts["sessions_cancelled"]
    no_show = counts["sessions_no_show"]
    responses = counts["recommend_responses"]
    figures: dict[str, Any] = {
        "participation": {"pairs": counts["pairs"], "active_pairs": counts["active_pairs"],
                          "ended_pairs": counts["ended_pairs"], "mentees": counts["mentees"],
                          "mentors": counts["mentors"]},
        "sessions": {"completed": completed, "cancelled": cancelled, "no_show": no_show,
                     "scheduled": counts["sessions_scheduled"],
                     "completion_rate": ratio(completed, completed + cancelled + no_show)},
        "mentoring_hours": round(counts["completed_minutes"] / 60, 1),
        "pairs_at_risk": counts["pairs_at_risk"],
        "goals": {"total": counts["goals"], "achieved": counts["goals_achieved"], "dropped": counts["goals_dropped"],
                  "achieved_rate": ratio(counts["goals_achieved"], counts["goals"])},
        "response_rate": {"value": ratio(counts["requests_answered"], counts["requests_due"]),
                          "answered": counts["requests_answered"], "due": counts["requests_due"],
                          "requests": counts["requests"], "respondents": counts["requests_due_authors"],
                          "withheld": None},
        "average_rating": {"value": round(counts["rating_sum"] / counts["ratings"], 2) if counts["ratings"] else None,
                           "ratings": counts["ratings"], "respondents": counts["rating_respondents"],
                           "withheld": None},
        "nps": {"value": net_promoter_score(counts["promoters"], counts["detractors"], responses),
                "promoters": counts["promoters"], "detractors": counts["detractors"],
                "promoters_percent": ratio(100 * counts["promoters"], responses, 1),
                "detractors_percent": ratio(100 * counts["detractors"], responses, 1),
                "responses": responses, "respondents": counts["recommend_respondents"], "withheld": None},
    }
    for name in ANSWER_FIGURES:
        if counts["pairs"] < threshold:
            withhold(figures[name], withheld_note(threshold, "pairs"))
        elif figures[name]["respondents"] < threshold:
            withhold(figures[name], withheld_note(threshold))
    return figures


def withhold(figure: dict[str, Any], note: str) -> None:
    for part in figure:
        if part not in ("respondents", "due", "requests", "withheld"):
            figure[part] = None
    figure["withheld"] = note


def suppress_complementary(groups: list[dict[str, Any]], total: dict[str, Any] | None, total_threshold: int) -> None:
    """Rule 5, in place: `groups` are figure dicts (from group_figures) whose sum is `total`."""
    if total is None or len(groups) < 2:
        return
    for name in ANSWER_FIGURES:
        if total[name]["withheld"]:
            continue
        withheld = [group[name] for group in groups if group[name]["withheld"]]
        if not withheld:
            continue
        shown = sorted((group[name] for group in groups if not group[name]["withheld"]),
                       key=lambda figure: figure["respondents"])
        while shown and sum(figure["respondents"] for figure in withheld) < total_threshold:
            figure = shown.pop(0)
            withhold(figure, COMPLEMENTARY_NOTE)
            withheld.append(figure)


def withheld_notes(figures: dict[str, Any]) -> str:
    """One line naming what a group withholds, for a CSV note column."""
    return "; ".join(f"{name.replace('_', ' ')}: {figures[name]['withheld']}"
                     for name in ANSWER_FIGURES if figures[name]["withheld"])
