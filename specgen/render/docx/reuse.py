"""Reusing the Word XML of the unchanged pieces of a long document from an earlier build.

After one town's edit, the joint spec differs from the last build in that town's annex: one of
its pieces of Markdown (`chunks`). Each piece's XML, deflated (`deflate`), is kept in a store
under a key naming everything it was made from — its text, the writer's state before it
(heading numbers, list and hyperlink IDs, a pending directive) and the document's setup
(reference, language, page width) — with what it changed: the state after it, the list
definitions and hyperlinks it made, its table-of-contents entries. A piece whose key is found
is replayed, neither parsed, written nor compressed; any other piece is written and stored.
The bytes of the document are the same either way (tests build with and without the store).
An entry is a 4-byte length, a JSON header (with the sha256 of the rest, checked before use),
then the parts' deflated bytes: never pickle.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import docx
import markdown_it
import orjson
from lxml import etree  # type: ignore[import-untyped]

from specgen import __version__
from specgen.render.docx.deflate import Deflated
from specgen.render.docx.parser import parse_markdown
from specgen.render.docx.writer import Writer

__all__ = ["PieceStore", "write_pieces"]

CODEC = 2  # the layout of an entry and of its key


class PieceStore(Protocol):
    """Where the pieces of documents are kept between builds (the build's cache folder)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, entry: bytes) -> None: ...


def write_pieces(writer: Writer, pieces: Iterable[str], store: PieceStore, setup: str) -> None:
    """Write the pieces of one document, each reused from `store` when it holds it; `setup`
    names what every piece's XML depends on (the reference, the language, the page)."""
    for text in pieces:
        before = writer.state()
        key = _key(setup, before, text)
        entry = store.get(key)
        if entry is not None and _replay(writer, entry):
            continue
        parts = writer.body.seal()
        numbering = writer.numbering.mark
        toc_markers, toc_entries, links = (
            len(writer.toc_markers),
            len(writer.toc_entries),
            len(writer.links),
        )
        writer.write_tokens(parse_markdown(text))
        writer.body.seal()
        abstracts, nums = writer.numbering.made_since(numbering)
        made = writer.body.parts_since(parts)
        header: dict[str, Any] = {
            "codec": CODEC,
            "parts": [None if p is None else [p.crc, p.size, len(p.data)] for p in made],
            "toc_markers": [m - parts for m in writer.toc_markers[toc_markers:]],
            "toc_entries": writer.toc_entries[toc_entries:],
            "abstracts": abstracts,
            "nums": nums,
            "links": list(writer.links.items())[links:],
            "after": writer.state(),
        }
        data = b"".join(p.data for p in made if p is not None)
        header["sha256"] = hashlib.sha256(data).hexdigest()
        head = orjson.dumps(header)
        store.put(key, len(head).to_bytes(4, "big") + head + data)


def _key(setup: str, state: dict[str, Any], text: str) -> str:
    head = orjson.dumps([CODEC, _code(), setup, state], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(head + b"\0" + text.encode("utf-8")).hexdigest()


@functools.cache
def _code() -> str:
    """What writes a piece: the versions of specgen, markdown-it, python-docx and lxml, and the
    sha256 of this package's source, so a changed writer never meets a piece an earlier one
    wrote (a checkout whose code changed keeps its version number)."""
    versions = (__version__, markdown_it.__version__, docx.__version__, etree.LXML_VERSION)
    digest = hashlib.sha256(repr(versions).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _replay(writer: Writer, entry: bytes) -> bool:
    """Apply a stored piece; False (nothing applied) when the entry cannot be read."""
    try:
        size = int.from_bytes(entry[:4], "big")
        made: Any = orjson.loads(entry[4 : 4 + size])
        if made["codec"] != CODEC or set(made["after"]) != set(writer.state()):
            return False
        data = entry[4 + size :]
        if made["sha256"] != hashlib.sha256(data).hexdigest():  # a damaged entry
            return False
        parts = _parts(made["parts"], data)
        markers = [int(m) for m in made["toc_markers"]]
        entries = [(None if s is None else _text(s), _text(t)) for s, t in made["toc_entries"]]
        abstracts = [_text(x) for x in made["abstracts"]]
        nums = [_text(x) for x in made["nums"]]
        links = [(_text(href), _text(rid)) for href, rid in made["links"]]
        after: dict[str, Any] = made["after"]
    except (ValueError, TypeError, KeyError):
        return False
    for href, rid in links:  # made again, each gets the ID the stored XML cites: the key
        if writer.relate(href) != rid:  # holds every link made before the piece
            raise AssertionError(f"a reused piece cites {rid} for {href}")
    start = writer.body.seal()
    writer.body.extend(parts, ends_in_table=after["ends_in_table"])
    writer.toc_markers.extend(start + m for m in markers)
    writer.toc_entries.extend(entries)
    writer.numbering.add_made(abstracts, nums)
    writer.restore(after)
    return True


def _parts(sizes: Any, data: bytes) -> list[Deflated | None]:
    """The deflated parts of an entry, from their (CRC, size, length) and the data after its
    header; ValueError when they do not add up."""
    parts: list[Deflated | None] = []
    offset = 0
    for item in sizes:
        if item is None:
            parts.append(None)
            continue
        crc, size, length = (int(x) for x in item)
        parts.append(Deflated(data[offset : offset + length], crc, size))
        offset += length
    if offset != len(data):
        raise ValueError("the parts do not fill the entry")
    return parts


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {value!r}")
    return value
