"""Demo data for the final report: the concluded consultation's final text (load_demo extension).

The services accept changes to the text only while a consultation is open, so the
final version is written and published through them while the concluded
consultation is still open, before load_demo closes and concludes it; load_demo
then dates it 20 days after the closing, as the story goes.
"""

from consultations import services

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
    if consultation is None or not consultation.is_open or consultation.versions.count() > 1:
        return
    official = demo.users["bappeda"]
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
