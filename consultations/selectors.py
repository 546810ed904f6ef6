"""Reads of consultations, versions, sections and items that the API and the pages share."""

import difflib

from django.db.models import Prefetch, QuerySet

from accounts import permissions
from consultations.models import Consultation, DraftVersion, Item, Section


def consultations_visible_to(user) -> QuerySet[Consultation]:
    qs = Consultation.objects.select_related("agency", "closed_by")
    if permissions.is_staff_role(user):
        return qs
    return qs.exclude(status=Consultation.Status.DRAFT)


def due_to_open(now) -> QuerySet[Consultation]:
    """Scheduled consultations whose opening time has come: the clock job opens them."""
    return Consultation.objects.filter(
        status=Consultation.Status.SCHEDULED, opens_at__lte=now
    ).order_by("opens_at", "pk")


def due_to_close(now) -> QuerySet[Consultation]:
    """Open consultations whose closing time has passed: the clock job closes them."""
    return Consultation.objects.filter(
        status=Consultation.Status.OPEN, closes_at__lte=now
    ).order_by("closes_at", "pk")


def current_version(consultation: Consultation) -> DraftVersion | None:
    """The version readers see: the newest published one, or for a draft its first version."""
    versions = list(consultation.versions.order_by("-number"))
    for version in versions:
        if version.is_published:
            return version
    return versions[-1] if versions else None


def editable_version(consultation: Consultation) -> DraftVersion | None:
    """The newest version if it is still unpublished, else None."""
    newest = consultation.versions.order_by("-number").first()
    if newest is None or newest.is_published:
        return None
    return newest


def sections_of(consultation: Consultation, version: DraftVersion | None = None):
    version = version or current_version(consultation)
    if version is None:
        return Section.objects.none()
    return Section.objects.filter(version=version).order_by("position", "id")


def items_of(consultation: Consultation) -> QuerySet[Item]:
    return Item.objects.filter(consultation=consultation).order_by("position", "id")


def consultation_for_page(consultation_id: int, user) -> Consultation:
    return (
        consultations_visible_to(user)
        .prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position", "id")),
            "versions",
        )
        .get(pk=consultation_id)
    )


def section_changes(section: Section) -> list[tuple[str, str]]:
    """Word-level diff against the same section in the previous version: (op, text) pairs."""
    if section.previous is None:
        return []
    old = section.previous.body.split()
    new = section.body.split()
    result: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            result.append(("equal", " ".join(old[a1:a2])))
        if op in ("delete", "replace"):
            result.append(("delete", " ".join(old[a1:a2])))
        if op in ("insert", "replace"):
            result.append(("insert", " ".join(new[b1:b2])))
    return result
