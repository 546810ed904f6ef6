"""docs/REALTIME.md's tables of event types and shapes say what the code sends.

The schemas are written once, in the apps' payloads.py (`EVENT_DATA` per type, and one
field tuple per builder, named after it: `comment` → `COMMENT`). A table row that
disagrees fails here; `python -m tests.realtime.test_event_docs` prints the tables as
they should read.
"""

import importlib
from pathlib import Path

import django
import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "REALTIME.md"

# The builder of each type's data, as the docs name it.
BUILDERS = {
    "snapshot": "realtime.live.hearing_state",
    "comment.published": "comments.payloads.comment",
    "comment.submitted": "comments.payloads.comment",
    "comment.screened": "comments.payloads.comment",
    "comment.hidden": "comments.payloads.comment_hidden",
    "tally.updated": "voting.payloads.tally",
    "voting.opened": "hearings.payloads.voting",
    "voting.closed": "voting.payloads.voting_closed",
    "agenda.changed": "hearings.payloads.agenda",
    "hearing.started": "hearings.payloads.hearing",
    "hearing.updated": "hearings.payloads.hearing",
    "hearing.ended": "hearings.payloads.hearing",
    "attendance.updated": "hearings.payloads.attendance",
    "screen.changed": "hearings.payloads.screen",
    "speakers.changed": "hearings.payloads.speakers",
    "manual_count.entered": "hearings.payloads.manual_count",
    "question.updated": "hearings.payloads.question_state",
    "forum.changed": "aspirations.payloads.forum",
}
# The shapes nested inside the data, each with its builder.
SHAPES = {
    "comment": "comments.payloads.comment",
    "hearing": "hearings.payloads.hearing",
    "agenda item": "hearings.payloads.agenda_item",
    "item": "hearings.payloads.item",
    "voting window": "hearings.payloads.voting",
    "speaker": "hearings.payloads.speaker",
    "check-in": "hearings.payloads.check_in",
    "attendance": "hearings.payloads.attendance",
    "manual count": "hearings.payloads.manual_count",
    "tally": "voting.payloads.tally",
    "question": "hearings.payloads.question",
    "question state": "hearings.payloads.question_state",
    "forum proposal": "aspirations.payloads.proposal",
    "forum score": "aspirations.payloads.score",
}
SNAPSHOT = (
    "hearing",
    "agenda",
    "voting",
    "tally",
    "screen_comments",
    "comments",
    "questions",
    "speakers",
    "manual_counts",
    "attendance",
    "forum",
    "pending_comments",
)


def builder(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def schema_of(path: str) -> tuple[str, ...]:
    """The field tuple beside a builder: `hearings.payloads.agenda_item` → `AGENDA_ITEM`."""
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name.upper())


def fields(names) -> str:
    return ", ".join(f"`{name}`" for name in names)


def event_rows() -> list[str]:
    from realtime import events, live

    rows = []
    for type, audience in events.EVENT_TYPES.items():
        data = SNAPSHOT if type == "snapshot" else live.EVENT_DATA[type]
        shown = "—" if type == "snapshot" else audience
        rows.append(f"| `{type}` | {shown} | {fields(data)} | `{BUILDERS[type]}` |")
    return rows


def shape_rows() -> list[str]:
    return [f"| {name} | {fields(schema_of(path))} | `{path}` |" for name, path in SHAPES.items()]


def table_rows(heading: str) -> list[str]:
    """The body rows of the first table after `heading` in docs/REALTIME.md."""
    text = DOC.read_text()
    lines = text[text.index(heading) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| ---"))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_the_event_table_lists_every_type_with_its_audience_data_and_builder():
    assert table_rows("### Message shape and types") == event_rows()


def test_the_shape_table_lists_the_fields_of_every_nested_shape():
    assert table_rows("### Shapes inside the data") == shape_rows()


@pytest.mark.django_db
def test_the_documented_snapshot_fields_are_the_moderators_snapshot():
    from realtime import live
    from tests.factories import HearingFactory

    assert tuple(live.hearing_state(HearingFactory(), moderator=True)) == SNAPSHOT


def test_every_documented_builder_exists():
    for path in [*BUILDERS.values(), *SHAPES.values()]:
        assert callable(builder(path)), path


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    print("\n".join(event_rows()), end="\n\n")
    print("\n".join(shape_rows()))
