"""Has the broker lost events it acknowledged? Pure rules over what the relay's sends reached (its
marks) and what the broker describes now. A broker that keeps topics in memory (tansu) loses
them all on a restart; an Apache Kafka cluster loses a log to a deleted topic, a wiped volume or
an unclean leader election. Either way, offsets never go backwards in a log that is whole.

Brokers disagree on the log end they report after a batch of several records (Kafka: one past its
last record; tansu: one past its first). So a mark holds, per partition, a floor every broker's
report must reach: one past the first record of the relay's latest acknowledged batch there."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LogMark:
    """How far the relay's acknowledged sends reached in one topic (a log end floor per partition),
    and which log that was."""

    topic: str
    topic_id: str | None
    cluster_id: str | None
    partitions: int
    end_floors: dict[int, int] = field(default_factory=dict)

    @property
    def holds_events(self) -> bool:
        return any(offset > 0 for offset in self.end_floors.values())


def lost_log(mark: LogMark, cluster_id: str | None, topic_id: str | None, partitions: int | None,
             ends: dict[int, int]) -> str | None:
    """Why the broker no longer holds what it acknowledged in this topic, or None if it does.
    `partitions` is None when the topic does not exist; `ends` are its partitions' log ends."""
    if not mark.holds_events:
        return None  # nothing was acknowledged here since the last look: nothing to lose
    if partitions is None:
        return "the topic is gone"
    if mark.cluster_id and cluster_id and mark.cluster_id != cluster_id:
        return f"the broker belongs to another cluster ({mark.cluster_id} before, {cluster_id} now)"
    if mark.topic_id and topic_id and mark.topic_id != topic_id:
        return f"the topic was created again (id {mark.topic_id} before, {topic_id} now)"
    for partition, end_floor in sorted(mark.end_floors.items()):
        if partition >= partitions:
            return f"partition {partition} is gone ({partitions} partitions now)"
        end = ends.get(partition, 0)
        if end < end_floor:
            return f"partition {partition} ends at offset {end}, below offset {end_floor} it acknowledged"
    return None


def advanced(mark: LogMark, acknowledged: dict[int, int]) -> tuple[LogMark, list[int]]:
    """The mark moved up to a batch's acknowledged floors, and the partitions where an acknowledgement
    came in below the mark: the log restarted under the relay's feet. The mark keeps its height, so
    the next look at the broker sees the loss too."""
    offsets = dict(mark.end_floors)
    went_back = [partition for partition, end_floor in acknowledged.items() if end_floor < offsets.get(partition, 0)]
    for partition, end_floor in acknowledged.items():
        offsets[partition] = max(offsets.get(partition, 0), end_floor)
    return LogMark(mark.topic, mark.topic_id, mark.cluster_id, mark.partitions, offsets), went_back
