"""Demo data for live hearings, built through the services; called from `load_demo`."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations.models import Consultation
from hearings import services
from hearings.models import Hearing

HEARING_TITLE = "Forum Konsultasi Publik Ranperwal Partisipasi Publik"
HEARING_LOCATION = "Gedung Gradika, Kota Pasuruan"
CONSULTATION_TITLE = "Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi Publik"


def _official():
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(username="bappeda").first()
        or users.filter(groups__name="officials").order_by("pk").first()
        or users.filter(is_superuser=True).order_by("pk").first()
    )


def _item(items, *needles):
    for item in items:
        text = f"{item.code} {item.title}".lower()
        if any(needle in text for needle in needles):
            return item
    return None


def load_demo_hearing(demo=None) -> Hearing | None:
    """A scheduled, live-ready hearing on the participation Ranperwal, with an agenda on its items.

    Idempotent: running it twice returns the same hearing.
    """
    existing = Hearing.objects.filter(title=HEARING_TITLE).first()
    if existing is not None:
        return existing
    consultations = getattr(demo, "consultations", {}) or {}
    users = getattr(demo, "users", {}) or {}
    consultation = consultations.get("policy") or (
        Consultation.objects.filter(title__startswith=CONSULTATION_TITLE)
        .exclude(status=Consultation.Status.DRAFT)
        .first()
    )
    official = users.get("bappeda") or _official()
    if consultation is None or official is None:
        return None
    items = list(consultation.items.order_by("position", "id"))
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    starts_at = today if today > timezone.now() else today + datetime.timedelta(days=1)
    hearing = services.hearing_create(
        actor=official,
        consultation=consultation,
        title=HEARING_TITLE,
        starts_at=starts_at,
        location=HEARING_LOCATION,
        chair_name="Kepala Bappeda Kota Pasuruan",
    )
    pasal_3, pasal_5 = _item(items, "pasal 3"), _item(items, "pasal 5")
    agenda = [
        ("Pembukaan dan pemaparan rancangan oleh Bappeda", None),
        ("Tanggapan atas rancangan secara keseluruhan", _item(items, "keseluruhan", "whole")),
        (pasal_3.title if pasal_3 else "Pasal 3", pasal_3),
        (pasal_5.title if pasal_5 else "Pasal 5", pasal_5),
        ("Kesepakatan dan penutup", None),
    ]
    for title, item in agenda:
        services.agenda_item_add(actor=official, hearing=hearing, title=title, item=item)
    return hearing


def hearing_links(base_url: str = "") -> list[str]:
    """Where the demo hearing's room, console and big screen are, read afresh on every start
    (the display key may have been rotated or revoked since the load)."""
    hearing = Hearing.objects.filter(title=HEARING_TITLE).first()
    if hearing is None:
        return []
    page = f"{base_url}/hearings/{hearing.pk}/"
    lines = [f"Hearing “{hearing.title}”: {page} · console {page}console/ (bappeda, moderator)"]
    if hearing.display_key:
        lines.append(f"Big screen for the projector: {page}screen/?key={hearing.display_key}")
    else:
        lines.append(f"Big screen: no display key; make one on the console {page}console/")
    return lines
