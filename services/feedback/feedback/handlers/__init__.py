"""Use cases: a command or an event, and a unit of work, in; state and outbox rows out."""
