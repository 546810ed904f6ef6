"""The officials' admin for agencies, organizations (verification) and memberships."""

import datetime

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Agency, Membership, Organization
from backend.errors import DomainError

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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization__status"]
    search_fields = ["user__username", "organization__name"]
    raw_id_fields = ["user", "organization"]
