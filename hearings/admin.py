"""The officials' admin for hearings, their agenda, attendance, counts and speakers."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from backend.errors import DomainError
from hearings import services
from hearings.models import AgendaItem, Attendance, Hearing, ManualCount, SpeakerRequest


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
