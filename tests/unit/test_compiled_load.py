"""The compiled payload reader against marshmallow, for every event contract of the platform:
whenever the compiled reader answers, marshmallow accepts the same payload and loads the very
same values (types included); and a realistic event is answered by the compiled reader itself."""

import math
from datetime import UTC

import marshmallow as ma
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import fields, validate

from mentoring_shared.contracts.catalog import platform_events
from mentoring_shared.contracts.compiled_load import NotSure, compile_schema
from mentoring_shared.contracts.profiles import PERSON_UPSERTED_V1

EVENTS = platform_events()
COMPILED = [event_type for event_type in EVENTS.types() if EVENTS.contract(event_type)._compiled is not None]

junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=4), st.lists(st.integers(), max_size=2),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def value_of(field: fields.Field) -> st.SearchStrategy:
    """Mostly values the field should accept, sometimes anything at all."""
    choices = [validator.choices for validator in field.validators if isinstance(validator, validate.OneOf)]
    kind = type(field)
    if choices:
        good = st.sampled_from(list(choices[0]))
    elif kind is fields.Email:
        good = st.emails()
    elif kind is fields.String:
        good = st.text(max_size=8)
    elif kind is fields.Integer:
        good = st.one_of(st.integers(-3, 10), st.sampled_from([1.0, 2.5, "7"]))
    elif kind is fields.Float:
        good = st.one_of(st.floats(), st.sampled_from([math.nan, math.inf]), st.integers(-3, 3), st.just("1.5"))
    elif kind is fields.Boolean:
        good = st.one_of(st.booleans(), st.sampled_from(["true", 1, 0]))
    elif kind in (fields.AwareDateTime, fields.DateTime):
        aware = st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat())
        good = st.one_of(aware, aware, aware, st.datetimes().map(lambda moment: moment.isoformat()))
    elif kind is fields.Date:
        good = st.dates().map(lambda day: day.isoformat())
    elif kind is fields.List:
        good = st.lists(value_of(field.inner), max_size=3)
    elif kind is fields.Nested:
        good = payload_of(field.schema)
    elif kind is fields.Dict:
        good = st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
    else:
        good = junk
    return st.integers(0, 9).flatmap(lambda pick: junk if pick == 0 else good)  # one in ten anything


def payload_of(schema: ma.Schema) -> st.SearchStrategy:
    """Required fields there, others there or not, now and then a key the schema does not know."""
    required = {name: value_of(field) for name, field in schema.load_fields.items() if field.required}
    optional = {name: value_of(field) for name, field in schema.load_fields.items() if not field.required}
    return st.tuples(st.fixed_dictionaries(required, optional=optional),
                     st.dictionaries(st.sampled_from(["zz_later_field", "x"]), junk, max_size=1)).map(
        lambda parts: {**parts[0], **parts[1]})


def same(left, right) -> bool:
    """Equal, and of the same types all the way down (1 == 1.0 == True would hide a difference)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return left == right


def test_every_contract_but_dicts_with_typed_values_is_compiled():
    assert set(EVENTS.types()) - set(COMPILED) == {"profiles.program.upserted.v1"}


@pytest.mark.parametrize("event_type", COMPILED)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_compiled_reader_answers_only_what_marshmallow_answers(event_type, data):
    schema = EVENTS.contract(event_type)._lenient
    reader = compile_schema(schema)
    payload = data.draw(payload_of(schema))
    try:
        compiled = reader(payload)
    except NotSure:
        return
    assert same(compiled, schema.load(payload))


def test_a_person_snapshot_from_an_hr_import_is_read_without_marshmallow():
    contract = EVENTS.contract(PERSON_UPSERTED_V1)
    snapshot = contract.dump_payload({
        "person_id": "p-1", "version": 3, "employee_id": "E1", "name": "Ann", "email": "ann@acme.example",
        "time_zone": "Europe/Paris", "status": "active", "title": "Engineer", "department": "Dept 1",
        "manager_employee_id": "E0", "location": "Site 1", "languages": ["en", "fr"], "seniority_band": "3",
        "skills": [{"name": "Python", "level": "advanced"}], "interests": [], "goals": [], "goals_text": None,
        "roles_offered": ["mentor"], "roles_wanted": [], "mentor_capacity": 2})
    assert same(contract._compiled(snapshot), contract._lenient.load(snapshot))


def test_a_custom_field_class_is_left_to_marshmallow():
    class Shouting(fields.String):
        def _deserialize(self, value, attr, data, **kwargs):
            return super()._deserialize(value, attr, data, **kwargs).upper()

    class Loud(ma.Schema):
        name = Shouting()

    assert compile_schema(Loud()) is None


def test_a_missing_required_field_is_left_to_marshmallow():
    contract = EVENTS.contract("profiles.person.deactivated.v1")
    with pytest.raises(NotSure):
        contract._compiled({"person_id": "p-1", "reason": "left"})
    with pytest.raises(ma.ValidationError, match="version"):
        contract.load_payload({"person_id": "p-1", "reason": "left"})


class Pair(ma.Schema):
    name = fields.String(required=True)


class Bounded(ma.Schema):
    above_one_below_five = fields.Integer(validate=validate.Range(1, 5, min_inclusive=False, max_inclusive=False))
    at_least_two = fields.Integer(validate=validate.Range(min=2))
    colour = fields.String(validate=validate.OneOf(["red", "blue"]))
    days = fields.List(fields.Integer(validate=validate.Range(1, 7)))
    tags = fields.List(fields.String())
    pairs = fields.List(fields.Nested(Pair))
    email = fields.Email()


@pytest.mark.parametrize("payload", [
    {"above_one_below_five": value} for value in (0, 1, 2, 4, 5, 6)] + [
    {"at_least_two": value} for value in (1, 2, 3)] + [
    {"colour": value} for value in ("red", "green", "", 1)] + [
    {"days": value} for value in ([], [1, 7], [0], [8], [1, True], ["1"], None, "1")] + [
    {"tags": value} for value in ([], ["a"], [None], [1], ("a",))] + [
    {"pairs": value} for value in ([], [{"name": "a"}], [{}], [None], [{"name": 1}], [{"name": "a", "x": 1}])] + [
    {"email": value} for value in ("ana@example.com", "ana@localhost", "ana.b+tag@sub.example.org", "", "ana",
                                   "ana@", "@example.com", "a@b@example.com", "ana@-bad.example", "ana@exa mple.com",
                                   "zoë@example.com", "ana@exämple.com", "ana@[127.0.0.1]", 1, None)])
def test_validators_checked_in_the_written_reader_agree_with_marshmallow(payload):
    """What marshmallow refuses, the written reader is not sure of; what it answers, marshmallow
    loads the same (it may leave to marshmallow what marshmallow would coerce, like "1")."""
    schema = Bounded()
    try:
        expected = schema.load(payload)
    except ma.ValidationError:
        with pytest.raises(NotSure):
            compile_schema(schema)(payload)
        return
    try:
        assert same(compile_schema(schema)(payload), expected)
    except NotSure:
        pass


def test_plain_values_within_their_validators_are_answered_by_the_written_reader():
    payload = {"above_one_below_five": 4, "at_least_two": 2, "colour": "blue", "days": [1, 7], "tags": ["a"],
               "pairs": [{"name": "a"}], "email": "ana@example.com"}
    assert same(compile_schema(Bounded())(payload), Bounded().load(payload))


def test_an_address_check_remembers_domains_and_still_agrees_with_marshmallow(monkeypatch):
    """The written reader keeps each domain's answer: one reader asked about many addresses (more
    domains than it keeps) answers each as marshmallow would, whatever it was asked before."""
    from mentoring_shared.contracts import compiled_load

    monkeypatch.setattr(compiled_load, "KNOWN_DOMAINS", 3)
    schema, reader = Bounded(), compile_schema(Bounded())
    addresses = [f"{user}@{domain}" for domain in ("acme.example", "-bad.example", "exa mple.com", "b.example",
                                                   "c.example", "acme.example", "-bad.example")
                 for user in ("ana", "an a", "ana.b+tag")]
    for address in addresses:
        try:
            expected = schema.load({"email": address})
        except ma.ValidationError:
            with pytest.raises(NotSure):
                reader({"email": address})
            continue
        assert reader({"email": address}) == expected
