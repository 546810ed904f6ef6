"""The officials' admin for agencies, organizations (verification) and memberships."""

import datetime

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import memberships, services
from accounts.models import Agency, Invitation, Membership, Organization, OrganizationChange
from backend.errors import DomainError

User = get_user_model()

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


class ReadOnlyInline(admin.TabularInline):
    """Who sits in an organization changes only through the services (invitation,
    acceptance, removal), which keep the change record; the admin shows it."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = ["username", "role", "status", "invited_by", "created_at", "answered_at"]
    readonly_fields = fields
    verbose_name_plural = _("invitations")


class OrganizationChangeInline(ReadOnlyInline):
    model = OrganizationChange
    fields = ["created_at", "kind", "subject_username", "role", "detail", "actor_username"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Bakesbangpol's desk: verify, suspend, read who acts for each organization.

    Organizations register themselves and edit their own details (a rename goes back to
    verification), so here everything is read-only apart from the two actions.
    """

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
    inlines = [MembershipInline, InvitationInline, OrganizationChangeInline]
    actions = ["verify", "suspend"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Organization._meta.fields if field.name != "name_key"]

    def has_add_permission(self, request):
        return False

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
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization__status"]
    search_fields = ["user__username", "organization__name"]
    readonly_fields = ["user", "organization", "role", "created_at"]
    actions = ["remove"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the action below removes through the service, which records it

    @admin.action(description=_("Remove selected members from their organizations"))
    def remove(self, request, queryset):
        for membership in queryset.select_related("user", "organization"):
            try:
                memberships.membership_remove(actor=request.user, membership=membership)
            except DomainError as exc:
                self.message_user(request, f"{membership}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(name)s: done.") % {"name": membership}, messages.SUCCESS
                )


@admin.register(OrganizationChange)
class OrganizationChangeAdmin(admin.ModelAdmin):
    """Every organization's changes of members and names, newest first: a take-over shows."""

    list_display = [
        "created_at",
        "organization",
        "kind",
        "subject_username",
        "role",
        "detail",
        "actor_username",
    ]
    list_filter = ["kind"]
    search_fields = ["organization__name", "subject_username", "actor_username"]
    list_select_related = ["organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UsernameChecks:
    """The admin's user forms refuse the usernames sign-up refuses (look-alikes)."""

    def clean_username(self):
        try:
            return services.clean_username(self.cleaned_data["username"])
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


class UserCreationForm(UsernameChecks, auth_forms.AdminUserCreationForm):
    pass


class UserChangeForm(UsernameChecks, auth_forms.UserChangeForm):
    pass


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    add_form = UserCreationForm
    form = UserChangeForm
