from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A government agency (OPD) that owns consultations, e.g. Bappeda."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.acronym or self.name


class Organization(models.Model):
    """An LSM/Ormas registered with Bakesbangpol; only verified ones vote."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    # The name's look-alike skeleton (accounts.names.skeleton), set by the services: unique,
    # so no two organisations read the same whatever the case or the alphabet.
    name_key = models.CharField(max_length=400, unique=True, null=True, editable=False)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    registration_number = models.CharField(_("registration number (SKT/AHU)"), max_length=100)
    registration_issued_on = models.DateField(_("registration issued on"), null=True, blank=True)
    registration_expires_on = models.DateField(_("registration expires on"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True, max_length=500)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_reason = models.CharField(_("status reason"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"], name="organization_unique_registration"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    def registration_valid_on(self, day) -> bool:
        """An SKT is valid up to and including its expiry date."""
        return bool(self.registration_expires_on) and self.registration_expires_on >= day


class Membership(models.Model):
    """A user's seat in one organization; representatives act for it (vote, manage members)."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        MEMBER = "member", _("Member")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["organization", "role", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_representative(self) -> bool:
        return self.role == self.Role.REPRESENTATIVE


class Invitation(models.Model):
    """A representative's invitation to join the organization; a Membership only once the
    invited user accepts.

    It names the username as typed. `user` is the account it reached, or None when no
    account could take it (unknown, inactive, staff): such an invitation looks the same to
    the organization but nobody can ever accept it, so inviting tells nothing about who
    exists.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    username = models.CharField(_("username"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Membership.Role.choices,
        default=Membership.Role.MEMBER,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                models.F("organization"),
                Lower("username"),
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_username",
            )
        ]
        indexes = [models.Index(fields=["user", "status"], name="invitation_user_status")]

    def __str__(self):
        return f"{self.username} → {self.organization} ({self.get_status_display()})"


class OrganizationChange(models.Model):
    """One change to who acts for an organization, or to its name: the record its
    representatives and Bakesbangpol read to spot a take-over."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invited")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
        ACCEPTED = "accepted", _("Joined")
        DECLINED = "declined", _("Declined the invitation")
        REMOVED = "removed", _("Removed")
        LEFT = "left", _("Left")
        ROLE_CHANGED = "role_changed", _("Role changed")
        RENAMED = "renamed", _("Renamed")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("change"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    # Usernames as text: the record outlives the accounts and names unknown invitees too.
    actor_username = models.CharField(_("by"), max_length=150, blank=True)
    subject_username = models.CharField(_("member"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("organization change")
        verbose_name_plural = _("organization changes")

    def __str__(self):
        return f"{self.organization}: {self.get_kind_display()} {self.subject_username}"


class PrivacyChoice(models.Model):
    """A person's current privacy choices: whether their name may be shown publicly and which
    version of the privacy notice they last accepted. The history lives in Consent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy",
        verbose_name=_("user"),
    )
    # accounts.names.pseudonym(user.pk), stored so SQL exports can print it (created with the
    # account by a post_save hook, never changed: the same "Warga-…" on every page and file).
    pseudonym = models.CharField(_("pseudonym"), max_length=20, editable=False)
    # Off by default (UU PDP: consent is an explicit act); individuals show as a pseudonym.
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    notice_version = models.CharField(
        _("privacy notice version accepted"), max_length=40, blank=True
    )
    notice_accepted_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("privacy choice")
        verbose_name_plural = _("privacy choices")

    def __str__(self):
        return f"{self.user_id}: {self.notice_version or '-'}"


class Consent(models.Model):
    """One consent given or withdrawn, kept as the record of who agreed to what and when."""

    class Kind(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
        PUBLIC_NAME = "public_name", _("Show name publicly")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.CharField(_("notice version"), max_length=40, blank=True)
    granted = models.BooleanField(_("granted"), default=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "kind"], name="consent_user_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.version} {self.granted}"
