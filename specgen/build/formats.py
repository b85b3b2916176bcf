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
from specgen.render import documents, spec_json
from specgen.render.limits import LimitExceeded, within_limits

if TYPE_CHECKING:
    from specgen.build.plan import BuildPlan, Document

__all__ = ["FORMATS", "Format", "render_document"]

# Gives the document's Markdown, rendered at most once and shared by the formats needing it.
MarkdownSource = Callable[[], str]


@dataclass(frozen=True, slots=True)
class Format:
    """One output format: the file it writes per document and how it renders one."""

    name: str
    filename: str
    render: Callable[[BuildPlan, Document, MarkdownSource], bytes]
    # Renders from the pieces of the Markdown as they are made, when the format can: the
    # joint spec's file is then written while its Markdown is still being rendered.
    render_stream: Callable[[BuildPlan, Document, Iterable[str]], bytes] | None = None


def _render_markdown(plan: BuildPlan, doc: Document, markdown: MarkdownSource) -> bytes:
    return markdown().encode("utf-8")


def _render_docx(plan: BuildPlan, doc: Document, markdown: MarkdownSource) -> bytes:
    return _docx_from_pieces(plan, doc, [markdown()])


def _docx_from_pieces(plan: BuildPlan, doc: Document, pieces: Iterable[str]) -> bytes:
    reference = plan.templates.reference_docx()
    return documents.docx_bytes(pieces, plan.project, doc.stem, reference)


def _render_json(plan: BuildPlan, doc: Document, markdown: MarkdownSource) -> bytes:
    if doc.code is None:
        return spec_json.dumps(spec_json.joint_document(plan.joint))
    effective = plan.effective_of(doc.code)
    return spec_json.dumps(spec_json.effective_document(effective, plan.project, plan.joint.shared))


# In the order they are rendered.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("markdown", "spec.md", _render_markdown),
        Format("docx", "spec.docx", _render_docx, render_stream=_docx_from_pieces),
        Format("json", "spec.json", _render_json),
    )
}


def output_name(doc: Document, format_name: str) -> str:
    """The output file of `doc` in a format, relative to the output directory."""
    return f"{doc.stem}/{FORMATS[format_name].filename}"


def render_document(
    plan: BuildPlan, doc: Document, formats: Sequence[str] | None = None
) -> dict[str, bytes]:
    """Every chosen format (or those of `formats`) of one document, its Markdown rendered at
    most once, within the plan's limits."""
    cache: list[str] = []

    def markdown() -> str:
        if not cache:
            effective = plan.effective_of(doc.code) if doc.code is not None else None
            cache.append(documents.markdown_of(plan.joint, effective, plan.templates))
        return cache[0]

    files: dict[str, bytes] = {}
    with rendering(plan, doc.stem):
        for name in plan.formats if formats is None else formats:
            files[output_name(doc, name)] = FORMATS[name].render(plan, doc, markdown)
    return files


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
