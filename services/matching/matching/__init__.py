"""Matching: Who mentors whom: optimal, explainable matching of whole cohorts."""

SERVICE = "matching"
