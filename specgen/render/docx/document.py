"""The entry points: Markdown, whole or streamed, to .docx bytes on a reference's styles."""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError

from specgen.collector import collector_paused
from specgen.render.docx import oxml
from specgen.render.docx.chunks import BLOCK_SIZE, cut, needs_whole, split_blocks
from specgen.render.docx.package import (
    DocumentInfo,
    package_items,
    relate_hyperlink,
    set_core_properties,
    zip_items,
)
from specgen.render.docx.parser import parse_markdown
from specgen.render.docx.reuse import PieceStore, write_pieces
from specgen.render.docx.styles import Styles
from specgen.render.docx.writer import Writer

A4_TEXT_WIDTH = 8504  # 210 mm less two 30 mm margins, in twips


def render_docx(
    markdown: str,
    *,
    info: DocumentInfo,
    reference: bytes | None = None,
    landscape: bool = False,
    cover: bool = True,
) -> bytes:
    """The .docx bytes of `markdown` on the styles of `reference` (default: the bundled one).

    The reference supplies styles, fonts and page setup; its body is replaced. `landscape`
    turns its pages (a 新旧対照表's two text columns side by side); without a `cover` the first
    page carries its page number like every other. Same arguments, same bytes.
    """
    reference = bundled_reference() if reference is None else reference
    pieces = split_blocks(markdown, BLOCK_SIZE)  # as a stream of it is cut: the same bytes
    with collector_paused():
        return _render(pieces, info, reference, landscape=landscape, cover=cover)


def render_docx_stream(
    stream: Iterable[str],
    *,
    info: DocumentInfo,
    reference: bytes | None = None,
    store: PieceStore | None = None,
) -> bytes:
    """`render_docx` of the Markdown whose text arrives in `stream`, in pieces of any size.

    Each piece of `split_blocks` is written as soon as its text has arrived, so a document can
    be written while its Markdown is still being rendered; the bytes are the same as those of
    the whole text. With a `store`, a piece written by an earlier build is reused from it.
    """
    if isinstance(stream, str):  # a str is an iterable of characters: surely a mistake
        raise TypeError("render_docx_stream takes pieces of text; for one text use render_docx")
    rest = iter(stream)
    received: list[str] = []

    def recorded() -> Iterator[str]:
        for text in rest:
            received.append(text)
            yield text

    def pieces() -> Iterator[str]:
        for piece in cut(recorded(), BLOCK_SIZE):
            if needs_whole(piece):
                raise _WholeDocument
            yield piece

    reference = bundled_reference() if reference is None else reference
    with collector_paused():
        try:
            return _render(pieces(), info, reference, store=store)
        except _WholeDocument:
            return _render(["".join([*received, *rest])], info, reference)


class _WholeDocument(Exception):
    """A piece of a streamed document showed that it must be parsed whole."""


def _render(
    pieces: Iterable[str],
    info: DocumentInfo,
    reference: bytes,
    *,
    landscape: bool = False,
    cover: bool = True,
    store: PieceStore | None = None,
) -> bytes:
    document = docx.Document(io.BytesIO(reference))
    part = document.part
    styles_element = document.styles.element
    theme = next((rel.target_part for rel in part.rels.values() if rel.reltype == RT.THEME), None)
    oxml.replace_theme_fonts(styles_element, oxml.theme_fonts(theme.blob if theme else None))
    oxml.prepare_doc_defaults(styles_element, language=info.language)
    oxml.prepare_settings(document.settings.element)
    styles = Styles.resolve(styles_element)
    numbering = oxml.Numbering(part.numbering_part.element)
    heading_num = numbering.add_num(
        numbering.add_abstract(oxml.heading_levels(styles.headings[:3]), multilevel=True)
    )
    oxml.link_heading_numbering(styles_element, styles.headings[:3], heading_num)

    body_element = document.element.body
    sect_pr = body_element.get_or_add_sectPr()
    for child in list(body_element):
        body_element.remove(child)
    body_element.append(sect_pr)
    if landscape:
        oxml.turn_landscape(sect_pr)
    body = oxml.Body()
    writer = Writer(
        body=body,
        styles=styles,
        numbering=numbering,
        heading_num=heading_num,
        relate=functools.partial(relate_hyperlink, part),
        text_width=oxml.text_width(sect_pr, A4_TEXT_WIDTH),
        language=info.language,
    )
    if store is None:
        writer.write_document(parse_markdown(piece) for piece in pieces)
    else:
        digest = hashlib.sha256(reference).hexdigest()
        setup = f"{digest} {info.language} {landscape} {writer.text_width}"
        write_pieces(writer, pieces, store, setup)
        writer.finish()
    numbering.flush()
    splice = body.place(body_element)

    section = document.sections[0]
    footer = section.footer
    footer.is_linked_to_previous = False
    oxml.fill_page_number_footer(footer.part.element, styles.footer)
    # The cover is the first page: it uses the first-page footer, which stays empty, so it
    # carries no page number ("1 / 71" on a cover is not how a 仕様書 is issued).
    section.different_first_page_header_footer = cover
    set_core_properties(document, info)
    splices = {part.partname.membername: splice} if splice else None
    return zip_items(package_items(document), splices)


def reference_problem(reference: bytes) -> str | None:
    """Why `reference` cannot serve as the reference .docx, or None when it can."""
    try:
        document = docx.Document(io.BytesIO(reference))
        document.styles.element  # noqa: B018 - a document without a styles part fails here
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        return f"it is not a Word document ({exc})"
    except (KeyError, ValueError, oxml.XMLSyntaxError) as exc:
        return f"Word cannot use it: {exc}"
    return None


@functools.cache
def bundled_reference() -> bytes:
    """templates/reference.docx, shipped as the package data of specgen.templates."""
    try:
        return resources.files("specgen.templates").joinpath("reference.docx").read_bytes()
    except ModuleNotFoundError:  # a source checkout: templates/ sits beside the package
        return (Path(__file__).resolve().parents[3] / "templates" / "reference.docx").read_bytes()
