"""Hooks for the layers above comments (ARCHITECTURE.md §1: a lower layer that must react to
a higher one defines a signal the higher one connects to). Sent inside the service's
transaction; a receiver that does work outside it waits for the commit
(`transaction.on_commit`), so a change that rolls back notifies nobody."""

from django.dispatch import Signal

# A moderator's decision changed a comment's status (kwargs `comment` with its new status
# and reason, `action` a ModerationAction.Action, `actor`, `was_published`).
comment_moderated = Signal()

# Responses (tanggapan) became public (kwarg `response_ids`).
responses_published = Signal()
