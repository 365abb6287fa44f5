import uuid

from mentoring_shared.ids import new_id


def test_ids_are_uuid_version_7_with_the_rfc_variant_in_canonical_form():
    made = new_id()
    value = uuid.UUID(made)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert made == str(value)


def test_ids_sort_in_creation_order_even_within_one_millisecond():
    ids = [new_id() for _ in range(20_000)]  # many share a millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
