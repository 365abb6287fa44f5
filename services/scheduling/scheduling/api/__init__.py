"""Scheduling's HTTP API: plans and sessions for pairs and organizers; people's calendars and their
personal feeds."""
