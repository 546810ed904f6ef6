"""Read-only admin: votes change only through services, records never change."""

from django.contrib import admin

from voting.models import Ballot, Tally, Vote, VoteChain, VoteRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["item", "organization", "choice", "cast_by", "updated_at", "receipt"]
    list_filter = ["choice", "item__consultation"]
    list_select_related = ["item", "organization", "cast_by"]
    search_fields = ["organization__name", "receipt"]


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
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


@admin.register(VoteRecord)
class VoteRecordAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "seq", "item", "organization", "action", "choice", "hash"]
    list_select_related = ["consultation", "item", "organization"]
    list_filter = ["consultation", "action"]
    search_fields = ["hash"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "organization", "created_at"]
    list_select_related = ["consultation", "organization"]
    exclude = ["salt"]


@admin.register(VoteChain)
class VoteChainAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "length", "head"]
