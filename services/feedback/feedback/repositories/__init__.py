"""Persistence: rows to domain objects and back. Every query is scoped to one tenant."""
