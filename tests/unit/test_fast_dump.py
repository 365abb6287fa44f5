"""FastDump gives exactly marshmallow's output, only faster: the people page and a schema with every
field kind, including the ones it leaves to marshmallow."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

import marshmallow as ma
import pytest

from mentoring_shared.web.fast_dump import FastDump
from mentoring_shared.web.fields import WholeNumber
from profiles.domain.people import Person, WorkingHours
from profiles.schemas.people import PersonExportSchema, PersonPageSchema, PersonSchema

CREATED = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def everything_filled() -> Person:
    return Person(id="01900000-0000-7000-8000-000000000001", tenant_id="acme", employee_id="E1", name="Ada Lovelace",
                  email="ada@acme.example", time_zone="Europe/London", status="active", version=3,
                  created_at=CREATED, updated_at=CREATED, title="Engineer", department="R&D",
                  manager_employee_id="E0", location="London", languages=("en", "fr"), seniority_band=4,
                  skills=(("python", "advanced"), ("sql", "intermediate")), interests=("maths",), goals=("lead",),
                  goals_text="Grow é ✓", roles_offered=("mentor",), roles_wanted=("mentee",),
                  working_hours=WorkingHours(start="08:00", end="16:00", days=(1, 2, 3)), mentor_capacity=2)


def erased() -> Person:
    return Person(id="01900000-0000-7000-8000-000000000002", tenant_id="acme", employee_id=None, name="erased",
                  email="erased@invalid", time_zone="UTC", status="erased", version=9,
                  created_at=datetime(2026, 1, 1), updated_at=CREATED)


def marshmallow_dump(schema_class, obj, **kwargs):
    """The same schema without FastDump: what marshmallow itself would answer."""
    plain = type("Plain" + schema_class.__name__, (schema_class,), {"dump": ma.Schema.dump})
    return plain(**kwargs).dump(obj)


@pytest.mark.parametrize("person", [everything_filled(), erased()], ids=["filled", "erased"])
def test_a_person_dumps_as_marshmallow_dumps_it(person):
    assert PersonSchema().dump(person) == marshmallow_dump(PersonSchema, person)
    assert list(PersonSchema().dump(person)) == list(marshmallow_dump(PersonSchema, person))  # same key order


def test_a_page_of_people_dumps_as_marshmallow_dumps_it():
    page = {"items": [everything_filled(), erased()], "next_cursor": "01900000-0000-7000-8000-000000000002"}
    fast = PersonPageSchema().dump(page)
    assert fast == {"items": [marshmallow_dump(PersonSchema, person) for person in page["items"]],
                    "next_cursor": page["next_cursor"]}
    assert PersonSchema(many=True).dump(page["items"]) == fast["items"]


def test_an_export_nesting_a_person_dumps_the_person_the_same_way():
    export = PersonExportSchema().dump({"person": everything_filled(), "enrollments": []})
    assert export["person"] == marshmallow_dump(PersonSchema, everything_filled())


class Inner(FastDump, ma.Schema):
    label = ma.fields.String()
    size = ma.fields.Integer()


@dataclass
class Part:
    label: object
    size: object


@dataclass
class Thing:
    name: object
    count: object
    ratio: object
    price: object
    flag: object
    when: object
    day: object
    at: object
    tags: object
    part: object
    parts: object
    renamed_source: object
    extra: dict = field(default_factory=dict)


class Everything(FastDump, ma.Schema):
    name = ma.fields.String()
    count = WholeNumber()
    ratio = ma.fields.Float()
    price = ma.fields.Decimal(as_string=True)       # left to marshmallow
    flag = ma.fields.Boolean()                       # left to marshmallow
    when = ma.fields.AwareDateTime(default_timezone=UTC)
    day = ma.fields.Date()
    at = ma.fields.Time(format="%H.%M")
    tags = ma.fields.List(ma.fields.String())
    part = ma.fields.Nested(Inner)
    parts = ma.fields.List(ma.fields.Nested(Inner))
    renamed = ma.fields.String(attribute="renamed_source", data_key="shownAs")
    absent = ma.fields.String()                      # no such attribute: no key
    defaulted = ma.fields.String(dump_default="d")   # no such attribute: the default
    computed = ma.fields.Method("compute")
    first_tag = ma.fields.Function(lambda thing: thing.tags[0] if thing.tags else None)
    nested_attr = ma.fields.String(attribute="part.label")

    def compute(self, thing):
        return f"{thing.name}!"


def things():
    yield Thing(name="n", count=2.0, ratio=1, price=Decimal("1.50"), flag="yes", when=datetime(2026, 5, 6, 7, 8, 9),
                day=date(2026, 5, 6), at=time(7, 8), tags=("a", 1, None), part=Part("p", "3"),
                parts=[Part("q", 4), None], renamed_source=5)
    yield Thing(name=None, count=None, ratio=None, price=None, flag=None, when=None, day=None, at=None, tags=None,
                part=None, parts=None, renamed_source=None)
    yield Thing(name=7, count=True, ratio=2.5, price=Decimal("0"), flag=0, when=CREATED, day=date(2026, 1, 1),
                at=time(0, 0), tags=[], part=Part(None, None), parts=[], renamed_source="r")


@pytest.mark.parametrize("thing", list(things()), ids=["values", "nones", "odd types"])
def test_every_field_kind_dumps_as_marshmallow_dumps_it(thing):
    assert Everything().dump(thing) == marshmallow_dump(Everything, thing)
    assert Everything(only=("name", "part")).dump(thing) == marshmallow_dump(Everything, thing, only=("name", "part"))
    assert Everything(many=True).dump([thing, thing]) == [marshmallow_dump(Everything, thing)] * 2


def test_a_mapping_is_left_to_marshmallow():
    data = {"label": "x", "size": "5"}
    assert Inner().dump(data) == {"label": "x", "size": 5}


def test_a_schema_with_dump_hooks_is_left_to_marshmallow():
    class Hooked(FastDump, ma.Schema):
        label = ma.fields.String()

        @ma.post_dump
        def shout(self, data, **kwargs):
            return {"label": data["label"].upper()}

    assert Hooked().dump(Part("quiet", 1)) == {"label": "QUIET"}
