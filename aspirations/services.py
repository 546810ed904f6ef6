"""Proposals themselves (ARCHITECTURE.md §2 rule 1): submit, edit (a new version each
time), their attachments, and comments on them (through the comments' own service).
Supports live in supports.py, decisions and scores in decisions.py, the lists officials
keep in lists.py, the forum hearing's agenda in forum.py.

Lock order, the same everywhere: the proposal row(s), by ascending id, then whatever hangs
from them.
"""

import hashlib
import io
import os
import re
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from aspirations import forum, permissions, selectors, validation
from aspirations.models import (
    Aspiration,
    AspirationVersion,
    Attachment,
    Category,
    Kecamatan,
    Kelurahan,
)
from backend.errors import Conflict, Invalid, TooLarge
from comments import services as comment_services
from comments.models import Comment
from consultations import permissions as consultation_permissions
from consultations.models import Consultation

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_BENEFICIARIES = 10_000_000
EXTENSIONS = {
    Attachment.Kind.PNG: ".png",
    Attachment.Kind.JPEG: ".jpg",
    Attachment.Kind.PDF: ".pdf",
}


# --- validation -------------------------------------------------------------------------------


def _beneficiaries(value) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise Invalid(
            _("Say how many people benefit, as a whole number."), field="beneficiaries"
        ) from exc
    if number < 1 or number > MAX_BENEFICIARIES:
        raise Invalid(
            _("The number of beneficiaries must be between 1 and %(max)d.")
            % {"max": MAX_BENEFICIARIES},
            field="beneficiaries",
        )
    return number


def _rw(value) -> str:
    """RW (rukun warga) is optional: a number 1–999, kept as two or more digits ("05")."""
    value = "" if value is None else str(value).strip()
    if not value:
        return ""
    if not value.isdigit() or not value.isascii() or len(value) > 3 or int(value) == 0:
        raise Invalid(_("The RW is a number from 1 to 999, or empty."), field="rw")
    return f"{int(value):02d}"


def _category(category) -> Category:
    if not isinstance(category, Category):
        raise Invalid(_("Choose a category from the list."), field="category")
    return category


def _location(kelurahan, kecamatan) -> Kelurahan:
    if not isinstance(kelurahan, Kelurahan):
        raise Invalid(_("Choose a kelurahan of the city."), field="kelurahan")
    if kecamatan is not None and (
        not isinstance(kecamatan, Kecamatan) or kecamatan.pk != kelurahan.kecamatan_id
    ):
        raise Invalid(
            _("Kelurahan %(kelurahan)s is not in that kecamatan.") % {"kelurahan": kelurahan},
            field="kelurahan",
        )
    return kelurahan


def _safe_name(name, kind: str) -> str:
    """A file name for the download: no path, no control characters, the extension of the
    type the content really is (a "photo.html" that is a PNG downloads as "photo.png")."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    stem = unicodedata.normalize("NFKC", os.path.splitext(base)[0])
    stem = re.sub(r"[^\w\- .]+", "_", stem).strip(" ._")[:100] or "lampiran"
    return stem + EXTENSIONS[kind]


def _content_kind(data: bytes) -> str | None:
    """What the bytes are, by content: a PDF by its magic, PNG and JPEG by Pillow."""
    if data.startswith(b"%PDF-"):
        return Attachment.Kind.PDF
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
    except Exception:  # noqa: BLE001 - anything Pillow cannot read is not a photo we take
        return None
    return {"PNG": Attachment.Kind.PNG, "JPEG": Attachment.Kind.JPEG}.get(found)


def read_attachment(upload) -> dict:
    """Check one uploaded file and return the row's fields; refuses it before anything is
    written. `upload` is anything with `.name` and `.read()` (a Django UploadedFile)."""
    try:
        data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    except (AttributeError, OSError, TypeError) as exc:
        raise Invalid(_("An attachment must be a file."), field="attachments") from exc
    if not isinstance(data, bytes):
        raise Invalid(_("An attachment must be a file."), field="attachments")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise TooLarge(
            _("Each attachment can be at most 5 MB; %(name)s is larger.")
            % {"name": os.path.basename(str(getattr(upload, "name", "")))[:100]},
            field="attachments",
        )
    if not data:
        raise Invalid(_("An attachment is empty."), field="attachments")
    kind = _content_kind(data)
    if kind is None:
        raise Invalid(
            _("Attachments must be photos (PNG or JPEG) or PDF documents; %(name)s is not.")
            % {"name": os.path.basename(str(getattr(upload, "name", "")))[:100]},
            field="attachments",
        )
    return {
        "name": _safe_name(getattr(upload, "name", ""), kind),
        "content_type": kind,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data": data,
    }


def _read_attachments(uploads) -> list[dict]:
    uploads = list(uploads or ())
    if len(uploads) > MAX_ATTACHMENTS:
        raise Invalid(
            _("A proposal can have at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS},
            field="attachments",
        )
    return [read_attachment(upload) for upload in uploads]


def _consultation(actor, consultation) -> Consultation:
    if consultation is None:
        consultation = selectors.default_consultation()
        if consultation is None:
            raise Conflict(_("No RPJMD consultation is open for proposals now."))
    if not consultation_permissions.can_view_consultation(actor, consultation):
        raise Invalid(_("Consultation not found."), field="consultation")
    if consultation.kind != Consultation.Kind.RPJMD:
        raise Invalid(
            _("Proposals go to an RPJMD consultation; this one is not."), field="consultation"
        )
    if not consultation.is_open:
        raise Conflict(_("This consultation is not open for proposals."))
    return consultation


# --- submit and edit --------------------------------------------------------------------------


def aspiration_submit(
    *,
    actor,
    title: str,
    description: str,
    category: Category,
    kelurahan: Kelurahan,
    estimated_cost,
    beneficiaries,
    rw: str = "",
    kecamatan: Kecamatan | None = None,
    consultation: Consultation | None = None,
    attachments=(),
) -> Aspiration:
    """A proposal by a member of a verified organization (on its behalf) or by a citizen; it
    starts at the kelurahan stage, status "submitted"."""
    denial = permissions.submit_denial(actor)
    if denial is not None:
        raise denial
    consultation = _consultation(actor, consultation)
    fields = {
        "title": validation.text(
            title, field="title", limit=200, required=True, label=_("The title")
        ),
        "description": validation.text(
            description,
            field="description",
            limit=5000,
            required=True,
            label=_("The description"),
        ),
        "category": _category(category),
        "kelurahan": _location(kelurahan, kecamatan),
        "rw": _rw(rw),
        "estimated_cost": validation.money(
            estimated_cost,
            field="estimated_cost",
            limit=validation.MAX_COST,
            label=_("The estimated cost"),
        ),
        "beneficiaries": _beneficiaries(beneficiaries),
    }
    if not fields["category"].is_active:
        raise Invalid(_("This category is no longer offered; choose another."), field="category")
    files = _read_attachments(attachments)
    now = timezone.now()
    with transaction.atomic():
        aspiration = Aspiration.objects.create(
            consultation=consultation,
            author=actor,
            organization=permissions.acting_organization(actor),
            kecamatan_id=fields["kelurahan"].kecamatan_id,
            created_at=now,
            updated_at=now,
            **fields,
        )
        AspirationVersion.objects.create(
            aspiration=aspiration, number=1, created_by=actor, created_at=now, **fields
        )
        Attachment.objects.bulk_create(
            [
                Attachment(aspiration=aspiration, uploaded_by=actor, uploaded_at=now, **file)
                for file in files
            ]
        )
    return aspiration


def _differs(aspiration: Aspiration, name: str, value) -> bool:
    if name in ("category", "kelurahan"):
        return getattr(aspiration, f"{name}_id") != value.pk
    return getattr(aspiration, name) != value


EDITABLE = (
    "title",
    "description",
    "category",
    "kelurahan",
    "rw",
    "estimated_cost",
    "beneficiaries",
)


def aspiration_edit(
    *, actor, aspiration: Aspiration, add_attachments=(), remove_attachments=(), **changes
) -> Aspiration:
    """The author's change before the first decision: a new version; the old one stays
    readable. Changing nothing writes nothing."""
    unknown = set(changes) - set(EDITABLE) - {"kecamatan"}
    if unknown:
        raise Invalid(
            _("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    denial = permissions.edit_denial(actor, aspiration)
    if denial is not None:
        raise denial
    new = {}
    if "title" in changes:
        new["title"] = validation.text(
            changes["title"], field="title", limit=200, required=True, label=_("The title")
        )
    if "description" in changes:
        new["description"] = validation.text(
            changes["description"],
            field="description",
            limit=5000,
            required=True,
            label=_("The description"),
        )
    if "category" in changes:
        new["category"] = _category(changes["category"])
    if "kelurahan" in changes or "kecamatan" in changes:
        new["kelurahan"] = _location(
            changes.get("kelurahan", aspiration.kelurahan), changes.get("kecamatan")
        )
    if "rw" in changes:
        new["rw"] = _rw(changes["rw"])
    if "estimated_cost" in changes:
        new["estimated_cost"] = validation.money(
            changes["estimated_cost"],
            field="estimated_cost",
            limit=validation.MAX_COST,
            label=_("The estimated cost"),
        )
    if "beneficiaries" in changes:
        new["beneficiaries"] = _beneficiaries(changes["beneficiaries"])
    files = _read_attachments(add_attachments)
    remove_ids = set()
    for value in remove_attachments or ():
        try:
            remove_ids.add(int(value))
        except (TypeError, ValueError) as exc:
            raise Invalid(
                _("Name attachments by their number."), field="remove_attachments"
            ) from exc
    with transaction.atomic():
        aspiration = Aspiration.objects.select_for_update().get(pk=aspiration.pk)
        denial = permissions.edit_denial(actor, aspiration)  # a decision may have come first
        if denial is not None:
            raise denial
        if (
            "category" in new
            and new["category"].pk != aspiration.category_id
            and not new["category"].is_active
        ):
            raise Invalid(
                _("This category is no longer offered; choose another."), field="category"
            )
        current = {a.pk for a in selectors.current_attachments(aspiration)}
        if not remove_ids <= current:
            raise Invalid(
                _("That attachment is not part of this proposal."), field="remove_attachments"
            )
        if len(current) - len(remove_ids) + len(files) > MAX_ATTACHMENTS:
            raise Invalid(
                _("A proposal can have at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS},
                field="attachments",
            )
        changed = {name: value for name, value in new.items() if _differs(aspiration, name, value)}
        if not changed and not files and not remove_ids:
            return aspiration
        if "kelurahan" in changed and (
            aspiration.scores.exists() or aspiration.forum_agenda.exists()
        ):
            # Its scores and its place on a forum's agenda belong to this kelurahan's forum:
            # moved, it would rank elsewhere on scores that forum never gave.
            raise Conflict(
                _(
                    "This proposal has been scored or put on a forum's agenda in its "
                    "kelurahan; it can no longer move to another one."
                ),
                field="kelurahan",
            )
        now = timezone.now()
        number = aspiration.version + 1
        for name, value in changed.items():
            setattr(aspiration, name, value)
        aspiration.kecamatan_id = aspiration.kelurahan.kecamatan_id
        aspiration.version = number
        aspiration.updated_at = now
        aspiration.save()
        AspirationVersion.objects.create(
            aspiration=aspiration,
            number=number,
            created_by=actor,
            created_at=now,
            **{name: getattr(aspiration, name) for name in EDITABLE},
        )
        Attachment.objects.filter(pk__in=remove_ids).update(removed_in_version=number)
        forum.publish_changes(aspiration)
        Attachment.objects.bulk_create(
            [
                Attachment(
                    aspiration=aspiration,
                    uploaded_by=actor,
                    uploaded_at=now,
                    added_in_version=number,
                    **file,
                )
                for file in files
            ]
        )
    return aspiration


# --- comments on a proposal -------------------------------------------------------------------


def aspiration_comment(
    *, actor, aspiration: Aspiration, stance: str, body: str, parent: Comment | None = None
) -> Comment:
    """A comment (or a reply) on a proposal: the comment system's rules, moderation, reports
    and responses, in the proposal's consultation, marked with the proposal."""
    if parent is not None and parent.aspiration_id != aspiration.pk:
        raise Invalid(_("The comment you reply to is not on this proposal."), field="parent")
    with transaction.atomic():
        comment = comment_services.comment_create(
            actor=actor,
            consultation=aspiration.consultation,
            stance=stance,
            body=body,
            parent=parent,
        )
        Comment.objects.filter(pk=comment.pk).update(aspiration=aspiration)
        comment.aspiration_id = aspiration.pk
    return comment
