"""Use cases: a command and a unit of work in; state and outbox events out, in one transaction."""
