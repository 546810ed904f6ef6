"""What the analysis tests share: spreadsheets of written submissions, a consultation with
chapters (Bab I–V), and a quick way to run the analysis job."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from analysis import services
from comments.models import Comment
from consultations.models import Consultation
from tests.factories import ConsultationFactory, SectionFactory

HEADER = ["ref", "section", "organization", "author", "stance", "body", "submitted_at", "channel"]


def csv_file(rows, header=HEADER, name="masukan.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="formulir.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(
        name,
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture
def rpjmd(db):
    """The RPJMD consultation: five chapters, every comment waits for a moderator."""
    consultation = ConsultationFactory(
        title="Rancangan Awal RPJMD Kota Pasuruan 2025–2029",
        kind=Consultation.Kind.RPJMD,
        moderation=Consultation.Moderation.PRE,
    )
    for n, (number, heading) in enumerate(
        [
            ("Bab I", "Pendahuluan"),
            ("Bab II", "Gambaran Umum"),
            ("Bab III", "Permasalahan dan Isu Strategis"),
            ("Bab IV", "Visi dan Misi"),
            ("Bab V", "Program Prioritas"),
        ]
    ):
        SectionFactory(consultation=consultation, number=number, heading=heading, position=n)
    return consultation


@pytest.fixture
def analyse():
    """analyse(consultation) → runs the job's computation now, as the queue would."""

    def run(consultation):
        return services.analysis_compute(consultation=consultation)

    return run


def publish_all(consultation) -> None:
    """What a moderator does in the queue, for tests about what comes after."""
    Comment.objects.filter(consultation=consultation, status=Comment.Status.PENDING).update(
        status=Comment.Status.PUBLISHED
    )
