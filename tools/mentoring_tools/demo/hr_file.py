"""A seeded HR export in Workday's column layout, for the demo: departments with reporting lines,
seniority bands, skills with levels, languages and time zones around the world."""

from __future__ import annotations

import csv
import io
import random

HEADER = ["Employee_ID", "Worker", "Work_Email", "Business_Title", "Supervisory_Organization", "Manager_ID",
          "Location", "Time_Zone", "Languages", "Job_Level", "Skills", "Worker_Status"]
DEPARTMENTS = ["Platform Engineering", "Data Science", "Sales", "Finance", "Design", "People"]
SITES = [("London", "Europe/London"), ("Paris", "Europe/Paris"), ("New York", "America/New_York"),
         ("Austin", "America/Chicago"), ("Singapore", "Asia/Singapore"), ("Bangalore", "Asia/Kolkata")]
SKILLS = ["python", "sql", "kafka", "negotiation", "public-speaking", "go", "design", "finance", "leadership",
          "machine-learning"]
LEVELS = ["intermediate", "advanced", "expert"]
FIRST = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances",
         "Tim", "Radia", "Guido", "Hedy", "John", "Mary", "Edsger", "Sophie", "Donald", "Anita"]
LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson",
        "Allen", "Berners-Lee", "Perlman", "van Rossum", "Lamarr", "Backus", "Keller", "Dijkstra", "Wilson",
        "Knuth", "Borg"]


def titles_for(band: int) -> str:
    return "Director" if band >= 9 else "Principal" if band >= 7 else "Senior Specialist" if band >= 5 \
        else "Specialist"


def workday_export(people: int, domain: str, seed: int = 2027) -> bytes:
    """`people` rows; in each department the first person is its head, and everyone else reports to
    someone earlier in the same department, so reporting lines are real trees."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    members: dict[str, list[str]] = {department: [] for department in DEPARTMENTS}
    for number in range(1, people + 1):
        department = DEPARTMENTS[number % len(DEPARTMENTS)]
        employee_id = f"D{number:05d}"
        manager = rng.choice(members[department][:12]) if members[department] else ""
        members[department].append(employee_id)
        band = 10 if not manager else rng.choice([2, 3, 3, 4, 4, 5, 6, 7, 7, 8, 9])
        site, zone = rng.choice(SITES)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        skills = "; ".join(f"{skill}:{rng.choice(LEVELS)}" for skill in rng.sample(SKILLS, 3))
        writer.writerow([employee_id, name, f"{employee_id.lower()}@{domain}", titles_for(band), department, manager,
                         site, zone, rng.choice(["en", "en; fr", "en; de", "en; es"]), band, skills, "Active"])
    return out.getvalue().encode()
