"""The documents of a build: Markdown from the templates, and Word from that Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from specgen.joint import JointSpec
from specgen.labels import labels_for
from specgen.merge import Effective
from specgen.model import Project
from specgen.render.docx import DocumentInfo, render_docx_stream
from specgen.render.docx.reuse import PieceStore
from specgen.render.markdown import TemplateSet, markdown_labels, stream_template
from specgen.render.views import effective_view, joint_view

__all__ = ["docx_bytes", "markdown_of", "markdown_pieces", "tidied"]

_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACES = re.compile(r" +$", re.MULTILINE)
_PIECE = 1 << 16  # characters gathered before tidying: few calls, little held back


def tidied(pieces: Iterable[str], size: int = _PIECE) -> Iterator[str]:
    """The text of `pieces` tidied for stable, diff-friendly files, in pieces of complete lines.

    Trailing spaces are dropped, runs of blank lines become one, and the text starts with no
    blank line and ends with exactly one newline. Working on a stream lets the Word writer
    start on a long document while the rest of its Markdown is still being rendered.
    """
    gathered: list[str] = []
    length = 0
    started = False
    blanks = 0  # blank lines since the last line written

    def lines_out(text: str) -> str:
        """The tidied text of complete lines `text` (joined by newlines), after what came."""
        nonlocal started, blanks
        text = _TRAILING_SPACES.sub("", text)
        core = text.strip("\n")
        if not core:
            blanks += text.count("\n") + 1
            return ""
        leading = len(text) - len(text.lstrip("\n"))  # blank lines before the first line
        separator = ("\n" if blanks + leading == 0 else "\n\n") if started else ""
        started, blanks = True, len(text) - len(text.rstrip("\n"))
        return separator + _BLANK_RUNS.sub("\n\n", core)

    for piece in pieces:
        gathered.append(piece)
        length += len(piece)
        if length >= size:
            complete, newline, rest = "".join(gathered).rpartition("\n")
            gathered, length = [rest], len(rest)
            if not newline:
                continue  # no line is complete yet
            if text := lines_out(complete):
                yield text
    yield lines_out("".join(gathered)) + "\n"


def markdown_pieces(
    joint: JointSpec, effective: Effective | None, templates: TemplateSet
) -> Iterator[str]:
    """The Markdown of the joint spec (`effective` None) or of one municipality's own spec,
    in pieces as the template renders it."""
    if effective is None:
        view = joint_view(joint)
        name, context = "joint.md.j2", {"doc": view, "labels": markdown_labels(view.labels)}
    else:
        own = effective_view(effective, joint.project, joint.catalog, joint.shared)
        name, context = "municipality.md.j2", {"doc": own, "labels": markdown_labels(own.labels)}
    return tidied(stream_template(templates, name, context))


def markdown_of(joint: JointSpec, effective: Effective | None, templates: TemplateSet) -> str:
    """The Markdown of the joint spec (`effective` None) or of one municipality's own spec."""
    return "".join(markdown_pieces(joint, effective, templates))


def document_subject(joint: JointSpec, code: str | None) -> str:
    """What a document is, as its properties (and a PDF's) name it: 共同調達仕様書, or
    輪島市（172049）団体別仕様書."""
    labels = labels_for(joint.project.language)
    if code is None:
        return labels["joint_spec"]
    name = next((m.name for m in joint.municipalities if m.code == code), code)
    return f"{name}{labels['lp']}{code}{labels['rp']}{labels['municipal_spec']}"


def docx_bytes(
    markdown: Iterable[str],
    project: Project,
    subject: str,
    reference: bytes | None,
    store: PieceStore | None = None,
) -> bytes:
    """The Word file of a document whose Markdown is the text of the pieces `markdown`; with
    a `store`, the pieces an earlier build wrote are reused from it."""
    info = DocumentInfo(
        title=project.title,
        issuer=project.issuer.name,
        version=project.version,
        date=project.date,
        language=project.language,
        subject=subject,
    )
    return render_docx_stream(markdown, info=info, reference=reference, store=store)
