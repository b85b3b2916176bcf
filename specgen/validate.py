"""Semantic validation: the checks beyond the schema, over the whole project at once.

IDs, municipality codes, metrics and placeholders are checked here; each delta is checked by
applying it (specgen.merge owns the rules of changes), so validation and build agree by design.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from specgen import messages as m
from specgen.codes import check_digit, is_valid_code, official_name
from specgen.collector import collector_paused
from specgen.errors import Diagnostic, Location, Severity, did_you_mean, sort_diagnostics
from specgen.labels import PROFILE_LABELS
from specgen.merge import Baseline, Effective, apply_delta, check_placeholders
from specgen.model import Catalog, Issuer, Municipality
from specgen.project import ProjectInput, load_project
from specgen.shared import SharedSystem, shared_problems, shared_system

__all__ = ["Validation", "validate_input", "validate_project"]


@dataclass(frozen=True, slots=True)
class Validation:
    """The loaded project, each municipality's effective catalog, and every diagnostic."""

    input: ProjectInput
    effective: tuple[Effective, ...]
    diagnostics: tuple[Diagnostic, ...]
    shared: SharedSystem | None = None  # what the shared system implements, when merged

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def validate_project(root: Path, *, strict: bool = False, remember: bool = False) -> Validation:
    """Load and check the project at `root`; `strict` turns warnings into errors, `remember`
    stores the files parsed in the parse cache."""
    with collector_paused():
        loaded, diagnostics = load_project(root, remember=remember)
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
    found.extend(_check_municipalities(loaded.municipalities, project.issuer if project else None))
    found.extend(_check_formerly(loaded.catalog, loaded.municipalities))
    effective: list[Effective] = []
    system: SharedSystem | None = None
    if project is not None and loaded.catalog_complete:
        baseline = Baseline.of(loaded.catalog)
        for municipality in loaded.municipalities:
            result, problems = apply_delta(baseline, municipality, project.metrics)
            effective.append(result)
            found.extend(problems)
        found.extend(_check_additions(loaded.municipalities))
        system = shared_system(loaded.catalog, effective, project.metrics)
        found.extend(shared_problems(system, effective, loaded.catalog))
    if project is not None and project.procurement and project.procurement.lead:
        codes = sorted(mun.code for mun in loaded.municipalities)
        if project.procurement.lead not in codes:
            found.append(
                m.LEAD_UNKNOWN.at(
                    project.procurement.lead_location,
                    code=project.procurement.lead,
                    codes=", ".join(codes) or "-",
                )
            )
    if project is not None:
        found.extend(_check_profile_keys(loaded.municipalities, project.profile))
    if strict:
        found = [d.promoted() if d.severity is Severity.WARNING else d for d in found]
    return Validation(loaded, tuple(effective), tuple(sort_diagnostics(found)), system)


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
                m.DUPLICATE_ID.at(
                    location,
                    id=ident,
                    kind=m.Words(earlier_kind, "節" if earlier_kind == "section" else "要件"),
                    first=earlier.short(),
                )
            )
        else:
            first[ident] = (location, kind)
    return found


def _check_formerly(catalog: Catalog, municipalities: Iterable[Municipality]) -> list[Diagnostic]:
    """E-FORMERLY: a requirement can replace (`formerly`) only an ID the project no longer
    has, and only one requirement can replace it."""
    exists: dict[str, Location] = {}
    for section in catalog.walk_sections():
        exists.setdefault(section.id, section.location)
        for requirement in section.requirements:
            exists.setdefault(requirement.id, requirement.location)
    replacing = [r for _, r in catalog.requirements()]
    for municipality in municipalities:
        for change in municipality.changes:
            if change.op == "add" and change.requirement is not None:
                exists.setdefault(change.target, change.location)
                replacing.append(change.requirement)
    found: list[Diagnostic] = []
    claimed: dict[str, tuple[str, Location]] = {}
    for requirement in sorted(replacing, key=lambda r: (r.location.file, r.location.line)):
        for old in requirement.formerly:
            site = requirement.formerly_site(old)
            if old == requirement.id:
                found.append(m.FORMERLY_SELF.at(site, id=old))
            elif old in exists:
                found.append(
                    m.FORMERLY_EXISTS.at(
                        site, id=requirement.id, old=old, first=exists[old].short()
                    )
                )
            elif old in claimed and claimed[old][0] != requirement.id:
                other, first = claimed[old]
                found.append(
                    m.FORMERLY_TWICE.at(
                        site, id=requirement.id, other=other, old=old, first=first.short()
                    )
                )
            else:
                claimed.setdefault(old, (requirement.id, site))
    return found


def _check_code(code: str, name: str, where: Location) -> list[Diagnostic]:
    if not code:
        return []
    if not is_valid_code(code):
        if len(code) == 6 and code.isascii() and code.isdigit():
            return [m.CHECK_DIGIT.at(where, code=code, digit=check_digit(code[:5]))]
        return [m.CODE_FORM.at(where, code=code)]
    official = official_name(code)
    if official is None:
        return [m.CODE_NOT_OFFICIAL.at(where, code=code)]
    if name and name != official:
        return [m.NAME_NOT_OFFICIAL.at(where, name=name, code=code, official=official)]
    return []


_PREFECTURE_CODE = re.compile(r"(\d\d)000\d")  # 都道府県の団体コード: 170003 is 石川県
_FILE_CODE = re.compile(r"(\d{6})(?:-[^/]*)?\.yaml")


def _misplaced_code(municipality: Municipality, issuer: Issuer | None) -> Diagnostic | None:
    """A code that cannot be this file's: one of another prefecture than the issuing one, or
    another than the code the file is named by. It is likelier the mistake than the name."""
    code, where = municipality.code, municipality.locations.get("code", municipality.location)
    named = _FILE_CODE.fullmatch(municipality.file.rsplit("/", 1)[-1])
    if named is not None and is_valid_code(named.group(1)) and named.group(1) != code:
        return m.CODE_NOT_FILE.at(where, code=code, file=municipality.file, named=named.group(1))
    prefecture = _PREFECTURE_CODE.fullmatch(issuer.code) if issuer is not None else None
    if prefecture is not None and issuer is not None and code[:2] != prefecture.group(1):
        return m.CODE_OTHER_PREFECTURE.at(
            where, code=code, issuer=issuer.name, digits=prefecture.group(1)
        )
    return None


def _check_municipalities(
    municipalities: Iterable[Municipality], issuer: Issuer | None = None
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    codes: dict[str, Municipality] = {}
    prefixes: dict[str, Municipality] = {}
    for municipality in sorted(municipalities, key=lambda m: (m.file, m.location)):
        where = municipality.locations.get("code", municipality.location)
        misplaced = (
            _misplaced_code(municipality, issuer) if is_valid_code(municipality.code) else None
        )
        if misplaced is not None:  # the name check would only suggest the wrong fix
            found.append(misplaced)
        else:
            found.extend(_check_code(municipality.code, municipality.name, where))
        earlier = codes.setdefault(municipality.code, municipality)
        if earlier is not municipality and municipality.code:
            found.append(m.CODE_TWICE.at(where, code=municipality.code, file=earlier.file))
        if municipality.prefix:
            first = prefixes.setdefault(municipality.prefix, municipality)
            if first is not municipality:
                found.append(
                    m.PREFIX_TWICE.at(
                        municipality.locations.get("prefix", where),
                        prefix=municipality.prefix,
                        file=first.file,
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
        message = m.SAME_ADD if other_content == content else m.ADD_CONFLICT
        found.append(
            message.at(
                location,
                name=municipality.name,
                id=change.target,
                other=other.name,
                first=where.short(),
            )
        )
    return found


def _check_profile_keys(
    municipalities: Iterable[Municipality], registry: Mapping[str, object]
) -> list[Diagnostic]:
    """W-PROFILE-KEY for a profile key no label is known for (it would print raw)."""
    known = set(PROFILE_LABELS) | set(registry)
    found: list[Diagnostic] = []
    for municipality in municipalities:
        for key in municipality.profile:
            if key in known:
                continue
            close = did_you_mean(key, sorted(known))
            found.append(
                m.PROFILE_KEY.at(
                    municipality.locations.get(f"profile.{key}", municipality.location),
                    key=key,
                    close=f"{close} Or " if close else "",
                )
            )
    return found
