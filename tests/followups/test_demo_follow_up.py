"""The demo walk-through of docs/FOLLOWUP.md: bappeda records that Pelita's accepted input
on flood drainage is "in progress, 40 %", and Pelita's member hears of it; the concluded
consultation's data package is published."""

import json

import frictionless
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from comments.models import Response
from consultations.models import Consultation
from notifications.models import Notification

User = get_user_model()


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_bappeda_records_progress_on_pelitas_drainage_input(
    demo, django_capture_on_commit_callbacks
):
    response = Response.objects.get(
        comment__organization__acronym="Pelita",
        comment__body__icontains="drainase",
        outcome="accepted",
        published_at__isnull=False,
    )
    client = Client()
    client.force_login(User.objects.get(username="bappeda"))
    url = f"/konsultasi/{response.consultation_id}/tindak-lanjut/"
    assert "drainase" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            url,
            {
                "target": f"response:{response.pk}",
                "status": "in_progress",
                "progress": "40",
                "note": "Normalisasi saluran drainase Panggungrejo tahap pertama berjalan.",
            },
        )
    assert answer.status_code == 302
    page = Client().get(url).content.decode()
    assert '<progress class="bar" max="100" value="40"' in page
    author = response.comment.author
    assert Notification.objects.filter(user=author, kind="follow_up_recorded").exists()


def test_the_concluded_demo_consultation_has_a_data_package_with_its_follow_up(demo, tmp_path):
    concluded = Consultation.objects.get(status=Consultation.Status.CONCLUDED)
    package = json.loads(Client().get(f"/data/konsultasi/{concluded.pk}/datapackage.json").content)
    for resource in package["resources"]:
        data = Client().get(f"/data/konsultasi/{concluded.pk}/{resource['path']}").content
        (tmp_path / resource["path"]).write_bytes(data)
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    follow_ups = next(r for r in package["resources"] if r["name"] == "follow_ups")
    text = Client().get(f"/data/konsultasi/{concluded.pk}/follow_ups.csv").content.decode()
    assert follow_ups["bytes"] == len(text.encode())
    assert ",done,100," in text
    assert Client().get("/data/").content.decode().count("datapackage.json") >= 1
