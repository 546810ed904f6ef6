"""Hooks for the layers above accounts (ARCHITECTURE.md §1). Sent inside the service's
transaction; receivers that work outside it wait for the commit."""

from django.dispatch import Signal

# A new invitation to join an organization (kwarg `invitation`; its `user` is None when
# the username names nobody who may join, and then nobody is told).
invitation_sent = Signal()

# A person's name stops being shown publicly: they withdrew the choice, or closed their
# account (kwargs `user`, `pseudonym`). privacy rewrites the name in the stored event log,
# so a replay serves the pseudonym too.
public_name_hidden = Signal()
