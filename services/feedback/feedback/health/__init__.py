"""Pair health: rules over a cohort's pair facts put each pair on track, needing a check-in, or at risk.

Pure Python and NumPy; the service gathers the facts, calls `evaluate`, and turns `transitions` into
pair-at-risk / pair-recovered events."""

from feedback.health.evaluate import PairHealth, Reason, Status, evaluate, transitions
from feedback.health.facts import PairFacts, PairFactsTable
from feedback.health.rules import HealthRules, InvalidRule

__all__ = ["HealthRules", "InvalidRule", "PairFacts", "PairFactsTable", "PairHealth", "Reason", "Status", "evaluate",
           "transitions"]
