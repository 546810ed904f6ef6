"""Comments, responses and tallies back to planners as CSV, XLSX and JSON (docs/EXPORTS.md).

All three formats start from one queryset: the comments the caller may see
(the comments API's visibility rule and filters), so an export never shows
more than the API. CSV and JSON are generators of bytes, so a million rows
keep memory flat; on PostgreSQL the CSV rows come straight from
`COPY (<the ORM's SQL>) TO STDOUT`, ten times faster than building rows in
Python. XLSX is written row by row (openpyxl write-only) into a temporary file.

Every export gets an id; the bytes are hashed (SHA-256) while they stream and
the digest is kept in the cache under that id for the `.sha256` sidecar.
"""

import csv
import datetime
import hashlib
import io
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Replace, Trunc
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from backend.errors import Invalid, NotAllowed
from backend.words import WIB
from comments.models import Comment, Response
from consultations import selectors
from consultations.models import Consultation
from reports import permissions
from reports import selectors as reports

SCHEMA = "ruang-dialog/consultation-export"
SCHEMA_VERSION = 1
CHUNK_BYTES = 64 * 1024
CHECKSUM_TTL = 24 * 3600
FORMATS = ("csv", "xlsx", "json")
INCLUDABLE = {
    Comment.Status.PENDING,
    Comment.Status.HIDDEN,
    Comment.Status.REJECTED,
}
# A cell starting with one of these is a formula to a spreadsheet: the export prefixes "'".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A line inside a cell may be read as a row of its own (a reader splitting on any line
# break), so each line after a break is guarded the same way.
LINE_BREAKS = ("\r", "\n")

# One row per comment; the keys are the JSON names, the labels the CSV/XLSX headings.
COMMENT_COLUMNS = (
    ("id", "ID"),
    ("created_at", "Waktu (WIB)"),
    ("section_number", "Nomor bagian"),
    ("section_heading", "Judul bagian"),
    ("item", "Butir"),
    ("stance", "Sikap"),
    ("organization", "Organisasi"),
    ("author", "Penulis"),
    ("status", "Status"),
    ("body", "Komentar"),
    ("response_outcome", "Hasil tanggapan"),
    ("response_body", "Tanggapan"),
    # Written submissions (channel, the sender's reference) and the stored analysis: the
    # comment's theme and duplicate group (analysis.models.Placement; empty until computed).
    ("channel", "Saluran"),
    ("external_ref", "Ref"),
    ("theme", "Tema"),
    ("duplicate_group", "Kelompok duplikat"),
    # The codes above stay for machines; people read these labels, in the request's
    # language (Indonesian by default). Last, so no column before them moves.
    ("stance_label", "Keterangan sikap"),
    ("status_label", "Keterangan status"),
    ("response_outcome_label", "Keterangan hasil tanggapan"),
    ("channel_label", "Keterangan saluran"),
)
# label column → (the coded field, its choices)
LABELLED = {
    "stance_label": ("stance", Comment.Stance),
    "status_label": ("status", Comment.Status),
    "response_outcome_label": ("response__outcome", Response.Outcome),
    "channel_label": ("channel", Comment.Channel),
}


@dataclass
class Export:
    """What one export is about: who asked, which comments, and the totals it must carry."""

    consultation: Consultation
    user: object
    comments: QuerySet
    statuses: tuple[str, ...]
    tallies: list = field(default_factory=list)
    id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    generated_at: datetime.datetime = field(default_factory=timezone.now)
    labels: dict = field(default_factory=lambda: label_maps())

    @property
    def vote_totals(self) -> dict[str, int] | None:
        return reports.vote_totals(self.tallies)

    def comment_total(self) -> int:
        return self.comments.count()

    def filename(self, extension: str) -> str:
        stamp = self.generated_at.astimezone(WIB).strftime("%Y%m%d-%H%M")
        return f"konsultasi-{self.consultation.pk}-{stamp}.{extension}"


# --- Who may export what ------------------------------------------------------------------


def prepare(*, user, consultation: Consultation, params, request=None) -> Export:
    """Check the caller, apply the comments API's visibility and filters; raises on bad input."""
    if not permissions.can_export_consultation(user, consultation):
        raise NotAllowed(_("Only planners, officials and moderators may export consultations."))
    asked = [params.get("include", "")]
    if hasattr(params, "getlist"):
        asked += params.getlist("status")
    statuses = _statuses(user, ",".join(asked))
    comments = reports.comments_for_export(
        user=user, consultation=consultation, statuses=statuses, params=params, request=request
    )
    return Export(
        consultation=consultation,
        user=user,
        comments=comments,
        statuses=statuses,
        tallies=reports.item_tallies(consultation, user),
    )


def _statuses(user, include: str) -> tuple[str, ...]:
    """Published only, unless a moderator asks explicitly (`include=pending,hidden`)."""
    wanted = {part.strip() for part in include.split(",") if part.strip()}
    wanted.discard(str(Comment.Status.PUBLISHED))
    if not wanted:
        return (Comment.Status.PUBLISHED,)
    unknown = wanted - {str(status) for status in INCLUDABLE}
    if unknown:
        raise Invalid(
            _("Unknown status to include: %(names)s (use pending, hidden or rejected).")
            % {"names": ", ".join(sorted(unknown))},
            field="include",
        )
    if not accounts_permissions.is_moderator(user):
        raise NotAllowed(_("Only moderators may export hidden or pending comments."))
    return (Comment.Status.PUBLISHED, *sorted(wanted))


# --- Rows ---------------------------------------------------------------------------------


def _text(name: str, *, guard: bool):
    """A text column; spreadsheet-safe when `guard`: a cell, and every line in it after a CR
    or LF, that starts like a formula (= + - @ tab CR) gets a leading "'". In SQL, so the
    COPY path and the Python path write the same text."""
    if not guard:
        return F(name)
    text = TextField()
    lines = F(name)
    for line_break in LINE_BREAKS:
        # A break after a break is an empty line; the line after it is checked itself.
        for prefix in [p for p in FORMULA_PREFIXES if p not in LINE_BREAKS]:
            guarded = Value(f"{line_break}'{prefix}")
            lines = Replace(lines, Value(line_break + prefix), guarded, output_field=text)
    broken = Q()
    for line_break in LINE_BREAKS:
        broken |= Q(**{f"{name}__contains": line_break})
    value = Case(When(broken, then=lines), default=F(name), output_field=text)
    risky = Q()
    for prefix in FORMULA_PREFIXES:
        risky |= Q(**{f"{name}__startswith": prefix})
    return Case(
        When(risky, then=Concat(Value("'"), value, output_field=text)),
        default=value,
        output_field=text,
    )


def label_maps() -> dict[str, dict[str, str]]:
    """Each label column's code → label in the active language: translated once per export
    (when the request asks for it), never per row."""
    return {
        key: {code: str(label) for code, label in choices.choices}
        for key, (_field, choices) in LABELLED.items()
    }


def _label(field: str, labels: dict[str, str]) -> Case:
    """A code's label as a SQL CASE, so the COPY path writes it too; NULL stays NULL."""
    whens = [When(**{field: code}, then=Value(label)) for code, label in labels.items()]
    return Case(*whens, output_field=TextField())


def comment_rows(
    comments: QuerySet, *, guard: bool = True, labels: dict[str, dict[str, str]] | None = None
) -> QuerySet:
    """The export columns as one SQL query (the same SQL feeds COPY on PostgreSQL).

    `labels`: Export.labels, read while the request's language was active (the rows may
    stream after the view returned); by default the active language's."""
    text = TextField()
    labels = labels or label_maps()
    # A written submission has no account: the name and organization as written. An
    # account shows its name only if the person chose to, else its stored pseudonym: the
    # SQL twin of accounts.names.public_name (tests/privacy check they agree).
    author = Coalesce(
        NullIf(F("author_name"), Value("")),
        Case(
            When(
                author__privacy__show_name=True,
                then=Coalesce(
                    NullIf(F("author__first_name"), Value("")),
                    F("author__username"),
                    output_field=text,
                ),
            ),
            default=NullIf(F("author__privacy__pseudonym"), Value("")),
            output_field=text,
        ),
        output_field=text,
    )
    organization = Coalesce(
        F("organization__name"), NullIf(F("organization_name"), Value("")), output_field=text
    )
    return (
        comments.annotate(x_author_name=author, x_organization_name=organization)
        .annotate(
            x_created=Trunc("created_at", "second", tzinfo=WIB),
            x_author=_text("x_author_name", guard=guard),
            x_section_heading=_text("section__heading", guard=guard),
            x_organization=_text("x_organization_name", guard=guard),
            x_body=_text("body", guard=guard),
            x_response_body=_text("response__body", guard=guard),
            x_external_ref=_text("external_ref", guard=guard),
            x_theme=_text("placement__theme__label", guard=guard),
            **{
                f"x_{key}": _label(field, labels[key])
                for key, (field, _choices) in LABELLED.items()
            },
        )
        .order_by("created_at", "id")
        .values_list(
            "id",
            "x_created",
            "section__number",
            "x_section_heading",
            "item__title",
            "stance",
            "x_organization",
            "x_author",
            "status",
            "x_body",
            "response__outcome",
            "x_response_body",
            "channel",
            "x_external_ref",
            "x_theme",
            "placement__group_id",
            *(f"x_{key}" for key in LABELLED),
        )
    )


def _local(moment):
    if moment is None:
        return None
    if timezone.is_aware(moment):
        moment = moment.astimezone(WIB)
    return moment.replace(tzinfo=None)


# --- Checksums ----------------------------------------------------------------------------


def _checksum_key(export_id: str) -> str:
    return f"export-sha256:{export_id}"


def checksummed(export: Export, chunks: Iterable[bytes], extension: str) -> Iterator[bytes]:
    """Pass the bytes through, hashing them; the digest is stored once the last byte is out."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        yield chunk
    remember_checksum(export, digest.hexdigest(), size, extension)


def remember_checksum(export: Export, sha256: str, size: int, extension: str) -> None:
    cache.set(
        _checksum_key(export.id),
        {
            "sha256": sha256,
            "bytes": size,
            "filename": export.filename(extension),
            "consultation": export.consultation.pk,
            "format": extension,
        },
        CHECKSUM_TTL,
    )


def stored_checksum(export_id: str, consultation: Consultation, extension: str) -> dict | None:
    entry = cache.get(_checksum_key(export_id or ""))
    if not entry or entry["consultation"] != consultation.pk or entry["format"] != extension:
        return None
    return entry


def totals_header(export: Export, comments: int | None = None) -> dict[str, str]:
    """Headers every export carries: its id, the totals, where the checksum will be."""
    votes = export.vote_totals
    return {
        "X-Export-Id": export.id,
        "X-Export-Schema-Version": str(SCHEMA_VERSION),
        "X-Export-Comments": str(export.comment_total() if comments is None else comments),
        "X-Export-Votes": "hidden"
        if votes is None
        else ",".join(f"{choice}={n}" for choice, n in votes.items()),
    }


# --- CSV ----------------------------------------------------------------------------------


def csv_chunks(export: Export) -> Iterator[bytes]:
    """RFC 4180 in UTF-8 with BOM (Excel then reads Indonesian text right), one row per
    comment: rows end in CRLF, and every field holding a CR, LF, quote or comma is quoted
    (Python's writer quotes any character of its line terminator, COPY quotes CR and LF)."""
    head = io.StringIO()
    csv.writer(head, lineterminator=CRLF).writerow([label for _key, label in COMMENT_COLUMNS])
    yield "\ufeff".encode() + head.getvalue().encode()
    rows = comment_rows(export.comments, labels=export.labels)
    if connection.vendor == "postgresql":
        yield from crlf_row_ends(_copy_csv(rows))
    else:
        yield from _python_csv(rows)


CRLF = "\r\n"


def _copy_csv(rows: QuerySet) -> Iterator[bytes]:
    """PostgreSQL writes the CSV itself: the ORM's SQL (filters and visibility) inside COPY."""
    sql, params = rows.query.sql_with_params()
    buffer = bytearray()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for data in copy:
                buffer += data
                if len(buffer) >= CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
    if buffer:
        yield bytes(buffer)


def crlf_row_ends(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """COPY ends rows with a bare LF; RFC 4180 wants CRLF. COPY quotes every field holding
    a CR or LF, so a LF ends a row exactly when the quotes before it are balanced: split
    each chunk at its LFs and carry the quote parity line by line (and across chunks).
    Costs ~10% of COPY's own time (bench/export.py)."""
    quoted = False
    for chunk in chunks:
        lines = chunk.split(b"\n")
        out = []
        for line in lines[:-1]:
            if line.count(b'"') % 2:
                quoted = not quoted
            out += (line, b"\n" if quoted else b"\r\n")
        if lines[-1].count(b'"') % 2:  # the start of a line the next chunk ends
            quoted = not quoted
        out.append(lines[-1])
        yield b"".join(out)


def _python_csv(rows: QuerySet) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=CRLF)
    for row in rows.iterator(chunk_size=2000):
        created = _local(row[1])
        writer.writerow(
            (row[0], created.strftime("%Y-%m-%d %H:%M:%S") if created else "", *row[2:])
        )
        if out.tell() >= CHUNK_BYTES:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue().encode()


# --- JSON ---------------------------------------------------------------------------------


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(WIB).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def json_chunks(export: Export) -> Iterator[bytes]:
    """The versioned document of docs/EXPORTS.md; comments stream, totals come last."""
    consultation = export.consultation
    sections = list(selectors.sections_of(consultation))
    items = list(selectors.items_of(consultation))
    head = {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "export_id": export.id,
        "generated_at": export.generated_at,
        "statuses": list(export.statuses),
        "consultation": {
            "id": consultation.pk,
            "title": consultation.title,
            "kind": consultation.kind,
            "status": consultation.status,
            "agency": str(consultation.agency) if consultation.agency else None,
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "ballot": consultation.ballot,
            "voting_method": consultation.voting_method,
        },
        "sections": [
            {"id": s.pk, "number": s.number, "heading": s.heading, "position": s.position}
            for s in sections
        ],
        "items": [
            {
                "id": i.pk,
                "code": i.code,
                "title": i.title,
                "budget_ceiling": i.budget_ceiling,
            }
            for i in items
        ],
        "tallies": [tally.as_dict() for tally in export.tallies],
    }
    yield _dump(head)[:-1].encode()
    yield b',"comments":['
    count = 0
    batch: list[str] = []
    for row in comment_rows(export.comments, guard=False, labels=export.labels).iterator(
        chunk_size=2000
    ):
        record = dict(zip((key for key, _label in COMMENT_COLUMNS), row, strict=True))
        record["created_at"] = _local(record["created_at"]).isoformat() if row[1] else None
        batch.append(_dump(record))
        count += 1
        if len(batch) >= 500:
            yield ((b"," if count > len(batch) else b"") + ",".join(batch).encode())
            batch = []
    if batch:
        yield ((b"," if count > len(batch) else b"") + ",".join(batch).encode())
    yield b'],"responses":['
    first = True
    for answer in _section_responses(consultation):
        yield (b"" if first else b",") + _dump(answer).encode()
        first = False
    yield b'],"votes":'
    votes = reports.votes_for_export(consultation, export.user)
    if votes is None:
        yield b"null"
    else:
        yield b"[" + ",".join(_dump(_vote_record(vote)) for vote in votes).encode() + b"]"
    yield b',"vote_log":['
    for n, entry in enumerate(reports.vote_log(consultation)):
        yield (b"," if n else b"") + _dump(entry).encode()
    yield b"]"
    totals = {"comments": count, "votes": export.vote_totals}
    yield b',"totals":' + _dump(totals).encode() + b"}\n"


def _section_responses(consultation: Consultation) -> Iterator[dict]:
    """Answers given to a whole section (answers to single comments travel with the comment)."""
    answers = (
        Response.objects.filter(consultation=consultation, comment__isnull=True)
        .select_related("section")
        .order_by("created_at", "id")
    )
    for answer in answers:
        yield {
            "id": answer.pk,
            "section": answer.section_id,
            "section_number": answer.section.number if answer.section else None,
            "outcome": answer.outcome,
            "body": answer.body,
            "published_at": answer.published_at,
        }


def _vote_record(vote: dict) -> dict:
    return {
        "item": vote["item_id"],
        "organization": vote["organization_name"],
        "choice": vote["choice"],
        "cast_at": vote["cast_at"],
        "updated_at": vote["updated_at"],
        "receipt": vote["receipt"],
    }
