"""Feedback's unit of work: one transaction, with a repository per aggregate on its session
(`uow.pairs`, `uow.goals`, ...), and the events it publishes to the outbox."""

from __future__ import annotations

from feedback.repositories.goals import GoalsRepository
from feedback.repositories.mentoring_sessions import MentoringSessionsRepository
from feedback.repositories.pairs import PairsRepository
from feedback.repositories.people import PeopleRepository
from feedback.repositories.programs import ProgramsRepository
from feedback.repositories.submissions import SubmissionsRepository
from mentoring_shared.unit_of_work import UnitOfWork


class FeedbackUnitOfWork(UnitOfWork):
    repositories = {"people": PeopleRepository, "programs": ProgramsRepository, "pairs": PairsRepository,
                    "mentoring_sessions": MentoringSessionsRepository, "submissions": SubmissionsRepository,
                    "goals": GoalsRepository}
    people: PeopleRepository                         # the copy of profiles' people
    programs: ProgramsRepository                     # the copy of profiles' programs, and their health rules
    pairs: PairsRepository                           # the copy of matching's matches, with their health
    mentoring_sessions: MentoringSessionsRepository  # the copy of scheduling's sessions
    submissions: SubmissionsRepository               # feedback requests and the feedback given
    goals: GoalsRepository                           # a pair's goals, milestones and check-ins
