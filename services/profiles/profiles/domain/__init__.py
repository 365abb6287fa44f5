"""Profiles' rules and state changes in plain Python: people, programs, cohorts, enrollments.
Each change returns the events that describe it; nothing here knows Flask, SQL or Kafka."""
