"""The domain model: frozen values for projects, catalogs, requirements and municipality deltas."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from specgen.errors import Location

__all__ = [
    "LEVELS",
    "OPTIONAL_FIELDS",
    "PROCUREMENT_METHODS",
    "REQUIREMENT_FIELDS",
    "Catalog",
    "Change",
    "Issuer",
    "Metric",
    "Municipality",
    "Procurement",
    "ProfileField",
    "Project",
    "Requirement",
    "Revision",
    "Section",
    "Standard",
]

Level = Literal["mandatory", "optional", "prohibited"]
LEVELS: tuple[str, ...] = ("mandatory", "optional", "prohibited")
KINDS: tuple[str, ...] = ("functional", "non_functional", "form", "data", "interface", "service")
REASON_CODES: tuple[str, ...] = (
    "not_applicable",
    "local_operation",
    "transition",
    "legal",
    "cost",
    "other",
)

# Requirement fields in document order; `id` is never changed by a delta.
REQUIREMENT_FIELDS: tuple[str, ...] = (
    "title",
    "statement",
    "level",
    "kind",
    "rationale",
    "notes",
    "acceptance",
    "legal_basis",
    "standard",
    "metrics",
    "tags",
)
REQUIRED_FIELDS: tuple[str, ...] = ("title", "statement", "level")
OPTIONAL_FIELDS: tuple[str, ...] = tuple(f for f in REQUIREMENT_FIELDS if f not in REQUIRED_FIELDS)

NOWHERE = Location("<none>")


class FieldPath(str):
    """A requirement field, or one metric of it: `level`, `metrics.rto_h`.

    It is a str — the key the JSON outputs, provenance and labels already use — built with
    `FieldPath.metric_named` and read with `.field` and `.metric` instead of by hand.
    """

    __slots__ = ()

    @classmethod
    def metric_named(cls, name: str) -> FieldPath:
        return cls(f"metrics.{name}")

    @property
    def field(self) -> str:
        """The requirement field: `metrics` for a metric's path."""
        return self.partition(".")[0]

    @property
    def metric(self) -> str | None:
        """The metric's name, or None for a plain field."""
        head, dot, name = self.partition(".")
        return name if head == "metrics" and dot else None

    def order(self) -> tuple[int, str]:
        """Catalog field order, then name: how a requirement's changes are listed."""
        head = self.field
        return (REQUIREMENT_FIELDS.index(head) if head in REQUIREMENT_FIELDS else 99, self)


@dataclass(frozen=True, slots=True, kw_only=True)
class Metric:
    """A measurable quantity of the registry; `better` decides tighten vs relax."""

    name: str
    label: str
    unit: str
    better: Literal["lower", "higher", "none"]
    joint: Literal["strictest", "per_municipality"]
    label_en: str | None = None
    aggregate: Literal["sum", "none"] = "none"  # per_municipality: whether the values add up


@dataclass(frozen=True, slots=True, kw_only=True)
class Issuer:
    code: str
    name: str
    name_en: str | None = None
    department: str | None = None  # 担当部署, printed after the name on the cover
    location: Location = field(default=NOWHERE, compare=False)


PROCUREMENT_METHODS: tuple[str, ...] = (
    "general_competitive",  # 一般競争入札
    "comprehensive_evaluation",  # 一般競争入札（総合評価落札方式）
    "proposal",  # 公募型プロポーザル方式
    "negotiated",  # 随意契約
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Procurement:
    """specgen.yaml's `procurement:`: the joint procurement itself (調達概要); all optional."""

    subject: str | None = None  # 件名
    method: str | None = None  # 調達方式, one of PROCUREMENT_METHODS
    lead: str | None = None  # 代表団体: a participant's code
    period_from: str | None = None  # 契約期間
    period_to: str | None = None
    ceiling_yen: int | None = None  # 予定価格の上限（税込）
    schedule: tuple[tuple[str, str], ...] = ()  # (date, event)
    cost_sharing: str | None = None  # 費用按分
    contact: str | None = None  # 問合せ先
    lead_location: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
    """specgen.yaml's `evaluation:`: the points `specgen score` gives optional requirements."""

    points: float = 1.0  # an optional requirement no other rule names
    partial: float = 0.5  # the share of its points a △ earns
    chapters: Mapping[str, float] = field(default_factory=dict)  # section number → points
    requirements: Mapping[str, float] = field(default_factory=dict)  # ID → points
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)  # key → site


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileField:
    """An entry of specgen.yaml's `profile:` registry: how a profile key is shown."""

    label: str
    label_en: str | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """An entry of `history:` (改定履歴): a version of the document and what changed."""

    version: str
    date: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """specgen.yaml: what the document is, where its parts are, and the metric registry."""

    id: str
    title: str
    issuer: Issuer
    version: str
    date: str
    language: Literal["ja", "en"] = "ja"
    title_en: str | None = None
    catalog: tuple[str, ...] = ("requirements/",)
    municipalities: str = "municipalities/"
    templates: str = "templates/"
    output: str = "output/"
    formats: tuple[str, ...] = ("markdown", "docx", "json")
    metrics: Mapping[str, Metric] = field(default_factory=dict)
    render_seconds: float = 120.0
    render_mib: int = 256
    procurement: Procurement | None = None
    profile: Mapping[str, ProfileField] = field(default_factory=dict)
    history: tuple[Revision, ...] = ()
    evaluation: Evaluation = field(default_factory=Evaluation)
    location: Location = field(default=NOWHERE, compare=False)
    output_location: Location = field(default=NOWHERE, compare=False)
    formats_location: Location = field(default=NOWHERE, compare=False)
    version_location: Location = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Standard:
    """A reference to the national standard a requirement follows."""

    document: str
    version: str | None = None
    function_id: str | None = None
    section: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Requirement:
    """One requirement; `locations` maps each field name to where its value was written."""

    id: str
    title: str
    statement: str
    level: Level
    kind: str = "functional"
    rationale: str | None = None
    notes: str | None = None
    acceptance: str | None = None
    legal_basis: tuple[str, ...] | None = None
    standard: Standard | None = None
    metrics: Mapping[str, int | float] = field(default_factory=dict)
    tags: tuple[str, ...] | None = None
    # The IDs this requirement replaces (an earlier version's requirement or a municipality's
    # addition taken into it): `specgen diff` shows one 移動 row, not a 削除 and a 新設.
    formerly: tuple[str, ...] = ()
    location: Location = field(default=NOWHERE, compare=False)
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def formerly_site(self, replaced: str) -> Location:
        """Where `formerly` names `replaced` (the list item, or the single value)."""
        return self.locations.get(
            f"formerly.{replaced}", self.locations.get("formerly", self.location)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A chapter: narrative `body`, its own requirements, then its subsections."""

    id: str
    title: str
    body: str | None = None
    requirements: tuple[Requirement, ...] = ()
    sections: tuple[Section, ...] = ()
    location: Location = field(default=NOWHERE, compare=False)

    def walk(self) -> Iterator[Section]:
        """This section and every section under it, in document order."""
        yield self
        for child in self.sections:
            yield from child.walk()


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """The baseline: top-level sections from every catalog file, in file order."""

    sections: tuple[Section, ...] = ()

    def walk_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def requirements(self) -> Iterator[tuple[Section, Requirement]]:
        """Every requirement with the section that holds it, in document order."""
        for section in self.walk_sections():
            for requirement in section.requirements:
                yield section, requirement


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One entry of a delta's `changes`, keyed by the ID it targets."""

    target: str
    op: Literal["modify", "exclude", "add"]
    reason: str
    reason_code: str | None = None
    set: Mapping[str, Any] = field(default_factory=dict)
    unset: tuple[str, ...] = ()
    expect: Mapping[str, Any] = field(default_factory=dict)
    section: str | None = None
    after: str | None = None
    requirement: Requirement | None = None
    location: Location = field(default=NOWHERE, compare=False)
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)

    def site(self, part: str, path: str = "") -> Location:
        """Where `part` (set, unset, expect, reason…) or its entry `path` was written; the
        change's own line when that is unknown."""
        return self.locations.get(f"{part}.{path}" if path else part, self.location)


@dataclass(frozen=True, slots=True, kw_only=True)
class Municipality:
    """A participant and its delta against the baseline."""

    code: str
    name: str
    name_en: str | None = None
    prefix: str | None = None
    profile: Mapping[str, Any] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    file: str = ""
    location: Location = field(default=NOWHERE, compare=False)
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False)
