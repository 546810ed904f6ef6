"""HTML forms: they only check the shape of the input; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership


class OrganizationRegistrationForm(forms.Form):
    """Sign-up of the representative and the organization's details, in one step."""

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

    USER_FIELDS = ("username", "full_name", "email", "password", "password_again")

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:  # the account exists already: only the organization's details
            for name in self.USER_FIELDS:
                del self.fields[name]
            self.fields["contact_email"] = forms.EmailField(label=_("Contact email"))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords do not match."))
        return data


class MemberAddForm(forms.Form):
    """An invitation: the person accepts it on their own "My organization" page."""

    username = forms.CharField(label=_("Username of the new member"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
