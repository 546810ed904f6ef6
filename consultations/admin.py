import datetime

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
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

admin.site.site_header = _("Ruang Dialog administration")
admin.site.site_title = _("Ruang Dialog")
admin.site.index_title = _("Officials' workspace")


class RegistrationValidityFilter(admin.SimpleListFilter):
    """Bakesbangpol's question: whose SKT has run out, or soon will?"""

    title = _("registration (SKT)")
    parameter_name = "skt"

    def lookups(self, request, model_admin):
        return [
            ("valid", _("Valid")),
            ("expiring", _("Expires within 90 days")),
            ("expired", _("Expired or missing")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "valid":
            return queryset.filter(registration_expires_on__gte=today)
        if self.value() == "expiring":
            return queryset.filter(
                registration_expires_on__gte=today,
                registration_expires_on__lte=today + datetime.timedelta(days=90),
            )
        if self.value() == "expired":
            return queryset.filter(
                Q(registration_expires_on__lt=today) | Q(registration_expires_on__isnull=True)
            )
        return queryset


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
    list_filter = ["status", RegistrationValidityFilter]
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
                self.message_user(
                    request, _("%(name)s: done.") % {"name": organization}, messages.SUCCESS
                )


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "number", "heading", "body"]

    def has_change_permission(self, request, obj=None):
        # A published version is the public record: new text goes into a new version.
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(DraftVersion)
class DraftVersionAdmin(admin.ModelAdmin):
    list_display = ["consultation", "number", "published_at"]
    list_filter = ["consultation"]
    readonly_fields = ["consultation", "number", "published_at"]
    inlines = [SectionInline]

    def has_add_permission(self, request):
        return False  # versions start from the consultation (services.version_start)

    def save_formset(self, request, form, formset, change):
        """Sections change through the services, which keep numbers unique and versions sealed."""
        sections = formset.save(commit=False)
        for section in formset.deleted_objects:
            services.section_delete(actor=request.user, section=section)
        for section in sections:
            fields = {
                "number": section.number,
                "heading": section.heading,
                "body": section.body,
                "position": section.position,
            }
            if section.pk:
                services.section_update(actor=request.user, section=section, **fields)
            else:
                services.section_add(
                    actor=request.user, consultation=form.instance.consultation, **fields
                )


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "code", "title", "programme_path", "budget_ceiling"]

    def has_change_permission(self, request, obj=None):
        # Votable items are fixed once the consultation opens.
        if obj is not None and obj.status != Consultation.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agency", "status", "opens_at", "closes_at"]
    list_filter = ["status", "kind", "agency", "audience", "ballot", "voting_method"]
    search_fields = ["title", "summary"]
    date_hierarchy = "opens_at"
    readonly_fields = [
        "status",
        "created_at",
        "published_at",
        "closed_at",
        "concluded_at",
        "created_by",
    ]
    inlines = [ItemInline]
    actions = ["publish", "close", "conclude"]

    def save_model(self, request, obj, form, change):
        """Through the services, so a new consultation gets its first draft version."""
        fields = {
            name: form.cleaned_data[name]
            for name in services.CONSULTATION_FIELDS
            if name in form.cleaned_data and name != "title"
        }
        try:
            if change:
                saved = services.consultation_update(
                    actor=request.user,
                    consultation=obj,
                    title=form.cleaned_data["title"],
                    **fields,
                )
            else:
                saved = services.consultation_create(
                    actor=request.user, title=form.cleaned_data["title"], **fields
                )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            raise
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        """Items change through the services (only while the consultation is a draft)."""
        if formset.model is not Item:
            return super().save_formset(request, form, formset, change)
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            services.item_delete(actor=request.user, item=item)
        for item in items:
            fields = {name: getattr(item, name) for name in ItemInline.fields if name != "title"}
            if item.pk:
                services.item_update(actor=request.user, item=item, title=item.title, **fields)
            else:
                services.item_add(
                    actor=request.user, consultation=form.instance, title=item.title, **fields
                )

    @admin.action(description=_("Publish selected consultations"))
    def publish(self, request, queryset):
        self._run(request, queryset, services.consultation_publish)

    @admin.action(description=_("Close selected consultations"))
    def close(self, request, queryset):
        self._run(request, queryset, services.consultation_close)

    @admin.action(description=_("Conclude selected consultations"))
    def conclude(self, request, queryset):
        self._run(request, queryset, services.consultation_conclude)

    def _run(self, request, queryset, service):
        for consultation in queryset:
            try:
                service(actor=request.user, consultation=consultation)
            except DomainError as exc:
                self.message_user(request, f"{consultation}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(name)s: done.") % {"name": consultation}, messages.SUCCESS
                )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization__status"]
    search_fields = ["user__username", "organization__name"]
    raw_id_fields = ["user", "organization"]


# --- Comments, moderation, responses (issue 3: branch comments) ---

from consultations.models import (  # noqa: E402
    Comment,
    CommentEdit,
    CommentReport,
    ModerationAction,
)
from consultations.models import Response as CommentResponse  # noqa: E402


class CommentEditInline(admin.TabularInline):
    model = CommentEdit
    extra = 0
    can_delete = False
    readonly_fields = ["body", "edited_at"]


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    can_delete = False
    readonly_fields = ["reporter", "reason", "created_at", "resolved_at"]


class ModerationActionInline(admin.TabularInline):
    model = ModerationAction
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "action", "reason", "created_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read and moderate; every change goes through the services (audit rows, broadcasts)."""

    list_display = ["id", "consultation", "section", "organization", "stance", "status"]
    list_filter = ["status", "stance", "consultation"]
    search_fields = ["body", "author__username", "organization__name"]
    date_hierarchy = "created_at"
    list_select_related = ["consultation", "section", "organization"]
    inlines = [CommentEditInline, CommentReportInline, ModerationActionInline]
    actions = ["approve", "restore"]
    readonly_fields = [field.name for field in Comment._meta.fields if field.name not in ("id",)]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve selected comments"))
    def approve(self, request, queryset):
        self._run(request, queryset, services.comment_approve)

    @admin.action(description=_("Restore selected comments"))
    def restore(self, request, queryset):
        self._run(request, queryset, services.comment_restore)

    def _run(self, request, queryset, service):
        for comment in queryset:
            try:
                service(actor=request.user, comment=comment, reason="")
            except DomainError as exc:
                self.message_user(request, f"#{comment.pk}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"#{comment.pk}: OK", messages.SUCCESS)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderation log is append-only."""

    list_display = ["created_at", "actor", "action", "comment", "reason"]
    list_filter = ["action"]
    search_fields = ["reason", "actor__username"]
    readonly_fields = ["comment", "actor", "action", "reason", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommentResponse)
class CommentResponseAdmin(admin.ModelAdmin):
    list_display = ["consultation", "comment", "section", "outcome", "published_at"]
    list_filter = ["outcome", "consultation"]
    search_fields = ["body"]
    readonly_fields = [
        "consultation", "comment", "section", "responder", "published_at", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        """Edits go through the service, like every other change."""
        try:
            services.response_update(
                actor=request.user,
                response=obj,
                outcome=form.cleaned_data.get("outcome"),
                body=form.cleaned_data.get("body"),
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)


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
