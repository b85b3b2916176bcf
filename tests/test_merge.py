"""The merge engine: its laws on generated catalogs, and one example test per merge rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import REGISTRY, catalogs, deltas, projects
from support import MakeProject

from specgen.errors import Diagnostic, Location
from specgen.joint import build_joint, rebuild_effective, strictest
from specgen.merge import Baseline, Effective, apply_delta, classify_field, field_items
from specgen.model import Catalog, Change, Issuer, Municipality, Project, Requirement, Section
from specgen.render.spec_json import joint_document

PROJECT = Project(
    id="p", title="t", issuer=Issuer(code="170003", name="石川県"), version="1", date="2026-11-26",
    metrics=REGISTRY,
)  # fmt: skip
LAWS = settings(max_examples=120, deadline=None)


def apply(catalog: Catalog, municipality: Municipality) -> tuple[Effective, list[Diagnostic]]:
    return apply_delta(Baseline.of(catalog), municipality, REGISTRY)


def errors(found: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.is_error]


def count(catalog: Catalog) -> int:
    return sum(1 for _ in catalog.requirements())


# ---------------------------------------------------------------- laws (property-based)


@LAWS
@given(catalogs())
def test_law_apply_with_an_empty_delta_is_the_identity(catalog: Catalog) -> None:
    effective, found = apply(catalog, Municipality(code="172049", name="輪島市"))
    assert found == []
    assert effective.catalog == catalog
    assert set(effective.status.values()) <= {"baseline"}


@LAWS
@given(st.data())
def test_law_generated_deltas_apply_without_errors(data: st.DataObject) -> None:
    catalog, municipalities = data.draw(projects())
    for municipality in municipalities:
        assert errors(apply(catalog, municipality)[1]) == []


@LAWS
@given(st.data())
def test_law_the_result_does_not_depend_on_the_order_of_entries(data: st.DataObject) -> None:
    catalog, municipalities = data.draw(projects())
    municipality = municipalities[0]
    shuffled = replace(
        municipality, changes=tuple(data.draw(st.permutations(municipality.changes)))
    )
    first, _ = apply(catalog, municipality)
    second, _ = apply(catalog, shuffled)
    assert first.catalog == second.catalog
    assert first.status == second.status
    assert first.excluded == second.excluded
    assert first.provenance == second.provenance


@LAWS
@given(st.data())
def test_law_the_joint_model_does_not_depend_on_the_order_of_files(data: st.DataObject) -> None:
    catalog, municipalities = data.draw(projects())
    results = [apply(catalog, m)[0] for m in municipalities]
    reordered = data.draw(st.permutations(results))
    assert joint_document(build_joint(PROJECT, catalog, results)) == joint_document(
        build_joint(PROJECT, catalog, reordered)
    )


@LAWS
@given(st.data())
def test_law_effective_size_is_baseline_minus_excluded_plus_added(data: st.DataObject) -> None:
    catalog, municipalities = data.draw(projects())
    for municipality in municipalities:
        effective, _ = apply(catalog, municipality)
        assert count(effective.catalog) == (
            count(catalog) - len(effective.excluded) + len(effective.added)
        )
        assert len({e.id for e in effective.excluded}) == len(effective.excluded)


@LAWS
@given(catalogs(), st.sampled_from(["modify", "exclude"]), st.text("ABCXYZ-0123", min_size=1))
def test_law_a_change_naming_an_absent_id_always_fails(
    catalog: Catalog, op: str, suffix: str
) -> None:
    target = f"ABSENT-{suffix}"
    change = Change(target=target, op=op, reason="理由", set={"level": "mandatory"})  # type: ignore[arg-type]
    _, found = apply(catalog, Municipality(code="172049", name="輪島市", changes=(change,)))
    assert [d.code for d in errors(found)] == ["E-UNKNOWN-TARGET"]


@LAWS
@given(st.data())
def test_law_reapplying_add_or_exclude_fails_while_modify_is_idempotent(
    data: st.DataObject,
) -> None:
    catalog = data.draw(catalogs())
    municipality = data.draw(deltas(catalog, "172049", with_expect=False))
    once, _ = apply(catalog, municipality)
    for change in municipality.changes:
        again = replace(municipality, changes=(change,))
        result, found = apply(once.catalog, again)
        codes = {d.code for d in errors(found)}
        if change.op == "add":
            assert codes == {"E-ADD-EXISTS"}
        elif change.op == "exclude":
            assert codes == {"E-UNKNOWN-TARGET"}
        else:
            assert codes == set()
            assert result.catalog == once.catalog


@LAWS
@given(st.data())
def test_law_the_last_value_of_every_provenance_chain_is_the_effective_value(
    data: st.DataObject,
) -> None:
    catalog, municipalities = data.draw(projects())
    for municipality in municipalities:
        effective, _ = apply(catalog, municipality)
        for _, requirement in effective.catalog.requirements():
            values = dict(field_items(requirement))
            chains = effective.provenance.get(requirement.id)
            if chains is None:
                assert effective.status[requirement.id] == "baseline"
                continue
            for name, chain in chains.items():
                assert chain[-1].value == values.get(name), (requirement.id, name)
            assert set(values) <= set(chains)


@LAWS
@given(st.data())
def test_law_every_effective_catalog_can_be_rebuilt_from_the_joint_model(
    data: st.DataObject,
) -> None:
    catalog, municipalities = data.draw(projects())
    results = [apply(catalog, m)[0] for m in municipalities]
    joint = build_joint(PROJECT, catalog, results)
    for result in results:
        assert rebuild_effective(joint, result.municipality.code) == result.catalog


@LAWS
@given(st.data())
def test_law_a_strictest_joint_value_is_at_least_as_strict_as_every_participants(
    data: st.DataObject,
) -> None:
    catalog, municipalities = data.draw(projects())
    results = [apply(catalog, m)[0] for m in municipalities]
    joint = build_joint(PROJECT, catalog, results)
    for item in joint.requirements:
        for result in results:
            kept = {r.id: r for _, r in result.catalog.requirements()}.get(item.requirement.id)
            if kept is None:
                continue
            for name, value in kept.metrics.items():
                metric = REGISTRY[name]
                if metric.joint != "strictest":
                    continue
                stated = item.stated.metrics[name]
                assert strictest([stated, value], metric) == stated


def test_law_output_does_not_depend_on_pythonhashseed(make_project: MakeProject) -> None:
    root = make_project()
    outputs = []
    for seed in ("0", "1", "4242"):
        out = root.parent / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "specgen", "build", str(root), "--out", str(out)],
            check=True, env=env, capture_output=True, cwd=root.parent,
        )  # fmt: skip
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(
            out.rglob("*")) if p.is_file()})  # fmt: skip
    assert outputs[0] == outputs[1] == outputs[2]
    assert {"joint/spec.json", "joint/spec.md", "joint/spec.docx"} <= set(outputs[0])


# ---------------------------------------------------------------- rules (examples)

BASE = Catalog(
    sections=(
        Section(
            id="RES",
            title="住民記録",
            requirements=(
                Requirement(id="RES-0010", title="転入", statement="転入。", level="mandatory",
                            notes="窓口", legal_basis=("住民基本台帳法 第22条",)),
                Requirement(id="RES-0020", title="転出", statement="転出。", level="optional"),
            ),
            sections=(
                Section(id="RES-CERT", title="証明", requirements=(
                    Requirement(id="RES-0110", title="写し", statement="写し。",
                                level="mandatory"),
                )),
            ),
        ),
        Section(
            id="NFR",
            title="非機能",
            requirements=(
                Requirement(id="NFR-0010", title="応答", statement="${response_time_s}以内。",
                            level="mandatory",
                            metrics={"response_time_s": 3, "availability_pct": 99.5,
                                     "terminals": 10}),
            ),
        ),
    )
)  # fmt: skip


def town(*changes: Change, code: str = "172049") -> Municipality:
    return Municipality(code=code, name="町", prefix="WJM", changes=changes)


def effective_of(*changes: Change) -> tuple[Effective, list[Diagnostic]]:
    return apply(BASE, town(*changes))


def requirement(effective: Effective, rid: str) -> Requirement:
    return next(r for _, r in effective.catalog.requirements() if r.id == rid)


def ids(effective: Effective, section: str) -> list[str]:
    found = next(s for s in effective.catalog.walk_sections() if s.id == section)
    return [r.id for r in found.requirements]


def test_rule_changes_commute() -> None:
    a = Change(target="RES-0020", op="modify", reason="r", set={"level": "mandatory"})
    b = Change(target="RES-0110", op="exclude", reason="r")
    first, second = effective_of(a, b)[0], effective_of(b, a)[0]
    assert replace(first, municipality=second.municipality) == second


def test_rule_modify_replaces_fields() -> None:
    change = Change(target="RES-0010", op="modify", reason="r",
                    set={"legal_basis": ("住民基本台帳法 第23条",)})  # fmt: skip
    result, found = effective_of(change)
    assert errors(found) == []
    assert requirement(result, "RES-0010").legal_basis == ("住民基本台帳法 第23条",)


def test_rule_metrics_merge_by_key() -> None:
    change = Change(target="NFR-0010", op="modify", reason="r",
                    set={"metrics": {"response_time_s": 2}}, unset=("metrics.terminals",))  # fmt: skip
    result, _ = effective_of(change)
    assert requirement(result, "NFR-0010").metrics == {"response_time_s": 2,
                                                       "availability_pct": 99.5}  # fmt: skip


def test_rule_unset_removes_optional_fields() -> None:
    ok, _ = effective_of(Change(target="RES-0010", op="modify", reason="r", unset=("notes",)))
    assert requirement(ok, "RES-0010").notes is None
    _, found = effective_of(Change(target="RES-0010", op="modify", reason="r", unset=("title",)))
    assert [d.code for d in errors(found)] == ["E-SET-UNSET"]
    _, found = effective_of(Change(target="RES-0010", op="modify", reason="r",
                                   set={"notes": "x"}, unset=("notes",)))  # fmt: skip
    assert [d.code for d in errors(found)] == ["E-SET-UNSET"]


def test_rule_expect_guards_baseline() -> None:
    fresh = Change(target="NFR-0010", op="modify", reason="r",
                   set={"metrics": {"response_time_s": 2}},
                   expect={"metrics": {"response_time_s": 3}})  # fmt: skip
    stale = replace(fresh, expect={"metrics": {"response_time_s": 5}})
    assert errors(effective_of(fresh)[1]) == []
    assert [d.code for d in errors(effective_of(stale)[1])] == ["E-STALE-EXPECT"]


def test_rule_exclude_removes_subtree() -> None:
    result, _ = effective_of(Change(target="RES", op="exclude", reason="r"))
    assert [s.id for s in result.catalog.sections] == ["NFR"]
    assert [(e.id, e.via) for e in result.excluded] == [
        ("RES-0010", "RES"), ("RES-0020", "RES"), ("RES-0110", "RES")
    ]  # fmt: skip


def test_rule_changes_may_not_touch_exclusions() -> None:
    exclude = Change(target="RES", op="exclude", reason="r")
    modify = Change(target="RES-0110", op="modify", reason="r", set={"level": "optional"})
    add = Change(target="WJM-0001", op="add", reason="r", section="RES-CERT",
                 requirement=Requirement(id="WJM-0001", title="t", statement="s",
                                         level="optional"))  # fmt: skip
    _, found = effective_of(exclude, modify, add)
    assert sorted(d.code for d in errors(found)) == ["E-CHANGE-CONFLICT", "E-CHANGE-CONFLICT"]
    after_excluded = replace(add, section="RES", after="RES-0020")
    _, found = effective_of(Change(target="RES-0020", op="exclude", reason="r"), after_excluded)
    assert [d.code for d in errors(found)] == ["E-CHANGE-CONFLICT"]


def test_rule_add_placement() -> None:
    def add(rid: str, after: str | None) -> Change:
        return Change(target=rid, op="add", reason="r", section="RES", after=after,
                      requirement=Requirement(id=rid, title=rid, statement="s",
                                              level="optional"))  # fmt: skip

    result, found = effective_of(
        add("WJM-0003", "RES-0010"), add("WJM-0002", "RES-0010"), add("WJM-0009", None),
        add("WJM-0001", None),
    )  # fmt: skip
    assert errors(found) == []
    assert ids(result, "RES") == ["RES-0010", "WJM-0002", "WJM-0003", "RES-0020", "WJM-0001",
                                  "WJM-0009"]  # fmt: skip


def test_rule_absent_target_fails() -> None:
    _, found = effective_of(Change(target="RES-0030", op="modify", reason="r",
                                   set={"level": "optional"}))  # fmt: skip
    assert [d.code for d in found] == ["E-UNKNOWN-TARGET"]
    assert found[0].hint == "did you mean 'RES-0020'?"
    _, found = effective_of(Change(target="RES-0010", op="add", reason="r", section="RES",
                                   requirement=BASE.sections[0].requirements[0]))  # fmt: skip
    assert [d.code for d in found] == ["E-ADD-EXISTS"]


def test_rule_classification() -> None:
    assert classify_field("level", "optional", "mandatory", REGISTRY) == "tighten"
    assert classify_field("level", "mandatory", "optional", REGISTRY) == "relax"
    assert classify_field("level", "prohibited", "mandatory", REGISTRY) == "neutral"
    assert classify_field("metrics.response_time_s", 3, 2, REGISTRY) == "tighten"
    assert classify_field("metrics.response_time_s", 3, 5, REGISTRY) == "relax"
    assert classify_field("metrics.availability_pct", 99.5, 99.9, REGISTRY) == "tighten"
    assert classify_field("metrics.availability_pct", None, 99.9, REGISTRY) == "tighten"
    assert classify_field("metrics.availability_pct", 99.5, None, REGISTRY) == "relax"
    assert classify_field("metrics.terminals", 10, 45, REGISTRY) == "neutral"
    assert classify_field("notes", "a", "b", REGISTRY) == "neutral"
    mixed = Change(target="NFR-0010", op="modify", reason="r",
                   set={"metrics": {"response_time_s": 2, "availability_pct": 99.0}})  # fmt: skip
    result, found = effective_of(mixed)
    assert result.modified[0].cls == "relax"
    assert [d.code for d in found] == ["W-RELAX"]
    assert "metrics.availability_pct" in found[0].message


def test_rule_provenance_chain() -> None:
    nfr = replace(
        BASE.sections[1].requirements[0],
        locations={"metrics.response_time_s": Location("requirements/nfr.yaml", 12, 28)},
    )
    base = replace(
        BASE, sections=(BASE.sections[0], replace(BASE.sections[1], requirements=(nfr,)))
    )
    change = Change(target="NFR-0010", op="modify", reason="混雑のため", reason_code="local_operation",
                    set={"metrics": {"response_time_s": 2}},
                    locations={"set.metrics.response_time_s": Location("municipalities/w.yaml", 9, 30)})  # fmt: skip
    result, _ = apply(base, town(change))
    chain = result.provenance["NFR-0010"]["metrics.response_time_s"]
    assert [(s.file, s.line, s.op, s.municipality, s.cls, s.reason, s.value) for s in chain] == [
        ("requirements/nfr.yaml", 12, "baseline", None, None, None, 3),
        ("municipalities/w.yaml", 9, "modify", "172049", "tighten", "混雑のため", 2),
    ]
    untouched = result.provenance["NFR-0010"]["metrics.availability_pct"]
    assert [(s.op, s.value) for s in untouched] == [("baseline", 99.5)]


def test_joint_json_states_strictest_and_tables_per_municipality() -> None:
    tighter = Change(target="NFR-0010", op="modify", reason="r",
                     set={"metrics": {"response_time_s": 2, "terminals": 45}})  # fmt: skip
    a, _ = apply(BASE, town(tighter, code="172049"))
    b, _ = apply(BASE, town(code="173843"))
    document = json.loads(json.dumps(joint_document(build_joint(PROJECT, BASE, [a, b]))))
    nfr = next(r for r in document["requirements"] if r["id"] == "NFR-0010")
    assert nfr["metrics"]["response_time_s"] == 2
    assert nfr["statement"] == "2秒以内。"
    assert nfr["common"] is False and nfr["differs"] == {"172049": "modified"}
    assert document["per_municipality_metrics"]["NFR-0010"] == {
        "terminals": {"172049": 45, "173843": 10}
    }
    assert document["annexes"]["172049"]["modified"] == [
        {"id": "NFR-0010", "class": "tighten", "changes": {
            "metrics.response_time_s": {"baseline": 3, "value": 2, "class": "tighten", "joint": 2},
            "metrics.terminals": {"baseline": 10, "value": 45, "class": "neutral", "joint": 10}},
         "reason": "r", "reason_code": None}
    ]  # fmt: skip
