"""The house style of the official Word documents (Berita Acara, undangan): an A4 page in
Times New Roman with the kop surat on top and the place and date above the signature.

Only the layout lives here; what a document says is built by the app that owns it
(reports/minutes.py, hearings/letters.py). Official letters are always in Indonesian.
"""

import datetime
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from backend import words

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def government_name(city: str) -> str:
    """ "Kota Pasuruan" -> "PEMERINTAH KOTA PASURUAN", the first line of the kop surat."""
    return f"PEMERINTAH {city.upper()}"


def place_and_date(city: str, day: datetime.date) -> str:
    """ "Pasuruan, 7 Desember 2026": where and when a letter is signed."""
    return f"{city.removeprefix('Kota ').removeprefix('Kabupaten ')}, {words.date_text(day)}"


def new_document():
    """An empty A4 document with the margins and font the offices print with."""
    document = Document()
    page = document.sections[0]
    page.page_height, page.page_width = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = Cm(2.5)
    page.top_margin = page.bottom_margin = Cm(2.0)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


def centred(document, text: str, *, bold: bool = False, size: int | None = None, space_after=0):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(space_after)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def letterhead(document, *, government: str, agency: str) -> None:
    """The kop surat: the government, the agency, and the rule under them."""
    centred(document, government, bold=True, size=14)
    if agency:
        centred(document, agency, bold=True, size=13)
    rule = centred(document, "_" * 60, space_after=12)
    rule.runs[0].font.size = Pt(8)


def signature(document, *, place_date: str, title: str, name: str) -> None:
    """Place and date, the signer's office and the blank lines for the signature, right."""
    for text, bold in ((place_date, False), (title, True)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(text).bold = bold
    for _blank in range(3):
        document.add_paragraph().alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(name or "(………………………………)").alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
