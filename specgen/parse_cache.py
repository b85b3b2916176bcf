"""The parse cache: YAML files that loaded and passed their schema, kept as JSON outside the
project so that a rebuild parses only the files that changed.

An entry is named by the sha256 of the file's bytes, the schema it passed and specgen's
version, so a changed file, schema or specgen never meets an old entry. Entries are JSON — a
cache read back must never run code — and anything unreadable is ignored: the file is then
parsed as if there were no cache. The directory is `SPECGEN_CACHE_DIR`, else
`$XDG_CACHE_HOME/specgen`, else `~/.cache/specgen` (entries go in its `parse-v1/`); a build
writes nothing there (parse entries, Word pieces, output stats) when that folder lies inside
the project. `SPECGEN_CACHE_DIR=off` turns it off.
`docx-pieces-v1/` keeps the deflated Word XML of the pieces of each Word file, so that a rebuild
after one town's edit writes only the pieces holding what the town changed (render.docx.reuse);
it holds at most PIECE_ENTRIES entries, about 20 MB for a 5,000 × 19 project.
Beside the entries, `outputs-v1/` keeps each output's size, time and inode as the build left
it, so that a rebuild hashes only the outputs touched since. Entries are written by
specgen.writer, the only writer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import orjson

from specgen import __version__
from specgen.load import Document
from specgen.writer import store_cache_entry, touch_cache_entry

__all__ = [
    "CODEC",
    "PIECE_ENTRIES",
    "PieceCache",
    "cache_directory",
    "cache_root",
    "decode",
    "encode",
    "entry_key",
    "lookup",
    "output_stats_file",
    "within",
]

CODEC = 1  # the layout of an entry; a new layout is a new directory


def cache_root() -> Path | None:
    """specgen's cache folder, or None when the cache is off."""
    setting = os.environ.get("SPECGEN_CACHE_DIR")
    if setting is not None:
        if setting.strip().lower() in ("", "off", "0", "no"):
            return None
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "specgen"


def cache_directory() -> Path | None:
    """Where parse entries live, or None when the cache is off."""
    root = cache_root()
    return None if root is None else root / f"parse-v{CODEC}"  # never beside a user's files


def output_stats_file(out: Path, project: Path | None = None) -> Path | None:
    """Where the size, time and inode of each file of the output `out` are remembered, so a
    rebuild hashes only the files that changed since specgen wrote them; None when the cache
    is off or, for a build of `project`, lies inside it."""
    root = cache_root()
    if root is None or (project is not None and within(root, project)):
        return None
    name = hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return root / f"outputs-v{CODEC}" / f"{name}.json"


PIECE_ENTRIES = 400


class PieceCache:
    """The store of the Word files' pieces (render.docx.reuse.PieceStore)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def open(cls, project: Path) -> PieceCache | None:
        """The cache folder's store, or None when the cache is off or lies inside `project`
        (the project is what is versioned: no cache lands in it)."""
        root = cache_root()
        if root is None or within(root, project):
            return None
        return cls(root / f"docx-pieces-v{CODEC}")

    def get(self, key: str) -> bytes | None:
        try:
            entry = (self.directory / f"{key}.bin").read_bytes()
        except OSError:
            return None
        touch_cache_entry(self.directory, key, ".bin")
        return entry

    def put(self, key: str, entry: bytes) -> None:
        store_cache_entry(self.directory, key, entry, limit=PIECE_ENTRIES, suffix=".bin")


def within(path: Path, root: Path) -> bool:
    """Whether `path` is `root` or inside it (when that cannot be told: True, so nothing is
    written there)."""
    try:
        inside, base = path.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return True
    return inside == base or base in inside.parents


def entry_key(data: bytes, schema: str) -> str:
    """The name of the entry for a file with bytes `data` that passed `schema`."""
    salt = f"specgen {__version__} parse-v{CODEC} {schema}\0".encode()
    return hashlib.sha256(salt + data).hexdigest()


def encode(document: Document) -> bytes:
    """An entry: the data, and every value's and key's position (paths as lists)."""
    return orjson.dumps(
        {
            "data": document.data,
            "values": [[list(path), *position] for path, position in document.values.items()],
            "keys": [[list(path), *position] for path, position in document.keys.items()],
            "raw": [[list(path), text] for path, text in document.raw.items()],
        }
    )


def decode(blob: bytes, relpath: str) -> Document:
    """The document an entry holds, as read from `relpath`; ValueError if it is malformed."""
    entry: Any = orjson.loads(blob)
    try:
        return Document(
            relpath,
            entry["data"],
            {tuple(path): (line, column) for path, line, column in entry["values"]},
            {tuple(path): (line, column) for path, line, column in entry["keys"]},
            {tuple(path): text for path, text in entry["raw"]},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed cache entry: {exc}") from exc


def lookup(key: str, relpath: str) -> Document | None:
    """The cached document for `key`, or None (no cache, no entry, or an unreadable one)."""
    directory = cache_directory()
    if directory is None:
        return None
    try:
        return decode((directory / f"{key}.json").read_bytes(), relpath)
    except (OSError, ValueError):
        return None
