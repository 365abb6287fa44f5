"""Test support: real servers (PostgreSQL, a Kafka-protocol broker) and pytest fixtures."""
