"""Seeded, realistic cohorts for the matching engine's benchmarks and tests: an organisation of eight
departments with a manager tree about six levels deep (the cohort's mentees and mentors sit in it
among people who are not enrolled), seniority bands 1-9 (mentors skew senior), ten time zones over
the Americas, Europe and Asia-Pacific with varied working hours, one to three languages (English
the most common), ~150 skill tags with Zipf-like popularity, goals that follow the department,
free-text goals built from phrases, and a few avoid lists, previous pairs and forbidden pairs.

The same arguments always give the same cohort: every draw comes from one seeded generator, in a
fixed order."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date

from matching.engine.model import MatchingProblem, Participant, WorkingHours

DEFAULT_WEIGHTS = {"goals_skills": 0.4, "seniority": 0.2, "working_hours_overlap": 0.2, "cross_department": 0.2}

DEPARTMENT_SKILLS = {
    "Engineering": ["python", "java", "go", "rust", "typescript", "react", "kubernetes", "aws", "distributed-systems",
                    "testing", "security", "system-design", "api-design", "performance", "incident-response",
                    "code-review", "databases"],
    "Data": ["sql", "machine-learning", "statistics", "data-visualization", "spark", "pandas", "data-modeling",
             "experimentation", "forecasting", "deep-learning", "nlp", "data-engineering", "dbt", "causal-inference"],
    "Product": ["product-strategy", "roadmapping", "user-research", "prioritization", "product-analytics",
                "discovery", "pricing", "go-to-market", "okrs", "requirements", "competitive-analysis", "growth"],
    "Design": ["ux-design", "ui-design", "figma", "prototyping", "design-systems", "accessibility",
               "interaction-design", "visual-design", "usability-testing", "information-architecture",
               "content-design", "motion-design"],
    "Sales": ["negotiation", "prospecting", "account-management", "enterprise-sales", "sales-forecasting", "crm",
              "solution-selling", "partnerships", "pipeline-management", "closing", "customer-success", "renewals"],
    "Marketing": ["brand", "content-marketing", "seo", "demand-generation", "marketing-analytics", "copywriting",
                  "social-media", "events", "product-marketing", "campaigns", "email-marketing", "positioning"],
    "Finance": ["financial-modeling", "budgeting", "accounting", "fp-and-a", "excel", "valuation", "tax", "audit",
                "treasury", "procurement", "revenue-recognition", "cost-control", "investor-relations"],
    "People": ["recruiting", "onboarding", "compensation", "employee-relations", "learning-and-development",
               "performance-management", "diversity-and-inclusion", "organizational-design", "hr-analytics",
               "employment-law", "workforce-planning", "culture"],
}
GENERAL_SKILLS = ["leadership", "public-speaking", "communication", "stakeholder-management", "project-management",
                  "coaching", "mentoring", "time-management", "strategy", "decision-making", "conflict-resolution",
                  "presentation", "writing", "feedback", "hiring", "people-management", "change-management",
                  "critical-thinking", "agile", "scrum", "budget-ownership", "executive-presence", "networking",
                  "career-growth", "remote-collaboration", "cross-functional-collaboration", "delegation",
                  "influencing", "resilience", "innovation", "customer-focus", "storytelling", "facilitation",
                  "emotional-intelligence", "product-thinking", "data-literacy", "ethics", "negotiation-skills"]
INTERESTS = ["open-source", "volunteering", "diversity-and-inclusion", "sustainability", "teaching", "writing",
             "startups", "research", "community", "wellbeing", "career-changers", "first-time-managers"]
ROLES = {
    "Engineering": ["Software Engineer", "Site Reliability Engineer", "QA Engineer", "Security Engineer"],
    "Data": ["Data Scientist", "Data Engineer", "Analytics Engineer", "Data Analyst"],
    "Product": ["Product Manager", "Product Owner", "Product Analyst"],
    "Design": ["Product Designer", "UX Researcher", "Content Designer"],
    "Sales": ["Account Executive", "Sales Engineer", "Customer Success Manager"],
    "Marketing": ["Marketing Manager", "Content Strategist", "Growth Marketer"],
    "Finance": ["Financial Analyst", "Accountant", "Controller"],
    "People": ["HR Business Partner", "Recruiter", "People Operations Specialist"],
}
BAND_PREFIX = {1: "Junior", 2: "Junior", 3: "", 4: "", 5: "Senior", 6: "Senior", 7: "Staff", 8: "Principal",
               9: "Head of"}
LEVELS = ["beginner", "intermediate", "advanced", "expert"]

# (IANA zone, share of people, a language often spoken there besides English)
ZONES = [("America/Los_Angeles", 0.12, "es"), ("America/New_York", 0.17, "es"), ("America/Sao_Paulo", 0.06, "pt"),
         ("Europe/London", 0.14, "fr"), ("Europe/Paris", 0.12, "fr"), ("Europe/Berlin", 0.08, "de"),
         ("Asia/Kolkata", 0.13, "hi"), ("Asia/Singapore", 0.08, "zh"), ("Asia/Tokyo", 0.05, "ja"),
         ("Australia/Sydney", 0.05, "zh")]
HOURS = [(("09:00", "17:00"), 0.45), (("08:00", "16:00"), 0.15), (("10:00", "18:00"), 0.15),
         (("08:30", "17:30"), 0.10), (("07:00", "15:00"), 0.05), (("12:00", "20:00"), 0.05), (("09:00", "13:00"), 0.05)]
DAYS = [((1, 2, 3, 4, 5), 0.85), ((1, 2, 3, 4), 0.10), ((7, 1, 2, 3, 4), 0.05)]

GOAL_PHRASES = [
    "I want to get better at {skill}.", "I would like to grow into a {role} role.",
    "Learn how {department} works and how my team can work with it.", "Improve my {skill} and {other} skills.",
    "Prepare for a promotion to {next_title}.", "Get honest feedback on my {skill} work.",
    "Build confidence in {skill} and {other}.", "Understand the {department} side of the business.",
    "Find someone who has led teams through {skill} challenges.", "Become more visible outside my team.",
    "Learn to balance delivery with {skill}.", "Move from individual contributor work towards {other}.",
    "Talk through career options in {department}.", "Get practical advice on {skill} from someone experienced.",
]
# How likely a person of each band is to enrol as a mentor, or as a mentee (classic programs).
MENTOR_BAND_WEIGHT = {1: 0.05, 2: 0.1, 3: 0.4, 4: 1.0, 5: 1.6, 6: 2.2, 7: 2.2, 8: 1.6, 9: 1.0}
MENTEE_BAND_WEIGHT = {1: 2.0, 2: 2.2, 3: 2.0, 4: 1.5, 5: 1.0, 6: 0.5, 7: 0.25, 8: 0.1, 9: 0.05}
TREE_DEPTH = 6
NON_ENROLLED_SHARE = 0.25  # people in the manager tree beyond the cohort


class _Draw:
    """The seeded source of every choice the generator makes."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def weighted(self, items: list, weights: list[float], count: int = 1) -> list:
        """Up to `count` distinct items, more popular ones more often."""
        picked: list = []
        for _ in range(count * 4):
            item = self.random.choices(items, weights)[0]
            if item not in picked:
                picked.append(item)
                if len(picked) == count:
                    break
        return picked

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability


def _popularity(draw: _Draw) -> dict[str, float]:
    """Zipf-like: every tag gets a random popularity rank, weight 1 / rank."""
    tags = sorted({tag for tags in DEPARTMENT_SKILLS.values() for tag in tags} | set(GENERAL_SKILLS))
    draw.random.shuffle(tags)
    return {tag: 1.0 / (rank + 1) ** 0.9 for rank, tag in enumerate(tags)}


def _band(draw: _Draw, level: int) -> int:
    # executives near the top; individual contributors deep in the tree span junior to staff
    if level <= 3:
        return 10 - level - draw.random.randint(0, 1)
    low, high = {4: (5, 8), 5: (3, 7), 6: (1, 7)}[level]
    return min(draw.random.randint(low, high), draw.random.randint(low, high)) if level == 6 else \
        draw.random.randint(low, high)


def _organisation(draw: _Draw, people: int) -> list[tuple[str, str | None, str, int]]:
    """(employee id, manager's employee id, department, level) for a tree of about `people` people:
    a CEO, a head per department, then levels growing by a constant branching factor."""
    departments = list(DEPARTMENT_SKILLS)
    low, high = 1.0, 50.0
    for _ in range(60):  # branching factor that makes the tree `people` people deep TREE_DEPTH levels
        branching = (low + high) / 2
        total = 1 + len(departments) * sum(branching ** level for level in range(TREE_DEPTH))
        low, high = (branching, high) if total < people else (low, branching)
    branching = high  # the smallest factor found that makes the tree at least `people` strong
    employees = [("E000000", None, departments[0], 0)]
    previous = []
    for department in departments:
        previous.append((f"E{len(employees):06d}", "E000000", department, 1))
        employees.append(previous[-1])
    for level in range(2, TREE_DEPTH + 1):
        size = round(len(departments) * branching ** (level - 1))
        current = []
        for _ in range(size):
            manager_id, _, department, _ = previous[draw.random.randrange(len(previous))]
            current.append((f"E{len(employees):06d}", manager_id, department, level))
            employees.append(current[-1])
        previous = current
    return employees


def _skills_pool(draw: _Draw, department: str, popularity: dict[str, float], count: int) -> list[str]:
    own = DEPARTMENT_SKILLS[department]
    other_department = DEPARTMENT_SKILLS[draw.random.choice(list(DEPARTMENT_SKILLS))]
    picked: list[str] = []
    for _ in range(count):
        roll = draw.random.random()
        pool = own if roll < 0.6 else GENERAL_SKILLS if roll < 0.85 else other_department
        for tag in draw.weighted(pool, [popularity[tag] for tag in pool]):
            if tag not in picked:
                picked.append(tag)
    return picked


def _title(department: str, band: int, draw: _Draw) -> str:
    if band >= 9:
        return f"Head of {department}"
    role = draw.random.choice(ROLES[department])
    if band == 8 and draw.chance(0.5):
        return f"Director, {department}"
    return f"{BAND_PREFIX[band]} {role}".strip()


def _goals_text(draw: _Draw, department: str, band: int, goals: list[str], popularity: dict[str, float]) -> str:
    sentences = []
    for _ in range(draw.random.randint(1, 3)):
        skill = draw.random.choice(goals) if goals else draw.random.choice(GENERAL_SKILLS)
        other = draw.weighted(GENERAL_SKILLS, [popularity[tag] for tag in GENERAL_SKILLS])[0]
        sentences.append(draw.random.choice(GOAL_PHRASES).format(
            skill=skill.replace("-", " "), other=other.replace("-", " "), role=draw.random.choice(ROLES[department]),
            department=draw.random.choice(list(DEPARTMENT_SKILLS)),
            next_title=_title(department, min(band + 1, 9), draw)))
    return " ".join(sentences)


def _person(draw: _Draw, employee: tuple[str, str | None, str, int], band: int, mentor: bool, slots: int,
            popularity: dict[str, float]) -> Participant:
    employee_id, _, department, _ = employee
    zone, _, local_language = draw.random.choices(ZONES, [share for _, share, _ in ZONES])[0]
    start_end = draw.random.choices([hours for hours, _ in HOURS], [share for _, share in HOURS])[0]
    days = draw.random.choices([days for days, _ in DAYS], [share for _, share in DAYS])[0]
    languages = ["en"] if draw.chance(0.92) else []
    if not languages or draw.chance(0.45):
        languages.append(local_language)
    if draw.chance(0.08):
        languages.append(draw.random.choice(["fr", "de", "es", "it"]))
    skill_count = draw.random.randint(3, 8) if mentor else draw.random.randint(1, 4)
    skills = _skills_pool(draw, department, popularity, skill_count)
    level_bias = (band - 1) / 8  # senior people are more often experts
    skill_levels = tuple((tag, LEVELS[min(3, int(draw.random.random() * 2 + level_bias * 2.5))]) for tag in skills)
    goals = [] if mentor else _skills_pool(draw, department, popularity, draw.random.randint(1, 4))
    preferred = [] if mentor or draw.chance(0.5) else \
        _skills_pool(draw, department, popularity, draw.random.randint(1, 2))
    known_band = None if draw.chance(0.02) else band
    return Participant(
        person_id=str(uuid.UUID(int=draw.random.getrandbits(128), version=4)),
        slots=slots,
        employee_id=employee_id,
        department=None if draw.chance(0.01) else department,
        title=_title(department, band, draw),
        seniority_band=known_band,
        languages=tuple(dict.fromkeys(languages)),
        skills=skill_levels,
        interests=tuple(draw.weighted(INTERESTS, [1.0] * len(INTERESTS), draw.random.randint(0, 3))) if mentor else (),
        goals=tuple(goals),
        goals_text=None if mentor or draw.chance(0.3) else _goals_text(draw, department, band, goals, popularity),
        time_zone=zone,
        working_hours=WorkingHours(start_end[0], start_end[1], days),
        preferred_skills=tuple(preferred),
        preferred_languages=(local_language,)
        if not mentor and local_language in languages and draw.chance(0.03) else (),
        preferred_departments=tuple(draw.weighted(list(DEPARTMENT_SKILLS), [1.0] * 8, 1))
        if not mentor and draw.chance(0.1) else (),
    )


def _enrol(draw: _Draw, candidates: list[tuple[tuple, int]], count: int,
           weights: dict[int, float]) -> list[tuple[tuple, int]]:
    """`count` of the candidates, drawn without replacement with probability by band (Efraimidis-Spirakis keys)."""
    keyed = sorted(candidates, key=lambda candidate: -(draw.random.random() ** (1.0 / weights[candidate[1]])))
    return keyed[:count]


def generate_cohort(n_mentees: int, n_mentors: int, capacity: int = 5, seed: int = 7,
                    program_type: str = "classic") -> MatchingProblem:
    """A cohort of `n_mentees` mentees wanting one mentor each and `n_mentors` mentors with `capacity`
    slots each. In reverse mentoring the junior people mentor the senior ones."""
    draw = _Draw(seed)
    popularity = _popularity(draw)
    employees = _organisation(draw, max(16, round((n_mentees + n_mentors) * (1 + NON_ENROLLED_SHARE))))
    candidates = [(employee, _band(draw, employee[3])) for employee in employees[1:]]  # everyone but the CEO
    mentor_weights, mentee_weights = MENTOR_BAND_WEIGHT, MENTEE_BAND_WEIGHT
    if program_type == "reverse":
        mentor_weights, mentee_weights = MENTEE_BAND_WEIGHT, MENTOR_BAND_WEIGHT
    mentor_people = _enrol(draw, candidates, n_mentors, mentor_weights)
    taken = {employee[0] for employee, _ in mentor_people}
    mentee_people = _enrol(draw, [candidate for candidate in candidates if candidate[0][0] not in taken],
                           n_mentees, mentee_weights)
    if len(mentor_people) < n_mentors or len(mentee_people) < n_mentees:
        raise ValueError("the organisation is too small for that cohort")
    mentors = [_person(draw, employee, band, True, capacity, popularity) for employee, band in mentor_people]
    mentees = [_person(draw, employee, band, False, 1, popularity) for employee, band in mentee_people]

    # a few people ask not to be matched with someone; some pairs met in an earlier cohort
    mentor_ids = [mentor.person_id for mentor in mentors]
    mentee_ids = [mentee.person_id for mentee in mentees]
    mentees = [_with_avoid(mentee, draw.random.sample(mentor_ids, min(len(mentor_ids), draw.random.randint(1, 2))))
               if draw.chance(0.01) else mentee for mentee in mentees]
    mentors = [_with_avoid(mentor, [draw.random.choice(mentee_ids)]) if draw.chance(0.005) and mentee_ids else mentor
               for mentor in mentors]
    previous = frozenset((mentee_id, draw.random.choice(mentor_ids)) for mentee_id in mentee_ids
                         if mentor_ids and draw.chance(0.05))
    forbidden = frozenset((mentee_id, draw.random.choice(mentor_ids)) for mentee_id in mentee_ids
                          if mentor_ids and draw.chance(0.002))
    return MatchingProblem(
        program_type=program_type,
        weights=dict(DEFAULT_WEIGHTS),
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        managers={employee_id: manager_id for employee_id, manager_id, _, _ in employees},
        previous_pairs=previous,
        forbidden_pairs=forbidden,
        reference_date=date(2026, 1, 5),
    )


def _with_avoid(person: Participant, avoided: list[str]) -> Participant:
    return replace(person, avoid_person_ids=tuple(avoided))
