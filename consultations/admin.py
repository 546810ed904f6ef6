from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from backend.errors import DomainError
from consultations import services
from consultations.models import (
    Agency,
    Consultation,
    DraftVersion,
    Item,
    Membership,
    Organization,
    Section,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym"]
    search_fields = ["name", "acronym"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "acronym",
        "registration_number",
        "registration_expires_on",
        "status",
        "verified_at",
    ]
    list_filter = ["status", "registration_expires_on"]
    search_fields = ["name", "acronym", "registration_number"]
    readonly_fields = ["status", "verified_by", "verified_at", "created_at"]
    inlines = [MembershipInline]
    actions = ["verify", "suspend"]

    @admin.action(description=_("Verify selected organizations"))
    def verify(self, request, queryset):
        self._run(request, queryset, services.organization_verify)

    @admin.action(description=_("Suspend selected organizations"))
    def suspend(self, request, queryset):
        self._run(request, queryset, services.organization_suspend)

    def _run(self, request, queryset, service):
        for organization in queryset:
            try:
                service(actor=request.user, organization=organization)
            except DomainError as exc:
                self.message_user(request, f"{organization}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{organization}: OK", messages.SUCCESS)


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "number", "heading", "body"]


@admin.register(DraftVersion)
class DraftVersionAdmin(admin.ModelAdmin):
    list_display = ["consultation", "number", "published_at"]
    list_filter = ["consultation"]
    inlines = [SectionInline]


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "code", "title", "programme_path", "budget_ceiling"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agency", "status", "opens_at", "closes_at"]
    list_filter = ["status", "kind", "agency", "audience", "ballot", "voting_method"]
    search_fields = ["title", "summary"]
    date_hierarchy = "opens_at"
    readonly_fields = ["status", "published_at", "closed_at", "concluded_at", "created_by"]
    inlines = [ItemInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization__status"]
    search_fields = ["user__username", "organization__name"]
    raw_id_fields = ["user", "organization"]


# --- Comments, moderation, responses (issue 3: branch comments) ---


# --- Hearings (issue 5: branch hearings) ---
