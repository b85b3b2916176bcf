"""Hypothesis strategies: generated baselines and valid deltas against them, as model values."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from specgen.model import Catalog, Change, Metric, Municipality, Requirement, Section

REGISTRY: dict[str, Metric] = {
    "response_time_s": Metric(
        name="response_time_s", label="応答時間", unit="秒", better="lower", joint="strictest"
    ),
    "availability_pct": Metric(
        name="availability_pct", label="稼働率", unit="%", better="higher", joint="strictest"
    ),
    "terminals": Metric(
        name="terminals", label="端末台数", unit="台", better="none", joint="per_municipality"
    ),
}
LEVELS = ("mandatory", "optional", "prohibited")
CODES = ("172049", "173614", "173843", "173860", "172014", "172022")

metric_values = st.fixed_dictionaries(
    {},
    optional={
        "response_time_s": st.integers(1, 10),
        "availability_pct": st.sampled_from([99.0, 99.5, 99.9]),
        "terminals": st.integers(1, 100),
    },
)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """A baseline of 1–4 chapters, each with 0–3 subsections, requirements numbered uniquely."""
    counter = iter(range(10_000))

    def requirement() -> Requirement:
        n = next(counter)
        return Requirement(
            id=f"R-{n:04d}",
            title=f"要件{n}",
            statement=f"要件{n}を満たすこと。",
            level=draw(st.sampled_from(LEVELS)),
            notes=draw(st.one_of(st.none(), st.just(f"備考{n}"))),
            metrics=draw(metric_values),
        )

    def section(ident: str, depth: int) -> Section:
        children = draw(st.integers(0, 2 if depth == 0 else 0))
        return Section(
            id=ident,
            title=f"章{ident}",
            requirements=tuple(requirement() for _ in range(draw(st.integers(0, 4)))),
            sections=tuple(section(f"{ident}-{i}", depth + 1) for i in range(children)),
        )

    tops = draw(st.integers(1, 4))
    return Catalog(sections=tuple(section(f"S{i}", 0) for i in range(tops)))


def _index(
    catalog: Catalog,
) -> tuple[dict[str, str], dict[str, str | None], dict[str, Requirement]]:
    holder: dict[str, str] = {}
    parent: dict[str, str | None] = {}
    requirements: dict[str, Requirement] = {}

    def visit(section: Section, up: str | None) -> None:
        parent[section.id] = up
        for r in section.requirements:
            holder[r.id] = section.id
            requirements[r.id] = r
        for child in section.sections:
            visit(child, section.id)

    for top in catalog.sections:
        visit(top, None)
    return holder, parent, requirements


@st.composite
def deltas(
    draw: st.DrawFn, catalog: Catalog, code: str, *, with_expect: bool = True
) -> Municipality:
    """A delta that is valid against `catalog`: no conflicts, no no-ops, every change reasoned."""
    holder, parent, requirements = _index(catalog)
    sections = list(parent)

    def under_excluded(section: str | None, excluded: set[str]) -> bool:
        while section is not None:
            if section in excluded:
                return True
            section = parent[section]
        return False

    changes: list[Change] = []
    excluded_sections = set(
        draw(st.lists(st.sampled_from(sections), max_size=1, unique=True)) if sections else []
    )
    free = [r for r in requirements if not under_excluded(holder[r], excluded_sections)]
    picked = draw(st.lists(st.sampled_from(free), unique=True, max_size=6)) if free else []
    split = draw(st.integers(0, len(picked)))
    excluded_requirements = set(picked[:split])
    for sid in sorted(excluded_sections):
        if not under_excluded(parent[sid], excluded_sections):
            changes.append(Change(target=sid, op="exclude", reason="対象外のため。"))
    changes.extend(
        Change(target=rid, op="exclude", reason="事務がないため。")
        for rid in sorted(excluded_requirements)
    )
    for rid in picked[split:]:
        change = draw(modifications(requirements[rid], with_expect=with_expect))
        if change is not None:
            changes.append(change)
    open_sections = [s for s in sections if not under_excluded(s, excluded_sections)]
    for n in range(draw(st.integers(0, 3)) if open_sections else 0):
        section = draw(st.sampled_from(open_sections))
        own = [r for r, s in holder.items() if s == section and r not in excluded_requirements]
        after = draw(st.one_of(st.none(), st.sampled_from(own))) if own else None
        rid = f"M{code}-{n:02d}"
        changes.append(
            Change(
                target=rid,
                op="add",
                reason="独自事務のため。",
                section=section,
                after=after,
                requirement=Requirement(
                    id=rid,
                    title=f"追加{rid}",
                    statement="追加要件。",
                    level=draw(st.sampled_from(LEVELS)),
                    metrics=draw(metric_values),
                ),
            )
        )
    return Municipality(code=code, name=f"町{code}", prefix=f"M{code}", changes=tuple(changes))


@st.composite
def modifications(draw: st.DrawFn, base: Requirement, *, with_expect: bool = True) -> Change | None:
    """A modify that changes at least one field of `base`."""
    set_: dict[str, Any] = {}
    unset: list[str] = []
    level = draw(st.sampled_from(LEVELS))
    if level != base.level:
        set_["level"] = level
    metrics: dict[str, int | float] = {}
    for name, value in draw(metric_values).items():
        if base.metrics.get(name) != value:
            metrics[name] = value
    if metrics:
        set_["metrics"] = metrics
    removable = [f"metrics.{m}" for m in base.metrics if m not in metrics]
    if base.notes is not None:
        removable.append("notes")
    if removable and draw(st.booleans()):
        unset.append(draw(st.sampled_from(removable)))
    elif draw(st.booleans()):
        set_["notes"] = f"変更後の備考{base.id}"
    if not set_ and not unset:
        return None
    expect: dict[str, Any] = {}
    if with_expect and draw(st.booleans()):
        expect["level"] = base.level
    return Change(
        target=base.id,
        op="modify",
        reason="地域の事情のため。",
        set=set_,
        unset=tuple(unset),
        expect=expect,
    )


@st.composite
def projects(draw: st.DrawFn, *, with_expect: bool = True) -> tuple[Catalog, list[Municipality]]:
    catalog = draw(catalogs())
    count = draw(st.integers(1, 4))
    municipalities = [
        draw(deltas(catalog, code, with_expect=with_expect)) for code in CODES[:count]
    ]
    return catalog, municipalities
