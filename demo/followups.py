"""Demo follow-up (tindak lanjut), through the service; run from load_demo's DEMO_AFTER_CLOSE.

The concluded consultation's accepted input is done: the separate collection schedule
is in Pasal 4 and running. Pelita's accepted RPJMD input on flood drainage has no
follow-up yet: recording "in progress, 40 %" is the walk-through of docs/FOLLOWUP.md.
"""

from django.contrib.auth import get_user_model

from comments.models import Response
from followups import services


def load(demo) -> None:
    official = get_user_model().objects.filter(username="bappeda").first()
    comment = demo.comments.get("c2-fwpl")
    concluded = demo.consultations.get("concluded")
    if official is None or comment is None or concluded is None:
        return
    response = Response.objects.filter(comment=comment, published_at__isnull=False).first()
    if response is None:
        return
    services.follow_up_record(
        actor=official,
        consultation=concluded,
        response=response,
        status="done",
        progress=100,
        note="Jadwal pengangkutan sampah terpilah berlaku di seluruh kelurahan sejak bulan "
        "pertama setelah peraturan diundangkan.",
    )
    demo.log("Demo follow-up: the concluded consultation's accepted input is done.")
