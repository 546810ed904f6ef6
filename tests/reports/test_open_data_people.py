"""Individuals appear under a stable pseudonym unless they chose to show their name;
organisations by name; a secret ballot's log names no organisation."""

import csv
import io

from django.test import Client

from accounts import names
from tests.factories import UserFactory
from tests.reports.opendata_setup import concluded


def _rows(consultation, name):
    text = Client().get(f"/data/konsultasi/{consultation.pk}/{name}.csv").content.decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_people_show_as_a_pseudonym_unless_they_chose_their_name(
    official, member, representative, citizen, generous_limits
):
    citizen.first_name = "Warga Asli"
    citizen.save()
    named = UserFactory(username="nyonya", first_name="Nyonya Terbuka")
    consultation = concluded(
        official=official,
        member=member,
        representative=representative,
        citizen=citizen,
        named=named,
    )
    authors = {row["body"]: row["author"] for row in _rows(consultation, "comments")}
    assert authors["Setuju."] == names.pseudonym(citizen.pk)
    assert authors["Catatan saya."] == "Nyonya Terbuka"
    everything = "".join(
        Client().get(f"/data/konsultasi/{consultation.pk}/{r}.csv").content.decode()
        for r in ("comments", "proposals", "responses")
    )
    assert "Warga Asli" not in everything and citizen.username not in everything
    (proposal,) = _rows(consultation, "proposals")
    assert proposal["author"] == names.pseudonym(citizen.pk)


def test_the_pseudonym_is_stable_between_downloads(concluded_consultation):
    assert _rows(concluded_consultation, "comments") == _rows(concluded_consultation, "comments")


def test_a_secret_ballot_publishes_no_organisation_in_its_log(
    official, member, representative, citizen, generous_limits
):
    consultation = concluded(
        official=official,
        member=member,
        representative=representative,
        citizen=citizen,
        ballot="secret",
    )
    (record,) = _rows(consultation, "vote_log")
    assert record["organization"] == "" and record["organization_id"] == ""
    assert record["hash"]
    text = Client().get(f"/data/konsultasi/{consultation.pk}/vote_log.csv").content.decode()
    assert "Pelita" not in text
    (tally,) = [t for t in _rows(consultation, "tallies") if t["choice"] == "for"]
    assert tally["votes"] == "1"
