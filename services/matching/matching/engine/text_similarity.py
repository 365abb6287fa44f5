"""The free-text half of goals_skills: TF-IDF cosine similarity between what a mentee wrote it wants
(its goals text, goals and preferred skills) and what a mentor has done (title, skills, interests).

The TF-IDF model is fitted on the whole cohort's texts, so one pair's similarity depends on the
cohort; explaining a pair therefore refits on the same texts. Vectors are built so a mentee's row
is bit-for-bit the same whether it is computed with the whole cohort or alone: indices sorted, then
L2-normalized row by row (scikit-learn's fit_transform leaves indices unsorted, transform does not).
Mentee vectors keep only the terms some mentor uses: the others cannot add to any dot product. The
mentor side is dense (terms x mentors, float32: a few hundred to a few thousand terms, since it is
titles, skills and interests), so a block of mentees is one sparse-by-dense product."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.engine.model import Participant


def _words(tags: Sequence[str]) -> list[str]:
    return [tag.replace("-", " ").replace("_", " ") for tag in tags]


def goal_text(mentee: Participant) -> str:
    return " ".join([mentee.goals_text or "", *_words(mentee.goals), *_words(mentee.preferred_skills)]).strip()


def has_goal_text(mentee: Participant) -> bool:
    """Whether the mentee wrote something in its own words (tags alone are matched as tags)."""
    return bool(mentee.goals_text and mentee.goals_text.strip())


def experience_text(mentor: Participant) -> str:
    return " ".join([mentor.title or "", *_words([tag for tag, _ in mentor.skills]), *_words(mentor.interests)]).strip()


def _vectorizer() -> TfidfVectorizer:
    # norm=None: rows are normalized by _unit_rows, after their indices are sorted
    return TfidfVectorizer(sublinear_tf=True, stop_words="english", norm=None, dtype=np.float32)


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    matrix.sort_indices()
    if matrix.shape[0] == 0:  # no mentors left (a leaver's cohort, say): scikit-learn refuses empty input
        return matrix
    return normalize(matrix, norm="l2", copy=False)


@dataclass(frozen=True)
class TextSimilarity:
    mentee_vectors: sp.csr_matrix  # (mentees, terms some mentor uses) float32, unit length over all terms
    mentor_vectors: np.ndarray     # (terms some mentor uses, mentors) float32, unit columns

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Cosine similarity of mentees start..stop with every mentor, float32."""
        return self.mentee_vectors[start:stop] @ self.mentor_vectors

    def value(self, mentee: int, mentor: int) -> float:
        """One pair's similarity, to show (rows() is what scores)."""
        entries = slice(self.mentee_vectors.indptr[mentee], self.mentee_vectors.indptr[mentee + 1])
        terms = self.mentee_vectors.indices[entries]
        return float(self.mentee_vectors.data[entries] @ self.mentor_vectors[terms, mentor])


def text_similarity(cohort_mentees: Sequence[Participant], mentors: Sequence[Participant],
                    mentees: Sequence[Participant] | None = None) -> TextSimilarity:
    """Fit on the texts of every mentee of the cohort and every mentor (in that order), then vectorize
    `mentees` (by default, all of the cohort's)."""
    corpus = [goal_text(mentee) for mentee in cohort_mentees] + [experience_text(mentor) for mentor in mentors]
    vectorizer = _vectorizer()
    try:
        weighted = vectorizer.fit_transform(corpus)
    except ValueError:  # no words at all beyond stop words: nothing is similar
        return TextSimilarity(sp.csr_matrix((len(mentees if mentees is not None else cohort_mentees), 0),
                                            dtype=np.float32), np.zeros((0, len(mentors)), np.float32))
    mentor_rows = _unit_rows(weighted[len(cohort_mentees):])
    mentor_terms = np.flatnonzero(mentor_rows.getnnz(axis=0))
    if mentees is None:
        mentee_rows = _unit_rows(weighted[:len(cohort_mentees)])
    else:
        mentee_rows = _unit_rows(vectorizer.transform([goal_text(mentee) for mentee in mentees]))
    mentee_vectors = mentee_rows[:, mentor_terms]
    mentee_vectors.sort_indices()
    return TextSimilarity(sp.csr_matrix(mentee_vectors), np.ascontiguousarray(mentor_rows[:, mentor_terms].toarray().T))
