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

__all__ = ["xlsx_bytes"]


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
