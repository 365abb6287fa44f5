"""Scheduling: Regular meetings across time zones; calendar feeds and sync."""

SERVICE = "scheduling"
