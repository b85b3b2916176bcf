"""LibreOffice and poppler helpers: convert Word output to PDF and read its text back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from specgen.render.pdf import docx_to_pdf


def missing_tools() -> str | None:
    """Why the office tests cannot run here (None when soffice and pdftotext are on PATH)."""
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} not on PATH; install libreoffice-writer-nogui, "
        "fonts-noto-cjk and poppler-utils"
    )


def convert_to_pdf(document: Path, outdir: Path) -> Path:
    """`document` made into a PDF in `outdir` the way `specgen build --format pdf` makes it
    (headless LibreOffice, indexes updated, specgen's font aliases); returns the PDF's path."""
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / (document.stem + ".pdf")
    pdf.write_bytes(docx_to_pdf(document.read_bytes(), date="2026-04-01"))
    return pdf


def pdf_text(pdf: Path) -> str:
    """The text of `pdf` as pdftotext extracts it, pages separated by form feeds."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def pdf_fonts(pdf: Path) -> str | None:
    """pdffonts' listing of the fonts `pdf` uses, or None when pdffonts is missing."""
    if shutil.which("pdffonts") is None:
        return None
    result = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout


def squeeze(text: str) -> str:
    """`text` without whitespace: justified Japanese comes out of PDFs letter-spaced."""
    return re.sub(r"\s+", "", text)


def docx_to_text(data: bytes, workdir: Path, *, name: str = "document") -> str:
    """Write `data` as NAME.docx in `workdir`, convert it to PDF and return the PDF's text."""
    workdir.mkdir(parents=True, exist_ok=True)
    document = workdir / f"{name}.docx"
    document.write_bytes(data)
    return pdf_text(convert_to_pdf(document, workdir))
