"""Profiles' unit of work: one transaction, and the repositories of profiles' aggregates on it."""

from __future__ import annotations

from mentoring_shared.unit_of_work import UnitOfWork
from profiles.repositories.cohorts import CohortsRepository
from profiles.repositories.enrollments import EnrollmentsRepository
from profiles.repositories.people import PeopleRepository
from profiles.repositories.programs import ProgramsRepository
from profiles.repositories.scim_groups import ScimGroupsRepository
from profiles.repositories.scim_tokens import ScimTokensRepository
from profiles.repositories.scim_users import ScimUsersRepository


class ProfilesUnitOfWork(UnitOfWork):
    repositories = {"people": PeopleRepository, "programs": ProgramsRepository, "cohorts": CohortsRepository,
                    "enrollments": EnrollmentsRepository, "scim_users": ScimUsersRepository,
                    "scim_groups": ScimGroupsRepository, "scim_tokens": ScimTokensRepository}
    people: PeopleRepository
    programs: ProgramsRepository
    cohorts: CohortsRepository
    enrollments: EnrollmentsRepository
    scim_users: ScimUsersRepository      # what SCIM keeps beside a person
    scim_groups: ScimGroupsRepository
    scim_tokens: ScimTokensRepository
