"""Semantic validation: the checks beyond the schema, over the whole project at once.

IDs, municipality codes, metrics and placeholders are checked here; each delta is checked by
applying it (specgen.merge owns the rules of changes), so validation and build agree by design.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from specgen.codes import check_digit, is_valid_code, official_name
from specgen.collector import collector_paused
from specgen.errors import Diagnostic, Location, Severity, sort_diagnostics
from specgen.merge import Effective, apply_delta, check_placeholders
from specgen.model import Catalog, Municipality
from specgen.project import ProjectInput, load_project

__all__ = ["Validation", "validate_input", "validate_project"]


@dataclass(frozen=True, slots=True)
class Validation:
    """The loaded project, each municipality's effective catalog, and every diagnostic."""

    input: ProjectInput
    effective: tuple[Effective, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def validate_project(root: Path, *, strict: bool = False) -> Validation:
    """Load and check the project at `root`; `strict` turns warnings into errors."""
    with collector_paused():
        loaded, diagnostics = load_project(root)
        return validate_input(loaded, diagnostics, strict=strict)


def validate_input(
    loaded: ProjectInput, diagnostics: Iterable[Diagnostic] = (), *, strict: bool = False
) -> Validation:
    found = list(diagnostics)
    project = loaded.project
    found.extend(_check_ids(loaded.catalog))
    if project is not None:
        issuer = project.issuer
        found.extend(_check_code(issuer.code, issuer.name, issuer.location))
        for _, requirement in loaded.catalog.requirements():
            check_placeholders(requirement, project.metrics, found, requirement.location)
    found.extend(_check_municipalities(loaded.municipalities))
    effective: list[Effective] = []
    if project is not None and loaded.catalog_complete:
        for municipality in loaded.municipalities:
            result, problems = apply_delta(loaded.catalog, municipality, project.metrics)
            effective.append(result)
            found.extend(problems)
        found.extend(_check_additions(loaded.municipalities))
    if strict:
        found = [d.promoted() if d.severity is Severity.WARNING else d for d in found]
    return Validation(loaded, tuple(effective), tuple(sort_diagnostics(found)))


def _check_ids(catalog: Catalog) -> list[Diagnostic]:
    """E-DUPLICATE-ID at the later definition, naming the earlier one."""
    sites: list[tuple[Location, str, str]] = []
    for section in catalog.walk_sections():
        sites.append((section.location, section.id, "section"))
        sites.extend((r.location, r.id, "requirement") for r in section.requirements)
    first: dict[str, tuple[Location, str]] = {}
    found: list[Diagnostic] = []
    for location, ident, kind in sorted(
        sites, key=lambda site: (site[0].file, site[0].line, site[0].column, site[1])
    ):
        if ident in first:
            earlier, earlier_kind = first[ident]
            found.append(
                Diagnostic(
                    "E-DUPLICATE-ID",
                    f"the ID '{ident}' is already used by a {earlier_kind} at {earlier.short()}",
                    location,
                    hint="IDs are unique across all catalog files, sections and requirements",
                )
            )
        else:
            first[ident] = (location, kind)
    return found


def _check_code(code: str, name: str, where: Location) -> list[Diagnostic]:
    if not code:
        return []
    if not is_valid_code(code):
        if len(code) == 6 and code.isascii() and code.isdigit():
            message = (
                f"the local government code {code} fails its check digit "
                f"(the sixth digit should be {check_digit(code[:5])})"
            )
        else:
            message = f"the local government code '{code}' is not 6 digits"
        return [
            Diagnostic(
                "E-MUNICIPALITY-CODE",
                message,
                where,
                hint="use the 6-digit 全国地方公共団体コード with its check digit, quoted, "
                'e.g. code: "172049"',
            )
        ]
    official = official_name(code)
    if official is None:
        return [
            Diagnostic(
                "W-MUNICIPALITY-NAME",
                f"the code {code} is not in the official list (as of 2024-01-01)",
                where,
                severity=Severity.WARNING,
                hint="check the code; a municipality created by a later merger is not listed",
            )
        ]
    if name and name != official:
        return [
            Diagnostic(
                "W-MUNICIPALITY-NAME",
                f"the name '{name}' differs from the official name of {code}, '{official}'",
                where,
                severity=Severity.WARNING,
                hint=f"write name: {official}",
            )
        ]
    return []


def _check_municipalities(municipalities: Iterable[Municipality]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    codes: dict[str, Municipality] = {}
    prefixes: dict[str, Municipality] = {}
    for municipality in sorted(municipalities, key=lambda m: (m.file, m.location)):
        where = municipality.locations.get("code", municipality.location)
        found.extend(_check_code(municipality.code, municipality.name, where))
        earlier = codes.setdefault(municipality.code, municipality)
        if earlier is not municipality and municipality.code:
            found.append(
                Diagnostic(
                    "E-MUNICIPALITY-CODE",
                    f"the code {municipality.code} is already used by {earlier.file}",
                    where,
                    hint="each municipality has exactly one file",
                )
            )
        if municipality.prefix:
            first = prefixes.setdefault(municipality.prefix, municipality)
            if first is not municipality:
                found.append(
                    Diagnostic(
                        "E-MUNICIPALITY-CODE",
                        f"the prefix '{municipality.prefix}' is already used by {first.file}",
                        municipality.locations.get("prefix", where),
                        hint="each municipality's added IDs need their own prefix",
                    )
                )
    return found


def _check_additions(municipalities: Iterable[Municipality]) -> list[Diagnostic]:
    """Two municipalities adding one ID: the same content warns, different content fails."""
    found: list[Diagnostic] = []
    first: dict[str, tuple[Municipality, Location, object]] = {}
    adds = [
        (change.location, municipality, change)
        for municipality in municipalities
        for change in municipality.changes
        if change.op == "add" and change.requirement is not None
    ]
    for location, municipality, change in sorted(adds, key=lambda a: a[0]):
        content = (change.requirement, change.section)
        if change.target not in first:
            first[change.target] = (municipality, location, content)
            continue
        other, where, other_content = first[change.target]
        if other_content == content:
            found.append(
                Diagnostic(
                    "W-SAME-ADD",
                    f"{municipality.name} adds '{change.target}' exactly as {other.name} does "
                    f"(at {where.short()})",
                    location,
                    severity=Severity.WARNING,
                    hint="a requirement several participants need is a candidate for the baseline",
                )
            )
        else:
            found.append(
                Diagnostic(
                    "E-ADD-CONFLICT",
                    f"{municipality.name} adds '{change.target}' with content different from "
                    f"{other.name}'s (at {where.short()})",
                    location,
                    hint="use the municipality's own prefix for its additions, or agree on one "
                    "text",
                )
            )
    return found
