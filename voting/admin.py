"""Read-only admin, and the secret ballot holds here too (ARCHITECTURE.md §4: superusers see
no choice or count of an open secret ballot).

Nothing is added, changed or deleted here: votes, tallies and the chain are written only
by voting/services.py. What a row shows follows voting's selectors:

- per-organization rows (votes, ballots) of a secret ballot are not listed at all: who
  chose what, or even who took part, is never shown under a secret ballot;
- the tallies of a secret ballot still open are not listed (`selectors.sealed_consultations`);
- a vote record shows what the published log shows (`selectors.log_entry`): seq and hashes
  while sealed, no organization or person under a secret ballot.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation
from voting import selectors
from voting.models import Ballot, Tally, Vote, VoteChain, VoteRecord

SECRET = Consultation.Ballot.SECRET


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    """Open ballots only: under a secret ballot an organization's choice is its own."""

    list_display = ["item", "organization", "choice", "cast_by", "updated_at", "receipt"]
    list_filter = ["choice", "item__consultation"]
    list_select_related = ["item", "organization", "cast_by"]
    search_fields = ["organization__name", "receipt"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(item__consultation__ballot=SECRET)


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    """Every tally the public may see: a secret ballot's only once voting has closed."""

    list_display = [
        "item",
        "for_count",
        "against_count",
        "abstain_count",
        "approve_count",
        "updated_at",
    ]
    list_select_related = ["item"]
    list_filter = ["item__consultation"]

    def get_queryset(self, request):
        sealed = selectors.sealed_consultations()
        return super().get_queryset(request).exclude(item__consultation__in=sealed)


# A record's fields as the published log shows them (selectors.log_entry).
SEALED_FIELDS = ["consultation", "seq", "prev_hash", "hash"]
PSEUDONYMOUS_FIELDS = [
    "consultation",
    "seq",
    "item",
    "voter",
    "actor_token",
    "choice",
    "action",
    "nonce",
    "recorded_at",
    "prev_hash",
    "hash",
]


@admin.register(VoteRecord)
class VoteRecordAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "seq", "shown_item", "shown_organization", "shown_action"]
    list_display += ["shown_choice", "hash"]
    list_select_related = ["consultation", "item", "organization"]
    list_filter = ["consultation"]  # no filter by action or choice: counts of a sealed log
    search_fields = ["hash"]

    def _log_entry(self, record) -> dict:
        return selectors.log_entry(record, record.consultation)

    @admin.display(description=_("item"))
    def shown_item(self, record):
        return record.item if "item" in self._log_entry(record) else "—"

    @admin.display(description=_("organization"))
    def shown_organization(self, record):
        entry = self._log_entry(record)
        return entry["organization"]["name"] if "organization" in entry else "—"

    @admin.display(description=_("action"))
    def shown_action(self, record):
        return record.get_action_display() if "action" in self._log_entry(record) else "—"

    @admin.display(description=_("choice"))
    def shown_choice(self, record):
        return self._log_entry(record).get("choice") or "—"

    def get_fields(self, request, obj=None):
        if obj is None or selectors.choices_public(obj.consultation):
            return super().get_fields(request, obj)
        if selectors.log_sealed(obj.consultation):
            return SEALED_FIELDS
        return PSEUDONYMOUS_FIELDS


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """Open ballots only: a secret ballot's papers would say who took part."""

    list_display = ["consultation", "organization", "created_at"]
    list_select_related = ["consultation", "organization"]
    exclude = ["salt"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(consultation__ballot=SECRET)


@admin.register(VoteChain)
class VoteChainAdmin(ReadOnlyAdmin):
    """The chain heads: public anyway (the consultation page, the API, the events)."""

    list_display = ["consultation", "length", "head"]
