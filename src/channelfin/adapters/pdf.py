"""The documents of a contract's file as PDF (fpdf2), byte for byte reproducible.

`PdfRenderer.render` draws a `DocumentContent`: the contract reference on every page
(header) with the page number (footer), the title, the parties table, the paragraphs, the
tables (total row in bold) and one signature box per signer.

The same content gives the same bytes, so the SHA-256 recorded when a document is produced
matches the document the signer receives, and a re-generation lands on the same storage
key. fpdf2 would otherwise vary in two places: the creation date (now) and the file
identifier (an MD5 of the bytes and that date); the creation date is set from
`content.issued_on` (the epoch when absent), which fixes both. The producer is set to a
constant so the bytes do not name the fpdf2 version.

fpdf2's core fonts (Helvetica) are drawn with WinAnsiEncoding, i.e. Windows-1252: French
accents, « », the no-break space and "€" are all representable once the core fonts
encoding is set to it (fpdf2's default, Latin-1, has no "€"). A character outside it (a
legal name in another script, a Polish "Ł") is transliterated by anyascii (ISC, a table per
Unicode block: Ő → O, Ł → L, Ж → Zh, 株 → Zhu), or "?" when it has none: a name on a
contract stays readable rather than a row of question marks. A Unicode font would draw them
as written, but the core fonts keep the PDFs small and byte-reproducible without shipping
fonts, and no font draws every script.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, time

from anyascii import anyascii
from fpdf import FPDF, FontFace

from channelfin.domain.document_content import NOT_PROVIDED, DocumentContent, Table

ENCODING = "windows-1252"  # what the PDF's WinAnsiEncoding means
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PRODUCER = "channelfin"
FONT = "helvetica"
BODY_SIZE = 10
LINE_HEIGHT = 5.0
SIGNATURE_BOX_HEIGHT = 32.0
GREY = (230, 230, 230)


def printable(text: str) -> str:
    """`text` with every character the core fonts cannot draw transliterated (é stays, Ł → L, 株 → Zhu)."""
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    # Composed first (e + combining ̃ → ẽ, then e); what draws nothing (a zero-width space, a bidi
    # mark, an accent left alone) is dropped rather than shown as "?".
    out = []
    for char in unicodedata.normalize("NFC", text):
        if _encodable(char):
            out.append(char)
        elif unicodedata.category(char) not in ("Cf", "Mn"):
            out.append(anyascii(char) or "?")
    return "".join(out)


def _encodable(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


class _Document(FPDF):
    def __init__(self, reference: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.reference = printable(reference)
        self.core_fonts_encoding = ENCODING
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=20)

    def header(self) -> None:
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        self.set_y(8)
        self.cell(0, 5, f"Référence du contrat : {self.reference}", align="R")
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"Contrat {self.reference} - page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


class PdfRenderer:
    """The `DocumentRenderer` port: the same content always gives the same PDF bytes."""

    def render(self, content: DocumentContent) -> bytes:
        pdf = _Document(content.reference)
        created = datetime.combine(content.issued_on, time(0), tzinfo=UTC) if content.issued_on else EPOCH
        pdf.set_creation_date(created)
        pdf.set_producer(PRODUCER)
        pdf.set_creator(PRODUCER)
        pdf.set_title(content.title)
        pdf.set_subject(f"{content.title} - contrat {content.reference}")
        pdf.set_lang("fr-FR")
        pdf.add_page()

        pdf.set_font(FONT, style="B", size=16)
        pdf.multi_cell(0, 9, printable(content.title), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=BODY_SIZE)
        if content.issued_on is not None:
            pdf.cell(0, LINE_HEIGHT, f"Établi le {content.issued_on.strftime('%d/%m/%Y')}", align="C")
            pdf.ln(LINE_HEIGHT)
        pdf.ln(4)

        self._heading(pdf, "Les parties")
        parties = Table(
            headers=("Partie", "Dénomination", "SIREN"),
            rows=tuple((p.role, p.name, p.siren or NOT_PROVIDED) for p in content.parties),
        )
        self._table(pdf, parties, col_widths=(30, 50, 20), numeric=False)

        pdf.set_font(FONT, size=BODY_SIZE)
        for paragraph in content.paragraphs:
            pdf.multi_cell(0, LINE_HEIGHT, printable(paragraph), align="J", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        pdf.ln(2)

        for table in content.tables:
            self._table(pdf, table, col_widths=None, numeric=True)

        if content.signature_lines:
            self._signatures(pdf, content.signature_lines)
        return bytes(pdf.output())

    @staticmethod
    def _heading(pdf: FPDF, text: str) -> None:
        pdf.set_font(FONT, style="B", size=11)
        pdf.cell(0, 7, printable(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=BODY_SIZE)

    @staticmethod
    def _table(pdf: FPDF, table: Table, *, col_widths: tuple[int, ...] | None, numeric: bool) -> None:
        """Headings repeated on each page; in `numeric` tables every column but the first is right-aligned."""
        columns = len(table.headers)
        align = ("LEFT",) + (("RIGHT",) if numeric else ("LEFT",)) * (columns - 1)
        pdf.set_font(FONT, size=9)
        with pdf.table(
            col_widths=col_widths,
            text_align=align,
            line_height=LINE_HEIGHT,
            headings_style=FontFace(emphasis="BOLD", fill_color=GREY),
            repeat_headings=1,
        ) as drawn:
            drawn.row([printable(h) for h in table.headers])
            for row in table.rows:
                drawn.row([printable(c) for c in row])
            if table.total is not None:
                drawn.row([printable(c) for c in table.total], style=FontFace(emphasis="BOLD", fill_color=GREY))
        pdf.set_font(FONT, size=BODY_SIZE)
        pdf.ln(5)

    @staticmethod
    def _signatures(pdf: FPDF, lines: tuple[str, ...]) -> None:
        """Two boxes a row, never split by a page break."""
        gap = 8.0
        width = (pdf.epw - gap) / 2
        for start in range(0, len(lines), 2):
            if pdf.get_y() + SIGNATURE_BOX_HEIGHT > pdf.page_break_trigger:
                pdf.add_page()
            top = pdf.get_y()
            for column, line in enumerate(lines[start : start + 2]):
                left = pdf.l_margin + column * (width + gap)
                pdf.rect(left, top, width, SIGNATURE_BOX_HEIGHT)
                pdf.set_xy(left + 2, top + 2)
                pdf.set_font(FONT, style="B", size=BODY_SIZE)
                pdf.multi_cell(width - 4, LINE_HEIGHT, printable(line), new_x="LEFT", new_y="NEXT")
                pdf.set_font(FONT, size=9)
                pdf.cell(width - 4, LINE_HEIGHT, "Date :", new_x="LEFT", new_y="NEXT")
                pdf.cell(width - 4, LINE_HEIGHT, "Signature :", new_x="LEFT", new_y="NEXT")
            pdf.set_xy(pdf.l_margin, top + SIGNATURE_BOX_HEIGHT + 4)
