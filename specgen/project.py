"""Finding a project's files, loading them strictly, checking their schemas and building the model.

Building is tolerant: whatever the schema rejected has already been reported, so a malformed
item is skipped or given a neutral default, and the semantic checks that follow still see the
rest of the project. Every problem in every file is collected before anyone stops.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specgen import messages as m
from specgen import parse_cache
from specgen.errors import Diagnostic, Location
from specgen.load import Document, YamlPath, load_document, parse_bytes, read_file
from specgen.model import (
    LEVELS,
    NOWHERE,
    REQUIREMENT_FIELDS,
    Catalog,
    Change,
    Evaluation,
    FieldPath,
    Issuer,
    Metric,
    Municipality,
    Procurement,
    ProfileField,
    Project,
    Requirement,
    Revision,
    Section,
    Standard,
)
from specgen.schemas import check_schema
from specgen.writer import store_cache_entry

__all__ = [
    "PROJECT_FILE",
    "ProjectInput",
    "TownCatalog",
    "check_town_catalog",
    "load_project",
    "load_project_file",
    "load_town_catalog",
    "requirement_from_mapping",
    "town_catalog",
]

PROJECT_FILE = "specgen.yaml"
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectInput:
    """Everything read from a project directory, as model values."""

    root: Path
    project: Project | None
    catalog: Catalog
    municipalities: tuple[Municipality, ...]
    files: tuple[str, ...]
    # False when a catalog file could not be read: references into it cannot be checked.
    catalog_complete: bool = True

    def paths(self, root: Path | None = None) -> list[Path]:
        """Every path the project reads, under `root` (default: where it was read): its files
        and the folders specgen.yaml names. Every writing command keeps its output off them."""
        base = self.root if root is None else root
        named = [PROJECT_FILE]
        if self.project is not None:
            project = self.project
            named += [*project.catalog, project.municipalities, project.templates]
        return [base / name for name in (*named, *self.files)]


def load_project(root: Path, *, remember: bool = False) -> tuple[ProjectInput, list[Diagnostic]]:
    """Load every file of the project at `root`; the diagnostics hold every problem found.

    Files are read from the parse cache when it has them; `remember` also stores those that
    had to be parsed (a build does, so the next one parses only what changed; `validate`
    leaves the cache as it found it and pays nothing for it).
    """
    diagnostics: list[Diagnostic] = []
    files: list[str] = []
    empty = ProjectInput(root=root, project=None, catalog=Catalog(), municipalities=(), files=())
    if not root.is_dir():
        return empty, [m.NO_PROJECT_DIRECTORY.at(Location(str(root)), root=root)]
    if not (root / PROJECT_FILE).is_file():
        return empty, [m.NOT_A_PROJECT.at(Location(PROJECT_FILE), file=PROJECT_FILE, root=root)]
    project_doc = _load_checked(root, PROJECT_FILE, "project", diagnostics, remember)
    files.append(PROJECT_FILE)
    project = _build_project(project_doc) if project_doc is not None else None

    catalog_entries: list[tuple[str, Location]] = [("requirements/", Location(PROJECT_FILE))]
    municipality_entry: tuple[str, Location] | None = None
    if project_doc is not None and isinstance(project_doc.data, dict):
        raw = project_doc.data.get("catalog")
        if isinstance(raw, list) and all(isinstance(e, str) for e in raw):
            catalog_entries = [(e, project_doc.at(("catalog", i))) for i, e in enumerate(raw)]
        raw_dir = project_doc.data.get("municipalities")
        if isinstance(raw_dir, str):
            municipality_entry = (raw_dir, project_doc.at(("municipalities",)))
        templates, where = "templates/", Location(PROJECT_FILE)
        if isinstance(project_doc.data.get("templates"), str):
            templates, where = project_doc.data["templates"], project_doc.at(("templates",))
        if (where.line or (root / templates).exists()) and _outside(
            root, templates, where, diagnostics
        ):
            _check_templates(root, templates, diagnostics)

    sections: list[Section] = []
    found_before = len(diagnostics)
    catalog_files = _expand(root, catalog_entries, diagnostics, required=True)
    complete = len(diagnostics) == found_before  # a refused entry may hold what is referenced
    for relpath in catalog_files:
        files.append(relpath)
        doc = _load_checked(root, relpath, "catalog", diagnostics, remember)
        if doc is not None and isinstance(doc.data, dict):
            sections.extend(_build_sections(doc, doc.data.get("sections"), ("sections",)))
        else:
            complete = False

    municipalities: list[Municipality] = []
    entry = municipality_entry or ("municipalities/", Location(PROJECT_FILE))
    for relpath in _expand(root, [entry], diagnostics, required=municipality_entry is not None):
        files.append(relpath)
        doc = _load_checked(root, relpath, "municipality", diagnostics, remember)
        if doc is not None and isinstance(doc.data, dict):
            built = _build_municipality(doc)
            if built is not None:
                municipalities.append(built)

    result = ProjectInput(
        root=root,
        project=project,
        catalog=Catalog(sections=tuple(sections)),
        municipalities=tuple(municipalities),
        files=tuple(files),
        catalog_complete=complete,
    )
    return result, diagnostics


def _load_checked(
    root: Path, relpath: str, schema: str, diagnostics: list[Diagnostic], remember: bool
) -> Document | None:
    """Load a file and check it against its schema; one that passed before, byte for byte,
    comes from the parse cache instead."""
    data, problems = read_file(root, relpath)
    diagnostics.extend(problems)
    if data is None:
        return None
    key = parse_cache.entry_key(data, schema)
    cached = parse_cache.lookup(key, relpath)
    if cached is not None:
        return cached
    doc, problems = parse_bytes(data, relpath)
    diagnostics.extend(problems)
    if doc is None:
        return None
    found = check_schema(doc, schema)
    diagnostics.extend(found)
    directory = parse_cache.cache_directory()
    if remember and directory is not None and not problems and not found:
        if parse_cache.within(directory, root):
            return doc  # the project is what is versioned: no cache lands in it
        store_cache_entry(directory, key, parse_cache.encode(doc))
    return doc


def _expand(
    root: Path,
    entries: list[tuple[str, Location]],
    diagnostics: list[Diagnostic],
    *,
    required: bool,
) -> list[str]:
    """Files named by `entries` (a directory gives its YAML files in name order).

    Only regular files inside the project are read: a path that is absolute or leads out of
    it, and an entry that is a link to nothing, a directory or a FIFO, is an E-IO.
    """
    found: list[str] = []
    for entry, location in entries:
        path = _outside(root, entry, location, diagnostics)
        if path is None:
            continue
        if path.is_dir():
            for child in sorted(path.iterdir(), key=lambda p: p.name):
                relpath = child.relative_to(root).as_posix()
                if child.suffix not in _YAML_SUFFIXES or relpath == PROJECT_FILE:
                    continue
                problem = _not_readable(root, child, relpath, Location(relpath))
                if problem is None:
                    found.append(relpath)
                else:
                    diagnostics.append(problem)
        elif path.exists() and (problem := _not_readable(root, path, entry, location)):
            diagnostics.append(problem)
        elif path.is_file():
            found.append(path.relative_to(root).as_posix())
        elif required:
            diagnostics.append(m.PATH_MISSING.at(location, entry=entry))
    return found


def _outside(
    root: Path, entry: str, location: Location, diagnostics: list[Diagnostic]
) -> Path | None:
    """The path `entry` names inside the project, or None (with the reason) if it may not."""
    path = root / entry
    if not entry.strip():
        problem = m.PATH_EMPTY
    elif Path(entry).is_absolute():
        problem = m.PATH_ABSOLUTE
    else:
        try:
            inside, base = path.resolve(), root.resolve()
        except (OSError, RuntimeError):  # a link that loops, a name too long
            diagnostics.append(m.LINK_LOOPS.at(location, entry=entry))
            return None
        if inside == base:
            problem = m.PATH_IS_PROJECT
        elif base not in inside.parents:
            problem = m.PATH_LEAVES
        else:
            return path
    diagnostics.append(problem.at(location, entry=entry))
    return None


def _not_readable(root: Path, path: Path, relpath: str, where: Location) -> Diagnostic | None:
    """Why `path` is not a regular file inside the project that specgen may read, or None."""
    if path.is_symlink():
        try:
            target = path.resolve()
        except (OSError, RuntimeError):
            return m.LINK_LOOPS.at(where, entry=relpath)
        if not target.exists():
            return m.LINK_TO_NOTHING.at(where, entry=relpath)
        if root.resolve() not in target.parents:
            return m.LINK_OUTSIDE.at(where, entry=relpath)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return m.ENTRY_UNREADABLE.at(where, entry=relpath, reason=exc.strerror or exc)
    if stat.S_ISDIR(mode):
        return m.ENTRY_IS_DIRECTORY.at(where, entry=relpath)
    if not stat.S_ISREG(mode):
        return m.ENTRY_NOT_REGULAR.at(where, entry=relpath)
    return None


def _check_templates(root: Path, entry: str, diagnostics: list[Diagnostic]) -> None:
    """Every file of the template directory must be a regular file inside the project."""
    directory = root / entry
    if not directory.is_dir():
        return
    for path in sorted(directory.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        relpath = path.relative_to(root).as_posix()
        if path.is_dir():  # a linked directory: only where it leads matters
            if root.resolve() not in path.resolve().parents:
                diagnostics.append(m.LINK_OUTSIDE.at(Location(relpath), entry=relpath))
        elif (problem := _not_readable(root, path, relpath, Location(relpath))) is not None:
            diagnostics.append(problem)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _build_project(doc: Document) -> Project | None:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("project"), dict):
        return None
    block = data["project"]
    issuer_data = block.get("issuer") if isinstance(block.get("issuer"), dict) else {}
    metrics: dict[str, Metric] = {}
    raw_metrics = data.get("metrics")
    if isinstance(raw_metrics, dict):
        for name, spec in raw_metrics.items():
            if not isinstance(spec, dict):
                continue
            better: Any = spec.get("better")
            if better not in ("lower", "higher"):
                better = "none"
            joint: Any = spec.get("joint")
            if joint not in ("strictest", "per_municipality"):
                joint = "per_municipality" if better == "none" else "strictest"
            metrics[name] = Metric(
                name=name,
                label=_text(spec, "label") or name,
                label_en=_text(spec, "label_en"),
                unit=_text(spec, "unit") or "",
                better=better,
                joint=joint,
                aggregate="sum" if spec.get("aggregate") == "sum" else "none",
            )
    catalog = data.get("catalog")
    formats = data.get("formats")
    return Project(
        id=_text(block, "id") or "",
        title=_text(block, "title") or "",
        title_en=_text(block, "title_en"),
        issuer=Issuer(
            code=_text(issuer_data, "code") or "",
            name=_text(issuer_data, "name") or "",
            name_en=_text(issuer_data, "name_en"),
            department=_text(issuer_data, "department"),
            location=doc.at(("project", "issuer", "code")),
        ),
        version=_text(block, "version") or "",
        date=_text(block, "date") or "",
        language="en" if block.get("language") == "en" else "ja",
        catalog=tuple(catalog) if isinstance(catalog, list) else ("requirements/",),
        municipalities=_text(data, "municipalities") or "municipalities/",
        templates=_text(data, "templates") or "templates/",
        output=_text(data, "output") or "output/",
        formats=tuple(formats) if isinstance(formats, list) else ("markdown", "docx", "json"),
        metrics=metrics,
        **_limits(data.get("limits")),
        procurement=_procurement(doc, data.get("procurement")),
        profile=_profile_fields(data.get("profile")),
        history=_history(data.get("history")),
        evaluation=_evaluation(doc, data.get("evaluation")),
        location=doc.at(("project",)),
        output_location=doc.at(("output",)) if "output" in data else Location(PROJECT_FILE),
        formats_location=doc.at(("formats",)) if "formats" in data else Location(PROJECT_FILE),
        version_location=doc.at(("project", "version")),
    )


def _profile_fields(raw: Any) -> dict[str, ProfileField]:
    """The `profile:` registry as far as the schema let it through."""
    if not isinstance(raw, dict):
        return {}
    return {
        key: ProfileField(
            label=_text(spec, "label") or key,
            label_en=_text(spec, "label_en"),
            unit=_text(spec, "unit"),
        )
        for key, spec in raw.items()
        if isinstance(spec, dict)
    }


def _evaluation(doc: Document, raw: Any) -> Evaluation:
    """The `evaluation:` block as far as the schema let it through; the defaults when absent."""
    if not isinstance(raw, dict):
        return Evaluation()

    def number(value: Any, default: float) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else default

    def table(key: str) -> dict[str, float]:
        entries = raw.get(key)
        if not isinstance(entries, dict):
            return {}
        return {str(name): number(value, 0.0) for name, value in entries.items()}

    chapters, requirements = table("chapters"), table("requirements")
    return Evaluation(
        points=number(raw.get("points"), 1.0),
        partial=number(raw.get("partial"), 0.5),
        chapters=chapters,
        requirements=requirements,
        locations={
            **{name: doc.at(("evaluation", "chapters", name)) for name in chapters},
            **{name: doc.at(("evaluation", "requirements", name)) for name in requirements},
        },
    )


def _history(raw: Any) -> tuple[Revision, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Revision(
            version=_text(item, "version") or "",
            date=_text(item, "date") or "",
            description=_text(item, "description") or "",
        )
        for item in raw
        if isinstance(item, dict)
    )


def _procurement(doc: Document, raw: Any) -> Procurement | None:
    """The `procurement:` block as far as the schema let it through; None when absent."""
    if not isinstance(raw, dict):
        return None
    period: dict[str, Any] = raw["period"] if isinstance(raw.get("period"), dict) else {}
    ceiling = raw.get("ceiling_yen")
    items: list[Any] = raw["schedule"] if isinstance(raw.get("schedule"), list) else []
    schedule = [
        (_text(item, "date") or "", _text(item, "event") or "")
        for item in items
        if isinstance(item, dict)
    ]
    return Procurement(
        subject=_text(raw, "subject"),
        method=_text(raw, "method"),
        lead=_text(raw, "lead"),
        period_from=_text(period, "from"),
        period_to=_text(period, "to"),
        ceiling_yen=ceiling if isinstance(ceiling, int) and not isinstance(ceiling, bool) else None,
        schedule=tuple(schedule),
        cost_sharing=_text(raw, "cost_sharing"),
        contact=_text(raw, "contact"),
        lead_location=doc.at(("procurement", "lead")) if "lead" in raw else NOWHERE,
    )


def _limits(raw: Any) -> dict[str, Any]:
    """The `limits:` block's settings that are set (the schema has checked their range)."""
    if not isinstance(raw, dict):
        return {}
    found: dict[str, Any] = {}
    seconds, mib = raw.get("render_seconds"), raw.get("render_mib")
    if isinstance(seconds, int | float) and not isinstance(seconds, bool):
        found["render_seconds"] = float(seconds)
    if isinstance(mib, int) and not isinstance(mib, bool):
        found["render_mib"] = mib
    return found


def _build_sections(doc: Document, raw: Any, path: YamlPath) -> list[Section]:
    sections: list[Section] = []
    if not isinstance(raw, list):
        return sections
    for i, item in enumerate(raw):
        here = (*path, i)
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        requirements: list[Requirement] = []
        raw_requirements = item.get("requirements")
        if isinstance(raw_requirements, list):
            for j, entry in enumerate(raw_requirements):
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    rpath = (*here, "requirements", j)
                    requirements.append(
                        requirement_from_mapping(entry["id"], entry, doc, rpath, doc.at(rpath))
                    )
        sections.append(
            Section(
                id=item["id"],
                title=_text(item, "title") or "",
                body=_text(item, "body"),
                requirements=tuple(requirements),
                sections=tuple(_build_sections(doc, item.get("sections"), (*here, "sections"))),
                location=doc.at((*here, "id")),
            )
        )
    return sections


def field_value(name: str, value: Any) -> Any:
    """A requirement field's value as the model holds it, or None when it has the wrong shape."""
    if name in ("legal_basis", "tags"):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None
    if name == "standard":
        if isinstance(value, dict) and isinstance(value.get("document"), str):
            return Standard(
                document=value["document"],
                version=_text(value, "version"),
                function_id=_text(value, "function_id"),
                section=_text(value, "section"),
            )
        return None
    if name == "metrics":
        if not isinstance(value, dict):
            return None
        return {
            k: v for k, v in value.items() if isinstance(v, int | float) and not isinstance(v, bool)
        }
    if name == "level":
        return value if value in LEVELS else None
    return value if isinstance(value, str) else None


def requirement_from_mapping(
    rid: str, data: Mapping[str, Any], doc: Document, path: YamlPath, location: Location
) -> Requirement:
    """A Requirement from its YAML mapping, with every field's and metric's location."""
    values: dict[str, Any] = {}
    locations: dict[str, Location] = {}
    for name in REQUIREMENT_FIELDS:
        if name not in data:
            continue
        value = field_value(name, data[name])
        if value is None:
            continue
        values[name] = value
        locations[name] = doc.at((*path, name))
        if name == "metrics":
            for metric in value:
                locations[FieldPath.metric_named(metric)] = doc.at((*path, name, metric))
    formerly = data.get("formerly")
    if isinstance(formerly, str):
        values["formerly"] = (formerly,)
        locations["formerly"] = doc.at((*path, "formerly"))
    elif isinstance(formerly, list):
        values["formerly"] = tuple(f for f in formerly if isinstance(f, str))
        for i, f in enumerate(formerly):
            if isinstance(f, str):
                locations[f"formerly.{f}"] = doc.at((*path, "formerly", i))
    return Requirement(
        id=rid,
        title=values.pop("title", ""),
        statement=values.pop("statement", ""),
        level=values.pop("level", "mandatory"),
        location=location,
        locations=locations,
        **values,
    )


def _build_municipality(doc: Document) -> Municipality | None:
    data = doc.data
    block = data.get("municipality")
    if not isinstance(block, dict):
        return None
    profile = data.get("profile")
    changes: list[Change] = []
    raw_changes = data.get("changes")
    if isinstance(raw_changes, dict):
        for target, entry in raw_changes.items():
            change = _build_change(doc, target, entry)
            if change is not None:
                changes.append(change)
    return Municipality(
        code=_text(block, "code") or "",
        name=_text(block, "name") or "",
        name_en=_text(block, "name_en"),
        prefix=_text(block, "prefix"),
        profile=dict(profile) if isinstance(profile, dict) else {},
        changes=tuple(changes),
        file=doc.file,
        location=doc.at(("municipality",)),
        locations={
            **{key: doc.at(("municipality", key)) for key in block},
            **{
                f"profile.{key}": doc.key_at(("profile", key))
                for key in (profile if isinstance(profile, dict) else {})
            },
        },
    )


def _build_change(doc: Document, target: str, entry: Any) -> Change | None:
    path: YamlPath = ("changes", target)
    if not isinstance(entry, dict) or entry.get("op") not in ("modify", "exclude", "add"):
        return None
    locations: dict[str, Location] = {"key": doc.key_at(path)}
    for key in entry:
        locations[key] = doc.at((*path, key))
    fields: dict[str, dict[str, Any]] = {}
    for part in ("set", "expect"):
        raw = entry.get(part)
        kept: dict[str, Any] = {}
        if isinstance(raw, dict):
            for name, value in raw.items():
                locations[f"{part}.{name}"] = doc.at((*path, part, name))  # even if invalid
                converted = field_value(name, value) if name in REQUIREMENT_FIELDS else None
                if converted is None:
                    continue
                kept[name] = converted
                if name == "metrics":
                    for metric in converted:
                        site = f"{part}.{FieldPath.metric_named(metric)}"
                        locations[site] = doc.at((*path, part, name, metric))
        fields[part] = kept
    unset: list[str] = []
    raw_unset = entry.get("unset")
    if isinstance(raw_unset, list):
        for i, name in enumerate(raw_unset):
            if isinstance(name, str):
                unset.append(name)
                locations[f"unset.{name}"] = doc.at((*path, "unset", i))
    requirement = None
    raw_requirement = entry.get("requirement")
    if isinstance(raw_requirement, dict):
        rpath = (*path, "requirement")
        requirement = requirement_from_mapping(
            target, raw_requirement, doc, rpath, doc.key_at(path)
        )
    reason = entry.get("reason")
    return Change(
        target=target,
        op=entry["op"],
        reason=reason if isinstance(reason, str) else "",
        reason_code=_text(entry, "reason_code"),
        set=fields["set"],
        unset=tuple(unset),
        expect=fields["expect"],
        section=_text(entry, "section"),
        after=_text(entry, "after"),
        requirement=requirement,
        location=doc.key_at(path),
        locations=locations,
    )


@dataclass(frozen=True, slots=True)
class TownCatalog:
    """One town's complete catalog (`specgen consolidate`'s input): who, and its sections."""

    municipality: Municipality
    catalog: Catalog
    file: str  # as named on the command line


def load_town_catalog(path: Path) -> tuple[TownCatalog | None, list[Diagnostic]]:
    """A town's catalog file (schema town-catalog), named by the path as given."""
    data, diagnostics = check_town_catalog(path)
    town = town_catalog(path.as_posix(), data) if data is not None else None
    return town, diagnostics


def check_town_catalog(path: Path) -> tuple[Any, list[Diagnostic]]:
    """The data of a town's catalog file when it loads and passes its schema (else None), and
    its problems, located: the half of loading that a worker process can do."""
    diagnostics: list[Diagnostic] = []
    doc = _load_checked(Path("."), path.as_posix(), "town-catalog", diagnostics, False)
    if doc is None or not isinstance(doc.data, dict) or diagnostics:
        return None, diagnostics
    return doc.data, diagnostics


def town_catalog(file: str, data: Any) -> TownCatalog | None:
    """The model of a town's catalog from data `check_town_catalog` passed. Its locations name
    the file only (line 1): every problem of the file was found, located, by the check, and
    consolidate reports none after it."""
    doc = Document(file, data)
    municipality = _build_municipality(doc)
    if municipality is None:
        return None
    sections = _build_sections(doc, data.get("sections"), ("sections",))
    return TownCatalog(municipality, Catalog(sections=tuple(sections)), file)


def load_project_file(path: Path) -> tuple[Project | None, list[Diagnostic]]:
    """A specgen.yaml read on its own (`consolidate --like`: its metadata and registry)."""
    diagnostics: list[Diagnostic] = []
    doc = _load_checked(Path("."), path.as_posix(), "project", diagnostics, False)
    if doc is None or diagnostics:
        return None, diagnostics
    return _build_project(doc), diagnostics


def project_language(root: Path) -> str | None:
    """The `language` specgen.yaml at `root` asks for (ja or en), or None when there is no
    readable project file: the language the command line words diagnostics in."""
    if not (root / PROJECT_FILE).is_file():
        return None
    doc, _ = load_document(root, PROJECT_FILE)
    block = doc.data.get("project") if doc is not None and isinstance(doc.data, dict) else None
    language = block.get("language") if isinstance(block, dict) else None
    return language if language in ("ja", "en") else None
