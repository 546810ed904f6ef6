"""Every state change of proposals (ARCHITECTURE.md §2 rule 1): submit, edit, support,
decide (forward, accept, merge, reject, defer), score; the lists officials keep; who decides
at which stage; comments on a proposal (through the comments' own service).

Lock order, the same everywhere: the proposal row(s), by ascending id, then whatever hangs
from them. A support and a decision on the same proposal queue on its row lock, so a
support never lands on a proposal that was just rejected, and the counts stay exact.
"""

import hashlib
import io
import os
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from accounts import permissions as accounts_permissions
from aspirations import permissions, selectors, signals
from aspirations.models import (
    Aspiration,
    AspirationVersion,
    Attachment,
    Category,
    Criterion,
    Decision,
    Kecamatan,
    Kelurahan,
    OfficialScope,
    Score,
    Stage,
    Support,
    next_stage,
)
from backend.errors import Conflict, Invalid, NotFound, TooLarge, require
from comments import services as comment_services
from comments.models import Comment
from consultations import permissions as consultation_permissions
from consultations.models import Consultation, Item

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_COST = Decimal("9999999999999.99")  # the column's 15 digits
MAX_PAGU = Decimal("9999999999999999.99")  # 18 digits, like an item's budget ceiling
MAX_BENEFICIARIES = 10_000_000
EXTENSIONS = {
    Attachment.Kind.PNG: ".png",
    Attachment.Kind.JPEG: ".jpg",
    Attachment.Kind.PDF: ".pdf",
}


# --- validation -------------------------------------------------------------------------------


def _text(value, *, field: str, limit: int, required: bool, label: str) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("%(label)s must be text.") % {"label": label}, field=field)
    value = value.strip()
    if required and not value:
        raise Invalid(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > limit:
        raise Invalid(
            _("%(label)s can have at most %(limit)d characters.")
            % {"label": label, "limit": limit},
            field=field,
        )
    if "\x00" in value:
        raise Invalid(_("The text contains characters that cannot be stored."), field=field)
    return value


def _money(value, *, field: str, limit: Decimal, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise Invalid(
            _("%(label)s must be an amount in rupiah.") % {"label": label}, field=field
        ) from exc
    if not amount.is_finite():
        raise Invalid(_("%(label)s must be an amount in rupiah.") % {"label": label}, field=field)
    if amount < 0:
        raise Invalid(_("%(label)s cannot be negative.") % {"label": label}, field=field)
    if amount > limit:
        raise Invalid(_("%(label)s is too large.") % {"label": label}, field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(_("%(label)s can have at most two decimals.") % {"label": label}, field=field)
    return amount.quantize(Decimal("0.01"))


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
        "title": _text(title, field="title", limit=200, required=True, label=_("The title")),
        "description": _text(
            description,
            field="description",
            limit=5000,
            required=True,
            label=_("The description"),
        ),
        "category": _category(category),
        "kelurahan": _location(kelurahan, kecamatan),
        "rw": _rw(rw),
        "estimated_cost": _money(
            estimated_cost, field="estimated_cost", limit=MAX_COST, label=_("The estimated cost")
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
        new["title"] = _text(
            changes["title"], field="title", limit=200, required=True, label=_("The title")
        )
    if "description" in changes:
        new["description"] = _text(
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
        new["estimated_cost"] = _money(
            changes["estimated_cost"],
            field="estimated_cost",
            limit=MAX_COST,
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


# --- supports ---------------------------------------------------------------------------------


def _counts(aspiration_id: int) -> dict:
    row = Aspiration.objects.filter(pk=aspiration_id).values(
        "support_organizations", "support_citizens"
    )[0]
    return {"organizations": row["support_organizations"], "citizens": row["support_citizens"]}


def _lock(aspiration: Aspiration) -> Aspiration:
    try:
        return Aspiration.objects.select_for_update().get(pk=aspiration.pk)
    except Aspiration.DoesNotExist as exc:
        raise NotFound(_("Proposal not found.")) from exc


def aspiration_support(*, actor, aspiration: Aspiration) -> dict:
    """Back a proposal: once per organization (its representative) and once per citizen.
    Supporting again changes nothing. Returns {"organizations": n, "citizens": m}."""
    permissions.supporter(actor, aspiration)  # the reason, before any lock
    with transaction.atomic():
        aspiration = _lock(aspiration)
        organization, citizen = permissions.supporter(actor, aspiration)
        if not aspiration.is_open:
            raise permissions.closed_to_support(aspiration)
        if selectors.support_of(aspiration, organization=organization, citizen=citizen) is None:
            Support.objects.create(
                aspiration=aspiration, organization=organization, citizen=citizen, cast_by=actor
            )
            counter = "support_organizations" if organization else "support_citizens"
            Aspiration.objects.filter(pk=aspiration.pk).update(**{counter: F(counter) + 1})
        return _counts(aspiration.pk)


def aspiration_unsupport(*, actor, aspiration: Aspiration) -> dict:
    """Withdraw one's (or one's organization's) support while the proposal is open; a
    support that is not there is not an error."""
    permissions.supporter(actor, aspiration)
    with transaction.atomic():
        aspiration = _lock(aspiration)
        organization, citizen = permissions.supporter(actor, aspiration)
        if not aspiration.is_open:
            raise permissions.closed_to_support(aspiration)
        support = selectors.support_of(aspiration, organization=organization, citizen=citizen)
        if support is not None:
            support.delete()
            counter = "support_organizations" if organization else "support_citizens"
            Aspiration.objects.filter(pk=aspiration.pk).update(**{counter: F(counter) - 1})
        return _counts(aspiration.pk)


def _carry_supports(source: Aspiration, target: Aspiration) -> None:
    """A merged proposal's supporters back the one it joins; whoever backed both counts once
    (the unique constraints skip the second row), the target's own proposer is not counted
    as its supporter, and the target's counts are recounted."""
    supports = Support.objects.filter(aspiration=source)
    if target.organization_id is not None:
        supports = supports.exclude(organization_id=target.organization_id)
    else:
        supports = supports.exclude(citizen_id=target.author_id)
    carried = [
        Support(
            aspiration=target,
            organization_id=support.organization_id,
            citizen_id=support.citizen_id,
            cast_by_id=support.cast_by_id,
            via=source,
            created_at=support.created_at,
        )
        for support in supports
    ]
    Support.objects.bulk_create(carried, ignore_conflicts=True)
    rows = Support.objects.filter(aspiration=target)
    Aspiration.objects.filter(pk=target.pk).update(
        support_organizations=rows.filter(organization__isnull=False).count(),
        support_citizens=rows.filter(citizen__isnull=False).count(),
    )


# --- decisions --------------------------------------------------------------------------------


def _reason(outcome: str, reason) -> str:
    required = outcome in (Decision.Outcome.REJECTED, Decision.Outcome.DEFERRED)
    reason = _text(reason, field="reason", limit=2000, required=False, label=_("The reason"))
    if required and len(reason) < 10:
        raise Invalid(
            _("Give the reason for this decision in a sentence the proposer can read."),
            field="reason",
        )
    return reason


def _lock_pair(aspiration: Aspiration, other: Aspiration | None):
    """Lock the proposal (and a merge target) in ascending id order: no deadlock between
    two merges that point at each other."""
    ids = sorted({aspiration.pk} | ({other.pk} if other is not None else set()))
    rows = {
        a.pk: a for a in Aspiration.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    return rows[aspiration.pk], rows.get(other.pk) if other is not None else None


def aspiration_decide(
    *,
    actor,
    aspiration: Aspiration,
    outcome: str,
    reason: str = "",
    merged_into: Aspiration | None = None,
    item: Item | None = None,
    pagu=None,
) -> Decision:
    """An official of the proposal's stage records a decision: forwarded (to the next stage),
    accepted (city stage only, into an RPJMD programme, optionally with a pagu), merged
    (into another proposal, supports carried over), rejected or deferred (with a reason).
    Kept, dated and signed; after the first one the proposal's text is frozen."""
    if outcome not in Decision.Outcome.values:
        raise Invalid(
            _("Choose an outcome: forwarded, accepted, merged, rejected or deferred."),
            field="outcome",
        )
    denial = permissions.stage_official_denial(actor)  # the stage is checked under the lock
    if denial is not None:
        raise denial
    reason = _reason(outcome, reason)
    if outcome != Decision.Outcome.MERGED and merged_into is not None:
        raise Invalid(_("Only a merge names another proposal."), field="merged_into")
    if outcome != Decision.Outcome.ACCEPTED and (item is not None or pagu not in (None, "")):
        raise Invalid(_("Only an acceptance names a programme and a pagu."), field="item")
    if outcome == Decision.Outcome.MERGED:
        if merged_into is None:
            raise Invalid(_("Name the proposal this one joins."), field="merged_into")
        if merged_into.pk == aspiration.pk:
            raise Invalid(_("A proposal cannot be merged into itself."), field="merged_into")
    if outcome == Decision.Outcome.ACCEPTED:
        if item is None:
            raise Invalid(_("Name the RPJMD programme that takes the proposal in."), field="item")
        pagu = (
            None
            if pagu in (None, "")
            else _money(pagu, field="pagu", limit=MAX_PAGU, label=_("The pagu"))
        )
    with transaction.atomic():
        aspiration, target = _lock_pair(aspiration, merged_into)
        denial = permissions.decision_denial(actor, aspiration)
        if denial is not None:
            raise denial
        if not aspiration.is_open:
            raise Conflict(
                _("This proposal is already decided (%(status)s).")
                % {"status": aspiration.get_status_display().lower()}
            )
        if outcome == Decision.Outcome.FORWARDED and next_stage(aspiration.stage) is None:
            raise Invalid(
                _("The city stage is the last: accept, merge, reject or defer the proposal."),
                field="outcome",
            )
        if outcome == Decision.Outcome.ACCEPTED:
            if aspiration.stage != Stage.KOTA:
                raise Invalid(
                    _("Only the city stage accepts a proposal into the plan; forward it first."),
                    field="outcome",
                )
            if item.consultation_id != aspiration.consultation_id:
                raise Invalid(
                    _("That programme belongs to another consultation's plan."), field="item"
                )
        if target is not None:
            if target.consultation_id != aspiration.consultation_id:
                raise Invalid(
                    _("That proposal belongs to another consultation."), field="merged_into"
                )
            if target.status == Aspiration.Status.MERGED:
                raise Invalid(
                    _("Proposal #%(id)s was itself merged into #%(into)s; merge into that one.")
                    % {"id": target.pk, "into": target.merged_into_id},
                    field="merged_into",
                )
            if target.status == Aspiration.Status.REJECTED:
                raise Invalid(
                    _("Proposal #%(id)s was rejected; it cannot take in another.")
                    % {"id": target.pk},
                    field="merged_into",
                )
        rank, among, score = selectors.rank_of(aspiration)
        now = timezone.now()
        decision = Decision.objects.create(
            aspiration=aspiration,
            stage=aspiration.stage,
            outcome=outcome,
            reason=reason,
            merged_into=target,
            item=item if outcome == Decision.Outcome.ACCEPTED else None,
            pagu=pagu if outcome == Decision.Outcome.ACCEPTED else None,
            rank=rank,
            ranked_among=among,
            score=score,
            support_organizations=aspiration.support_organizations,
            support_citizens=aspiration.support_citizens,
            decided_by=actor,
            decided_at=now,
        )
        if outcome == Decision.Outcome.FORWARDED:
            aspiration.stage = next_stage(aspiration.stage)
            aspiration.status = Aspiration.Status.FORWARDED
        elif outcome == Decision.Outcome.ACCEPTED:
            aspiration.status = Aspiration.Status.ACCEPTED
            aspiration.item, aspiration.pagu = item, pagu
        elif outcome == Decision.Outcome.MERGED:
            aspiration.status = Aspiration.Status.MERGED
            aspiration.merged_into = target
        else:
            aspiration.status = outcome  # rejected / deferred
        aspiration.first_decision_at = aspiration.first_decision_at or now
        aspiration.updated_at = now
        aspiration.save(
            update_fields=[
                "stage",
                "status",
                "item",
                "pagu",
                "merged_into",
                "first_decision_at",
                "updated_at",
            ]
        )
        if target is not None:
            _carry_supports(aspiration, target)
        signals.aspiration_decided.send(sender=Decision, decision=decision)
    return decision


# --- scores -----------------------------------------------------------------------------------


def aspiration_score(*, actor, aspiration: Aspiration, scores) -> list[Score]:
    """The forum's scores (1–5 per criterion) at the proposal's current stage, entered by
    that stage's official; entering a criterion again replaces its score.
    `scores` is a list of (Criterion, value)."""
    denial = permissions.stage_official_denial(actor)  # the stage is checked under the lock
    if denial is not None:
        raise denial
    seen = set()
    checked = []
    for criterion, value in scores or ():
        if not isinstance(criterion, Criterion) or not criterion.is_active:
            raise Invalid(_("Score only the criteria the city uses."), field="scores")
        if criterion.pk in seen:
            raise Invalid(_("Each criterion is scored once."), field="scores")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise Invalid(_("A score is a whole number from 1 to 5."), field="scores")
        seen.add(criterion.pk)
        checked.append((criterion, value))
    if not checked:
        raise Invalid(_("Give at least one score."), field="scores")
    with transaction.atomic():
        aspiration = _lock(aspiration)
        denial = permissions.decision_denial(actor, aspiration)
        if denial is not None:
            raise denial
        if not aspiration.is_open:
            raise Conflict(_("A decided proposal is not scored any more."))
        now = timezone.now()
        for criterion, value in checked:
            Score.objects.update_or_create(
                aspiration=aspiration,
                criterion=criterion,
                stage=aspiration.stage,
                defaults={"value": value, "scored_by": actor, "scored_at": now},
            )
        return list(
            Score.objects.filter(aspiration=aspiration, stage=aspiration.stage)
            .select_related("criterion")
            .order_by("criterion__position", "criterion__name")
        )


# --- the lists officials keep, and who decides where -----------------------------------------


def _name(value, *, limit: int) -> str:
    return _text(value, field="name", limit=limit, required=True, label=_("The name"))


def category_create(*, actor, name: str, position: int = 0) -> Category:
    require(permissions.can_manage_lists(actor), _("Only officials keep the list of categories."))
    name = _name(name, limit=150)
    with transaction.atomic():
        if Category.objects.filter(name__iexact=name).exists():
            raise Conflict(_("This category already exists."), field="name")
        return Category.objects.create(name=name, position=max(0, int(position or 0)))


def category_update(
    *, actor, category: Category, name: str | None = None, is_active: bool | None = None
) -> Category:
    require(permissions.can_manage_lists(actor), _("Only officials keep the list of categories."))
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        if name is not None:
            name = _name(name, limit=150)
            if Category.objects.filter(name__iexact=name).exclude(pk=category.pk).exists():
                raise Conflict(_("This category already exists."), field="name")
            category.name = name
        if is_active is not None:
            category.is_active = bool(is_active)
        category.save()
    return category


def criterion_create(*, actor, name: str, description: str = "", position: int = 0) -> Criterion:
    require(permissions.can_manage_lists(actor), _("Only officials set the scoring criteria."))
    name = _name(name, limit=150)
    description = _text(
        description, field="description", limit=500, required=False, label=_("The description")
    )
    with transaction.atomic():
        if Criterion.objects.filter(name__iexact=name).exists():
            raise Conflict(_("This criterion already exists."), field="name")
        return Criterion.objects.create(
            name=name, description=description, position=max(0, int(position or 0))
        )


def criterion_update(
    *, actor, criterion: Criterion, name: str | None = None, is_active: bool | None = None
) -> Criterion:
    require(permissions.can_manage_lists(actor), _("Only officials set the scoring criteria."))
    with transaction.atomic():
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
        if name is not None:
            name = _name(name, limit=150)
            if Criterion.objects.filter(name__iexact=name).exclude(pk=criterion.pk).exists():
                raise Conflict(_("This criterion already exists."), field="name")
            criterion.name = name
        if is_active is not None:
            criterion.is_active = bool(is_active)
        criterion.save()
    return criterion


def official_scope_set(
    *, actor, user, stage: str, kecamatan: Kecamatan | None = None, kelurahan=None
) -> OfficialScope:
    """Give an official authority for one stage (and area): a kelurahan's, a kecamatan's, or
    the city's. Only an administrator does; a scope replaces the official's previous one."""
    require(
        permissions.can_assign_scopes(actor),
        _("Only an administrator decides who decides at which stage."),
    )
    if not accounts_permissions.is_official(user) or user.is_superuser:
        raise Invalid(_("Only officials get a Musrenbang stage."), field="user")
    if stage not in Stage.values:
        raise Invalid(_("Choose a stage: kelurahan, kecamatan or kota."), field="stage")
    if stage == Stage.KELURAHAN:
        if not isinstance(kelurahan, Kelurahan):
            raise Invalid(_("A kelurahan official needs a kelurahan."), field="kelurahan")
        kecamatan = None
    elif stage == Stage.KECAMATAN:
        if not isinstance(kecamatan, Kecamatan):
            raise Invalid(_("A kecamatan official needs a kecamatan."), field="kecamatan")
        kelurahan = None
    else:
        kecamatan = kelurahan = None
    with transaction.atomic():
        scope, _created = OfficialScope.objects.update_or_create(
            user=user, defaults={"stage": stage, "kecamatan": kecamatan, "kelurahan": kelurahan}
        )
    if hasattr(user, "_aspiration_scope"):
        del user._aspiration_scope
    return scope


def official_scope_clear(*, actor, user) -> None:
    require(
        permissions.can_assign_scopes(actor),
        _("Only an administrator decides who decides at which stage."),
    )
    with transaction.atomic():
        OfficialScope.objects.filter(user=user).delete()
    if hasattr(user, "_aspiration_scope"):
        del user._aspiration_scope


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
