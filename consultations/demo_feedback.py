"""Demo data for the final report: the concluded consultation's final text (load_demo extension).

The concluded consultation ran months ago; its final version was published
before it was concluded. No service rewrites history, so the consultation is
briefly open again while the final text goes through the services, then its
status and dates are put back as they were.
"""

import datetime

from consultations import services
from consultations.models import Consultation

FINAL_NOTE = (
    "Versi akhir setelah konsultasi publik: masukan LSM tentang bank sampah dan pemantauan."
)
FINAL_TEXT = {
    "Pasal 2": (
        "Setiap rumah tangga wajib memilah sampah organik, anorganik dan bahan berbahaya "
        "sebelum diangkut ke tempat penampungan sementara; kelurahan menyediakan wadah terpisah."
    ),
    "Pasal 3": (
        "Pemerintah Daerah memfasilitasi pembentukan bank sampah di setiap kelurahan bersama "
        "lembaga swadaya masyarakat dan karang taruna, paling lambat dua tahun sejak "
        "peraturan ini diundangkan."
    ),
}
NEW_SECTION = (
    "Pasal 4",
    "Pemantauan dan Pelaporan",
    "Dinas Lingkungan Hidup melaporkan capaian pemilahan dan bank sampah setiap tahun "
    "kepada Wali Kota dan mengumumkannya kepada masyarakat.",
)


def load(demo) -> None:
    consultation = demo.consultations.get("concluded")
    if consultation is None or consultation.versions.count() > 1:
        return
    official = demo.users["bappeda"]
    before = Consultation.objects.values("status", "concluded_at", "closed_at").get(
        pk=consultation.pk
    )
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.OPEN)
    consultation.refresh_from_db()
    version = services.version_start(actor=official, consultation=consultation, note=FINAL_NOTE)
    for section in version.sections.all():
        if section.number in FINAL_TEXT:
            services.section_update(
                actor=official, section=section, body=FINAL_TEXT[section.number]
            )
    number, heading, body = NEW_SECTION
    services.section_add(
        actor=official, consultation=consultation, number=number, heading=heading, body=body
    )
    services.version_publish(actor=official, version=version)
    published = before["closed_at"] + datetime.timedelta(days=20)
    version.__class__.objects.filter(pk=version.pk).update(published_at=published)
    Consultation.objects.filter(pk=consultation.pk).update(**before)
    consultation.refresh_from_db()
    demo.consultations["concluded"] = consultation
