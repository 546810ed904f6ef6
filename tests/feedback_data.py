"""A small consultation with every kind of comment, for the export, dashboard and minutes tests."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from comments.models import Comment, Response
from tests.factories import (
    CommentFactory,
    ItemFactory,
    OrganizationFactory,
    ResponseFactory,
    UserFactory,
)

WIB = datetime.timezone(datetime.timedelta(hours=7))


@dataclass
class World:
    consultation: object
    sections: list
    items: list
    published: list
    pending: object
    hidden: object
    rejected: object
    answered: object


def consultation_with_comments(consultation, organization, representative, official) -> World:
    pasal1, pasal2, pasal3 = list(consultation.sections.order_by("position"))
    whole = consultation.items.get()
    programme = ItemFactory(consultation=consultation, title="Program Ruang Terbuka Hijau")
    when = datetime.datetime(2026, 11, 27, 2, 15, 30, tzinfo=datetime.UTC)  # 09.15.30 WIB
    first = CommentFactory(
        consultation=consultation,
        section=pasal1,
        author=representative,
        organization=organization,
        stance=Comment.Stance.SUPPORT,
        body="Definisi ruang terbuka hijau sudah jelas; mohon tambahkan taman kampung.",
        created_at=when,
    )
    second = CommentFactory(
        consultation=consultation,
        section=pasal2,
        item=programme,
        author=UserFactory(first_name="Siti Aminah", privacy__show_name=True),
        stance=Comment.Stance.OPPOSE,
        body='=HYPERLINK("http://contoh") bukan rumus; tujuan belum terukur.',
        created_at=when + datetime.timedelta(minutes=5),
    )
    third = CommentFactory(
        consultation=consultation,
        section=pasal2,
        author=representative,
        organization=organization,
        stance=Comment.Stance.QUESTION,
        body="Bagaimana warga pesisir dilibatkan?\nMohon dijelaskan.",
        created_at=when + datetime.timedelta(minutes=9),
    )
    pending = CommentFactory(
        consultation=consultation,
        section=pasal3,
        stance=Comment.Stance.NEUTRAL,
        body="Komentar menunggu moderasi.",
        status=Comment.Status.PENDING,
        created_at=when + datetime.timedelta(minutes=11),
    )
    hidden = CommentFactory(
        consultation=consultation,
        section=pasal3,
        stance=Comment.Stance.OPPOSE,
        body="Komentar yang disembunyikan moderator.",
        status=Comment.Status.HIDDEN,
        created_at=when + datetime.timedelta(minutes=12),
    )
    rejected = CommentFactory(
        consultation=consultation,
        stance=Comment.Stance.OPPOSE,
        body="Komentar yang ditolak.",
        status=Comment.Status.REJECTED,
        created_at=when + datetime.timedelta(minutes=13),
    )
    ResponseFactory(
        comment=first,
        responder=official,
        outcome=Response.Outcome.PARTIALLY_ACCEPTED,
        body="Taman kampung dimasukkan ke penjelasan Pasal 1.",
        published_at=timezone.now(),
    )
    return World(
        consultation=consultation,
        sections=[pasal1, pasal2, pasal3],
        items=[whole, programme],
        published=[first, second, third],
        pending=pending,
        hidden=hidden,
        rejected=rejected,
        answered=first,
    )


def extra_organization(name="Forum Warga Peduli Lingkungan"):
    return OrganizationFactory(name=name)
