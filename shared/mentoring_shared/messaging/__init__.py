"""Events between services: envelope, Kafka client, outbox relay, consumer runner, dead letters."""
