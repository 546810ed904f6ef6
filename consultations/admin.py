"""The officials' admin for consultations, draft versions, sections and items."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from backend.errors import DomainError
from consultations import services
from consultations.models import Consultation, DraftVersion, Item, Section


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
        "closed_by",
        "close_reason",
        "concluded_at",
        "created_by",
    ]
    inlines = [ItemInline]
    # No "close" here: the clock closes a consultation on time, and an early close needs
    # a reason, given with the button on the consultation's page (or the API).
    actions = ["publish", "conclude"]

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
