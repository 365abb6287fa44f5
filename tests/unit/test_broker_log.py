"""The relay's rules for "the broker lost events it acknowledged", with no broker."""

from mentoring_shared.messaging.broker_log import LogMark, advanced, lost_log

MARK = LogMark("profiles.people", "id-1", "cluster-1", 3, {0: 8, 1: 11, 2: 1})


def test_a_log_that_holds_what_was_acknowledged_is_whole():
    assert lost_log(MARK, "cluster-1", "id-1", 3, {0: 8, 1: 20, 2: 1}) is None


def test_a_partition_ending_below_the_mark_lost_events():
    assert lost_log(MARK, "cluster-1", "id-1", 3, {0: 8, 1: 4, 2: 1}) == \
        "partition 1 ends at offset 4, below offset 11 it acknowledged"


def test_a_topic_created_again_lost_events_even_if_it_grew_past_the_mark():
    reason = lost_log(MARK, "cluster-1", "id-2", 3, {0: 50, 1: 50, 2: 50})
    assert reason == "the topic was created again (id id-1 before, id-2 now)"


def test_a_missing_topic_a_missing_partition_or_another_cluster_lost_events():
    assert lost_log(MARK, "cluster-1", None, None, {}) == "the topic is gone"
    assert lost_log(MARK, "cluster-1", "id-1", 2, {0: 8, 1: 11}) == "partition 2 is gone (2 partitions now)"
    assert "another cluster" in lost_log(MARK, "cluster-2", "id-1", 3, {0: 8, 1: 11, 2: 1})


def test_nothing_acknowledged_means_nothing_to_lose():
    empty = LogMark("profiles.people", "id-1", "cluster-1", 3, {})
    assert lost_log(empty, "cluster-1", "id-2", 4, {}) is None
    assert lost_log(empty, "cluster-1", None, None, {}) is None


def test_a_broker_without_topic_ids_is_judged_by_offsets_alone():
    no_ids = LogMark("t", None, None, 3, {0: 5})
    assert lost_log(no_ids, None, None, 3, {0: 5}) is None
    assert lost_log(no_ids, None, None, 3, {0: 0}) is not None


def test_a_mark_rises_with_acknowledgements_and_notices_one_below_it():
    risen, went_back = advanced(MARK, {0: 9, 2: 4})
    assert risen.end_floors == {0: 9, 1: 11, 2: 4} and went_back == []
    kept, went_back = advanced(MARK, {1: 1})
    assert went_back == [1]
    assert kept.end_floors[1] == 11, "the mark keeps its height, so the next look sees the loss"
