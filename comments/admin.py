"""The admin for comments, their moderation log and responses; actions go through the services."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from backend.errors import DomainError
from comments import moderation, permissions, responses
from comments.models import Comment, CommentEdit, CommentReport, ModerationAction, TrustedFlagger
from comments.models import Response as CommentResponse


class CommentEditInline(admin.TabularInline):
    model = CommentEdit
    extra = 0
    can_delete = False
    readonly_fields = ["body", "edited_at"]


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    can_delete = False
    readonly_fields = ["reporter", "organization", "trusted", "reason", "created_at", "resolved_at"]


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
        self._run(request, queryset, moderation.comment_approve)

    @admin.action(description=_("Restore selected comments"))
    def restore(self, request, queryset):
        self._run(request, queryset, moderation.comment_restore)

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
            responses.response_update(
                actor=request.user,
                response=obj,
                outcome=form.cleaned_data.get("outcome"),
                body=form.cleaned_data.get("body"),
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)


class TrustedFlaggerForm(forms.ModelForm):
    class Meta:
        model = TrustedFlagger
        fields = ["user", "organization", "reason"]

    def clean(self):
        data = super().clean()
        try:
            moderation.validate_trusted_flagger(
                user=data.get("user"), organization=data.get("organization")
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(TrustedFlagger)
class TrustedFlaggerAdmin(admin.ModelAdmin):
    """Moderators (and superusers) name and remove trusted flaggers; through the services."""

    form = TrustedFlaggerForm
    list_display = ["__str__", "user", "organization", "named_by", "reason", "created_at"]
    search_fields = ["user__username", "organization__name", "reason"]
    list_select_related = ["user", "organization", "named_by"]
    raw_id_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return permissions.can_name_trusted_flaggers(request.user)

    def has_add_permission(self, request):
        return permissions.can_name_trusted_flaggers(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return permissions.can_name_trusted_flaggers(request.user)

    def has_module_permission(self, request):
        return permissions.can_name_trusted_flaggers(request.user)

    def save_model(self, request, obj, form, change):
        named = moderation.trusted_flagger_name(
            actor=request.user,
            user=form.cleaned_data.get("user"),
            organization=form.cleaned_data.get("organization"),
            reason=form.cleaned_data.get("reason", ""),
        )
        obj.pk, obj.named_by, obj.created_at = named.pk, named.named_by, named.created_at
        obj._state.adding = False

    def delete_model(self, request, obj):
        moderation.trusted_flagger_remove(actor=request.user, flagger=obj)

    def delete_queryset(self, request, queryset):
        for flagger in queryset:
            moderation.trusted_flagger_remove(actor=request.user, flagger=flagger)
