"""What the document templates see: the joint model and effective catalogs as plain views.

Numbering (第1章, 1.1, 1.1.1) is computed here from document order, labels come from the label
catalog, and statements have their placeholders filled. Templates only lay these out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from specgen.joint import JointSpec
from specgen.labels import PROFILE_UNITS, labels_for, profile_label
from specgen.merge import Effective, Exclusion, FieldChange
from specgen.model import (
    Catalog,
    FieldPath,
    Metric,
    Municipality,
    ProfileField,
    Project,
    Requirement,
    Section,
    Standard,
)
from specgen.placeholders import fill_placeholders, format_metric, format_number
from specgen.render.dates import document_date
from specgen.shared import Shared, SharedSystem, is_nonstandard

__all__ = [
    "AnnexView",
    "DocumentView",
    "Formatter",
    "RequirementView",
    "SectionView",
    "effective_view",
    "front_matter",
    "joint_view",
    "procurement_fields",
    "section_label",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementView:
    id: str
    title: str
    statement: str
    level: str
    level_label: str
    kind_label: str
    rationale: str | None = None
    notes: str | None = None
    acceptance: str | None = None
    legal_basis: tuple[str, ...] = ()
    standard: str | None = None
    metrics: tuple[tuple[str, str], ...] = ()  # (label, value with unit)
    differs: tuple[tuple[str, str], ...] = ()  # (municipality name, difference label)
    per_municipality: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, values)
    per_municipality_header: tuple[str, ...] = ()
    status: str | None = None  # modified | added, in a municipality's own spec
    status_label: str | None = None
    changes: tuple[ChangeRow, ...] = ()
    reason: str | None = None
    reason_label: str | None = None
    shared_basis: tuple[str, ...] = ()  # governing values another need set: why they differ
    own_need: tuple[str, ...] = ()  # a municipality's own differing need (本団体の要求水準)
    nonstandard: bool = False  # 標準仕様外: no 機能ID of a national standard


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeRow:
    field: str
    baseline: str  # the model value (モデル値)
    value: str  # the municipality's value
    cls: str
    common: str = ""  # what the common part states (共通仕様); 同左 when the model's


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionView:
    id: str
    number: str
    heading: str  # number and title, as the heading shows it
    level: int
    title: str
    body: str | None
    requirements: tuple[RequirementView, ...]
    sections: tuple[SectionView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExcludedRow:
    id: str
    title: str
    reason: str
    reason_label: str | None
    via: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ModifiedView:
    id: str
    title: str
    cls_label: str
    changes: tuple[ChangeRow, ...]
    reason: str
    reason_label: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnexView:
    number: int
    code: str
    name: str
    heading: str
    profile: tuple[tuple[str, str], ...]
    added: tuple[tuple[str, RequirementView], ...]  # (section heading, requirement)
    modified: tuple[ModifiedView, ...]
    excluded: tuple[ExcludedRow, ...]
    excluded_sections: tuple[tuple[str, str], ...]  # (section heading, reason)
    nonstandard: tuple[tuple[str, RequirementView], ...] = ()  # additions without a 機能ID


Rows = tuple[tuple[str, ...], ...]
MATRIX_TOWNS = 4  # municipalities per table of the applicability matrix: what A4 portrait holds


def matrix_tables(
    header: tuple[str, ...], matrix: tuple[tuple[str, Rows], ...], fixed: int = 3
) -> tuple[tuple[str, tuple[tuple[tuple[str, ...], Rows], ...]], ...]:
    """Each chapter's table cut into tables of the `fixed` leading columns and at most
    MATRIX_TOWNS municipality columns."""
    towns = len(header) - fixed
    starts = range(fixed, fixed + towns, MATRIX_TOWNS) if towns else range(fixed, fixed + 1)

    def cut(row: tuple[str, ...], start: int) -> tuple[str, ...]:
        return row[:fixed] + row[start : start + MATRIX_TOWNS]

    return tuple(
        (chapter, tuple((cut(header, s), tuple(cut(r, s) for r in rows)) for s in starts))
        for chapter, rows in matrix
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentView:
    """Everything one document template needs."""

    labels: Mapping[str, str]
    language: str
    title: str
    subtitle: str
    issuer: str
    version: str
    date: str
    municipalities: tuple[tuple[str, str], ...]  # (name, code)
    chapters: tuple[SectionView, ...]
    annexes: tuple[AnnexView, ...] = ()
    matrix_header: tuple[str, ...] = ()
    matrix: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()  # (chapter, rows)
    # the same matrix cut into tables of at most MATRIX_TOWNS municipalities' columns, so the
    # text columns stay readable: (chapter, ((header, rows), ...))
    matrix_tables: tuple[tuple[str, tuple[tuple[tuple[str, ...], Rows], ...]], ...] = ()
    excluded: tuple[ExcludedRow, ...] = ()
    municipality: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    nonstandard: tuple[tuple[str, ...], ...] = ()  # (id, title, added by, section, level)
    procurement: tuple[tuple[str, str], ...] = ()  # (label, value) of 調達概要
    schedule: tuple[tuple[str, str], ...] = ()  # (date, event)
    cover: tuple[tuple[str, str], ...] = ()  # (label, value) under the title
    title_lines: tuple[str, ...] = ()  # the title as the cover breaks it
    history: tuple[tuple[str, str, str], ...] = ()  # 改定履歴: (version, date, description)


class Formatter:
    """Turns model values into the words a reader sees, in the document's language."""

    def __init__(self, project: Project) -> None:
        self.language = project.language
        self.labels = labels_for(project.language)
        self.registry: Mapping[str, Metric] = project.metrics
        self.profile_fields: Mapping[str, ProfileField] = project.profile

    def level(self, level: str) -> str:
        return self.labels[f"level_{level}"]

    def metric_label(self, name: str) -> str:
        metric = self.registry.get(name)
        if metric is None:
            return name
        return (metric.label_en or metric.label) if self.language == "en" else metric.label

    def field_label(self, name: str) -> str:
        if (metric := FieldPath(name).metric) is not None:
            return self.metric_label(metric)
        return self.labels.get(name, name)

    def reason(self, code: str | None) -> str | None:
        return self.labels.get(f"reason_{code}") if code else None

    def standard(self, standard: Standard | None) -> str | None:
        if standard is None:
            return None
        parts = [standard.document]
        if standard.version:
            parts.append(standard.version)
        if standard.section:
            parts.append(standard.section)
        if standard.function_id:
            parts.append(f"{self.labels['function_id']} {standard.function_id}")
        return " ".join(parts)

    def value(self, name: str, value: Any) -> str:
        """A field value in a change table."""
        if value is None:
            return self.labels["absent"]
        if name == "level":
            return self.level(value)
        if name == "kind":
            return self.labels.get(f"kind_{value}", value)
        if (metric := FieldPath(name).metric) is not None:
            return format_metric(value, self.registry.get(metric))
        if isinstance(value, Standard):
            return self.standard(value) or ""
        if isinstance(value, tuple):
            return "、".join(value) if self.language == "ja" else ", ".join(value)
        if isinstance(value, int | float):
            return format_number(value)
        return str(value)

    def requirement(
        self,
        requirement: Requirement,
        texts: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> RequirementView:
        """The view of a requirement; a metric named in `texts` is shown as that text."""
        shown = texts or {}
        return RequirementView(
            id=requirement.id,
            title=requirement.title,
            statement=fill_placeholders(
                requirement.statement, requirement.metrics, self.registry, shown
            ),
            level=requirement.level,
            level_label=self.level(requirement.level),
            kind_label=self.labels.get(f"kind_{requirement.kind}", requirement.kind),
            rationale=requirement.rationale,
            notes=requirement.notes,
            acceptance=requirement.acceptance,
            legal_basis=requirement.legal_basis or (),
            standard=self.standard(requirement.standard),
            metrics=tuple(
                (
                    self.metric_label(name),
                    shown.get(name) or format_metric(value, self.registry.get(name)),
                )
                for name, value in sorted(requirement.metrics.items())
            ),
            **extra,
        )

    def shared_basis(self, shared: Shared | None, names: Mapping[str, str]) -> tuple[str, ...]:
        """Each governing value another participant's need set: value, model value, by whom."""
        if shared is None:
            return ()
        lines = []
        for path in sorted(shared.set_by, key=lambda p: FieldPath(p).order()):
            who = self.labels["comma"].join(names.get(c, c) for c in shared.set_by[path])
            governing = self.value(path, shared.value(path))
            model = self.value(path, _model_value(shared.model, path))
            label = self.field_label(path)
            if self.language == "en":
                lines.append(f"{label} {governing} (model value {model}; requested by {who})")
            else:
                lines.append(f"{label} {governing}（モデル値 {model}、{who}の要求による）")
        return tuple(lines)

    def own_need(
        self, shared: Shared | None, requirement: Requirement, changed: Iterable[str]
    ) -> tuple[str, ...]:
        """The values a participant set (`changed` paths) of what the shared system governs,
        where the system implements another value."""
        if shared is None:
            return ()
        return tuple(
            f"{self.field_label(path)} {self.value(path, own)}"
            for path in sorted(changed, key=lambda p: FieldPath(p).order())
            if shared.governs(path)
            and (own := _model_value(requirement, path)) != shared.value(path)
        )

    def spread_metrics(self, requirement: Requirement, shared: Shared | None) -> dict[str, str]:
        """How the joint spec shows each per_municipality metric: the participants' total when
        the values add up, else a pointer to the table of each one's value."""
        texts = {}
        for name in requirement.metrics:
            metric = self.registry.get(name)
            if metric is None or metric.joint != "per_municipality":
                continue
            total = shared.totals.get(name) if shared else None
            texts[name] = (
                f"{format_metric(total, metric)}{self.labels['lp']}"
                f"{self.labels['participants_total']}{self.labels['rp']}"
                if total is not None
                else self.labels["per_municipality_value"]
            )
        return texts

    def own_share(self, requirement: Requirement, shared: Shared | None) -> dict[str, str]:
        """How a participant's own spec shows each of its per_municipality metrics: its own
        value, marked as its share, with the participants' total when the values add up."""
        texts = {}
        for name, value in requirement.metrics.items():
            metric = self.registry.get(name)
            if metric is None or metric.joint != "per_municipality":
                continue
            total = shared.totals.get(name) if shared else None
            labels = self.labels
            note = (
                labels["own_share_of"].format(total=format_metric(total, metric))
                if total is not None
                else labels["own_share"]
            )
            texts[name] = f"{format_metric(value, metric)}{labels['lp']}{note}{labels['rp']}"
        return texts

    def change_rows(
        self, fields: Iterable[FieldChange], shared: Shared | None = None
    ) -> tuple[ChangeRow, ...]:
        """Rows of a modify: model value, what the common part states, the municipality's."""
        spread = self.spread_metrics(shared.model, shared) if shared is not None else {}

        def common(path: str, model: Any) -> str:
            if shared is not None and shared.governs(path) and shared.value(path) != model:
                return self.value(path, shared.value(path))
            metric = FieldPath(path).metric
            return spread.get(metric or "") or self.labels["same_as_left"]

        return tuple(
            ChangeRow(
                field=self.field_label(f.field),
                baseline=self.value(f.field, f.baseline),
                value=self.value(f.field, f.value),
                cls=self.labels[f"class_{f.cls}"],
                common=common(f.field, f.baseline),
            )
            for f in fields
        )

    def excluded(
        self,
        exclusions: Iterable[Exclusion],
        titles: Mapping[str, str],
        headings: Mapping[str, str],
    ) -> tuple[ExcludedRow, ...]:
        """Rows of excluded requirements; `via` shows the section's heading where known."""
        return tuple(
            ExcludedRow(
                id=e.id,
                title=titles.get(e.id, ""),
                reason=e.reason,
                reason_label=self.reason(e.reason_code),
                via=headings.get(e.via, e.via) if e.via else None,
            )
            for e in exclusions
        )

    def profile(self, municipality: Municipality) -> tuple[tuple[str, str], ...]:
        """団体別諸元: each key by its label (the project's `profile:` registry first, then
        specgen's), numbers grouped and with their unit, dates as the document prints them."""
        return tuple(self.profile_row(key, value) for key, value in municipality.profile.items())

    def profile_row(self, key: str, value: Any) -> tuple[str, str]:
        """One 団体別諸元 entry as (label, value) the way the annex prints it."""
        field = self.profile_fields.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            builtin = PROFILE_UNITS.get(key, ("", ""))[1 if self.language == "en" else 0]
            shown = format_number(value) + ((field.unit or "") if field else builtin)
        elif isinstance(value, str):
            shown = document_date(value, self.language)
        else:
            shown = "" if value is None else str(value)
        if field is not None:
            label = (field.label_en or field.label) if self.language == "en" else field.label
        else:
            label = profile_label(key, self.language)
        return label, shown


def _model_value(requirement: Requirement, path: str) -> Any:
    """The value of `path` (a field or metrics.NAME) in `requirement`; None when absent."""
    metric = FieldPath(path).metric
    if metric is not None:
        return requirement.metrics.get(metric)
    return requirement.get(FieldPath(path).field)


def _governed(requirement: Requirement, shared: Shared | None) -> Requirement:
    """`requirement` as the shared system implements it: the common title and statement,
    the governing level and strictest metrics (its per_municipality metrics stay its own)."""
    if shared is None:
        return requirement
    model = shared.model
    metrics = {**requirement.metrics, **shared.metrics}
    if (
        shared.level == requirement.level
        and metrics == requirement.metrics
        and model.title == requirement.title
        and model.statement == requirement.statement
    ):
        return requirement
    return replace(
        requirement,
        title=model.title,
        statement=model.statement,
        level=shared.level,
        metrics=metrics,
    )


def section_label(path: Sequence[int], english: bool = False) -> str:
    """A section's number as the document's headings print it: 第2章 (Chapter 2), 2.1 …"""
    return f"Chapter {path[0]}" if english and len(path) == 1 else section_number(path)


def section_number(path: Sequence[int]) -> str:
    """第1章 for a chapter, then 1.1, 1.1.1 …: computed from order, never stored."""
    return f"第{path[0]}章" if len(path) == 1 else ".".join(str(n) for n in path)


def section_paths(
    sections: Sequence[Section], prefix: tuple[int, ...] = ()
) -> dict[str, tuple[int, ...]]:
    """Each section's position in document order: (2,) for 第2章, (2, 5) for 2.5 …"""
    found: dict[str, tuple[int, ...]] = {}
    for i, section in enumerate(sections, start=1):
        path = (*prefix, i)
        found[section.id] = path
        found.update(section_paths(section.sections, path))
    return found


def _number_sections(
    sections: Sequence[Section],
    make: Any,
    english: bool,
    paths: Mapping[str, tuple[int, ...]],
) -> tuple[SectionView, ...]:
    """Section views numbered by `paths`: the baseline's numbers, so that 2.6 is the same
    section in the joint spec and in every municipality's spec (an excluded 2.5 leaves a gap)."""
    views = []
    for section in sections:
        path = paths[section.id]
        number = section_label(path, english)
        views.append(
            SectionView(
                id=section.id,
                number=number,
                heading=f"{number}\u3000{section.title}",
                level=min(len(path), 6),
                title=section.title,
                body=section.body,
                requirements=tuple(make(section, r) for r in section.requirements),
                sections=_number_sections(section.sections, make, english, paths),
            )
        )
    return tuple(views)


def _section_headings(chapters: Iterable[SectionView]) -> dict[str, str]:
    found: dict[str, str] = {}

    def visit(view: SectionView) -> None:
        found[view.id] = view.heading
        for child in view.sections:
            visit(child)

    for chapter in chapters:
        visit(chapter)
    return found


def joint_view(joint: JointSpec) -> DocumentView:
    """The joint spec: 調達概要, the common part as the shared system implements it, the
    標準仕様外 functions, per-municipality annexes and the applicability matrix."""
    project = joint.project
    fmt = Formatter(project)
    labels = fmt.labels
    system = joint.shared
    names = {m.code: m.name for m in joint.municipalities}
    by_id = {item.requirement.id: item for item in joint.requirements}
    order = [m.code for m in joint.municipalities]
    marks = _modified_marks(joint)
    annex_number = {code: n for n, code in enumerate(order, start=1)}

    def make(section: Section, requirement: Requirement) -> RequirementView:
        item = by_id[requirement.id]
        shared = system.requirements[requirement.id]
        return _with_metric_table(
            fmt,
            fmt.requirement(
                item.stated,
                fmt.spread_metrics(item.stated, shared),
                differs=tuple(
                    (
                        names[code],
                        (
                            labels[f"diff_{marks[requirement.id, code]}"]
                            if kind == "modified"
                            else labels[f"diff_{kind}"]
                        )
                        + labels["comma"]
                        + f"{labels['annex']}{annex_number[code]}",
                    )
                    for code, kind in sorted(item.differs.items())
                ),
                shared_basis=fmt.shared_basis(shared, names),
            ),
            joint.per_municipality_metrics.get(requirement.id, {}),
            names,
            shared,
        )

    chapters = _number_sections(
        joint.catalog.sections,
        make,
        project.language == "en",
        section_paths(joint.catalog.sections),
    )
    headings = _section_headings(chapters)
    base_titles = {item.requirement.id: item.requirement.title for item in joint.requirements}
    annexes = []
    for n, annex in enumerate(joint.annexes, start=1):
        m = annex.municipality
        added = tuple(
            (
                headings.get(change.section or "", change.section or ""),
                _with_metric_table(
                    fmt,
                    fmt.requirement(
                        change.requirement,
                        reason=change.reason,
                        reason_label=fmt.reason(change.reason_code),
                        nonstandard=is_nonstandard(change.requirement),
                    ),
                    joint.per_municipality_metrics.get(change.target, {}),
                    names,
                    system.requirements.get(change.target),
                ),
            )
            for change in annex.added
            if change.requirement is not None
        )
        annexes.append(
            AnnexView(
                number=n,
                code=m.code,
                name=m.name,
                heading=f"{labels['annex']}{n}\u3000{m.name}{labels['lp']}{m.code}{labels['rp']}"
                f"{labels['annex_of']}",
                profile=fmt.profile(m),
                added=tuple(a for a in added if not a[1].nonstandard),
                nonstandard=tuple(a for a in added if a[1].nonstandard),
                modified=tuple(
                    ModifiedView(
                        id=mod.change.target,
                        title=base_titles.get(mod.change.target, ""),
                        cls_label=labels[f"class_{mod.cls}"],
                        changes=fmt.change_rows(
                            mod.fields, system.requirements.get(mod.change.target)
                        ),
                        reason=mod.change.reason,
                        reason_label=fmt.reason(mod.change.reason_code),
                    )
                    for mod in annex.modified
                ),
                excluded=fmt.excluded(annex.excluded, base_titles, headings),
                excluded_sections=tuple(
                    (headings.get(c.target, c.target), c.reason) for c in annex.excluded_sections
                ),
            )
        )
    matrix, nonstandard = _matrix(joint, fmt, chapters, headings)
    header = (labels["id"], labels["title"], labels["implementation"], *(names[c] for c in order))
    procurement, schedule, cover = _procurement_rows(project, fmt, names)
    return DocumentView(
        labels=labels,
        language=project.language,
        subtitle=labels["joint_spec"],
        **front_matter(project),
        municipalities=tuple((m.name, m.code) for m in joint.municipalities),
        chapters=chapters,
        annexes=tuple(annexes),
        matrix_header=header,
        matrix=matrix,
        matrix_tables=matrix_tables(header, matrix),
        nonstandard=nonstandard,
        procurement=procurement,
        schedule=schedule,
        cover=cover,
    )


Matrix = tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]


def _matrix(
    joint: JointSpec,
    fmt: Formatter,
    chapters: Sequence[SectionView],
    headings: Mapping[str, str],
) -> tuple[Matrix, tuple[tuple[str, ...], ...]]:
    """The applicability matrix, one table per chapter: what the system implements (実装) and
    each participant's use (利用); and the rows of the 標準仕様外 functions."""
    labels = fmt.labels
    system = joint.shared
    order = [m.code for m in joint.municipalities]
    names = {m.code: m.name for m in joint.municipalities}
    chapter_of = {
        section_id: chapter.heading
        for chapter in chapters
        for section_id in _section_headings([chapter])
    }
    groups: dict[str, list[tuple[str, ...]]] = {chapter.heading: [] for chapter in chapters}
    marks = _modified_marks(joint)
    for item in joint.requirements:
        rid = item.requirement.id
        shared = system.requirements[rid]
        if shared.level == "prohibited":
            cells = [labels["cell_prohibited"]] * len(order)
        elif not item.differs:
            cells = [labels["cell_common"]] * len(order)
        else:
            cells = [
                labels["cell_common"]
                if code not in item.differs
                else labels["cell_excluded"]
                if item.differs[code] == "excluded"
                else labels[f"cell_{marks[rid, code]}"]
                for code in order
            ]
        title = item.requirement.title
        if is_nonstandard(item.requirement):
            title += labels["lp"] + labels["nonstandard"] + labels["rp"]
        groups[chapter_of[item.section]].append((rid, title, fmt.level(shared.level), *cells))
    nonstandard: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for annex in joint.annexes:
        for change in annex.added:
            assert change.requirement is not None and change.section is not None
            if change.target in seen:
                continue
            seen.add(change.target)
            shared = system.requirements[change.target]
            r = change.requirement
            title = r.title
            if is_nonstandard(r):
                title += labels["lp"] + labels["nonstandard"] + labels["rp"]
                nonstandard.append(
                    (
                        r.id,
                        r.title,
                        labels["comma"].join(names[c] for c in shared.users),
                        headings.get(change.section, change.section),
                        fmt.level(shared.level),
                    )
                )
            cells = [
                labels["cell_added"]
                if system.use(change.target, code) == "uses"
                else labels["cell_not_applicable"]
                for code in order
            ]
            groups[chapter_of[change.section]].append(
                (r.id, title, fmt.level(shared.level), *cells)
            )
    # One table per chapter: readable, and no single table of every requirement to hold.
    matrix = tuple((heading, tuple(rows)) for heading, rows in groups.items() if rows)
    return matrix, tuple(nonstandard)


def _modified_marks(joint: JointSpec) -> dict[tuple[str, str], str]:
    """The matrix mark of each participant's modify: `tightened` when its need set a
    governing value, `relaxed` when it needs less than the system implements, else
    `modified` (its own value of a per_municipality metric, its own text or notes)."""
    marks: dict[tuple[str, str], str] = {}
    for annex in joint.annexes:
        code = annex.municipality.code
        for mod in annex.modified:
            shared = joint.shared.requirements[mod.change.target]
            mark = "modified"
            for f in mod.fields:
                if not shared.governs(f.field):
                    continue
                if code in shared.set_by.get(f.field, ()):
                    mark = "tightened"
                    break
                if f.value != shared.value(f.field) and f.field not in ("title", "statement"):
                    mark = "relaxed"
            marks[mod.change.target, code] = mark
    return marks


def _procurement_rows(
    project: Project, fmt: Formatter, names: Mapping[str, str]
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """調達概要 as (label, value) rows, its schedule, and the rows the cover shows."""
    p = project.procurement
    if p is None:
        return (), (), ()
    labels = fmt.labels
    rows = [(key, value) for key, _, value in procurement_fields(project, fmt, names)]
    procurement = tuple((labels[key], value) for key, value in rows if value)
    cover = tuple(
        (labels[key], value) for key, value in rows if value and key in ("subject", "lead")
    )
    schedule = tuple((document_date(date, fmt.language), event) for date, event in p.schedule)
    return procurement, schedule, cover


def procurement_fields(
    project: Project, fmt: Formatter, names: Mapping[str, str]
) -> tuple[tuple[str, str, str | None], ...]:
    """Each field of 調達概要 but the schedule as (key, label, value as printed or None), in
    the order the joint spec prints them."""
    p = project.procurement
    if p is None:
        return ()
    labels = fmt.labels
    method = labels.get(f"method_{p.method}", p.method) if p.method else None
    lead = f"{names.get(p.lead, p.lead)}{labels['lp']}{p.lead}{labels['rp']}" if p.lead else None
    language = fmt.language
    period = (
        labels["period_span"].format(
            start=document_date(p.period_from or "", language),
            end=document_date(p.period_to or "", language),
        )
        if p.period_from or p.period_to
        else None
    )
    ceiling = f"{p.ceiling_yen:,}{labels['yen']}" if p.ceiling_yen is not None else None
    rows = [
        ("subject", p.subject),
        ("method", method),
        ("lead", lead),
        ("period", period),
        ("ceiling", ceiling),
        ("cost_sharing", p.cost_sharing),
        ("contact", p.contact),
    ]
    return tuple((key, labels[key], value or None) for key, value in rows)


def _with_metric_table(
    fmt: Formatter,
    view: RequirementView,
    table: Mapping[str, Mapping[str, int | float]],
    names: Mapping[str, str],
    shared: Shared | None = None,
) -> RequirementView:
    """Attach the per-municipality values of `per_municipality` metrics as a small table, with
    the total of the metrics that add up."""
    if not table:
        return view
    metrics = sorted(table)
    codes = sorted({code for values in table.values() for code in values})
    rows = tuple(
        (
            names.get(code, code),
            tuple(
                format_metric(table[m][code], fmt.registry.get(m)) if code in table[m] else "－"
                for m in metrics
            ),
        )
        for code in codes
    )
    totals = shared.totals if shared is not None else {}
    if any(m in totals for m in metrics):
        rows += (
            (
                fmt.labels["total"],
                tuple(
                    format_metric(totals[m], fmt.registry.get(m)) if m in totals else "－"
                    for m in metrics
                ),
            ),
        )
    header = (fmt.labels["municipality"], *(fmt.metric_label(m) for m in metrics))
    return _replace_view(view, per_municipality=rows, per_municipality_header=header)


def _replace_view(view: RequirementView, **changes: Any) -> RequirementView:
    return replace(view, **changes)


def _title(project: Project) -> str:
    if project.language == "en" and project.title_en:
        return project.title_en
    return project.title


def front_matter(project: Project) -> dict[str, Any]:
    """What every document's cover shows: the title in the lines it is broken into (a
    Japanese title at its spaces, never inside a word), the issuer with its department, the
    date as the document prints it, and the 改定履歴."""
    title = _title(project)
    lines = tuple(title.split()) if project.language == "ja" else (title,)
    issuer = project.issuer
    name = (issuer.name_en or issuer.name) if project.language == "en" else issuer.name
    return {
        "title": title,
        "title_lines": lines,
        "issuer": f"{name}\u3000{issuer.department}" if issuer.department else name,
        "version": project.version,
        "date": document_date(project.date, project.language),
        "history": tuple(
            (r.version, document_date(r.date, project.language), r.description)
            for r in project.history
        ),
    }


def effective_view(
    effective: Effective,
    project: Project,
    baseline: Catalog,
    system: SharedSystem | None = None,
) -> DocumentView:
    """One municipality's own spec: its requirements as the shared system implements them
    (`system`), its own needs and changes marked, its sections numbered as in the joint spec."""
    baseline_titles = {r.id: r.title for _, r in baseline.requirements()}
    fmt = Formatter(project)
    labels = fmt.labels
    modified = {m.change.target: m for m in effective.modified}
    added = {c.target: c for c in effective.added}
    names = dict(system.names) if system is not None else {}

    def make(section: Section, requirement: Requirement) -> RequirementView:
        status = effective.status.get(requirement.id)
        shared = system.requirements.get(requirement.id) if system is not None else None
        stated = _governed(requirement, shared)
        changed = [f.field for f in modified[requirement.id].fields] if status == "modified" else []
        common: dict[str, Any] = {
            "shared_basis": fmt.shared_basis(shared, names),
            "own_need": fmt.own_need(shared, requirement, changed),
            "nonstandard": is_nonstandard(requirement) and status == "added",
        }
        texts = fmt.own_share(requirement, shared)
        if status == "modified":
            mod = modified[requirement.id]
            own = [
                f
                for f in mod.fields
                if (shared is None or not shared.governs(f.field))
                and FieldPath(f.field).metric not in texts
            ]
            return fmt.requirement(
                stated,
                texts,
                status="modified",
                status_label=labels["status_modified"],
                changes=fmt.change_rows(own),
                reason=mod.change.reason,
                reason_label=fmt.reason(mod.change.reason_code),
                **common,
            )
        if status == "added":
            change = added[requirement.id]
            return fmt.requirement(
                stated,
                texts,
                status="added",
                status_label=labels["status_added"],
                reason=change.reason,
                reason_label=fmt.reason(change.reason_code),
                **common,
            )
        return fmt.requirement(stated, texts, **common)

    m = effective.municipality
    chapters = _number_sections(
        effective.catalog.sections, make, project.language == "en", section_paths(baseline.sections)
    )
    return DocumentView(
        labels=labels,
        language=project.language,
        subtitle=f"{m.name}{labels['lp']}{m.code}{labels['rp']}{labels['municipal_spec']}",
        **front_matter(project),
        municipalities=((m.name, m.code),),
        chapters=chapters,
        excluded=fmt.excluded(effective.excluded, baseline_titles, {}),
        municipality=m.name,
        extra={"profile": fmt.profile(m)},
    )
