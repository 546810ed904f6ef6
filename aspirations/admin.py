"""The admin for the lists the city keeps and for who decides at which stage. Proposals,
supports, decisions and scores are read here, never written: they change only through the
services (the pages and the API)."""

from django.contrib import admin, messages

from aspirations import lists
from aspirations.models import (
    Aspiration,
    Category,
    Criterion,
    Decision,
    Kecamatan,
    Kelurahan,
    OfficialScope,
)
from backend.errors import DomainError


class ServiceAdmin(admin.ModelAdmin):
    """Saves through a service; a refused change shows its reason instead of a 500."""

    def save_model(self, request, obj, form, change):
        try:
            self.save_through_service(request, obj, form, change)
        except DomainError as error:
            messages.error(request, error.message)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ServiceAdmin):
    list_display = ["name", "position", "is_active"]
    fields = ["name", "position", "is_active"]

    def save_through_service(self, request, obj, form, change):
        if change:
            lists.category_update(
                actor=request.user, category=obj, name=obj.name, is_active=obj.is_active
            )
        else:
            lists.category_create(actor=request.user, name=obj.name, position=obj.position)


@admin.register(Criterion)
class CriterionAdmin(ServiceAdmin):
    list_display = ["name", "position", "is_active"]
    fields = ["name", "description", "position", "is_active"]

    def save_through_service(self, request, obj, form, change):
        if change:
            lists.criterion_update(
                actor=request.user, criterion=obj, name=obj.name, is_active=obj.is_active
            )
        else:
            lists.criterion_create(
                actor=request.user,
                name=obj.name,
                description=obj.description,
                position=obj.position,
            )


@admin.register(OfficialScope)
class OfficialScopeAdmin(ServiceAdmin):
    list_display = ["user", "stage", "kecamatan", "kelurahan"]
    list_filter = ["stage", "kecamatan"]
    autocomplete_fields = []
    fields = ["user", "stage", "kecamatan", "kelurahan"]

    def save_through_service(self, request, obj, form, change):
        lists.official_scope_set(
            actor=request.user,
            user=obj.user,
            stage=obj.stage,
            kecamatan=obj.kecamatan,
            kelurahan=obj.kelurahan,
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        lists.official_scope_clear(actor=request.user, user=obj.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    fk_name = "aspiration"
    extra = 0
    fields = ["decided_at", "stage", "outcome", "reason", "decided_by", "item", "pagu"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Aspiration)
class AspirationAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "kelurahan", "stage", "status", "support_organizations"]
    list_filter = ["stage", "status", "kecamatan", "category"]
    search_fields = ["title"]
    inlines = [DecisionInline]
    exclude = []


@admin.register(Kecamatan)
class KecamatanAdmin(ReadOnlyAdmin):
    list_display = ["name"]


@admin.register(Kelurahan)
class KelurahanAdmin(ReadOnlyAdmin):
    list_display = ["name", "kecamatan"]
    list_filter = ["kecamatan"]
