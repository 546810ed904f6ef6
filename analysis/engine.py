"""The computation itself: duplicate groups, then themes, over plain comment rows.

The only module that brings in the numerical libraries (numpy, scikit-learn, datasketch,
Sastrawi's dictionary: about a second to import and a hundred megabytes). Nothing imports
it at module level: `services.analysis_compute` loads it by its dotted path when a
computation runs (in the job queue, `manage.py analyze_comments`, a test), so a web
worker, which only queues the job, never pays for it (docs/DECISIONS.md).
"""

from dataclasses import dataclass

from threadpoolctl import threadpool_limits

from analysis import duplicates, themes
from analysis import text as indonesian


@dataclass
class Result:
    groups: list[list[int]]
    themes: list[themes.Theme]


def compute(rows: list[dict], *, other_label: str) -> Result:
    """Duplicate groups and themes of the rows (id, body, author_id, author_name), in
    the order given (oldest first). A duplicate group counts once toward the themes.

    One thread for the numerical libraries (OpenMP, BLAS): the job shares the machine with
    the web workers, and on two busy cores scikit-learn's k-means threads spent four times
    the CPU waiting for each other (docs/PERFORMANCE.md, "Comment analysis")."""
    with threadpool_limits(limits=1):
        return _compute(rows, other_label)


def _compute(rows: list[dict], other_label: str) -> Result:
    texts = [
        duplicates.Text(
            id=row["id"],
            words=tuple(indonesian.words(row["body"])),
            author=row["author_id"] or row["author_name"],
        )
        for row in rows
    ]
    groups = duplicates.group(texts)
    body = {row["id"]: row["body"] for row in rows}
    grouped = {comment for group in groups for comment in group}
    units = [themes.Unit(body[group[0]], tuple(group)) for group in groups]
    units += [themes.Unit(row["body"], (row["id"],)) for row in rows if row["id"] not in grouped]
    return Result(groups=groups, themes=themes.find(units, other_label=other_label))
