"""`specgen build`: one function that reads as the pipeline's stages.

    plan     validate, refuse an output that is not specgen's, merge   (build.plan)
    reuse    what the previous output's manifest lets this build keep  (build.cache)
    render   the documents that changed, in worker processes           (build.workers)
    write    manifest.json last, then one atomic swap                  (specgen.writer)

Formats are registered in build.formats; nothing else needs to know them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from specgen.build.cache import Previous, manifest_bytes
from specgen.build.formats import FORMATS
from specgen.build.plan import digest, plan_build
from specgen.build.workers import render_in_parallel
from specgen.parse_cache import output_stats_file
from specgen.render import pdf
from specgen.validate import Validation
from specgen.writer import MANIFEST, Output, write_outputs

__all__ = ["FORMATS", "BuildResult", "Progress", "build"]


class Progress(Protocol):
    """Who hears how a build goes (the command line shows it on a terminal)."""

    def validated(self, validation: Validation) -> None: ...

    def rendered(self, stem: str) -> None: ...


class _Silent:
    def validated(self, validation: Validation) -> None:
        pass

    def rendered(self, stem: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote: where, each file's sha256, and which documents it rendered."""

    out: Path
    files: Mapping[str, str]  # relpath → sha256, manifest.json aside
    validation: Validation
    formats: tuple[str, ...]
    rendered: tuple[str, ...]  # stems of the documents rendered (the others were unchanged)
    documents: int


def build(
    root: Path,
    *,
    out: Path | None = None,
    formats: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    strict: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Validate, merge, render and write the project at `root` (output: its `output:`)."""
    hear = progress or _Silent()
    plan, validation = plan_build(
        root, out=out, formats=formats, municipalities=municipalities, strict=strict
    )
    hear.validated(validation)
    previous = Previous.read(plan.out)
    reused, stale = previous.reusable(plan)
    files: dict[str, Output] = {name: path for name, (path, _) in reused.items()}
    shas = {name: sha for name, (_, sha) in reused.items()}
    with pdf.office_profiles() if "pdf" in plan.formats else contextlib.nullcontext():
        for rendered in render_in_parallel(plan, stale, jobs=jobs, progress=hear.rendered):
            files.update(rendered)
            shas.update((name, digest(data)) for name, data in rendered.items())
    kept = previous.kept(plan, files)
    for name, (path, sha) in kept.items():
        files[name], shas[name] = path, sha
    files[MANIFEST] = manifest_bytes(plan, previous, shas, kept)
    write_outputs(plan.out, files, stats=output_stats_file(plan.out, plan.root))
    return BuildResult(
        out=plan.out,
        files=dict(sorted(shas.items())),
        validation=validation,
        formats=plan.formats,
        rendered=tuple(doc.stem for doc in stale),
        documents=len(plan.documents()),
    )
