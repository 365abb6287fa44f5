"""Event contracts: topics, versioned types and payload schemas. The producer owns each schema;
within a major version changes are additive only, and consumers load with unknown fields excluded."""
