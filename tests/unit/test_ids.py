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


def test_a_forked_child_never_repeats_its_parents_random_bits():
    """Ids draw on a pool of random bytes: a gunicorn worker forked after the app made ids must not
    draw the same bytes as its siblings, or two workers would make the same ids."""
    import os

    new_id()  # the parent's pool is filled, with bytes left over
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child writes the random part of its next ids, and goes, whatever happens
        code = 1
        try:
            os.close(read_end)
            os.write(write_end, ",".join(new_id()[19:] for _ in range(8)).encode())
            code = 0
        finally:
            os._exit(code)  # never back into the test runner
    os.close(write_end)
    _, status = os.waitpid(child, 0)
    with os.fdopen(read_end) as pipe:
        childs = set(pipe.read().split(","))
    parents = {new_id()[19:] for _ in range(8)}
    assert os.waitstatus_to_exitcode(status) == 0
    assert len(childs) == 8 and not childs & parents
