"""The .docx package: reproducible zip entries, hyperlink relationships, core properties."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.parts.document import DocumentPart

from specgen.render.docx.deflate import Deflated, zip_archive


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentInfo:
    """What the document says about itself: core properties and language."""

    title: str
    issuer: str
    version: str
    date: str
    language: Literal["ja", "en"] = "ja"
    subject: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date):
            raise ValueError(f"date must be YYYY-MM-DD, got {self.date!r}")
        dt.date.fromisoformat(self.date)
        if self.language not in ("ja", "en"):
            raise ValueError(f"language must be 'ja' or 'en', got {self.language!r}")

    @property
    def timestamp(self) -> dt.datetime:
        """Midnight UTC of `date`: created, modified and printed, so no clock is read."""
        return dt.datetime.combine(dt.date.fromisoformat(self.date), dt.time(tzinfo=dt.UTC))


def normalise_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and attributes, [Content_Types].xml first."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        items = {name: source.read(name) for name in source.namelist()}
    return zip_items(items)


# An entry's marker and what replaces it: text, or deflated pieces of text.
Splice = tuple[bytes, bytes | Sequence[Deflated]]


def zip_items(items: Mapping[str, bytes], splices: Mapping[str, Splice] | None = None) -> bytes:
    """A reproducible archive of `items` (name → bytes, in order), as `normalise_zip` makes.

    `splices` maps an entry's name to (marker, content): the one occurrence of marker in that
    entry is replaced by content.
    """
    contents: dict[str, bytes | Sequence[Deflated]] = dict(items)
    for name, (marker, content) in (splices or {}).items():
        head, found, tail = items[name].partition(marker)
        if not found or marker in tail:
            raise ValueError(f"{name} must hold {marker!r} exactly once")
        if isinstance(content, bytes):
            contents[name] = b"".join((head, content, tail))
        else:
            contents[name] = [Deflated.of(head), *content, Deflated.of(tail)]
    names = sorted(contents, key=lambda name: name != "[Content_Types].xml")
    return zip_archive([(name, contents[name]) for name in names])


class _Items:
    """Stands in for python-docx's zip writer: keeps each item's bytes, in the order written."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def write(self, uri: Any, blob: bytes) -> None:
        self.blobs[uri.membername] = blob

    def close(self) -> None:
        pass


def package_items(document: Document) -> dict[str, bytes]:
    """The items python-docx would zip for `document`, unzipped: compressing them here and
    again in `zip_items` would spend the time twice for the same bytes."""
    package = document.part.package
    writer: Any = PackageWriter  # its steps are private: typed loosely, checked by the tests
    try:
        write_types = writer._write_content_types_stream
        write_rels, write_parts = writer._write_pkg_rels, writer._write_parts
    except AttributeError:  # another python-docx: let it zip, and read the zip back
        out = io.BytesIO()
        document.save(out)
        with zipfile.ZipFile(out) as source:
            return {name: source.read(name) for name in source.namelist()}
    for part in package.parts:
        part.before_marshal()  # what OpcPackage.save does first
    items = _Items()
    write_types(items, package.parts)
    write_rels(items, package.rels)
    write_parts(items, package.parts)
    return items.blobs


def relate_hyperlink(part: DocumentPart, url: str) -> str:
    return str(part.relate_to(url, RT.HYPERLINK, is_external=True))


CORE_PROPERTY_CHARS = 255  # what python-docx (and Word's own dialog) accepts in one


def _core_text(text: str) -> str:
    """`text` as a core property holds it: past 255 characters, cut with an ellipsis (the
    document itself prints the whole text; the property is what a file browser shows)."""
    if len(text) <= CORE_PROPERTY_CHARS:
        return text
    return text[: CORE_PROPERTY_CHARS - 1] + "…"


def set_core_properties(document: Document, info: DocumentInfo) -> None:
    props = document.core_properties
    props.title = _core_text(info.title)
    props.subject = _core_text(info.subject)
    props.author = _core_text(info.issuer)
    props.version = _core_text(info.version)
    props.language = "ja-JP" if info.language == "ja" else "en-US"
    props.created = props.modified = props.last_printed = info.timestamp
    props.revision = 1
    props.last_modified_by = ""
    props.comments = props.keywords = props.category = ""
