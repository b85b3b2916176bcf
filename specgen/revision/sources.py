"""Where the two versions come from: a project directory, or a git revision of the project,
read with `git archive` into a temporary directory (never checked out over the work tree)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from specgen.errors import UsageError

__all__ = ["version_directory"]


@contextmanager
def version_directory(spec: str, project: Path) -> Iterator[Path]:
    """The project directory `spec` names: itself when it is a directory, else the project at
    git revision `spec` of the repository holding `project` (extracted, removed afterwards)."""
    as_path = Path(spec)
    if as_path.is_dir():
        yield as_path
        return
    git = shutil.which("git")
    if git is None:
        raise UsageError(
            f"{spec} is not a directory, and git is not on PATH to read it as a revision"
        )
    prefix = _git(git, project, "rev-parse", "--show-prefix")
    if prefix is None:
        raise UsageError(f"{spec} is not a directory, and {project} is not in a git repository")
    commit = _git(git, project, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    if commit is None:
        raise UsageError(
            f"{spec} is neither a directory nor a git revision of the repository of {project}"
        )
    top = _git(git, project, "rev-parse", "--show-toplevel")
    tree = f"{commit}:{prefix}" if prefix else commit
    archive = subprocess.run(  # from the top: git archive refuses an untracked working directory
        [git, "-C", top or str(project), "archive", "--format=tar", tree],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        why = archive.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git cannot read the project at {spec}: {why}")
    with tempfile.TemporaryDirectory(prefix="specgen-rev-") as work:
        root = Path(work) / "project"
        root.mkdir()
        try:
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(root, filter="data")  # no links out, no devices, no absolutes
        except tarfile.TarError as exc:
            raise UsageError(
                f"the project at {spec} cannot be read safely: {exc} (a link that leads out of "
                "the project is refused, as in a project directory)"
            ) from exc
        yield root


def _git(git: str, project: Path, *args: str) -> str | None:
    """git's one-line answer in `project`, or None when it fails."""
    done = subprocess.run(
        [git, "-C", str(project), *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else None
