"""Topic names: one topic per aggregate type, a dead-letter topic beside each."""

PROFILES_PEOPLE = "profiles.people"
PROFILES_PROGRAMS = "profiles.programs"
PROFILES_COHORTS = "profiles.cohorts"
PROFILES_ENROLLMENTS = "profiles.enrollments"
MATCHING_MATCHES = "matching.matches"
MATCHING_RUNS = "matching.runs"
SCHEDULING_SESSIONS = "scheduling.sessions"
SCHEDULING_MENTORSHIPS = "scheduling.mentorships"
FEEDBACK_SUBMISSIONS = "feedback.submissions"
FEEDBACK_GOALS = "feedback.goals"
FEEDBACK_PAIRS = "feedback.pairs"

DEAD_LETTER_SUFFIX = ".dlq"


def dead_letter_topic(topic: str) -> str:
    return topic + DEAD_LETTER_SUFFIX

