"""The one way a timestamp goes on the wire (REST answers, event `data`, snapshots).

Local time (Asia/Jakarta) in ISO 8601, exactly as Django REST framework writes a
DateTimeField, so a field a REST answer and an event share reads the same in both.
"""

from django.utils import timezone


def isotime(moment) -> str | None:
    if moment is None:
        return None
    text = timezone.localtime(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
