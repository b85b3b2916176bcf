"""`specgen consolidate`: properties of the proposal over generated towns' catalogs."""

from __future__ import annotations

import itertools
import random
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import PROJECT, copy_of_bundled, run_cli

from specgen.consolidate.emit import project_files, town_catalog_yaml
from specgen.consolidate.propose import propose
from specgen.consolidate.read import read_catalogs
from specgen.model import Catalog, Municipality, Requirement, Section
from specgen.project import TownCatalog
from specgen.validate import validate_project

TOWNS = (("172049", "輪島市", "WJM"), ("173614", "津幡町", "TBT"), ("173843", "志賀町", "SKA"),
         ("173860", "宝達志水町", "HDS"))  # fmt: skip
WORDS = ("住民票", "転入", "証明書", "課税", "被災者", "交付", "管理", "出力")


def _master(seed: int, size: int) -> Catalog:
    """A baseline: chapter A with its own requirements and a subsection, chapter B."""
    rng = random.Random(seed)

    def requirement(n: int) -> Requirement:
        words = rng.sample(WORDS, 3)
        metrics = {"response_time_s": rng.choice((2, 3, 5))} if n % 3 == 0 else {}
        return Requirement(
            id=f"REQ-{n:04d}", title=f"{words[0]}の{words[1]}",
            statement=f"{words[0]}を{words[2]}できること。\n・{words[1]}を含む。",
            level=rng.choice(("mandatory", "optional")), metrics=metrics,
            notes=rng.choice((None, "窓口で使用する。")),
        )  # fmt: skip

    items = [requirement(n) for n in range(size)]
    third = max(1, size // 3)
    sub = Section(id="A-SUB", title="細目", requirements=tuple(items[third : 2 * third]))
    return Catalog(
        sections=(
            Section(id="A", title="住民記録", body="本章は住民記録を定める。",
                    requirements=tuple(items[:third]), sections=(sub,)),
            Section(id="B", title="税務", requirements=tuple(items[2 * third :])),
        )
    )  # fmt: skip


def _town(
    master: Catalog, index: int, rng: random.Random, *, deviate: set[str], whole: bool = False
) -> TownCatalog:
    """A town's catalog: the master, with the requirements in `deviate` dropped or changed,
    sometimes without the subsection, and an addition of its own after a kept requirement."""
    code, name, prefix = TOWNS[index]
    drop_sub = not whole and rng.random() < 0.2  # `whole`: every section kept

    def edit(section: Section) -> Section:
        kept: list[Requirement] = []
        for requirement in section.requirements:
            if requirement.id in deviate:
                choice = rng.choice(("drop", "level", "text", "metric"))
                if choice == "drop":
                    continue
                if choice == "level":
                    flipped = "optional" if requirement.level == "mandatory" else "mandatory"
                    requirement = replace(requirement, level=flipped)
                elif choice == "text":
                    requirement = replace(requirement, statement=requirement.statement + "（町）")
                elif requirement.metrics:
                    requirement = replace(requirement, metrics={"response_time_s": 1})
            kept.append(requirement)
        if kept and rng.random() < 0.5:  # its own function, after one it keeps
            at = rng.randrange(1, len(kept) + 1)
            number = {"A": 100, "A-SUB": 200, "B": 300}[section.id] + len(kept)  # unique
            own = Requirement(id=f"{prefix}-{number:04d}", title=f"{name}独自の機能",
                              statement=f"{name}の業務を処理できること。", level="optional")  # fmt: skip
            kept.insert(at, own)
        subsections = tuple(
            edit(child) for child in section.sections if not (drop_sub and child.id == "A-SUB")
        )
        return replace(section, requirements=tuple(kept), sections=subsections)

    catalog = Catalog(sections=tuple(edit(s) for s in master.sections))
    return TownCatalog(Municipality(code=code, name=name, prefix=prefix), catalog, f"{code}.yaml")


def _towns(
    seed: int, size: int, count: int, *, majority: bool
) -> tuple[Catalog, list[TownCatalog]]:
    """Towns from one master; with `majority`, at most a minority deviates on each requirement."""
    rng = random.Random(seed)
    master = _master(seed, size)
    ids = [r.id for _, r in master.requirements()]
    deviants: list[set[str]] = [set() for _ in range(count)]
    for rid in ids:
        limit = (count - 1) // 2 if majority else count
        for town in rng.sample(range(count), rng.randint(0, limit)):
            deviants[town].add(rid)
    return master, [
        _town(master, i, rng, deviate=deviants[i], whole=majority) for i in range(count)
    ]


def _flat(catalog: Catalog) -> list[tuple[object, ...]]:
    return [
        (s.id, s.title, s.body, tuple(
            (r.id, r.title, r.statement, r.level, r.kind, r.notes, dict(r.metrics))
            for r in s.requirements))
        for s in catalog.walk_sections()
    ]  # fmt: skip


def _registry() -> dict[str, object]:
    return {}


def _build(towns: Sequence[TownCatalog], root: Path, quorum: int | None) -> Path:
    """The proposed project, its reasons written, as a person would before adopting it."""
    from specgen.project import load_project_file

    like = root.parent / "like.yaml"
    like.write_text(PROJECT, "utf-8")
    project, _ = load_project_file(like)
    assert project is not None
    proposal = propose(towns, quorum=quorum, registry=project.metrics)
    files = project_files(proposal, like=PROJECT, metrics=())
    for relpath, text in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if relpath.startswith("municipalities/"):
            text = text.replace('reason: ""', "reason: 確認した。").replace(
                "reason: ''", "reason: 確認した。"
            )
        target.write_text(text, "utf-8")
    return root


SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@SETTINGS
@given(seed=st.integers(0, 10_000), size=st.integers(3, 9), count=st.integers(2, 4),
       quorum=st.integers(1, 4))  # fmt: skip
def test_the_proposal_reconstructs_every_input_catalog(
    tmp_path_factory: pytest.TempPathFactory, seed: int, size: int, count: int, quorum: int
) -> None:
    _, towns = _towns(seed, size, count, majority=False)
    root = _build(towns, tmp_path_factory.mktemp("c") / "p", min(quorum, count))
    validation = validate_project(root)
    assert validation.ok, [d.format_text() for d in validation.diagnostics if d.is_error]
    rebuilt = {e.municipality.code: _flat(e.catalog) for e in validation.effective}
    assert rebuilt == {t.municipality.code: _flat(t.catalog) for t in towns}


@SETTINGS
@given(seed=st.integers(0, 10_000), size=st.integers(3, 9), count=st.integers(2, 4))
def test_the_proposal_does_not_depend_on_the_order_of_the_inputs(
    seed: int, size: int, count: int
) -> None:
    _, towns = _towns(seed, size, count, majority=False)
    shuffled = list(reversed(towns))
    random.Random(seed).shuffle(shuffled)
    first = project_files(propose(towns, registry={}), like=None, metrics=("response_time_s",))
    again = project_files(propose(shuffled, registry={}), like=None, metrics=("response_time_s",))
    assert first == again


@SETTINGS
@given(seed=st.integers(0, 10_000), size=st.integers(3, 9), count=st.integers(2, 4))
def test_raising_the_quorum_never_adds_a_requirement(seed: int, size: int, count: int) -> None:
    _, towns = _towns(seed, size, count, majority=False)
    baselines = [
        {r.id for _, r in propose(towns, quorum=q, registry={}).baseline.requirements()}
        for q in range(1, count + 1)
    ]
    for lower, higher in itertools.pairwise(baselines):
        assert higher <= lower


@SETTINGS
@given(seed=st.integers(0, 10_000), size=st.integers(3, 9), count=st.integers(3, 4))
def test_a_majority_that_keeps_the_model_gives_back_the_model(
    seed: int, size: int, count: int
) -> None:
    """The effective catalogs of a project whose deltas each touch a minority give back its
    baseline with a majority quorum."""
    master, towns = _towns(seed, size, count, majority=True)
    proposal = propose(towns, quorum=count // 2 + 1, registry={})
    assert _flat(proposal.baseline) == _flat(master)


def test_the_bundled_towns_are_rebuilt_from_their_own_catalogs(tmp_path: Path) -> None:
    """End to end: each bundled town's effective catalog as its own file, consolidated by
    the command, its reasons filled in, validated, built again: the same catalogs."""
    project = copy_of_bundled(tmp_path / "bundled")
    validation = validate_project(project)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for effective in validation.effective:
        text = town_catalog_yaml(effective.catalog, effective.municipality)
        (inputs / f"{effective.municipality.code}.yaml").write_text(text, "utf-8")
    out = tmp_path / "out"
    result = run_cli("consolidate", *map(str, sorted(inputs.iterdir())), "--out", str(out),
                     "--quorum", "3", "--like", str(project / "specgen.yaml"))  # fmt: skip
    assert result.exit_code == 0, result.output
    failing = run_cli("validate", str(out))
    assert failing.exit_code == 1 and "E-NO-REASON" in failing.output  # until a person writes
    for path in (out / "municipalities").iterdir():
        path.write_text(
            path.read_text("utf-8").replace("reason: ''", "reason: 確認した。"), "utf-8"
        )
    again = validate_project(out)
    assert again.ok
    assert {e.municipality.code: _flat(e.catalog) for e in again.effective} == {
        e.municipality.code: _flat(e.catalog) for e in validation.effective
    }
    report = (out / "consolidate-report.md").read_text("utf-8")
    assert "NFR-0140" in report  # the towns' terminals differ: the vote is listed
    statement = next(
        line for line in report.splitlines() if line.startswith("| DSR-0320 | 要件内容")
    )
    assert "原子力災害" in statement  # long texts are shown from where they differ
    refused = run_cli("consolidate", str(next(inputs.iterdir())), "--out", str(out))
    assert refused.exit_code == 2 and "not an empty directory" in refused.output
    shutil.rmtree(out)


def test_a_renumbered_requirement_is_proposed_as_a_mapping_not_merged() -> None:
    master = _master(7, 6)
    first = _town(master, 0, random.Random(1), deviate=set(), whole=True)
    renamed = Catalog(
        sections=tuple(
            replace(s, requirements=tuple(
                replace(r, id="REQ-9000") if r.id == "REQ-0000" else r for r in s.requirements
            ))
            for s in master.sections
        )
    )  # fmt: skip
    second = TownCatalog(Municipality(code="173614", name="津幡町"), renamed, "173614.yaml")
    proposal = propose([first, second], registry={})
    assert [(m.first, m.second) for m in proposal.mappings] == [
        (("172049", "REQ-0000"), ("173614", "REQ-9000"))
    ]
    ids = {r.id for _, r in proposal.baseline.requirements()}
    assert {"REQ-0000", "REQ-9000"} <= ids  # each its own requirement: never merged into one
    report = project_files(proposal, like=None, metrics=())["consolidate-report.md"]
    assert "REQ-0000 ≈ 津幡町 REQ-9000" in report


def test_bad_inputs_are_reported_where_they_are_and_nothing_is_written(tmp_path: Path) -> None:
    master = _master(3, 4)
    good = tmp_path / "172049.yaml"
    good.write_text(town_catalog_yaml(master, Municipality(code="172049", name="輪島市")), "utf-8")
    broken = tmp_path / "173614.yaml"
    text = town_catalog_yaml(master, Municipality(code="173614", name="津幡町"))
    broken.write_text(text.replace("level: mandatory", "level: 必須", 1), "utf-8")
    line = text.split("\n").index(next(x for x in text.split("\n") if "level: mandatory" in x))
    out = tmp_path / "out"
    result = run_cli("consolidate", str(good), str(broken), "--out", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    # located by the worker process that parsed the file
    assert f"{broken.as_posix()}:{line + 1}:" in result.output and "E-SCHEMA" in result.output
    assert not out.exists()
    twice = run_cli("consolidate", str(good), str(good), "--out", str(out))
    assert twice.exit_code == 2 and "same municipality" in twice.output
    too_many = run_cli("consolidate", str(good), "--out", str(out), "--quorum", "2")
    assert too_many.exit_code == 2 and "--quorum" in too_many.output
    assert not out.exists()


def test_catalogs_read_in_workers_equal_those_read_here(tmp_path: Path) -> None:
    """The parallel reading and the one-process reading give the same towns, in the order
    given, and the same located problems."""
    master = _master(4, 5)
    paths = []
    for code, name in (("173614", "津幡町"), ("172049", "輪島市"), ("173843", "志賀町")):
        path = tmp_path / f"{code}.yaml"
        path.write_text(town_catalog_yaml(master, Municipality(code=code, name=name)), "utf-8")
        paths.append(path)
    broken = tmp_path / "bad.yaml"
    broken.write_text("municipality: {code: '173860', name: 宝達志水町}\nsections: [\n", "utf-8")
    paths.insert(1, broken)
    here = read_catalogs(paths, jobs=1)
    workers = read_catalogs(paths, jobs=2)
    assert here == workers
    towns, problems = workers
    assert [t.municipality.code for t in towns] == ["173614", "172049", "173843"]
    assert [(p.code, p.location.file, p.location.line) for p in problems] == [
        ("E-YAML", broken.as_posix(), 3)
    ]
    assert all(_flat(t.catalog) == _flat(master) for t in towns)


def test_towns_that_order_differently_are_reported_and_equal_numbers_vote_together() -> None:
    master = _master(11, 6)
    first = _town(master, 0, random.Random(2), deviate=set(), whole=True)
    reordered = Catalog(
        sections=tuple(
            replace(s, requirements=tuple(reversed(s.requirements))) if s.id == "B" else s
            for s in master.sections
        )
    )
    second = TownCatalog(Municipality(code="173614", name="津幡町"), reordered, "b.yaml")
    proposal = propose([first, second], registry={})
    assert any(c.startswith("section B:") for c in proposal.caveats)
    assert "section B" in project_files(proposal, like=None, metrics=())["consolidate-report.md"]

    def with_metric(value: float, code: str, name: str) -> TownCatalog:
        requirement = Requirement(id="NFR-0001", title="応答時間", statement="速いこと。",
                                  level="mandatory", metrics={"response_time_s": value})  # fmt: skip
        catalog = Catalog(sections=(Section(id="N", title="非機能", requirements=(requirement,)),))
        return TownCatalog(Municipality(code=code, name=name), catalog, f"{code}.yaml")

    towns = [with_metric(3, "172049", "輪島市"), with_metric(3.0, "173614", "津幡町"),
             with_metric(2, "173843", "志賀町")]  # fmt: skip
    [(_, chosen)] = [
        (r.id, r.metrics) for _, r in propose(towns, registry={}).baseline.requirements()
    ]
    assert chosen == {"response_time_s": 3}  # two towns want 3: 3 and 3.0 are one vote


def test_towns_citing_different_standards_get_a_delta_yaml_can_write(tmp_path: Path) -> None:
    from specgen.model import Standard

    def town(code: str, name: str, function_id: str) -> TownCatalog:
        requirement = Requirement(
            id="RES-0010", title="転入", statement="受け付けること。", level="mandatory",
            standard=Standard(document="住民記録システム標準仕様書", function_id=function_id),
        )  # fmt: skip
        catalog = Catalog(
            sections=(Section(id="R", title="住民記録", requirements=(requirement,)),)
        )
        return TownCatalog(Municipality(code=code, name=name), catalog, f"{code}.yaml")

    towns = [town("172049", "輪島市", "0010001"), town("173614", "津幡町", "0010002")]
    files = project_files(propose(towns, registry={}), like=None, metrics=())
    delta = next(text for name, text in files.items() if name.startswith("municipalities/173614"))
    assert "function_id: '0010002'" in delta and "Standard(" not in delta
