"""Feedback: Two-way feedback, goals and milestones, pair health, program reports."""

SERVICE = "feedback"
