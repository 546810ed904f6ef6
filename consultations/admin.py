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
# Imports live in this section so parallel branches merge cleanly.
from consultations.models import (  # noqa: E402
    AgendaItem,
    Attendance,
    Hearing,
    ManualCount,
    SpeakerRequest,
)


class AgendaItemInline(admin.TabularInline):
    """Read-only: the agenda changes through its services (API, console), which broadcast."""

    model = AgendaItem
    extra = 0
    fields = ["position", "title", "item"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["organization", "method", "checked_in_by", "checked_in_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ManualCountInline(admin.TabularInline):
    model = ManualCount
    extra = 0
    fields = ["item", "method", "counts", "note", "entered_by", "entered_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin):
    """Scheduling and minutes; the live session runs from the moderator console."""

    list_display = ["title", "consultation", "starts_at", "location", "status"]
    list_filter = ["status", "check_in_required"]
    search_fields = ["title", "location", "consultation__title"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "status",
        "current_agenda_item",
        "voting_item",
        "voting_opened_at",
        "screen_mode",
        "started_at",
        "ended_at",
        "created_by",
        "display_key",
    ]
    raw_id_fields = ["consultation"]
    inlines = [AgendaItemInline, AttendanceInline, ManualCountInline]
    actions = ["start", "end", "rotate_display_key"]

    def save_model(self, request, obj, form, change):
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            fields = {k: v for k, v in fields.items() if k in services.HEARING_FIELDS}
            if fields:
                try:
                    services.hearing_update(actor=request.user, hearing=obj, **fields)
                except DomainError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
            return
        created = services.hearing_create(
            actor=request.user,
            consultation=obj.consultation,
            title=obj.title,
            starts_at=obj.starts_at,
            location=obj.location,
            check_in_required=obj.check_in_required,
            chair_name=obj.chair_name,
        )
        obj.pk = created.pk
        obj.display_key = created.display_key

    def _run_each(self, request, queryset, service):
        for hearing in queryset:
            try:
                service(actor=request.user, hearing=hearing)
            except DomainError as exc:
                self.message_user(request, f"{hearing}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{hearing}: OK", messages.SUCCESS)

    @admin.action(description=_("Start selected hearings"))
    def start(self, request, queryset):
        self._run_each(request, queryset, services.hearing_start)

    @admin.action(description=_("End selected hearings"))
    def end(self, request, queryset):
        self._run_each(request, queryset, services.hearing_end)

    @admin.action(description=_("Rotate the display key of selected hearings"))
    def rotate_display_key(self, request, queryset):
        self._run_each(request, queryset, services.display_key_rotate)


@admin.register(SpeakerRequest)
class SpeakerRequestAdmin(admin.ModelAdmin):
    list_display = ["hearing", "organization", "position", "status", "seconds", "started_at"]
    list_filter = ["status"]
    readonly_fields = [
        "hearing",
        "organization",
        "requested_by",
        "position",
        "status",
        "seconds",
        "started_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
