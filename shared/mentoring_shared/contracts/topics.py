"""Topic names: one topic per aggregate type, a dead-letter topic beside each."""

PROFILES_PEOPLE = "profiles.people"

DEAD_LETTER_SUFFIX = ".dlq"


def dead_letter_topic(topic: str) -> str:
    return topic + DEAD_LETTER_SUFFIX

