"""HTML forms: they only check the shape of the input; the rules live in services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership


class AccountForm(forms.Form):
    """A citizen's (warga's) sign-up, and the account part of an organization's: the
    username, password and throttle rules are the service's (services.user_register)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        min_length=8,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # UU No. 27/2022: agreeing to the privacy notice is explicit and required;
    # showing one's name publicly is a separate choice, off unless ticked (docs/PRIVACY.md).
    accept_privacy_notice = forms.BooleanField(
        label=_("I have read and agree to the privacy notice"),
        required=True,
        help_text=_("Read it at /privasi/: what we collect, why, for how long and who sees it."),
    )
    show_name = forms.BooleanField(
        label=_("Show my name with my comments (otherwise a pseudonym such as Warga-7F3A9C)"),
        required=False,
    )

    USER_FIELDS = (
        "username",
        "full_name",
        "email",
        "password",
        "password_again",
        "accept_privacy_notice",
        "show_name",
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords do not match."))
        return data

    def account_data(self) -> dict:
        """The keyword arguments of services.user_register."""
        fields = ("username", "password", "email", "full_name")
        data = {name: self.cleaned_data[name] for name in fields}
        # The notice version the person agreed to on this form, and the name choice.
        data["privacy_notice_version"] = settings.PRIVACY_NOTICE_VERSION
        data["show_name"] = bool(self.cleaned_data.get("show_name"))
        return data


class OrganizationRegistrationForm(AccountForm):
    """Sign-up of the representative and the organization's details, in one step.

    Signed in already, only the organization's details."""

    name = forms.CharField(label=_("Organization name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    registration_number = forms.CharField(
        label=_("Registration number (SKT/AHU)"),
        max_length=100,
        help_text=_("As written on the registration letter from Bakesbangpol."),
    )
    registration_issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registration_expires_on = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:  # the account exists already: only the organization's details
            for name in self.USER_FIELDS:
                del self.fields[name]
            self.fields["contact_email"] = forms.EmailField(label=_("Contact email"))


class MemberAddForm(forms.Form):
    """An invitation: the person accepts it on their own "My organization" page."""

    username = forms.CharField(label=_("Username of the new member"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
