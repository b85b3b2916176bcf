"""`specgen consolidate` as named stages: load the towns' catalogs, propose, write a project."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from specgen.collector import collector_paused
from specgen.consolidate.emit import project_files
from specgen.consolidate.propose import Proposal, propose
from specgen.consolidate.read import read_catalogs
from specgen.errors import InvalidInput, Location, UsageError
from specgen.model import Metric
from specgen.project import PROJECT_FILE, load_project_file
from specgen.writer import output_problems, write_new_tree

__all__ = ["consolidate_catalogs"]


def consolidate_catalogs(
    paths: Sequence[Path], *, out: Path, quorum: int | None, like: Path | None
) -> Proposal:
    """Propose a project in `out` (absent or empty) from the towns' catalogs at `paths`."""
    inputs = [*paths, *([like] if like is not None else [])]
    enclosing = next((p for p in out.absolute().parents if _is_project(p)), None)
    if enclosing is not None:
        inputs += _project_places(enclosing / PROJECT_FILE)
    try:
        occupied = out.exists() and (not out.is_dir() or any(out.iterdir()))
    except OSError:  # a name too long, a loop of links: the check below says which
        occupied = False
    if occupied:
        raise UsageError(f"{out} is not an empty directory; give a new or empty one")
    if problems := output_problems(out, inputs, Location("--out")):
        raise InvalidInput(problems)
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
            problems += output_problems(out, _project_places(like), Location("--out"))
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
    write_new_tree(out, project_files(proposal, like=like_text, metrics=used))
    return proposal


def _project_places(project_file: Path) -> list[Path]:
    """The folders and files the project of `project_file` reads (what `build` keeps its
    output off); only specgen.yaml itself when it cannot be read."""
    project, _ = load_project_file(project_file)
    if project is None:
        return [project_file]
    named = [*project.catalog, project.municipalities, project.templates]
    return [project_file, *(project_file.parent / name for name in named)]


def _is_project(folder: Path) -> bool:
    """Whether `folder` holds a specgen.yaml (a folder whose name the system refuses does not)."""
    try:
        return (folder / PROJECT_FILE).is_file()
    except OSError:
        return False
