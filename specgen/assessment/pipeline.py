"""`specgen report fit-gap` as named stages: validate, compare each town with the common part,
draw the chart, render, write."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from specgen import __version__
from specgen import messages as m
from specgen.assessment.chart import ChartFontMissing, chart_png
from specgen.assessment.fitgap import FitGap, fit_gap
from specgen.assessment.render import CHART, fit_gap_markdown, fit_gap_workbook
from specgen.errors import InvalidInput, Location
from specgen.render.dates import document_date
from specgen.render.docx.document import render_docx
from specgen.render.docx.package import DocumentInfo, normalise_zip
from specgen.validate import validate_project
from specgen.writer import MANIFEST, output_problems, write_outputs

__all__ = ["fit_gap_report"]

_FIGURE = {"ja": "図：", "en": "Figure: "}  # the chart's placeholder paragraph starts so


def fit_gap_report(root: Path, *, out: Path | None) -> tuple[FitGap, Path, list[str]]:
    """Write fit-gap.md, .docx, .xlsx and .png of the project at `root` into `out` (default:
    the project's `output/fit-gap/` sibling `fit-gap/`)."""
    validation = validate_project(root, remember=True)
    if not validation.ok:
        raise InvalidInput([d for d in validation.diagnostics if d.is_error])
    project = validation.input.project
    assert project is not None  # a project that validates has loaded its specgen.yaml
    target = out if out is not None else root / "fit-gap"
    if problems := output_problems(target, validation.input.paths(), Location("--out")):
        raise InvalidInput(problems)
    language = project.language
    fit = fit_gap(validation.input.catalog, validation.effective, project.metrics, language)
    try:
        png = chart_png(fit, language)
    except ChartFontMissing as exc:
        raise InvalidInput([m.CHART_FONT_MISSING.at(Location("fit-gap.png"), fonts=exc)]) from exc
    version = f"第{project.version}版" if language == "ja" else f"version {project.version}"
    dated = f"{version}　{document_date(project.date, language)}　{project.issuer.name}"
    markdown = fit_gap_markdown(fit, title=project.title, language=language, dated=dated)
    info = DocumentInfo(
        title=f"{'フィット＆ギャップ分析' if language == 'ja' else 'Fit & gap'} — {project.title}",
        issuer=project.issuer.name,
        version=project.version,
        date=project.date,
        language=language,
    )
    document = render_docx(markdown, info=info, landscape=True, cover=False)
    files = {
        "fit-gap.md": markdown.encode("utf-8"),
        "fit-gap.docx": _with_chart(document, png, language),
        "fit-gap.xlsx": fit_gap_workbook(
            fit, title=project.title, language=language, date=project.date
        ),
        CHART: png,
    }
    manifest = {
        "specgen": 1,
        "generator": f"specgen {__version__}",
        "kind": "fit-gap",
        "project": project.id,
        "version": project.version,
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    write_outputs(target, files)
    return fit, target, sorted(files)


def _with_chart(document: bytes, png: bytes, language: str) -> bytes:
    """The Word file with the chart in place of the paragraph the Markdown image became (its
    alt text), 16 cm wide: the Markdown writer only knows text."""
    import docx
    from docx.shared import Cm

    word = docx.Document(io.BytesIO(document))
    for paragraph in word.paragraphs:
        if paragraph.text.startswith(_FIGURE[language]):
            paragraph.clear()  # type: ignore[no-untyped-call]
            paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(16))
            break
    out = io.BytesIO()
    word.save(out)
    return normalise_zip(out.getvalue())
