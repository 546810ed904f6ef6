"""The path converter for ids: `<id:pk>` in every URL pattern, API and pages alike.

Django's `<int:…>` takes any number of digits, and a 20-digit id overflows the database
driver (a 500) wherever a view filters a foreign key by it. `<id:…>` matches 1 to 18
digits, always below 2**63, so a longer number is simply no page: 404.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
