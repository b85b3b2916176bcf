"""The pipeline — load → validate → merge → render → write — and the only writer of outputs.

Everything is rendered in memory first; the files are then written to a temporary directory
beside the output directory and moved into place only when all of them succeeded, so a failed
build leaves the previous output untouched. Nothing here reads a clock: the same inputs give
the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from specgen import __version__
from specgen.errors import InvalidInput, SpecgenError, UsageError
from specgen.joint import JointSpec, build_joint
from specgen.merge import Effective
from specgen.model import Project
from specgen.render import documents, spec_json
from specgen.render.markdown import TemplateSet
from specgen.validate import Validation, validate_project

__all__ = [
    "RENDERERS",
    "BuildPlan",
    "BuildResult",
    "OutputError",
    "build_project",
    "plan_build",
    "render_outputs",
    "write_outputs",
]


class OutputError(SpecgenError):
    """The output directory cannot be written."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildPlan:
    """What a build renders: the validated project, its joint model, and the chosen outputs."""

    root: Path
    project: Project
    joint: JointSpec
    effective: tuple[Effective, ...]
    formats: tuple[str, ...]
    municipalities: tuple[str, ...]
    templates: TemplateSet
    input_digests: Mapping[str, str] = field(default_factory=dict)

    def selected(self) -> Iterator[Effective]:
        """The participants whose own documents are built."""
        for result in self.effective:
            if result.municipality.code in self.municipalities:
                yield result


@dataclass(frozen=True, slots=True)
class BuildResult:
    out: Path
    files: Mapping[str, str]  # relpath → sha256
    validation: Validation


Renderer = Callable[[BuildPlan, Mapping[str, str]], Iterable[tuple[str, bytes]]]


def _render_json(plan: BuildPlan, sources: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    yield "joint/spec.json", spec_json.dumps(spec_json.joint_document(plan.joint))
    for result in plan.selected():
        document = spec_json.effective_document(result, plan.project)
        yield f"municipalities/{result.municipality.code}/spec.json", spec_json.dumps(document)


def _render_markdown(plan: BuildPlan, sources: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    for stem, text in sources.items():
        yield f"{stem}/spec.md", text.encode("utf-8")


def _render_docx(plan: BuildPlan, sources: Mapping[str, str]) -> Iterator[tuple[str, bytes]]:
    reference = plan.templates.reference_docx()
    for stem, text in sources.items():
        yield f"{stem}/spec.docx", documents.docx_bytes(text, plan.project, stem, reference)


# Output formats in the order they are rendered; later issues add their renderer here.
RENDERERS: dict[str, Renderer] = {
    "markdown": _render_markdown,
    "docx": _render_docx,
    "json": _render_json,
}
_NEEDS_MARKDOWN = ("markdown", "docx")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plan_build(
    root: Path,
    *,
    formats: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    strict: bool = False,
) -> tuple[BuildPlan, Validation]:
    """Validate and merge; raise InvalidInput (with every diagnostic) when anything is wrong."""
    validation = validate_project(root, strict=strict)
    project = validation.input.project
    if not validation.ok or project is None:
        raise InvalidInput(list(validation.diagnostics))
    codes = [m.code for m in validation.input.municipalities]
    unknown = [c for c in municipalities if c not in codes]
    if unknown:
        raise UsageError(
            f"--municipality {', '.join(unknown)}: not a participant (known: {', '.join(codes)})"
        )
    chosen = tuple(formats) or tuple(f for f in project.formats if f in RENDERERS) or ("markdown",)
    missing = [f for f in chosen if f not in RENDERERS]
    if missing:
        raise UsageError(
            f"format {', '.join(missing)} is not available (available: {', '.join(RENDERERS)})"
        )
    joint = build_joint(project, validation.input.catalog, validation.effective)
    digests = {relpath: digest((root / relpath).read_bytes()) for relpath in validation.input.files}
    plan = BuildPlan(
        root=root,
        project=project,
        joint=joint,
        effective=tuple(sorted(validation.effective, key=lambda e: e.municipality.code)),
        formats=tuple(f for f in RENDERERS if f in chosen),
        templates=TemplateSet(root / project.templates),
        municipalities=tuple(municipalities) or tuple(sorted(codes)),
        input_digests=dict(sorted(digests.items())),
    )
    return plan, validation


def render_outputs(plan: BuildPlan) -> dict[str, bytes]:
    """Every output file of the plan, in memory, plus manifest.json."""
    sources: dict[str, str] = {}
    if any(name in plan.formats for name in _NEEDS_MARKDOWN):
        sources = documents.markdown_sources(plan.joint, list(plan.selected()), plan.templates)
    files: dict[str, bytes] = {}
    for name in plan.formats:
        for relpath, data in RENDERERS[name](plan, sources):
            files[relpath] = data
    manifest = {
        "specgen": 1,
        "generator": f"specgen {__version__}",
        "project": plan.project.id,
        "version": plan.project.version,
        "formats": list(plan.formats),
        "inputs": dict(plan.input_digests),
        "outputs": {relpath: digest(data) for relpath, data in sorted(files.items())},
    }
    files["manifest.json"] = spec_json.dumps(manifest)
    return files


def write_outputs(out: Path, files: Mapping[str, bytes]) -> None:
    """Write `files` under `out` atomically: all of them replace the old output, or none do."""
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output directory {out}: {exc.strerror}") from exc
    try:
        for relpath, data in sorted(files.items()):
            target = staging / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the output to {out}: {exc.strerror or exc}") from exc


def build_project(
    root: Path,
    *,
    out: Path | None = None,
    formats: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    strict: bool = False,
) -> BuildResult:
    """Validate, merge, render and write; the output directory defaults to the project's."""
    plan, validation = plan_build(
        root, formats=formats, municipalities=municipalities, strict=strict
    )
    files = render_outputs(plan)
    target = out if out is not None else root / plan.project.output
    write_outputs(target, files)
    return BuildResult(
        target, {relpath: digest(data) for relpath, data in files.items()}, validation
    )
