"""The comment on the wire: one shape for the REST answer, the events and the snapshot.

`comment()` is what anyone allowed to read the comment sees. The REST serializer
(`serializers.CommentOutput`) starts from it and adds what depends on the reader
(`is_own`, `moderation_reason`, `response`); the events `comment.published`,
`comment.submitted` and `comment.screened` carry it as their `data`; the hearing
snapshot lists it. Who may receive which comment is the services' decision (a pending
comment goes only to the moderation audience, a hidden one never goes out).
"""

from backend.isotime import isotime

COMMENT = (
    "id",
    "consultation",
    "section",
    "item",
    "hearing",
    "parent",
    "stance",
    "body",
    "status",
    "is_removed",
    "author_name",
    "organization",
    "organization_name",
    "created_at",
    "edited_at",
    "on_screen_at",
    "channel",
    "external_ref",
)

# Event `data` per type (docs/REALTIME.md's table is checked against these).
EVENT_DATA = {
    "comment.published": COMMENT,
    "comment.submitted": COMMENT,
    "comment.screened": COMMENT,
    "comment.hidden": ("id",),
}


def display_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def comment(comment) -> dict:
    """Reads `author` and `organization`: select_related them for lists."""
    organization = comment.organization
    return {
        "id": comment.pk,
        "consultation": comment.consultation_id,
        "section": comment.section_id,
        "item": comment.item_id,
        "hearing": comment.hearing_id,
        "parent": comment.parent_id,
        "stance": comment.stance,
        "body": comment.body,
        "status": comment.status,
        "is_removed": comment.is_removed,
        # A written submission has no account: the name and organization as written.
        "author_name": comment.author_display_name or None,
        "organization": comment.organization_id,
        "organization_name": organization.name
        if organization is not None
        else comment.organization_name or None,
        "created_at": isotime(comment.created_at),
        "edited_at": isotime(comment.edited_at),
        "on_screen_at": isotime(comment.on_screen_at),
        "channel": comment.channel,
        "external_ref": comment.external_ref,
    }


def comment_hidden(comment) -> dict:
    """Only the id: the text of a hidden comment never goes out (and leaves the log)."""
    return {"id": comment.pk}
