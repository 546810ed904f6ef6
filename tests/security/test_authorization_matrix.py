"""Every REST route and method under /api/v1/ × every persona, against an explicit table.

The routes come from the URL conf (get_resolver), not from this file: a new endpoint or a
new method on an old one has no row in EXPECTED and fails `test_every_route_is_classified`
until someone decides who may call it. Each request runs in a fresh world (an open
consultation with a live hearing, a draft, a closed one, one with an unpublished second
version), with a body that is valid for the route, so an allowed persona reaches the
service and a refused one is refused by the rules, not by a 400.

A row is `(route name, method)`, on the route's usual object (see `request_for`), or
`(route name, method, target)` on another one: the draft consultation's, a pending
organization, someone else's organization or request (TARGETS). The rows with a target
say what a role may do to data that is not its own, or not yet public.

Columns (PERSONAS, ARCHITECTURE.md §4): anonymous, citizen (signed in, no organization,
warga), member of an unverified organization (wawan), member (dedi) and representative
(rina) of LSM Pelita, representative of LSM Harapan (sari), moderator (mira), official
(alice), planner (budi), a big screen holding the hearing's display key.

Reading the table: 401 = sign in first; 403 = signed in, not allowed; 404 = hidden or not
applicable (drafts, pending organizations and unpublished versions are invisible to those
who may not see them); 409 = allowed, but the object is in the wrong state for it (e.g.
starting a hearing that is already live); 400 = allowed, but this caller's request is not
valid (e.g. a display key sent by someone who is not a screen without a body it accepts).
"""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import memberships as accounts_memberships
from accounts.models import Membership
from consultations.services import version_start
from hearings.models import Hearing
from hearings.services import check_in_token
from tests.factories import (
    PASSWORD,
    AgendaItemFactory,
    AspirationFactory,
    AttachmentFactory,
    CommentFactory,
    ConsultationFactory,
    CriterionFactory,
    DuplicateGroupFactory,
    ForumProposalFactory,
    HearingFactory,
    HearingInvitationFactory,
    ItemFactory,
    ManualCountFactory,
    MembershipFactory,
    NotificationFactory,
    OfficialScopeFactory,
    PlacementFactory,
    ResponseFactory,
    SectionFactory,
    SpeakerRequestFactory,
    TrustedFlaggerFactory,
    UserFactory,
)
from voting.services import vote_cast

PERSONAS = (
    "anonymous",
    "citizen",
    "unverified_member",
    "member",
    "representative",
    "other_representative",
    "moderator",
    "official",
    "planner",
    "display_key",
)

METHODS = ("get", "post", "put", "patch", "delete")


# --- the table ------------------------------------------------------------------------------
# (route name, method[, target]): statuses in PERSONAS order
#                                               anon cit unv mem rep oth mod off pla key
EXPECTED = {
    # auth
    ("auth-me", "get"): "401 200 200 200 200 200 200 200 200 401",
    ("auth-register", "post"): "201 201 201 201 201 201 201 201 201 201",
    ("auth-token", "post"): "200 200 200 200 200 200 200 200 200 200",
    ("auth-logout", "post"): "401 204 204 204 204 204 204 204 204 401",
    ("auth-logout-all", "post"): "401 204 204 204 204 204 204 204 204 401",
    # own data only (docs/PRIVACY.md): no id in the path, so no "other" target exists
    ("me-data", "get"): "401 200 200 200 200 200 200 200 200 401",
    ("me-privacy", "get"): "401 200 200 200 200 200 200 200 200 401",
    ("me-privacy", "post"): "401 200 200 200 200 200 200 200 200 401",
    ("me-delete", "post"): "401 200 200 200 200 200 200 200 200 401",
    # agencies: public reads, officials create
    ("agency-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("agency-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("agency-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    # organizations (the object is LSM Pelita, the member's own verified organization)
    ("organization-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    # already in an organization → 409; staff and the citizen may register one
    ("organization-list", "post"): "401 201 409 409 409 409 403 403 403 401",
    ("organization-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    # a pending organization is seen by its own member and officials only
    ("organization-detail", "get", "pending"): "404 404 200 404 404 404 404 200 404 404",
    ("organization-detail", "patch"): "401 403 403 403 200 403 403 200 403 401",
    # someone else's organization: Rina (Pelita) may not edit LSM Harapan or its members;
    # Sari, Harapan's representative, may
    ("organization-detail", "patch", "Harapan"): "401 403 403 403 403 200 403 200 403 401",
    ("organization-members", "get"): "401 403 403 200 200 403 403 200 403 401",
    ("organization-members", "get", "Harapan"): "401 403 403 403 403 200 403 200 403 401",
    ("organization-members", "post"): "401 403 403 403 202 403 403 403 403 401",
    ("organization-members", "post", "Harapan"): "401 403 403 403 403 202 403 403 403 401",
    ("organization-invitations", "get"): "401 403 403 403 200 403 403 200 403 401",
    ("organization-invitations", "get", "Harapan"): "401 403 403 403 403 200 403 200 403 401",
    ("organization-invitation", "delete"): "401 403 403 403 204 403 403 403 403 401",
    ("organization-changes", "get"): "401 403 403 403 200 403 403 200 403 401",
    ("organization-changes", "get", "Harapan"): "401 403 403 403 403 200 403 200 403 401",
    # Warga holds Pelita's invitation: only warga sees, accepts or declines it.
    ("invitation-list", "get"): "401 200 200 200 200 200 200 200 200 401",
    ("invitation-accept", "post"): "401 200 404 404 404 404 404 404 404 401",
    ("invitation-decline", "post"): "401 204 404 404 404 404 404 404 404 401",
    # the object is Tono, another member of Pelita; "Dedi": Dedi may leave Pelita himself,
    # not promote himself; "Yanti": a member of LSM Harapan
    ("organization-member", "patch"): "401 403 403 403 200 403 403 200 403 401",
    ("organization-member", "patch", "Dedi"): "401 403 403 403 200 403 403 200 403 401",
    ("organization-member", "patch", "Yanti"): "401 403 403 403 403 200 403 200 403 401",
    ("organization-member", "delete"): "401 403 403 403 204 403 403 204 403 401",
    ("organization-member", "delete", "Dedi"): "401 403 403 204 204 403 403 204 403 401",
    ("organization-member", "delete", "Yanti"): "401 403 403 403 403 204 403 204 403 401",
    # verifying the pending organization (invisible, so 404, to all but officials and its own
    # member Wawan); suspending Pelita
    ("organization-verify", "post"): "401 404 403 404 404 404 404 200 404 401",
    ("organization-suspend", "post"): "401 403 403 403 403 403 403 200 403 401",
    # consultations: public reads, officials manage; a draft is seen by staff only
    ("consultation-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("consultation-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-detail", "get", "draft"): "404 404 404 404 404 404 200 200 200 404",
    # PUT changes the voting method of an open consultation: 409; PATCH of the summary is
    # fine; a draft may still change anything
    ("consultation-detail", "put"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-detail", "put", "draft"): "401 404 404 404 404 404 403 200 403 401",
    ("consultation-detail", "patch"): "401 403 403 403 403 403 403 200 403 401",
    # publish acts on a draft consultation: hidden from non-staff (404); anonymous is told to
    # sign in first (401) before any lookup, so that answer leaks nothing either
    ("consultation-publish", "post"): "401 404 404 404 404 404 403 200 403 401",
    ("consultation-close", "post"): "401 403 403 403 403 403 403 200 403 401",
    # conclude needs a closed consultation: 409 on the open one
    ("consultation-conclude", "post"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-conclude", "post", "closed"): "401 403 403 403 403 403 403 200 403 401",
    # an open consultation's text is frozen (changes go into a new version): officials pass
    # the permission check and meet the state rule (409); everybody else is refused first.
    # A draft's text is the official's to change; others do not see it (404).
    ("consultation-section-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-section-list", "get", "draft"): "404 404 404 404 404 404 200 200 200 404",
    ("consultation-section-list", "post"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-section-list", "post", "draft"): "401 404 404 404 404 404 403 201 403 401",
    ("consultation-section-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-section-detail", "put"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-section-detail", "patch"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-section-detail", "patch", "draft"): "401 404 404 404 404 404 403 200 403 401",
    ("consultation-section-detail", "delete"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-section-detail", "delete", "draft"): "401 404 404 404 404 404 403 204 403 401",
    # versions: the open consultation's version 1 is public; "v2" is a consultation's
    # second version, started but not yet published
    ("consultation-version-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-version-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("consultation-version-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-version-detail", "get", "v2"): "404 404 404 404 404 404 200 200 200 404",
    ("consultation-version-publish", "post"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-version-publish", "post", "v2"): "401 404 404 404 404 404 403 200 403 401",
    ("consultation-item-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-item-list", "post"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-item-list", "post", "draft"): "401 404 404 404 404 404 403 201 403 401",
    ("consultation-item-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("consultation-item-detail", "put"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-item-detail", "patch"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-item-detail", "patch", "draft"): "401 404 404 404 404 404 403 200 403 401",
    ("consultation-item-detail", "delete"): "401 403 403 403 403 403 403 409 403 401",
    ("consultation-item-detail", "delete", "draft"): "401 404 404 404 404 404 403 204 403 401",
    ("item-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("item-detail", "get", "draft"): "404 404 404 404 404 404 200 200 200 404",
    # voting: only a verified organization's representative casts; anyone reads tallies/log.
    # Pelita has voted in this world, Harapan has not (nothing to withdraw: 404)
    ("api-item-vote", "get"): "401 403 200 200 200 200 403 403 403 401",
    ("api-item-vote", "put"): "401 403 403 403 200 200 403 403 403 401",
    ("api-item-vote", "delete"): "401 403 403 403 200 404 403 403 403 401",
    ("api-item-tally", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("api-consultation-tallies", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("api-vote-log", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("api-receipt", "get"): "200 200 200 200 200 200 200 200 200 200",  # Pelita's receipt
    # hearings: officials schedule; officials and moderators run the live session
    ("hearing-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("hearing-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("hearing-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("hearing-detail", "patch"): "401 403 403 403 403 403 403 200 403 401",
    ("hearing-start", "post"): "401 403 403 403 403 403 409 409 403 401",
    ("hearing-advance", "post"): "401 403 403 403 403 403 200 200 403 401",
    ("hearing-voting-open-voting", "post"): "401 403 403 403 403 403 200 200 403 401",
    ("hearing-voting-close-voting", "post"): "401 403 403 403 403 403 409 409 403 401",
    ("hearing-end", "post"): "401 403 403 403 403 403 200 200 403 401",
    # check-in by QR token: any member of a verified organization; not staff without one
    ("hearing-check-in", "post"): "401 403 403 200 200 200 403 403 403 401",
    ("hearing-rotate-key", "post"): "401 403 403 403 403 403 200 200 403 401",
    ("hearing-screen", "post"): "401 403 403 403 403 403 200 200 403 401",
    ("hearing-screen-comments", "post"): "401 403 403 403 403 403 200 200 403 401",
    ("hearing-screen-comment", "delete"): "401 403 403 403 403 403 200 200 403 401",
    ("hearing-agenda", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("hearing-agenda", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("hearing-agenda-item", "patch"): "401 403 403 403 403 403 403 200 403 401",
    ("hearing-agenda-item", "delete"): "401 403 403 403 403 403 403 204 403 401",
    # asking for the floor: a verified organization's member (Sari's organization already asked)
    ("hearing-speakers", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("hearing-speakers", "post"): "401 403 403 201 201 409 403 403 403 401",
    ("hearing-speakers-order", "post"): "401 403 403 403 403 403 200 200 403 401",
    # the speaker request belongs to Sari's organization: she may withdraw; the chair may too.
    # Dedi's request, for Pelita: Dedi and Rina may withdraw it, Sari may not
    ("hearing-speaker-action", "post"): "401 403 403 403 403 200 200 200 403 401",
    ("hearing-speaker-action", "post", "Dedi's request"): "401 403 403 200 200 403 200 200 403 401",
    ("hearing-manual-counts", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("hearing-manual-counts", "post"): "401 403 403 403 403 403 201 201 403 401",
    # heartbeats need the display key (without one the body is invalid: 400); only the chair
    # lists connected screens; a display key is a screen's credential, not a sign-in (403)
    ("hearing-screens", "get"): "403 403 403 403 403 403 200 200 403 403",
    ("hearing-screens", "post"): "400 400 400 400 400 400 400 400 400 200",
    ("hearing-events", "get"): "200 200 200 200 200 200 200 200 200 200",
    # the room's questions (the question is Tono's, a Pelita member, in the live hearing):
    # whoever may comment on this LSM consultation upvotes it, i.e. members of verified
    # organizations; staff hold no organization. Only the chair marks it answered
    ("comment-upvote-upvote", "put"): "401 403 403 200 200 200 403 403 403 401",
    ("comment-upvote-upvote", "delete"): "401 403 403 200 200 200 403 403 403 401",
    ("hearing-question-question-action", "post"): "401 403 403 403 403 403 200 200 403 401",
    # undangan are not public (401 before anything). The list is filtered: the chair sees
    # every invitation, an organization's members their own, others an empty list; only
    # officials invite (here LSM Harapan, not yet invited)
    ("hearing-invitation-list", "get"): "401 200 200 200 200 200 200 200 200 401",
    ("hearing-invitation-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    # Pelita's invitation: another organization's is 404 to them; Pelita's members and the
    # chair read it (its letter, its calendar entry), only Pelita's representative answers
    ("hearing-invitation-reply", "post"): "401 404 404 403 200 404 403 403 404 401",
    ("hearing-invitation-letter", "get"): "401 404 404 200 200 404 200 200 404 401",
    ("hearing-invitation-ics", "get"): "401 404 404 200 200 404 200 200 404 401",
    # comments (the comment is Dedi's, on behalf of Pelita, published, in the live hearing)
    ("comment-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    # an LSM consultation: members of verified organizations comment; staff hold no organization
    ("comment-list", "post"): "401 403 403 201 201 201 403 403 403 401",
    ("consultation-comment-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("comment-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    # only the author edits or deletes a comment
    ("comment-detail", "put"): "401 403 403 200 403 403 403 403 403 401",
    ("comment-detail", "patch"): "401 403 403 200 403 403 403 403 403 401",
    ("comment-detail", "delete"): "401 403 403 204 403 403 403 403 403 401",
    # anyone signed in but the author may report (the code is more generous than §4's
    # "member": a citizen or an unverified organization's member may flag abuse too)
    ("comment-report", "post"): "401 201 201 403 201 201 201 201 201 401",
    # moderation is the moderators' (approve/reject/restore of a published comment: 409)
    ("comment-approve", "post"): "401 403 403 403 403 403 409 403 403 401",
    ("comment-hide", "post"): "401 403 403 403 403 403 200 403 403 401",
    ("comment-reject", "post"): "401 403 403 403 403 403 409 403 403 401",
    ("comment-restore", "post"): "401 403 403 403 403 403 409 403 403 401",
    ("comment-moderation-log", "get"): "401 403 403 403 403 403 200 200 403 401",
    ("moderation-action-list", "get"): "401 403 403 403 403 403 200 200 403 401",
    # trusted flaggers are the moderators' to name, list and remove
    ("trusted-flagger-list", "get"): "401 403 403 403 403 403 200 403 403 401",
    ("trusted-flagger-list", "post"): "401 403 403 403 403 403 201 403 403 401",
    ("trusted-flagger-detail", "delete"): "401 403 403 403 403 403 204 403 403 401",
    # Tanggapan: officials and planners answer; an unpublished answer is internal (404)
    ("comment-respond", "post"): "401 403 403 403 403 403 403 200 200 401",
    ("response-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    # the comment already has its answer: 409 for those who may respond
    ("response-list", "post"): "401 403 403 403 403 403 403 409 409 401",
    ("response-detail", "get"): "404 404 404 404 404 404 200 200 200 404",
    ("response-detail", "put"): "401 404 404 404 404 404 403 200 200 401",
    ("response-detail", "patch"): "401 404 404 404 404 404 403 200 200 401",
    ("response-publish", "post"): "401 403 403 403 403 403 403 200 200 401",
    # exports: planners, officials, moderators (checksums of an export never made: 404)
    ("consultation-export-csv", "get"): "401 403 403 403 403 403 200 200 200 401",
    ("consultation-export-json", "get"): "401 403 403 403 403 403 200 200 200 401",
    ("consultation-export-xlsx", "get"): "401 403 403 403 403 403 200 200 200 401",
    ("consultation-export-csv-sha256", "get"): "401 403 403 403 403 403 404 404 404 401",
    ("consultation-export-json-sha256", "get"): "401 403 403 403 403 403 404 404 404 401",
    ("consultation-export-xlsx-sha256", "get"): "401 403 403 403 403 403 404 404 404 401",
    # the Berita Acara: officials and planners
    ("hearing-minutes-docx", "get"): "401 403 403 403 403 403 403 200 200 401",
    # themes and duplicate groups: staff read them; officials and planners recompute, answer
    # a whole theme or group, and import written submissions (here without a file: 400)
    ("consultation-themes", "get"): "401 403 403 403 403 403 200 200 200 401",
    ("consultation-duplicate-groups", "get"): "401 403 403 403 403 403 200 200 200 401",
    ("consultation-themes-refresh", "post"): "401 403 403 403 403 403 403 202 202 401",
    ("consultation-theme-respond", "post"): "401 403 403 403 403 403 403 200 200 401",
    ("consultation-duplicate-group-respond", "post"): "401 403 403 403 403 403 403 200 200 401",
    ("consultation-comment-imports", "post"): "401 403 403 403 403 403 403 400 400 401",
    # aspirations (the proposal is Dedi's, for Pelita, at the kelurahan stage; Alice is the
    # kelurahan's stage official). Anyone signed in but staff proposes; only the author edits
    ("aspiration-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-list", "post"): "401 201 201 201 201 201 403 403 403 401",
    ("aspiration-detail", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-detail", "patch"): "401 403 403 200 403 403 403 403 403 401",
    # supports: citizens (Wawan's organization is not verified: he is one) and other
    # organizations' representatives; not Pelita (its own), not a mere member, not staff
    ("aspiration-support", "put"): "401 200 200 403 403 200 403 403 403 401",
    ("aspiration-support", "delete"): "401 200 200 403 403 200 403 403 403 401",
    ("aspiration-decisions", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-decisions", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("aspiration-scores", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-scores", "put"): "401 403 403 403 403 403 403 200 403 401",
    ("aspiration-versions", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-attachment", "get"): "200 200 200 200 200 200 200 200 200 200",
    # comments on a proposal follow its (LSM) consultation's rules, like comment-list
    ("aspiration-agenda", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("aspiration-agenda-remove", "delete"): "401 403 403 403 403 403 403 204 403 401",
    ("aspiration-comments", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-comments", "post"): "401 403 403 201 201 201 403 403 403 401",
    ("aspiration-ranking", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-rekap-xlsx", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-rekap-csv", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-area-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    # the lists the city keeps: officials
    ("aspiration-category-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-category-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("aspiration-category-detail", "patch"): "401 403 403 403 403 403 403 200 403 401",
    ("aspiration-criterion-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    ("aspiration-criterion-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("aspiration-criterion-detail", "patch"): "401 403 403 403 403 403 403 200 403 401",
    # notifications: each signed-in user has their own; the one in the world is Dedi's
    ("notification-list", "get"): "401 200 200 200 200 200 200 200 200 401",
    ("notification-read", "post"): "401 404 404 200 404 404 404 404 404 401",
    ("notification-read-all", "post"): "401 200 200 200 200 200 200 200 200 401",
    ("notification-preferences", "get"): "401 200 200 200 200 200 200 200 200 401",
    ("notification-preferences", "put"): "401 200 200 200 200 200 200 200 200 401",
    # follow-up (docs/FOLLOWUP.md): officials record progress on an accepted input (here a
    # published, accepted response); anyone reads a published consultation's follow-ups
    ("follow-up-list", "post"): "401 403 403 403 403 403 403 201 403 401",
    ("consultation-follow-up-list", "get"): "200 200 200 200 200 200 200 200 200 200",
    # open data (docs/OPEN_DATA.md): public, no sign-in, a token is not even read
    ("open-data-catalogue", "get"): "200 200 200 200 200 200 200 200 200 200",
}

# Routes that are not endpoints of their own (the browsable API root).
NOT_ENDPOINTS = {"api-root"}


# --- routes from the URL conf ----------------------------------------------------------------


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def api_routes() -> dict[tuple[str, str], str]:
    """(route name, method) → a route pattern, for every route under api/v1/."""
    routes = {}
    for route, pattern in _walk(get_resolver()):
        if not route.startswith("api/v1/") or "(?P<format>" in route or "<drf_format" in route:
            continue
        if pattern.name in NOT_ENDPOINTS:
            continue
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        if actions:
            methods = list(actions)
        else:
            view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            methods = [m for m in METHODS if hasattr(view_class, m)]
        for method in methods:
            routes[(pattern.name, method)] = route
    return routes


ROUTES = api_routes()


def route_of(row: tuple) -> tuple[str, str]:
    return row[:2]


def target_of(row: tuple) -> str:
    return row[2] if len(row) == 3 else ""


def test_every_route_is_classified():
    unclassified = sorted(set(ROUTES) - {route_of(row) for row in EXPECTED})
    assert not unclassified, f"add these (route, method) to EXPECTED: {unclassified}"


def test_the_table_has_no_stale_rows():
    stale = sorted(row for row in EXPECTED if route_of(row) not in ROUTES)
    assert not stale, f"these rows name routes that no longer exist: {stale}"


def test_every_row_names_a_status_for_every_persona():
    for row, statuses in EXPECTED.items():
        assert len(statuses.split()) == len(PERSONAS), row


def test_every_target_is_one_the_world_knows():
    assert {target_of(row) for row in EXPECTED} - {""} <= set(TARGETS)


# --- the world -------------------------------------------------------------------------------


@pytest.fixture
def world(
    official,
    moderator,
    planner,
    citizen,
    representative,
    member,
    other_representative,
    unverified_member,
    organization,
    other_organization,
    pending_organization,
    open_consultation,
    draft_consultation,
    settings,
):
    # Every persona signs up from the test client's one address; the hourly limit per
    # address has tests of its own (test_accounts_signup_throttle.py).
    settings.RUANG = {**settings.RUANG, "SIGNUP_RATE_PER_HOUR": 1000}
    item = open_consultation.items.first()
    hearing = HearingFactory(
        consultation=open_consultation,
        status=Hearing.Status.LIVE,
        started_at=timezone.now(),
    )
    agenda_item = AgendaItemFactory(hearing=hearing, item=item, title="Pembahasan", position=1)
    AgendaItemFactory(hearing=hearing, title="Penutup", position=2)
    comment = CommentFactory(
        consultation=open_consultation, hearing=hearing, author=member, organization=organization
    )
    speaker = SpeakerRequestFactory(
        hearing=hearing, organization=other_organization, requested_by=other_representative
    )
    ManualCountFactory(hearing=hearing, item=item)
    extra_member = MembershipFactory(
        user=UserFactory(username="tono"), organization=organization, role=Membership.Role.MEMBER
    )
    other_member = MembershipFactory(
        user=UserFactory(username="yanti"),
        organization=other_organization,
        role=Membership.Role.MEMBER,
    )
    UserFactory(username="newcomer")
    invitation = accounts_memberships.membership_invite(
        actor=representative, organization=organization, username="warga", role="member"
    )
    vote_cast(actor=representative, item=item, choice="for")
    response = ResponseFactory(comment=comment, responder=official)
    # The comment's theme and duplicate group, as a computation would have stored them.
    placement = PlacementFactory(comment=comment, theme__analysis__consultation=open_consultation)
    placement.group = DuplicateGroupFactory(analysis=placement.analysis)
    placement.save()
    closed = ConsultationFactory(status="closed", title="Sudah ditutup")
    revised = ConsultationFactory(title="Sedang direvisi")
    SectionFactory(consultation=revised)
    version_start(actor=official, consultation=revised)
    rpjmd = ConsultationFactory(kind="rpjmd", title="Rancangan Awal RPJMD")
    aspiration = AspirationFactory(
        consultation=rpjmd, author=member, organization=organization, title="Drainase RW 03"
    )
    OfficialScopeFactory(user=official, kelurahan=aspiration.kelurahan)
    # Two Musrenbang forums on the RPJMD: one with the proposal on its agenda already.
    forum_hearing = HearingFactory(consultation=rpjmd, title="Forum Musrenbang Kelurahan")
    forum_link = ForumProposalFactory(aspiration=aspiration, hearing__title="Forum kedua")
    # A question asked in the room by Tono, so none of the personas upvotes their own.
    question = CommentFactory(
        consultation=open_consultation,
        hearing=hearing,
        author=extra_member.user,
        organization=organization,
        stance="question",
        body="Bagaimana dengan trotoar di Jalan Veteran?",
    )
    # Yanti's comment, answered "accepted" in public: something an official can follow up.
    accepted = ResponseFactory(
        comment=CommentFactory(
            consultation=open_consultation,
            author=other_member.user,
            organization=other_organization,
        ),
        responder=official,
        outcome="accepted",
        published_at=timezone.now(),
    )
    return {
        "rpjmd": rpjmd,
        "aspiration": aspiration,
        "forum_hearing": forum_hearing,
        "forum_link": forum_link,
        "attachment": AttachmentFactory(aspiration=aspiration),
        "criterion": CriterionFactory(name="Urgensi"),
        "users": {
            "anonymous": None,
            "citizen": citizen,
            "unverified_member": unverified_member,
            "member": member,
            "representative": representative,
            "other_representative": other_representative,
            "moderator": moderator,
            "official": official,
            "planner": planner,
            "display_key": None,
        },
        "organization": organization,
        "other_organization": other_organization,
        "pending_organization": pending_organization,
        "consultation": open_consultation,
        "draft": draft_consultation,
        "draft_section": draft_consultation.sections.get(),
        "draft_item": ItemFactory(consultation=draft_consultation),
        "closed": closed,
        "revised": revised,
        "section": open_consultation.sections.first(),
        "item": item,
        "hearing": hearing,
        "agenda_item": agenda_item,
        "comment": comment,
        "speaker": speaker,
        "extra_member": extra_member,
        "other_member": other_member,
        "response": response,
        "placement": placement,
        "invitation": invitation,
        "notification": NotificationFactory(user=member),
        "question": question,
        "accepted_response": accepted,
        "hearing_invitation": HearingInvitationFactory(
            hearing=hearing, organization=organization, sent_by=official
        ),
    }


def _dedis_speaker_request(w: dict) -> int:
    # Made inside the call's savepoint: Pelita has not asked for the floor in the world
    # every other row meets (there its members may still ask: 201, not 409).
    return SpeakerRequestFactory(
        hearing=w["hearing"], organization=w["organization"], requested_by=w["users"]["member"]
    ).pk


# target → how the path changes: (route name, path kwarg) → the object's pk; "*" = any route
TARGETS = {
    "pending": lambda w: {("*", "pk"): w["pending_organization"].pk},
    "Harapan": lambda w: {("*", "pk"): w["other_organization"].pk},
    "Dedi": lambda w: {("*", "membership_id"): w["users"]["member"].membership.pk},
    "Yanti": lambda w: {
        ("*", "pk"): w["other_organization"].pk,
        ("*", "membership_id"): w["other_member"].pk,
    },
    "draft": lambda w: {
        ("*", "consultation_pk"): w["draft"].pk,
        ("consultation-detail", "pk"): w["draft"].pk,
        ("consultation-section-list", "pk"): w["draft"].pk,
        ("consultation-section-detail", "pk"): w["draft_section"].pk,
        ("consultation-item-list", "pk"): w["draft"].pk,
        ("consultation-item-detail", "pk"): w["draft_item"].pk,
        ("item-detail", "pk"): w["draft_item"].pk,
    },
    "closed": lambda w: {("*", "pk"): w["closed"].pk},
    "v2": lambda w: {("*", "consultation_pk"): w["revised"].pk, ("*", "number"): 2},
    "Dedi's request": lambda w: {("*", "speaker_id"): _dedis_speaker_request(w)},
}

# Bodies that differ on a target: the draft's PUT need not repeat the voting method; Dedi
# is promoted, where Tono's role is set to what it is.
TARGET_BODIES = {
    ("consultation-detail", "draft"): {"title": "Draf RPJMD (revisi)"},
    ("organization-member", "Dedi"): {"role": "representative"},
}


def request_for(name: str, method: str, w: dict, persona: str, target: str = ""):
    """Path kwargs and a valid body for the route (on the target's object), in this world."""
    c, h, org = w["consultation"], w["hearing"], w["organization"]
    soon = (timezone.now() + datetime.timedelta(days=7)).isoformat()
    later = (timezone.now() + datetime.timedelta(days=40)).isoformat()
    kwargs = {
        "pk": None,
        "consultation_pk": c.pk,
        "consultation_id": c.pk,
        "item_id": w["item"].pk,
        "number": 1,
        "membership_id": w["extra_member"].pk,
        "invitation_id": w["invitation"].pk,
        "agenda_id": w["agenda_item"].pk,
        "comment_id": w["comment"].pk,
        "speaker_id": w["speaker"].pk,
        "verb": "withdraw",
        "receipt": w["item"].votes.get().receipt,
        "theme_id": w["placement"].theme_id,
        "group_id": w["placement"].group_id,
    }
    if name == "hearing-question-question-action":
        kwargs["verb"] = "answered"  # the chair's verbs, not the vote's "withdraw"
        kwargs["comment_id"] = w["question"].pk
    consultation_body = {
        "title": "Ranperwal Pedestrian",
        "kind": "policy_draft",
        "summary": "Ringkasan",
        "opens_at": soon,
        "closes_at": later,
        "voting_method": "stance",
        "max_choices": 1,
        "ballot": "open",
        "moderation": "post",
        "audience": "lsm",
    }
    aspiration = w["aspiration"]
    bodies = {
        "aspiration-list": {
            "consultation": w["rpjmd"].pk,
            "title": "Lampu jalan Gang Mawar",
            "description": "Gang gelap pada malam hari.",
            "category": aspiration.category_id,
            "kelurahan": aspiration.kelurahan_id,
            "estimated_cost": "64000000",
            "beneficiaries": 240,
        },
        "aspiration-detail": {"title": "Drainase RW 03 dan RW 04"},
        "aspiration-decisions": {"outcome": "forwarded"},
        "aspiration-scores": {"scores": [{"criterion": w["criterion"].pk, "value": 4}]},
        "aspiration-agenda": {"hearing": w["forum_hearing"].pk},
        "aspiration-comments": {"stance": "support", "body": "Kami dukung usulan ini."},
        "aspiration-category-list": {"name": "Bidang Baru"},
        "aspiration-category-detail": {"is_active": False},
        "aspiration-criterion-list": {"name": "Kriteria Baru"},
        "aspiration-criterion-detail": {"is_active": False},
        "auth-register": {
            "username": f"baru_{persona}",
            "password": "kata-sandi-yang-panjang-2026",
            "email": f"{persona}@example.id",
            "full_name": "Warga Baru",
        },
        "auth-token": {"username": "rina", "password": PASSWORD},
        "me-privacy": {"show_name": True},
        "me-delete": {"password": PASSWORD},
        "agency-list": {"name": "Dinas Perhubungan", "acronym": "Dishub"},
        "organization-list": {
            "name": "LSM Cahaya Baru",
            "acronym": "Cahaya",
            "registration_number": "SKT-9999/BKBP/2026",
            "registration_expires_on": "2030-01-01",
        },
        "organization-detail": {"address": "Jl. Soekarno Hatta 1"},
        "organization-members": {"username": "newcomer"},
        "organization-member": {"role": "member"},
        "organization-suspend": {"reason": "Audit"},
        "consultation-list": consultation_body,
        "consultation-detail": consultation_body
        if method == "put"
        else {"summary": "Ringkasan baru"},
        "consultation-section-list": {"number": "Pasal 9", "heading": "Penutup", "body": "Teks"},
        "consultation-section-detail": {"number": "Pasal 1", "heading": "Umum", "body": "Teks"},
        "consultation-version-list": {"note": "Versi kedua"},
        "consultation-close": {"reason": "Rapat pleno memajukan jadwal."},
        "consultation-item-list": {"title": "Program Baru", "budget_ceiling": "1000000.00"},
        "consultation-item-detail": {"title": "Program Diubah"},
        "api-item-vote": {"choice": "for"},
        "hearing-list": {
            "consultation": c.pk,
            "title": "Rapat Dengar Pendapat",
            "starts_at": soon,
            "location": "Gedung Gradika",
        },
        "hearing-detail": {"location": "Balai Kota"},
        "hearing-advance": {"agenda_item": w["agenda_item"].pk},
        "hearing-voting-open-voting": {"item": w["item"].pk},
        "hearing-check-in": {"token": check_in_token(h)},
        "hearing-screen": {"mode": "blank"},
        "hearing-screen-comments": {"comment": w["comment"].pk},
        "hearing-agenda": {"title": "Tanya jawab"},
        "hearing-agenda-item": {"position": 2},
        "hearing-speakers-order": {"order": [w["speaker"].pk]},
        "hearing-manual-counts": {
            "item": w["item"].pk,
            "method": "hands",
            "counts": {"for": 3, "against": 1, "abstain": 0},
        },
        "hearing-screens": {"screen": "layar-1", "label": "Proyektor"},
        "comment-list": {"consultation": c.pk, "stance": "support", "body": "Setuju pasal ini."},
        "comment-detail": {"body": "Isi yang diperbaiki.", "stance": "neutral"},
        "comment-hide": {"reason": "Tidak relevan"},
        "comment-reject": {"reason": "Tidak relevan"},
        "comment-restore": {"reason": "Keliru"},
        "comment-report": {"reason": "Ujaran kebencian"},
        "trusted-flagger-list": {"username": "newcomer"},
        "comment-respond": {"outcome": "noted", "body": "Terima kasih, dicatat."},
        "response-list": {"comment": w["comment"].pk, "outcome": "noted", "body": "Dicatat."},
        "response-detail": {"outcome": "accepted", "body": "Diterima."},
        "response-publish": {"consultation": c.pk},
        "consultation-theme-respond": {"outcome": "noted", "body": "Dicatat untuk semua."},
        "consultation-duplicate-group-respond": {"outcome": "noted", "body": "Dicatat."},
        "notification-preferences": {"channels": {"comment_rejected": "in_app"}},
        "hearing-invitation-list": {"organizations": [w["other_organization"].pk]},
        "hearing-invitation-reply": {"reply": "diwakili", "delegate_name": "Tono"},
        "follow-up-list": {
            "consultation": c.pk,
            "response": w["accepted_response"].pk,
            "status": "in_progress",
            "progress": 40,
            "note": "Trotoar Jalan Veteran masuk DPA 2027.",
        },
    }
    if name.startswith("organization"):
        kwargs["pk"] = org.pk
        if name == "organization-verify":
            kwargs["pk"] = w["pending_organization"].pk
    elif name.startswith("consultation-"):
        kwargs["pk"] = c.pk
        if name == "consultation-publish":
            kwargs["pk"] = w["draft"].pk
        if name == "consultation-section-detail":
            kwargs["pk"] = w["section"].pk
        if name in ("consultation-item-detail",):
            kwargs["pk"] = w["item"].pk
    elif name.startswith("hearing-invitation-") and name != "hearing-invitation-list":
        kwargs["pk"] = w["hearing_invitation"].pk
    elif name.startswith("hearing"):
        kwargs["pk"] = h.pk
    elif name.startswith("agency"):
        kwargs["pk"] = c.agency_id
    elif name == "comment-upvote-upvote":
        kwargs["pk"] = w["question"].pk
    elif name.startswith("comment-"):
        kwargs["pk"] = w["comment"].pk
    elif name.startswith("response-"):
        kwargs["pk"] = w["response"].pk
    elif name.startswith("trusted-flagger"):
        kwargs["pk"] = TrustedFlaggerFactory(user=w["users"]["citizen"]).pk
    elif name == "item-detail":
        kwargs["pk"] = w["item"].pk
    elif name.startswith("invitation-"):
        kwargs["pk"] = w["invitation"].pk
    elif name.startswith("notification-"):
        kwargs["pk"] = w["notification"].pk
    elif name.startswith("aspiration-category"):
        kwargs["pk"] = w["aspiration"].category_id
    elif name.startswith("aspiration-criterion"):
        kwargs["pk"] = w["criterion"].pk
    elif name.startswith("aspiration-"):
        kwargs["pk"] = w["aspiration"].pk
        kwargs["attachment_id"] = w["attachment"].pk
        kwargs["hearing_id"] = w["forum_link"].hearing_id
    if target:
        for (route, kwarg), pk in TARGETS[target](w).items():
            if route in ("*", name):
                kwargs[kwarg] = pk
    body = TARGET_BODIES.get((name, target), bodies.get(name))
    return kwargs, body if method in ("post", "put", "patch") else None


def build_path(route: str, kwargs: dict) -> str:
    def replace(match):
        name = match.group(1) or match.group(2)
        return str(kwargs[name])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", replace, route)
    return "/" + path.replace("^", "").replace("$", "")


def client_for(persona: str, w: dict) -> APIClient:
    client = APIClient()
    user = w["users"][persona]
    if user is not None:
        _instance, key = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def call(row: tuple, persona: str, w: dict) -> int:
    name, method = route_of(row)
    kwargs, body = request_for(name, method, w, persona, target_of(row))
    path = build_path(ROUTES[(name, method)], kwargs)
    client = client_for(persona, w)
    if persona == "display_key":
        key = w["hearing"].display_key
        if body is not None:
            body = {**body, "key": key}
        else:
            path += f"?key={key}"
    response = getattr(client, method)(path, body, format="json")
    return response.status_code


class _Rollback(Exception):
    pass


def status_of(row: tuple, persona: str, w: dict) -> str:
    """One call in a savepoint that is rolled back, so every persona meets the same world."""
    try:
        with transaction.atomic():
            code = call(row, persona, w)
            raise _Rollback
    except _Rollback:
        pass
    return str(code)


@pytest.mark.parametrize("row", sorted(EXPECTED), ids=lambda row: "-".join(row).replace(" ", "_"))
def test_every_persona_gets_the_expected_status(row, world):
    if route_of(row) not in ROUTES:
        pytest.skip("stale row (reported by test_the_table_has_no_stale_rows)")
    got = " ".join(status_of(row, persona, world) for persona in PERSONAS)
    assert got == EXPECTED[row], f"{PERSONAS}"
