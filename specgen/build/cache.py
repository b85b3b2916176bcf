"""The incremental build: what the previous output's manifest.json lets a build reuse or keep,
and the manifest this build writes.

A document whose inputs have the digest recorded in the manifest, and whose files still have
their recorded sha256, is reused instead of rendered (a hand-edited file is rendered again).
A partial build (some formats or municipalities) keeps the previous files it does not render,
as long as their document is still part of the project.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specgen import __version__
from specgen.build.formats import document_of, formats_of, output_name
from specgen.build.plan import BuildPlan, Document
from specgen.parse_cache import output_stats_file
from specgen.render import spec_json
from specgen.writer import MANIFEST

__all__ = ["Previous", "manifest_bytes"]

# A file of the previous output, and its sha256.
Held = tuple[Path, str]


@dataclass(frozen=True, slots=True)
class Previous:
    """The previous output directory as its manifest.json describes it (empty if none)."""

    directory: Path
    documents: Mapping[str, str] = field(default_factory=dict)  # stem → document digest
    outputs: Mapping[str, str] = field(default_factory=dict)  # relpath → sha256
    # relpath → [size, mtime_ns, inode, sha256] as specgen left each file (see writer)
    stats: Mapping[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, directory: Path) -> Previous:
        """An unreadable or foreign manifest only costs a full build."""
        try:
            manifest: Any = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
            documents, outputs = manifest.get("documents", {}), manifest.get("outputs", {})
        except (OSError, ValueError, AttributeError):
            return cls(directory)
        if not isinstance(documents, dict) or not isinstance(outputs, dict):
            return cls(directory)
        return cls(directory, documents, outputs, _stats(directory))

    def reusable(self, plan: BuildPlan) -> tuple[dict[str, Held], list[Document]]:
        """The files of unchanged documents, and the documents that must be rendered."""
        reused: dict[str, Held] = {}
        stale: list[Document] = []
        for doc in plan.documents():
            names = [output_name(doc, f) for f in formats_of(plan, doc)]
            unchanged = self._unchanged(names)
            if self.documents.get(doc.stem) == plan.document_digest(doc) and unchanged is not None:
                reused.update(unchanged)
            else:
                stale.append(doc)
        return reused, stale

    def kept(self, plan: BuildPlan, made: Iterable[str]) -> dict[str, Held]:
        """Files this build does not make, whose document still belongs to the project."""
        stems, made = plan.all_stems(), set(made)
        kept: dict[str, Held] = {}
        for name in sorted(self.outputs):
            path = self.directory / name
            if name in made or document_of(name) not in stems or not path.is_file():
                continue
            kept[name] = (path, _sha256(path))
        return kept

    def _unchanged(self, names: Sequence[str]) -> dict[str, Held] | None:
        """The files `names` with their sha256, if each is there as recorded."""
        found: dict[str, Held] = {}
        for name in names:
            path = self.directory / name
            if name not in self.outputs or not path.is_file():
                return None
            sha = self._sha256(name, path)
            if sha != self.outputs[name]:
                return None  # edited by hand: render it again
            found[name] = (path, sha)
        return found

    def _sha256(self, name: str, path: Path) -> str:
        """The file's sha256; the recorded one when the file has the size, time and inode it
        had when specgen wrote it (the check git and make rely on), else computed."""
        recorded = self.stats.get(name)
        if recorded is not None:
            info = path.stat()
            if recorded == [info.st_size, info.st_mtime_ns, info.st_ino, self.outputs[name]]:
                return self.outputs[name]
        return _sha256(path)


def _stats(directory: Path) -> dict[str, list[Any]]:
    where = output_stats_file(directory)
    try:
        stats = json.loads(where.read_text(encoding="utf-8")) if where else {}
    except (OSError, ValueError):
        return {}
    return stats if isinstance(stats, dict) else {}


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def manifest_bytes(
    plan: BuildPlan, previous: Previous, shas: Mapping[str, str], kept: Iterable[str]
) -> bytes:
    """manifest.json: the inputs' digests, each document's digest and every output's sha256."""
    kept = sorted(kept)
    documents = {doc.stem: plan.document_digest(doc) for doc in plan.documents()}
    for stem, recorded in previous.documents.items():
        if stem not in documents and any(name.startswith(f"{stem}/") for name in kept):
            documents[stem] = recorded  # a document this build did not render at all
    manifest = {
        "specgen": 1,
        "generator": f"specgen {__version__}",
        "project": plan.project.id,
        "version": plan.project.version,
        "formats": list(plan.formats),
        "inputs": dict(plan.input_digests),
        "documents": dict(sorted(documents.items())),
        "outputs": dict(sorted(shas.items())),
        "kept": kept,
    }
    return spec_json.dumps(manifest)
