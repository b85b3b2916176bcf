"""`specgen diff` as named stages: find both versions, validate them, compare, render, write."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from specgen import __version__
from specgen import messages as m
from specgen.errors import Diagnostic, InvalidInput, Location
from specgen.render import pdf
from specgen.render.docx import reference_problem
from specgen.render.docx.document import render_docx
from specgen.render.docx.package import DocumentInfo
from specgen.revision.compare import Revision, Side, Version, compare
from specgen.revision.render import revision_json, revision_markdown
from specgen.revision.sources import version_directory
from specgen.validate import Validation, validate_project
from specgen.writer import MANIFEST, output_problems, write_outputs

__all__ = ["diff_projects"]

_FILES = {"markdown": "revision.md", "docx": "revision.docx", "pdf": "revision.pdf",
          "json": "revision.json"}  # fmt: skip


def diff_projects(
    old: str,
    new: str,
    *,
    project: Path,
    out: Path,
    formats: Sequence[str],
    order: str,
    strict: bool = False,
) -> tuple[Revision, list[str], list[Diagnostic]]:
    """Write the 新旧対照表 of `old` and `new` (directories or git revisions of `project`) to
    `out` in `formats`; the comparison, the files written and the warnings to print (under
    `strict` a warning is an error, and nothing is written)."""
    if "pdf" in formats and pdf.find_office() is None:
        raise InvalidInput([m.OFFICE_MISSING.at(Location("--format"))])
    with version_directory(old, project) as old_root, version_directory(new, project) as new_root:
        before, after = _validated(old_root, old), _validated(new_root, new)
        revision = compare(_version(before, old), _version(after, new))
        warnings = _warnings(revision, after, new, strict)
        reference = _reference(after)
        # A git revision's files are those of the work tree at the same paths: the output
        # stays off both, as build keeps it off the project's inputs.
        inputs = [
            path
            for spec, root, validation in ((old, old_root, before), (new, new_root, after))
            for path in validation.input.paths(root if root == Path(spec) else project)
        ]
    if problems := output_problems(out, inputs, Location("--out")):
        raise InvalidInput(problems)
    files = _rendered(revision, formats, order, reference)
    manifest = {
        "specgen": 1,
        "generator": f"specgen {__version__}",
        "kind": "revision",
        "old": {"source": old, "version": revision.old.version},
        "new": {"source": new, "version": revision.new.version},
        "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    write_outputs(out, files)
    return revision, sorted(files), warnings


def _warnings(revision: Revision, after: Validation, label: str, strict: bool) -> list[Diagnostic]:
    """What the comparison finds in NEW, located in it: a `formerly` OLD does not have, and a
    version that did not move (W-VERSION-UNCHANGED at NEW's `version:`). Raised as errors
    under `strict`."""
    found = list(revision.problems)
    if not revision.empty and revision.old.version == revision.new.version:
        project = after.input.project
        assert project is not None  # a project that validates has loaded its specgen.yaml
        found.append(
            m.VERSION_UNCHANGED.at(
                project.version_location,
                old=revision.old.source,
                changes=revision.changes,
                version=revision.new.version,
            )
        )
    located = [_located(d, label) for d in found]
    if strict and located:
        raise InvalidInput([d.promoted() if not d.is_error else d for d in located])
    return located


def _validated(root: Path, label: str) -> Validation:
    """The version at `root`, or its errors, each located in `label` (HEAD~1:requirements/…)."""
    validation = validate_project(root, remember=True)
    if not validation.ok:
        raise InvalidInput([_located(d, label) for d in validation.diagnostics if d.is_error])
    return validation


def _located(diagnostic: Diagnostic, label: str) -> Diagnostic:
    place = dataclasses.replace(diagnostic.location, file=f"{label}:{diagnostic.location.file}")
    return dataclasses.replace(diagnostic, location=place)


def _version(validation: Validation, source: str) -> Version:
    project = validation.input.project
    assert project is not None  # a project that validates has loaded its specgen.yaml
    side = Side(source=source, version=project.version, date=project.date, title=project.title)
    return Version(side, project, validation.input.catalog, validation.input.municipalities)


def _reference(validation: Validation) -> bytes | None:
    """The new version's reference.docx (its styles), when it has one."""
    project = validation.input.project
    assert project is not None
    path = validation.input.root / project.templates / "reference.docx"
    if not path.is_file():
        return None
    data = path.read_bytes()
    if (problem := reference_problem(data)) is not None:
        where = (Path(project.templates) / "reference.docx").as_posix()
        raise InvalidInput([m.REFERENCE_DOCX.at(Location(where), file=where, problem=problem)])
    return data


def _rendered(
    revision: Revision, formats: Sequence[str], order: str, reference: bytes | None
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    markdown = revision_markdown(revision, order=order)
    if "markdown" in formats:
        files[_FILES["markdown"]] = markdown.encode("utf-8")
    if "json" in formats:
        files[_FILES["json"]] = revision_json(revision)
    if "docx" in formats or "pdf" in formats:
        info = DocumentInfo(
            title=f"{'新旧対照表' if revision.language == 'ja' else 'Comparison'} — "
            f"{revision.new.title}",
            issuer="specgen",
            version=revision.new.version,
            date=revision.new.date,
            language="en" if revision.language == "en" else "ja",
        )
        document = render_docx(
            markdown, info=info, reference=reference, landscape=True, cover=False
        )
        if "docx" in formats:
            files[_FILES["docx"]] = document
        if "pdf" in formats:
            try:
                files[_FILES["pdf"]] = pdf.docx_to_pdf(document, date=revision.new.date)
            except pdf.ConversionFailed as exc:
                stem = "revision"
                raise InvalidInput([m.PDF_FAILED.at(Location(stem), stem=stem, why=exc)]) from exc
    return files
