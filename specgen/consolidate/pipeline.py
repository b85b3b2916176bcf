"""`specgen consolidate` as named stages: load the towns' catalogs, propose, write a project."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from specgen.collector import collector_paused
from specgen.consolidate.emit import project_files
from specgen.consolidate.propose import Proposal, propose
from specgen.consolidate.read import read_catalogs
from specgen.errors import InvalidInput, UsageError
from specgen.model import Metric
from specgen.project import load_project_file
from specgen.writer import create_files

__all__ = ["consolidate_catalogs"]


def consolidate_catalogs(
    paths: Sequence[Path], *, out: Path, quorum: int | None, like: Path | None
) -> Proposal:
    """Propose a project in `out` (absent or empty) from the towns' catalogs at `paths`."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} is not an empty directory; give a new or empty one")
    with collector_paused():  # 19 catalogs of 5,000 requirements: nothing here is garbage
        towns, problems = read_catalogs(paths)
    registry: dict[str, Metric] = {}
    like_text: str | None = None
    if like is not None:
        project, found = load_project_file(like)
        problems += found
        if project is not None:
            registry = dict(project.metrics)
            like_text = like.read_text(encoding="utf-8-sig")
    if any(d.is_error for d in problems):
        raise InvalidInput(problems)
    codes = [t.municipality.code for t in towns]
    if repeated := sorted({c for c in codes if codes.count(c) > 1}):
        raise UsageError(f"two catalogs for the same municipality: {', '.join(repeated)}")
    if quorum is not None and not 1 <= quorum <= len(towns):
        raise UsageError(f"--quorum must be between 1 and {len(towns)} (the catalogs given)")
    with collector_paused():
        proposal = propose(towns, quorum=quorum, registry=registry)
    used = sorted(
        {name for t in towns for _, r in t.catalog.requirements() for name in r.metrics}
        - set(registry)
    )
    create_files(out, project_files(proposal, like=like_text, metrics=used))
    return proposal
