"""Planning a build: validate, refuse an output directory that is not specgen's, merge, and
decide which documents and formats to render."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from specgen import __version__
from specgen import messages as m
from specgen.build.formats import FORMATS
from specgen.collector import collector_paused
from specgen.errors import Diagnostic, InvalidInput, Location, UsageError
from specgen.joint import JointSpec, build_joint
from specgen.merge import Effective
from specgen.model import Project
from specgen.render import pdf
from specgen.render.docx import reference_problem
from specgen.render.limits import RenderLimits
from specgen.render.markdown import TemplateSet
from specgen.validate import Validation, validate_project
from specgen.writer import OutputError, output_problems

__all__ = ["BuildPlan", "Document", "digest", "plan_build"]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One document of the output: the joint spec, or one municipality's own spec."""

    stem: str  # "joint" or "municipalities/<code>"
    code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildPlan:
    """What a build renders: the validated project, its joint model, and the chosen outputs."""

    root: Path
    out: Path
    project: Project
    joint: JointSpec
    effective: tuple[Effective, ...]
    formats: tuple[str, ...]
    municipalities: tuple[str, ...]
    templates: TemplateSet
    input_digests: Mapping[str, str] = field(default_factory=dict)
    template_digest: str = ""

    def selected(self) -> Iterator[Effective]:
        """The participants whose own documents are built."""
        for result in self.effective:
            if result.municipality.code in self.municipalities:
                yield result

    def effective_of(self, code: str) -> Effective:
        return next(e for e in self.effective if e.municipality.code == code)

    def documents(self) -> list[Document]:
        return [Document("joint")] + [
            Document(f"municipalities/{e.municipality.code}", e.municipality.code)
            for e in self.selected()
        ]

    def all_stems(self) -> set[str]:
        """The documents of the whole project, built this time or not."""
        return {"joint", *(f"municipalities/{e.municipality.code}" for e in self.effective)}

    def document_digest(self, doc: Document) -> str:
        """What a document's bytes depend on: specgen, templates, the baseline, and its deltas.

        A municipality's own spec depends on its own file, and on the others' only through what
        the shared system implements (a value another participant's need sets); the joint spec
        depends on all of them.
        """
        shared = [self.template_digest, __version__, ",".join(self.formats)]
        if doc.code is not None:
            shared.append(self.joint.shared.fingerprint())
        own = {m.code: m.file for m in (e.municipality for e in self.effective)}
        delta_files = set(own.values())
        for relpath, sha in self.input_digests.items():
            if relpath not in delta_files or doc.code is None or own.get(doc.code) == relpath:
                shared.append(f"{relpath}={sha}")
        return digest("\n".join(shared).encode("utf-8"))


def plan_build(
    root: Path,
    *,
    out: Path | None = None,
    formats: Sequence[str] = (),
    municipalities: Sequence[str] = (),
    strict: bool = False,
) -> tuple[BuildPlan, Validation]:
    """Validate, check the output directory and merge; raise InvalidInput (with every
    diagnostic) when anything is wrong, before anything is rendered or written."""
    validation = validate_project(root, strict=strict, remember=True)
    project = validation.input.project
    target = out
    refused: list[Diagnostic] = []
    if project is not None and validation.ok:
        if target is None:
            target = root / project.output
        site = project.output_location if out is None else Location("--out")
        refused = output_problems(target, validation.input.paths(), site)
    if not validation.ok or project is None or target is None or refused:
        raise InvalidInput([*validation.diagnostics, *refused])
    codes = [m.code for m in validation.input.municipalities]
    unknown = [c for c in municipalities if c not in codes]
    if unknown:
        raise UsageError(
            f"--municipality {', '.join(unknown)}: not a participant (known: {', '.join(codes)})"
        )
    chosen = tuple(formats) or project.formats
    missing = [f for f in chosen if f not in FORMATS]
    if missing:
        where = "--format" if formats else "formats in specgen.yaml"
        raise OutputError(
            f"{where} asks for {', '.join(missing)}, which this version of specgen cannot write "
            f"yet (available: {', '.join(FORMATS)})"
        )
    if "pdf" in chosen and pdf.find_office() is None:
        asked = Location("--format") if formats else project.formats_location
        raise InvalidInput([*validation.diagnostics, m.OFFICE_MISSING.at(asked)])
    limits = RenderLimits(seconds=project.render_seconds, max_chars=project.render_mib << 20)
    templates = TemplateSet(root / project.templates, limits)
    reference = templates.reference_docx() if "docx" in chosen else None
    if reference is not None and (problem := reference_problem(reference)) is not None:
        where = (Path(project.templates) / "reference.docx").as_posix()
        refused = [m.REFERENCE_DOCX.at(Location(where), file=where, problem=problem)]
        raise InvalidInput([*validation.diagnostics, *refused])
    with collector_paused():  # a full collection here would walk the whole model for nothing
        joint = build_joint(
            project, validation.input.catalog, validation.effective, validation.shared
        )
    digests = {relpath: digest((root / relpath).read_bytes()) for relpath in validation.input.files}
    plan = BuildPlan(
        root=root,
        out=target,
        project=project,
        joint=joint,
        effective=tuple(sorted(validation.effective, key=lambda e: e.municipality.code)),
        formats=tuple(f for f in FORMATS if f in chosen),
        templates=templates,
        municipalities=tuple(municipalities) or tuple(sorted(codes)),
        input_digests=dict(sorted(digests.items())),
        template_digest=templates.digest(),
    )
    return plan, validation
