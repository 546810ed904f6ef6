"""Open data: a concluded consultation as a Frictionless Data Package (docs/OPEN_DATA.md).

`GET /data/konsultasi/{id}/datapackage.json` describes one CSV per table (`RESOURCES`),
each with its Table Schema, its size in bytes and its SHA-256. The CSVs are built from the
database on every request, the same way for the descriptor (which hashes them) and for the
download, so the hash always matches the bytes served; nothing is stored. Only concluded
consultations are published (anything else: 404).

Who appears how: organisations by name; an individual under `accounts.names.public_name`
(their name if they chose to show it, else a stable pseudonym); a written submission's
sender, who has no account, under a pseudonym of the name as written. Vote records are the
published audit chain exactly as voting's rule shows it (`reports.selectors.vote_log`): under
a secret ballot no organisation, even after the close. The comment rows are the export's
rows (`reports.exports.comment_rows`), with the author column replaced by the public name.
"""

import csv
import datetime
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import names
from aspirations.models import Aspiration, Decision
from backend.words import WIB
from comments.models import Comment, Response
from consultations import selectors as consultations_selectors
from consultations.models import Consultation
from followups import selectors as followups_selectors
from reports import exports
from reports import selectors as reports

PROFILE = "data-package"
LICENSES = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}
CRLF = "\r\n"


@dataclass(frozen=True)
class Resource:
    """One CSV of the package: its fields `(name, type, description)` and its rows."""

    name: str
    title: str
    fields: tuple[tuple[str, str, str], ...]
    rows: Callable[[Consultation], Iterable[tuple]]
    primary_key: tuple[str, ...] = ("id",)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


# --- Which consultations -----------------------------------------------------------------


def published_packages() -> QuerySet[Consultation]:
    """Every consultation whose data is open: the concluded ones, newest first."""
    return (
        Consultation.objects.filter(status=Consultation.Status.CONCLUDED)
        .select_related("agency")
        .order_by("-concluded_at", "-id")
    )


def concluded_or_404(consultation_id) -> Consultation:
    """Open, scheduled, draft and closed-but-not-concluded consultations have no package."""
    consultation = published_packages().filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404(_("Open data is published once the consultation is concluded."))
    return consultation


# --- Cell values ---------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:  # the export's WIB wall-clock time
            value = value.replace(tzinfo=WIB)
        return value.astimezone(WIB).isoformat(timespec="seconds")
    if isinstance(value, datetime.date | Decimal | int):
        return str(value)
    return str(value)


def _written_pseudonym(name: str) -> str:
    """A written submission's sender has no account: a stable pseudonym of the name as
    written (the same name gives the same pseudonym), never the name itself."""
    return names.pseudonym(f"written:{names.skeleton(name)}")


def _people(comments: QuerySet[Comment]) -> dict[int, str]:
    """comment id → the author as the public may see them (one query)."""
    who = {}
    for comment in comments.select_related("author__privacy"):
        if comment.author_id:
            who[comment.pk] = names.public_name(comment.author)
        elif comment.author_name:
            who[comment.pk] = _written_pseudonym(comment.author_name)
        else:
            who[comment.pk] = ""
    return who


# --- Rows ----------------------------------------------------------------------------------


def _sections(consultation: Consultation):
    sections = consultations_selectors.sections_of(
        consultation, consultations_selectors.current_version(consultation)
    ).select_related("version")
    for s in sections:
        yield (s.pk, s.version.number, s.position, s.number, s.heading, s.body)


def _items(consultation: Consultation):
    for i in consultations_selectors.items_of(consultation):
        yield (i.pk, i.position, i.code, i.title, i.description, i.programme_path, i.budget_ceiling)


def _comments(consultation: Consultation):
    """The export's rows, its coded columns only: the label columns are in the request's
    language, and a package's bytes (and hash) must not depend on who asks."""
    published = reports.published_comments(consultation)
    who = _people(published)
    export_keys = [key for key, _label in exports.COMMENT_COLUMNS]
    keep = [export_keys.index(key) for key in COMMENT_KEYS]
    author = COMMENT_KEYS.index("author")
    for exported in exports.comment_rows(published, guard=False).iterator(chunk_size=2000):
        row = [exported[i] for i in keep]
        row[author] = who.get(row[0], "")
        yield tuple(row)


def _responses(consultation: Consultation):
    """Published responses, to a comment the public can see or to a whole section."""
    visible = reports.published_comments(consultation).values("pk")
    answers = (
        Response.objects.filter(consultation=consultation, published_at__isnull=False)
        .filter(Q(comment__isnull=True) | Q(comment__in=visible))
        .select_related("section")
        .order_by("published_at", "id")
    )
    for r in answers:
        section = r.section.number if r.section else None
        yield (r.pk, r.comment_id, r.section_id, section, r.outcome, r.body, r.published_at)


def _proposals(consultation: Consultation):
    proposals = (
        Aspiration.objects.filter(consultation=consultation)
        .select_related("organization", "author__privacy", "category", "kecamatan", "kelurahan")
        .select_related("item")
        .order_by("id")
    )
    for p in proposals:
        yield (
            p.pk,
            p.title,
            p.description,
            p.category.name,
            p.kecamatan.name,
            p.kelurahan.name,
            p.rw,
            p.organization.name if p.organization_id else None,
            None if p.organization_id else names.public_name(p.author),
            p.estimated_cost,
            p.beneficiaries,
            p.stage,
            p.status,
            p.merged_into_id,
            p.item.code if p.item_id else None,
            p.pagu,
            p.support_organizations,
            p.support_citizens,
            p.created_at,
        )


def _decisions(consultation: Consultation):
    decisions = Decision.objects.filter(aspiration__consultation=consultation).order_by(
        "aspiration_id", "decided_at", "id"
    )
    for d in decisions:
        yield (
            d.pk,
            d.aspiration_id,
            d.stage,
            d.outcome,
            d.reason,
            d.merged_into_id,
            d.item_id,
            d.pagu,
            d.rank,
            d.score,
            d.decided_at,
        )


def _follow_ups(consultation: Consultation):
    for f in followups_selectors.follow_ups_of(consultation):
        yield (
            f.pk,
            f.target_key,
            f.response_id,
            f.item_id,
            f.aspiration_id,
            f.status,
            f.progress,
            f.note,
            f.link,
            f.recorded_at,
        )


def _tallies(consultation: Consultation):
    """One row per item and choice: the final tally (concluded, so never hidden)."""
    choices = consultation.vote_choices()
    for tally in reports.item_tallies(consultation, AnonymousUser()):
        for choice in choices:
            yield (tally.item.pk, tally.item.code, choice, tally.counts.get(choice, 0))


def _vote_log(consultation: Consultation):
    """The published chain as voting shows it; under a secret ballot no organisation."""
    for entry in reports.vote_log(consultation):
        organization = entry.get("organization") or {}
        yield (
            entry["seq"],
            entry.get("item"),
            entry.get("voter"),
            entry.get("actor"),
            entry.get("choice"),
            entry.get("action"),
            entry.get("nonce"),
            entry.get("at"),
            entry["prev_hash"],
            entry["hash"],
            organization.get("id"),
            organization.get("name"),
        )


_COMMENT_FIELDS = {
    "id": ("integer", "Comment id."),
    "created_at": ("datetime", "When it was posted (WIB)."),
    "section_number": ("string", "Section number (empty: the draft as a whole)."),
    "section_heading": ("string", "Section heading."),
    "item": ("string", "Item title."),
    "stance": ("string", "support, oppose, neutral or question."),
    "organization": ("string", "Organisation on whose behalf (empty: an individual)."),
    "author": ("string", "The individual: their name if they allowed it, else a pseudonym."),
    "status": ("string", "Always published."),
    "body": ("string", "The comment as written."),
    "response_outcome": ("string", "accepted, partially_accepted, not_accepted, noted or empty."),
    "response_body": ("string", "The response (Tanggapan)."),
    "channel": ("string", "online, or form, letter, email for a written submission."),
    "external_ref": ("string", "A written submission's reference."),
    "theme": ("string", "The comment's theme in the stored analysis."),
    "duplicate_group": ("integer", "The comment's duplicate or campaign group."),
}

COMMENT_KEYS = list(_COMMENT_FIELDS)

RESOURCES: tuple[Resource, ...] = (
    Resource(
        "sections",
        "Sections of the final version of the draft",
        (
            ("id", "integer", "Section id."),
            ("version", "integer", "Draft version number."),
            ("position", "integer", "Order in the draft."),
            ("number", "string", "Pasal/Bab number."),
            ("heading", "string", "Heading."),
            ("body", "string", "Text."),
        ),
        _sections,
    ),
    Resource(
        "items",
        "Items put to the vote (RPJMD programmes with their budget ceiling)",
        (
            ("id", "integer", "Item id."),
            ("position", "integer", "Order."),
            ("code", "string", "Programme code."),
            ("title", "string", "Title."),
            ("description", "string", "Description."),
            ("programme_path", "string", "Place in the RPJMD."),
            ("budget_ceiling", "number", "Budget ceiling (pagu indikatif), IDR."),
        ),
        _items,
    ),
    Resource(
        "comments",
        "Published comments with their response",
        tuple((key, *_COMMENT_FIELDS[key]) for key in COMMENT_KEYS),
        _comments,
    ),
    Resource(
        "responses",
        "Published responses (Tanggapan), to a comment or to a whole section",
        (
            ("id", "integer", "Response id."),
            ("comment", "integer", "The comment answered (empty: a whole section)."),
            ("section", "integer", "The section."),
            ("section_number", "string", "The section's number."),
            ("outcome", "string", "accepted, partially_accepted, not_accepted or noted."),
            ("body", "string", "The response."),
            ("published_at", "datetime", "When it was published."),
        ),
        _responses,
    ),
    Resource(
        "proposals",
        "Proposals (aspirasi) the consultation carried",
        (
            ("id", "integer", "Proposal id."),
            ("title", "string", "Title."),
            ("description", "string", "Description."),
            ("category", "string", "Category."),
            ("kecamatan", "string", "Kecamatan."),
            ("kelurahan", "string", "Kelurahan."),
            ("rw", "string", "RW."),
            ("organization", "string", "Organisation on whose behalf."),
            ("author", "string", "An individual proposer: name if allowed, else a pseudonym."),
            ("estimated_cost", "number", "Estimated cost, IDR."),
            ("beneficiaries", "integer", "Beneficiaries (people)."),
            ("stage", "string", "kelurahan, kecamatan or kota."),
            ("status", "string", "Final status."),
            ("merged_into", "integer", "The proposal it was merged into."),
            ("item_code", "string", "The RPJMD programme it went to."),
            ("pagu", "number", "Pagu, IDR."),
            ("support_organizations", "integer", "Supporting organisations."),
            ("support_citizens", "integer", "Supporting citizens."),
            ("submitted_at", "datetime", "When it was submitted."),
        ),
        _proposals,
    ),
    Resource(
        "decisions",
        "Stage decisions on the proposals",
        (
            ("id", "integer", "Decision id."),
            ("proposal", "integer", "The proposal."),
            ("stage", "string", "kelurahan, kecamatan or kota."),
            ("outcome", "string", "forwarded, accepted, merged, rejected or deferred."),
            ("reason", "string", "Reason."),
            ("merged_into", "integer", "The proposal it was merged into."),
            ("item", "integer", "The RPJMD item it went to."),
            ("pagu", "number", "Pagu, IDR."),
            ("rank", "integer", "Rank at the stage."),
            ("score", "integer", "Score at the stage."),
            ("decided_at", "datetime", "When it was decided."),
        ),
        _decisions,
    ),
    Resource(
        "follow_ups",
        "Follow-up (tindak lanjut) of accepted input",
        (
            ("id", "integer", "Follow-up id."),
            ("target", "string", "response:<id>, item:<id> or proposal:<id>."),
            ("response", "integer", "The accepted response."),
            ("item", "integer", "The RPJMD programme."),
            ("proposal", "integer", "The accepted proposal."),
            ("status", "string", "planned, in_progress, done or dropped."),
            ("progress", "integer", "Progress, percent."),
            ("note", "string", "What was done."),
            ("link", "string", "A document."),
            ("recorded_at", "datetime", "When it was recorded."),
        ),
        _follow_ups,
    ),
    Resource(
        "tallies",
        "Final tallies per item and choice",
        (
            ("item", "integer", "Item id."),
            ("item_code", "string", "Programme code."),
            ("choice", "string", "for, against, abstain or approve."),
            ("votes", "integer", "Votes."),
        ),
        _tallies,
        ("item", "choice"),
    ),
    Resource(
        "vote_log",
        "The vote audit chain (each record hashed with the previous one)",
        (
            ("seq", "integer", "Place in the chain."),
            ("item", "integer", "Item id."),
            ("voter", "string", "Pseudonymous voter token."),
            ("actor", "string", "Pseudonymous token of who acted."),
            ("choice", "string", "Choice."),
            ("action", "string", "cast, change or withdraw."),
            ("nonce", "string", "Random nonce."),
            ("at", "string", "Time as hashed."),
            ("prev_hash", "string", "Hash of the previous record."),
            ("hash", "string", "This record's hash (the voter's receipt)."),
            ("organization_id", "integer", "Organisation (open ballots only)."),
            ("organization", "string", "Organisation name (open ballots only)."),
        ),
        _vote_log,
        ("seq",),
    ),
)
BY_NAME = {resource.name: resource for resource in RESOURCES}


# --- Bytes, descriptor ---------------------------------------------------------------------


def resource_or_404(name: str) -> Resource:
    resource = BY_NAME.get(name)
    if resource is None:
        raise Http404(_("No such resource."))
    return resource


def csv_bytes(consultation: Consultation, resource: Resource) -> bytes:
    """RFC 4180 in UTF-8 (no BOM: the Frictionless default), CRLF row ends, one header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=CRLF)
    writer.writerow([name for name, _type, _description in resource.fields])
    for row in resource.rows(consultation):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue().encode()


def _schema(resource: Resource) -> dict:
    return {
        "fields": [
            {"name": name, "type": type_, "description": description}
            for name, type_, description in resource.fields
        ],
        "primaryKey": list(resource.primary_key),
    }


def license_of(consultation: Consultation) -> dict:
    spdx = consultation.data_license or Consultation.DataLicense.CC_BY_4_0
    return {
        "name": spdx,
        "path": LICENSES.get(spdx, ""),
        "title": Consultation.DataLicense(spdx).label,
    }


def descriptor(consultation: Consultation, *, base_url: str = "") -> dict:
    """The datapackage.json: each resource with its path (relative to the descriptor),
    schema, bytes and `sha256:` hash of exactly the bytes its URL serves now."""
    resources = []
    for resource in RESOURCES:
        data = csv_bytes(consultation, resource)
        resources.append(
            {
                "name": resource.name,
                "title": resource.title,
                "path": resource.filename,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": _schema(resource),
            }
        )
    agency = consultation.agency.name if consultation.agency else ""
    return {
        "profile": PROFILE,
        "name": f"ruang-dialog-konsultasi-{consultation.pk}",
        "id": f"{base_url}/data/konsultasi/{consultation.pk}/datapackage.json",
        "title": consultation.title,
        "description": consultation.summary,
        "homepage": f"{base_url}/konsultasi/{consultation.pk}/laporan-akhir/",
        "version": "1.0.0",
        "created": _cell(consultation.concluded_at),
        "keywords": ["konsultasi publik", consultation.kind, agency],
        "contributors": [{"title": agency, "role": "publisher"}] if agency else [],
        "licenses": [license_of(consultation)],
        "resources": resources,
    }


def catalogue_entry(consultation: Consultation, *, base_url: str = "") -> dict:
    """One line of the catalogue (`/data/`, `GET /api/v1/open-data/`)."""
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "agency": consultation.agency.name if consultation.agency else None,
        "kind": consultation.kind,
        "concluded_at": consultation.concluded_at,
        "license": consultation.data_license,
        "datapackage": f"{base_url}/data/konsultasi/{consultation.pk}/datapackage.json",
        "resources": [
            f"{base_url}/data/konsultasi/{consultation.pk}/{r.filename}" for r in RESOURCES
        ],
    }
