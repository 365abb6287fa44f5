import uuid

from mentoring_shared.ids import new_id


def test_ids_are_uuid_version_7_with_the_rfc_variant():
    value = uuid.UUID(new_id())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_ids_sort_in_creation_order():
    ids = [new_id() for _ in range(2000)]
    # Same-millisecond ids share the time prefix; across milliseconds the order is creation order.
    prefixes = [value[:13] for value in ids]
    assert prefixes == sorted(prefixes)
    assert len(set(ids)) == len(ids)
