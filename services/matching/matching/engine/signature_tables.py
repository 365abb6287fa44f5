"""Pair factors that depend only on a few attributes of each side (a time zone and working hours, a
seniority band, a department, the languages): people are grouped by that signature, the factor is
computed once per pair of distinct signatures, and a pair's value is gathered by index. A cohort of
20,000 mentees has only dozens of distinct signatures, so this is what keeps those factors cheap."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

Signature = TypeVar("Signature", bound=Hashable)
MentorSignature = TypeVar("MentorSignature", bound=Hashable)   # a mentor's may differ from a mentee's


def group_by_signature(signatures: Sequence[Signature]) -> tuple[np.ndarray, list[Signature]]:
    """Each item's index into the distinct signatures (in order of first appearance), and those signatures."""
    distinct: dict[Signature, int] = {}
    keys = np.fromiter((distinct.setdefault(signature, len(distinct)) for signature in signatures),
                       dtype=np.int32, count=len(signatures))
    return keys, list(distinct)


@dataclass(frozen=True)
class SignatureTable:
    """A factor for every (mentee, mentor) pair, stored as one value per pair of distinct signatures."""

    mentee_keys: np.ndarray   # int32, per mentee: its row of `table`
    mentor_keys: np.ndarray   # int32, per mentor: its column of `table`
    table: np.ndarray         # (distinct mentee signatures, distinct mentor signatures)

    def value(self, mentee: int, mentor: int):
        return self.table[self.mentee_keys[mentee], self.mentor_keys[mentor]]

    def bank(self, table: np.ndarray | None = None) -> np.ndarray:
        """One row over all mentors per distinct mentee signature (of `table`, derived from this one's
        values, if given): a block of mentees is then a cheap row gather, `bank[mentee_keys[rows]]`."""
        return np.ascontiguousarray((self.table if table is None else table)[:, self.mentor_keys])


def signature_table(mentee_signatures: Sequence[Signature], mentor_signatures: Sequence[MentorSignature],
                    pair_value: Callable[[Signature, MentorSignature], object], dtype) -> SignatureTable:
    """Group both sides and call `pair_value(mentee signature, mentor signature)` once per distinct pair."""
    mentee_keys, mentee_distinct = group_by_signature(mentee_signatures)
    mentor_keys, mentor_distinct = group_by_signature(mentor_signatures)
    table = np.array([[pair_value(mentee, mentor) for mentor in mentor_distinct] for mentee in mentee_distinct],
                     dtype=dtype).reshape(len(mentee_distinct), len(mentor_distinct))
    return SignatureTable(mentee_keys, mentor_keys, table)
