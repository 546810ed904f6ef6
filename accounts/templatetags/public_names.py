"""`{{ user|public_name }}` on pages: accounts.names.public_name (the person's name if they
chose to show it, else their pseudonym)."""

from django import template

from accounts import names

register = template.Library()


@register.filter
def public_name(user) -> str:
    return names.public_name(user) or ""
