"""A reproducible .xlsx from an openpyxl workbook: the same workbook gives the same bytes.

openpyxl's `Workbook.save` stamps the clock into docProps/core.xml; its ExcelWriter does not,
so the document's own date is used for both timestamps and the archive is normalised.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from specgen.render.docx.package import normalise_zip

__all__ = ["text_cells", "xlsx_bytes"]


def xlsx_bytes(book: Workbook, *, date: str, creator: str, title: str | None = None) -> bytes:
    """`book` as .xlsx bytes, dated `date` (YYYY-MM-DD, the project's, never the clock)."""
    moment = dt.datetime.combine(dt.date.fromisoformat(date), dt.time())
    properties = book.properties
    properties.created = properties.modified = moment
    properties.creator = properties.lastModifiedBy = creator
    if title is not None:
        properties.title = title
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return normalise_zip(out.getvalue())


def text_cells(book: Workbook) -> None:
    """Every text cell of `book` a string cell: text from a vendor's form or a town's file that
    starts with = (or reads #N/A) must never become a formula in a workbook specgen writes."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
