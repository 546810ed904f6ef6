"""Everything the platform holds about one person, as one JSON-ready dict ("Data saya",
UU No. 27/2022 right of access and portability).

Named categories first (profile, privacy, consents, memberships, comments with their edit
history, reports made, notifications, logins); then every other row of any app that points
at the person (`records`, by model), found from the models themselves so a new app's data
is included without a change here. Secrets never go out: password hashes, token digests,
keys.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from knox.models import AuthToken

from accounts import names
from accounts.models import Consent, Membership, PrivacyChoice
from comments.models import Comment, CommentReport

User = get_user_model()

# Field names whose values never leave the server, whatever model they are on.
SECRET_PARTS = ("password", "digest", "token_key", "secret", "display_key", "key_hash")
# Models shown in their own category above, or not data about the person.
CATEGORISED = {
    "accounts.membership",
    "accounts.privacychoice",
    "accounts.consent",
    "comments.comment",
    "comments.commentreport",
    "knox.authtoken",
    "notifications.notification",
    "admin.logentry",
    "auth.user_groups",
    "auth.user_user_permissions",
}


def _is_secret(name: str) -> bool:
    return any(part in name for part in SECRET_PARTS)


def _row(obj) -> dict:
    """A model row as plain values: foreign keys as ids, secrets left out."""
    data = {}
    for field in obj._meta.concrete_fields:
        if _is_secret(field.name):
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        elif isinstance(field, models.BinaryField):  # a stored file: its size, not its bytes
            value = {"bytes": len(value or b"")}
        data[field.attname if field.is_relation else field.name] = value
    return data


def _comments(user) -> list[dict]:
    rows = []
    for comment in (
        Comment.objects.filter(author=user)
        .select_related("consultation", "organization")
        .prefetch_related("edits")
        .order_by("created_at", "id")
    ):
        row = _row(comment)
        row["consultation_title"] = comment.consultation.title
        row["organization_name"] = comment.organization.name if comment.organization else None
        row["history"] = [
            {"body": edit.body, "edited_at": edit.edited_at} for edit in comment.edits.all()
        ]
        rows.append(row)
    return rows


def _notifications(user) -> list[dict]:
    """notifications/ is optional (another app): read through the app registry."""
    try:
        model = apps.get_model("notifications", "Notification")
    except LookupError:
        return []
    owner = next(
        (
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is User and f.name in ("user", "recipient")
        ),
        None,
    )
    if owner is None:
        return []
    return [_row(n) for n in model.objects.filter(**{owner: user}).order_by("pk")]


def _logins(user) -> dict:
    username = user.get_username()
    return {
        "last_login": user.last_login,
        "api_tokens": [
            {"created": token.created, "expiry": token.expiry}
            for token in AuthToken.objects.filter(user=user).order_by("created")
        ],
        "sign_ins": [
            _row(log) for log in AccessLog.objects.filter(username__iexact=username).order_by("pk")
        ],
        "failed_sign_ins": [
            _row(log)
            for log in AccessFailureLog.objects.filter(username__iexact=username).order_by("pk")
        ],
        "lockout_counters": [
            {
                k: v
                for k, v in _row(attempt).items()
                if k not in ("get_data", "post_data")  # may echo the typed password
            }
            for attempt in AccessAttempt.objects.filter(username__iexact=username)
        ],
    }


def _other_records(user) -> dict[str, list[dict]]:
    records: dict[str, list[dict]] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in CATEGORISED or model is User:
            continue
        for field in model._meta.concrete_fields:
            if not (field.is_relation and field.related_model is User):
                continue
            rows = [_row(obj) for obj in model._default_manager.filter(**{field.name: user})]
            if rows:
                records.setdefault(label, []).extend({"via": field.name, **row} for row in rows)
    return records


def personal_data(user) -> dict:
    """The person's own data, nobody else's: every category is filtered by the person."""
    choice = PrivacyChoice.objects.filter(user=user).first()
    return {
        "format": "ruang-dialog.personal-data/1",
        "controller": settings.PRIVACY_CONTROLLER,
        "profile": {
            "id": user.pk,
            "username": user.get_username(),
            "full_name": user.get_full_name(),
            "email": user.email,
            "date_joined": user.date_joined,
            "is_active": user.is_active,
            "public_name": names.public_name(user),
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "privacy": {
            "show_name": bool(choice and choice.show_name),
            "pseudonym": choice.pseudonym if choice else names.pseudonym(user.pk),
            "notice_version": choice.notice_version if choice else "",
            "notice_accepted_at": choice.notice_accepted_at if choice else None,
        },
        "consents": [
            {"kind": c.kind, "version": c.version, "granted": c.granted, "at": c.created_at}
            for c in Consent.objects.filter(user=user).order_by("created_at", "id")
        ],
        "memberships": [
            {
                "organization": m.organization_id,
                "organization_name": m.organization.name,
                "role": m.role,
                "since": m.created_at,
            }
            for m in Membership.objects.filter(user=user).select_related("organization")
        ],
        "comments": _comments(user),
        "reports": [
            _row(report) for report in CommentReport.objects.filter(reporter=user).order_by("pk")
        ],
        "notifications": _notifications(user),
        "logins": _logins(user),
        "records": _other_records(user),
    }


ENCODER = DjangoJSONEncoder
