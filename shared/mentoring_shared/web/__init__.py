"""HTTP parts shared by every service: app factory, problem+json, auth, pagination, health, metrics."""
