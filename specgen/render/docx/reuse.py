"""Reusing the Word XML of the unchanged pieces of a long document from an earlier build.

After one town's edit, the joint spec differs from the last build in that town's annex: one of
its pieces of Markdown (`chunks`). Each piece's XML, deflated (`deflate`), is kept in a store
under a key naming everything it was made from — its text, the writer's state before it
(heading numbers, list and hyperlink IDs, styles asked for, a pending directive), the
document's setup (reference, language, page width) and the code that writes it — with what it
changed: the state after it, the list definitions, hyperlinks and styles it made, its
table-of-contents entries. A piece whose key is found is replayed, neither parsed, written nor
compressed; any other piece is written and stored. The bytes of the document are the same
either way (tests build with and without the store).

An entry is the sha256 of its key and of everything after the digest, a 4-byte length, a JSON
header, then the parts' deflated bytes: never pickle. An entry that is damaged, stored under
another key or unreadable in any field is written again, before anything of it is applied.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import docx
import markdown_it
import mdurl
import orjson
from lxml import etree  # type: ignore[import-untyped]

from specgen import __version__
from specgen.render.docx.deflate import Deflated
from specgen.render.docx.parser import parse_markdown
from specgen.render.docx.writer import Writer

__all__ = ["PieceStore", "write_pieces"]

CODEC = 3  # the layout of an entry and of its key


class PieceStore(Protocol):
    """Where the pieces of documents are kept between builds (the build's cache folder)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, entry: bytes) -> None: ...


def _code_digest() -> str:
    """What writes a piece: the versions of Python (its Unicode tables measure text), zlib,
    specgen, markdown-it, mdurl, python-docx and lxml, and the sha256 of this package's source
    as imported, so a changed writer never meets a piece an earlier one wrote (a checkout
    whose code changed keeps its version number)."""
    versions = (
        sys.version, unicodedata.unidata_version, zlib.ZLIB_RUNTIME_VERSION, __version__,
        markdown_it.__version__, mdurl.__version__, docx.__version__, etree.LXML_VERSION,
    )  # fmt: skip
    digest = hashlib.sha256(repr(versions).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


_CODE = _code_digest()  # read with the modules themselves, not when the first piece is made


def write_pieces(writer: Writer, pieces: Iterable[str], store: PieceStore, setup: str) -> None:
    """Write the pieces of one document, each reused from `store` when it holds it; `setup`
    names what every piece's XML depends on (the reference, the language, the page)."""
    for text in pieces:
        key = _key(setup, writer.state(), text)
        entry = store.get(key) if key is not None else None
        made = _read(key, entry, writer) if key is not None and entry is not None else None
        if made is not None:
            _replay(writer, made)
            continue
        blob = _write(writer, text)
        if key is not None and blob is not None:
            store.put(key, hashlib.sha256(key.encode() + blob).digest() + blob)


def _key(setup: str, state: dict[str, Any], text: str) -> str | None:
    """The piece's key; None when its text or the state cannot be written down (a lone
    surrogate a template made): such a piece is written and not stored."""
    try:
        head = orjson.dumps([CODEC, _CODE, setup, state], option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(head + b"\0" + text.encode("utf-8")).hexdigest()
    except (TypeError, UnicodeError):
        return None


def _write(writer: Writer, text: str) -> bytes | None:
    """Write a piece; the entry that replays it (after its digest), or None if there is none."""
    parts = writer.body.seal()
    numbering = writer.numbering.mark
    toc_markers, toc_entries = len(writer.toc_markers), len(writer.toc_entries)
    links, styles = len(writer.links), len(writer.styles_asked)
    writer.write_tokens(parse_markdown(text))
    writer.body.seal()
    abstracts, nums = writer.numbering.made_since(numbering)
    made = writer.body.parts_since(parts)
    header = {
        "parts": [None if p is None else [p.crc, p.size, len(p.data)] for p in made],
        "toc_markers": [m - parts for m in writer.toc_markers[toc_markers:]],
        "toc_entries": writer.toc_entries[toc_entries:],
        "abstracts": abstracts,
        "nums": nums,
        "links": list(writer.links.items())[links:],
        "styles": list(writer.styles_asked.items())[styles:],
        "after": writer.state(),
    }
    try:
        head = orjson.dumps(header)
    except TypeError:  # a lone surrogate in a heading: not stored
        return None
    data = b"".join(p.data for p in made if p is not None)
    return len(head).to_bytes(4, "big") + head + data


@dataclass(frozen=True, slots=True)
class _Made:
    """What a stored piece adds, every field checked."""

    parts: list[Deflated | None]
    toc_markers: list[int]
    toc_entries: list[tuple[str | None, str]]
    abstracts: list[str]
    nums: list[str]
    links: list[tuple[str, str]]
    styles: list[tuple[str, str]]
    after: dict[str, Any]


def _read(key: str, entry: bytes, writer: Writer) -> _Made | None:
    """The piece an entry holds, or None when it is not the intact entry of `key`."""
    digest, blob = entry[:32], entry[32:]
    if hashlib.sha256(key.encode() + blob).digest() != digest:
        return None  # damaged, or stored under another piece's key
    try:
        size = int.from_bytes(blob[:4], "big")
        header: Any = orjson.loads(blob[4 : 4 + size])
        made = _Made(
            parts=_parts(header["parts"], blob[4 + size :]),
            toc_markers=[_count(m) for m in header["toc_markers"]],
            toc_entries=[(_text(s, True), _text(t)) for s, t in header["toc_entries"]],
            abstracts=[_xml(x) for x in header["abstracts"]],
            nums=[_xml(x) for x in header["nums"]],
            links=[(_text(href), _text(rid)) for href, rid in header["links"]],
            styles=[(_text(name), _text(sid)) for name, sid in header["styles"]],
            after=writer.checked_state(header["after"]),
        )
    except (ValueError, TypeError, KeyError, etree.XMLSyntaxError):
        return None
    if any(m >= len(made.parts) or made.parts[m] is not None for m in made.toc_markers):
        return None
    return made


def _replay(writer: Writer, made: _Made) -> None:
    """Apply a stored piece. The key holds every link and style made before the piece, so
    each made again gets the ID the stored XML cites; a different one is a bug."""
    for href, rid in made.links:
        if writer.relate(href) != rid:
            raise AssertionError(f"a reused piece cites {rid} for {href}")
    for name, style_id in made.styles:
        if writer.paragraph_style(name) != style_id:
            raise AssertionError(f"a reused piece cites style {style_id} for {name}")
    start = writer.body.seal()
    writer.body.extend(made.parts, ends_in_table=made.after["ends_in_table"])
    writer.toc_markers.extend(start + m for m in made.toc_markers)
    writer.toc_entries.extend(made.toc_entries)
    writer.numbering.add_made(made.abstracts, made.nums)
    writer.restore(made.after)


def _parts(sizes: Any, data: bytes) -> list[Deflated | None]:
    """The deflated parts of an entry, from their (CRC, size, length) and the data after its
    header; ValueError when they do not add up."""
    parts: list[Deflated | None] = []
    offset = 0
    for item in sizes:
        if item is None:
            parts.append(None)
            continue
        crc, size, length = (_count(x) for x in item)
        if crc >= 1 << 32 or size >= 1 << 32:
            raise ValueError("a part out of range")
        parts.append(Deflated(data[offset : offset + length], crc, size))
        offset += length
    if offset != len(data):
        raise ValueError("the parts do not fill the entry")
    return parts


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"not a count: {value!r}")
    return value


def _text(value: Any, optional: bool = False) -> Any:
    if not isinstance(value, str) and not (optional and value is None):
        raise TypeError(f"not text: {value!r}")
    return value


def _xml(value: Any) -> str:
    """A list definition's XML, parsed once here so that a bad one is refused, not applied."""
    etree.fromstring(_text(value))
    return str(value)
