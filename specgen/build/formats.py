"""The output formats: one renderer each, registered in FORMATS.

A format turns one document into the bytes of one file. Adding an output kind is one entry
here: the command line's `--format` choices, specgen.yaml's `formats`, the plan, the workers,
the incremental cache and the manifest all follow this table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from specgen import messages as m
from specgen.collector import collector_paused
from specgen.errors import InvalidInput, Location
from specgen.parse_cache import PieceCache
from specgen.render import documents, pdf, spec_json
from specgen.render.docx.reuse import PieceStore
from specgen.render.limits import LimitExceeded, within_limits

if TYPE_CHECKING:
    from specgen.build.plan import BuildPlan, Document

__all__ = ["FORMATS", "Format", "render_document"]


class Sources:
    """What the formats of one document are made from, each made at most once: its Markdown,
    and its Word file (which the PDF is converted from)."""

    def __init__(self, plan: BuildPlan, doc: Document) -> None:
        self.plan, self.doc = plan, doc
        self._markdown: str | None = None
        self._docx: bytes | None = None

    def markdown(self) -> str:
        if self._markdown is None:
            doc, plan = self.doc, self.plan
            effective = plan.effective_of(doc.code) if doc.code is not None else None
            self._markdown = documents.markdown_of(plan.joint, effective, plan.templates)
        return self._markdown

    def docx(self) -> bytes:
        if self._docx is None:
            store = PieceCache.open(self.plan.root)
            self._docx = _docx_from_pieces(self.plan, self.doc, [self.markdown()], store)
        return self._docx


@dataclass(frozen=True, slots=True)
class Format:
    """One output format: the file it writes per document and how it renders one."""

    name: str
    filename: str
    render: Callable[[BuildPlan, Document, Sources], bytes]
    # Renders from the pieces of the Markdown as they are made, when the format can: the
    # joint spec's file is then written while its Markdown is still being rendered.
    render_stream: Callable[[BuildPlan, Document, Iterable[str]], bytes] | None = None
    # Runs a program of its own (LibreOffice), outside the limits that bound templates.
    external: bool = False
    # A file of the joint procurement only (the vendors' response form), at this path of the
    # output directory instead of under the document's own directory.
    joint_path: str | None = None

    def applies(self, doc: Document) -> bool:
        """Whether `doc` has a file in this format (a joint-only format: the joint spec)."""
        return self.joint_path is None or doc.code is None


def _render_markdown(plan: BuildPlan, doc: Document, sources: Sources) -> bytes:
    return sources.markdown().encode("utf-8")


def _render_docx(plan: BuildPlan, doc: Document, sources: Sources) -> bytes:
    return sources.docx()


def _docx_from_pieces(
    plan: BuildPlan, doc: Document, pieces: Iterable[str], store: PieceStore | None = None
) -> bytes:
    reference = plan.templates.reference_docx()
    subject = documents.document_subject(plan.joint, doc.code)
    return documents.docx_bytes(pieces, plan.project, subject, reference, store)


def _docx_stream(plan: BuildPlan, doc: Document, pieces: Iterable[str]) -> bytes:
    """The joint spec's Word file, from its streamed Markdown; unchanged pieces reused."""
    return _docx_from_pieces(plan, doc, pieces, PieceCache.open(plan.root))


def _render_pdf(plan: BuildPlan, doc: Document, sources: Sources) -> bytes:
    docx = sources.docx()
    try:
        return pdf.docx_to_pdf(docx, date=plan.project.date)
    except pdf.ConversionFailed as exc:
        raise InvalidInput([m.PDF_FAILED.at(Location(doc.stem), stem=doc.stem, why=exc)]) from exc


def _render_xlsx(plan: BuildPlan, doc: Document, sources: Sources) -> bytes:
    from specgen.render import response_form  # openpyxl: a tenth of a second, when asked

    return response_form.workbook(plan.joint)


def _render_csv(plan: BuildPlan, doc: Document, sources: Sources) -> bytes:
    from specgen.render import response_form

    return response_form.csv_bytes(plan.joint)


def _render_json(plan: BuildPlan, doc: Document, sources: Sources) -> bytes:
    if doc.code is None:
        return spec_json.dumps(spec_json.joint_document(plan.joint))
    effective = plan.effective_of(doc.code)
    return spec_json.dumps(spec_json.effective_document(effective, plan.project, plan.joint.shared))


# In the order they are rendered.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("markdown", "spec.md", _render_markdown),
        Format("docx", "spec.docx", _render_docx, render_stream=_docx_stream),
        Format("json", "spec.json", _render_json),
        Format("pdf", "spec.pdf", _render_pdf, external=True),
        Format(
            "xlsx", "response-form.xlsx", _render_xlsx, joint_path="compliance/response-form.xlsx"
        ),
        Format("csv", "requirements.csv", _render_csv, joint_path="compliance/requirements.csv"),
    )
}


def output_name(doc: Document, format_name: str) -> str:
    """The output file of `doc` in a format, relative to the output directory."""
    fmt = FORMATS[format_name]
    return fmt.joint_path or f"{doc.stem}/{fmt.filename}"


def formats_of(plan: BuildPlan, doc: Document) -> tuple[str, ...]:
    """The chosen formats `doc` has a file in."""
    return tuple(name for name in plan.formats if FORMATS[name].applies(doc))


def document_of(name: str) -> str:
    """The stem of the document an output file belongs to (joint for the joint-only files)."""
    if any(f.joint_path == name for f in FORMATS.values()):
        return "joint"
    return name.rpartition("/")[0]


def render_document(
    plan: BuildPlan, doc: Document, formats: Sequence[str] | None = None
) -> dict[str, bytes]:
    """Every chosen format (or those of `formats`) of one document, its Markdown and Word
    file made at most once; within the plan's limits, but for the formats that run a program
    of their own."""
    sources = Sources(plan, doc)
    names = formats_of(plan, doc) if formats is None else formats
    files: dict[str, bytes] = {}
    with rendering(plan, doc.stem):
        for name in names:
            if not FORMATS[name].external:
                files[output_name(doc, name)] = FORMATS[name].render(plan, doc, sources)
        if any(FORMATS[name].external for name in names):
            sources.docx()  # made within the limits, like the Word file itself
    for name in names:
        if FORMATS[name].external:
            files[output_name(doc, name)] = FORMATS[name].render(plan, doc, sources)
    return {name: files[name] for name in sorted(files, key=_in_format_order)}


def _in_format_order(name: str) -> int:
    filenames = [f.filename for f in FORMATS.values()]
    return filenames.index(name.rsplit("/", 1)[1])


@contextlib.contextmanager
def rendering(plan: BuildPlan, stem: str) -> Iterator[None]:
    """Render one document (or a part of it) with the collector paused, within the plan's
    limits; past one outside any template (in the Word writer, say) it is still E-TEMPLATE,
    naming the document."""
    limits = plan.templates.limits
    try:
        with collector_paused(), within_limits(limits):
            yield
    except (LimitExceeded, MemoryError) as exc:
        where = plan.templates.source_of("joint.md.j2" if stem == "joint" else "municipality.md.j2")
        if isinstance(exc, MemoryError):
            problem = m.DOCUMENT_OUT_OF_MEMORY.at(Location(where), stem=stem)
        else:
            problem = m.DOCUMENT_TOO_SLOW.at(Location(where), stem=stem, seconds=limits.seconds)
        raise InvalidInput([problem]) from exc
