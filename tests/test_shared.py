"""One shared system, one truth: every document of a build states the same governing value.

A property over generated projects, and a held-out-style project written by hand: one town
tightens a strictest metric, one relaxes it, one excludes an optional requirement and one adds
a function without a 機能ID.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import REGISTRY, projects
from support import REPO, run_cli

from specgen.joint import build_joint
from specgen.merge import Baseline, apply_delta
from specgen.model import Issuer, Project
from specgen.placeholders import format_metric
from specgen.render.documents import markdown_of
from specgen.render.markdown import TemplateSet
from specgen.shared import shared_system

PROJECT = Project(
    id="p", title="t", issuer=Issuer(code="170003", name="石川県"), version="1", date="2026-11-26",
    metrics=REGISTRY,
)  # fmt: skip
TEMPLATES = TemplateSet()


def shown(markdown: str) -> str:
    """The text as a reader sees it: Markdown's backslash escapes of punctuation removed."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def requirement_blocks(markdown: str, rid: str) -> list[str]:
    """The text of every `#### RID　…` block of a document (up to the next heading)."""
    found = re.findall(rf"^#### {re.escape(rid)}\u3000.*?(?=^#|\Z)", markdown, re.M | re.S)
    # a requirement as stated (with its level), not an annex's table of its changes
    return [shown(block) for block in found if "**区分：" in block]


def metrics_line(block: str) -> str:
    return next((line for line in block.splitlines() if line.startswith("- 数値要件：")), "")


def common_cells(markdown: str, rid: str, label: str) -> list[str]:
    """The 共通仕様 cell of the rows for the field `label` in the annexes' tables of the
    changes to `rid`; 同左 (the model's value, in the column before it) is given as that value."""
    cells = []
    blocks = re.findall(rf"^#### {re.escape(rid)}\u3000.*?(?=^#|\Z)", markdown, re.M | re.S)
    for block in blocks:
        for line in shown(block).splitlines():
            parts = [p.strip() for p in line.strip("|").split("|")]
            if len(parts) == 5 and parts[0] == label:
                cells.append(parts[1] if parts[2] == "同左" else parts[2])
    return cells


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_document_prints_the_governing_value_of_a_strictest_metric(
    data: st.DataObject,
) -> None:
    catalog, municipalities = data.draw(projects())
    baseline = Baseline.of(catalog)
    results = [apply_delta(baseline, m, REGISTRY)[0] for m in municipalities]
    joint = build_joint(PROJECT, catalog, results)
    documents = {"joint": markdown_of(joint, None, TEMPLATES)}
    documents.update({r.municipality.code: markdown_of(joint, r, TEMPLATES) for r in results})
    checked = 0
    for rid, shared in joint.shared.requirements.items():
        for name, value in shared.metrics.items():
            metric = REGISTRY[name]
            stated = f"{metric.label} {format_metric(value, metric)}"
            for markdown in documents.values():
                for block in requirement_blocks(markdown, rid):
                    line = metrics_line(block)
                    assert stated in line, (rid, stated, line)
                    assert line.count(metric.label) == 1, line  # no competing figure
                    checked += 1
            for cell in common_cells(documents["joint"], rid, metric.label):
                assert cell == format_metric(value, metric)
    assert checked or not any(s.metrics for s in joint.shared.requirements.values())


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_governing_value_is_the_strictest_of_the_users(data: st.DataObject) -> None:
    catalog, municipalities = data.draw(projects())
    baseline = Baseline.of(catalog)
    results = [apply_delta(baseline, m, REGISTRY)[0] for m in municipalities]
    system = shared_system(catalog, results, REGISTRY)
    for _, requirement in catalog.requirements():
        shared = system.requirements[requirement.id]
        users = [
            r
            for result in results
            for _, r in result.catalog.requirements()
            if r.id == requirement.id
        ]
        assert set(shared.users) == {
            result.municipality.code
            for result in results
            if any(r.id == requirement.id for _, r in result.catalog.requirements())
        }
        levels = {r.level for r in users}
        if "mandatory" in levels and "prohibited" not in levels:
            assert shared.level == "mandatory"
        for name, value in shared.metrics.items():
            values = [r.metrics[name] for r in users if name in r.metrics]
            pick = min if REGISTRY[name].better == "lower" else max
            assert value == pick(values)


# ---------------------------------------------------------------- a held-out-style project

PROJECT_FILE = """\
specgen: 1
project:
  id: check
  title: 検証用共同調達仕様書
  issuer: {code: "170003", name: 石川県}
  version: "1.0"
  date: 2026-11-30
procurement:
  subject: 基幹業務システム共同利用業務
  method: general_competitive
  lead: "173614"
metrics:
  response_time_s: {label: 応答時間, unit: 秒, better: lower}
  terminals: {label: 端末台数, unit: 台, better: none, aggregate: sum}
"""
CATALOG = """\
specgen: 1
sections:
  - id: RES
    title: 住民記録
    requirements:
      - id: RES-0010
        title: 転入届の受付
        statement: 転入届を受け付けられること。
        level: mandatory
        standard: {document: 住民記録システム標準仕様書, function_id: "0010001"}
      - id: RES-0020
        title: 転出証明書の交付
        statement: 転出証明書を交付できること。
        level: optional
        standard: {document: 住民記録システム標準仕様書, function_id: "0010002"}
  - id: NFR
    title: 非機能要件
    requirements:
      - id: NFR-0010
        title: 画面応答時間
        statement: 画面の応答時間は${response_time_s}以内とし、端末${terminals}で満たすこと。
        level: mandatory
        kind: non_functional
        metrics: {response_time_s: 3, terminals: 10}
"""
TOWNS = {
    "172049-wajima.yaml": """\
specgen: 1
municipality: {code: "172049", name: 輪島市, prefix: WJM}
changes:
  NFR-0010:
    op: modify
    set: {metrics: {response_time_s: 2, terminals: 30}}
    reason: 窓口が混雑するため。
""",
    "173614-tsubata.yaml": """\
specgen: 1
municipality: {code: "173614", name: 津幡町, prefix: TBT}
changes:
  NFR-0010:
    op: modify
    set: {metrics: {response_time_s: 5}}
    reason: 来庁者が少ないため。
""",
    "173843-shika.yaml": """\
specgen: 1
municipality: {code: "173843", name: 志賀町, prefix: SKA}
changes:
  RES-0020:
    op: exclude
    reason: 当面利用しないため。
""",
    "173860-hodatsushimizu.yaml": """\
specgen: 1
municipality: {code: "173860", name: 宝達志水町, prefix: HDS}
changes:
  HDS-0001:
    op: add
    section: RES
    reason: 郵送請求が多いため。
    requirement: {title: 郵便請求の管理, statement: 郵便による請求を管理できること。, level: mandatory}
""",
}


def write_check_project(root: Path) -> Path:
    files = {"specgen.yaml": PROJECT_FILE, "requirements/10-main.yaml": CATALOG}
    files.update({f"municipalities/{name}": text for name, text in TOWNS.items()})
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_held_out_style_project_tells_one_story(tmp_path: Path) -> None:
    root = write_check_project(tmp_path / "check")
    out = tmp_path / "out"
    result = run_cli("build", str(root), "--out", str(out), "--format", "markdown", "--format",
                     "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    warned = {
        (line.split(":")[0], re.search(r"\[(W-[A-Z-]+)\]", line).group(1))  # type: ignore[union-attr]
        for line in result.stderr.splitlines()
        if "warning[" in line
    }
    assert warned == {
        ("municipalities/172049-wajima.yaml", "W-TIGHTEN-COMMON"),
        ("municipalities/173614-tsubata.yaml", "W-RELAX"),
        ("municipalities/173860-hodatsushimizu.yaml", "W-NONSTANDARD"),
    }
    joint = (out / "joint/spec.md").read_text("utf-8")
    towns = {code: (out / f"municipalities/{code}/spec.md").read_text("utf-8")
             for code in ("172049", "173614", "173843", "173860")}  # fmt: skip

    # NFR-0010: the joint spec and all four towns' own specs state 2 s, the one governing value
    for markdown in [joint, *towns.values()]:
        [block] = requirement_blocks(markdown, "NFR-0010")
        assert "画面の応答時間は2秒以内とし" in block
        assert "応答時間 2秒" in metrics_line(block)
        assert "3秒以内" not in block and "5秒以内" not in block
        assert "共通仕様の水準：応答時間 2秒（モデル値 3秒、輪島市の要求による）" in block
    # 津幡町's 5 s is its own need, labelled as such, never a competing figure
    assert (
        "本団体の要求水準（参考）：応答時間 5秒"
        in requirement_blocks(towns["173614"], "NFR-0010")[0]
    )
    assert common_cells(joint, "NFR-0010", "応答時間") == ["2秒", "2秒"]
    tsubata_annex = joint.split("# 別紙2")[1].split("# 別紙3")[0]
    assert "| 応答時間 | 3秒 | 2秒 | 5秒 | 緩和 |" in tsubata_annex
    # the matrix: 輪島市 set the level (強), 津幡町 needs less (緩), the others as common
    assert "| NFR-0010 | 画面応答時間 | 必須 | 強 | 緩 | ○ | ○ |" in joint
    assert "団体別の相違：輪島市（強化、別紙1）、津幡町（緩和、別紙2）" in shown(joint)
    # terminals add up: the common text states the total; each town's spec its own value
    assert "端末60台（参加団体の合計）で満たす" in joint  # 30 + 10 + 10 + 10
    assert "| 合計 | 60台 |" in joint
    assert "端末30台（本団体分。参加団体の合計60台）で満たす" in towns["172049"]

    # RES-0020: implemented (optional), used by three, not used by 志賀町
    assert "| RES-0020 | 転出証明書の交付 | 任意 | ○ | ○ | × | ○ |" in joint
    assert not requirement_blocks(towns["173843"], "RES-0020")
    assert "| RES-0020 | 転出証明書の交付 |" in towns["173843"].split("# 利用しない要件")[1]

    # HDS-0001: 標準仕様外, only 宝達志水町 uses it, listed in its own chapter and annex section
    assert "| HDS-0001 | 郵便請求の管理（標準仕様外） | 必須 | － | － | － | 追 |" in joint
    assert "| HDS-0001 | 郵便請求の管理 | 宝達志水町 | 第1章　住民記録 | 必須 |" in joint
    annex = joint.split("# 別紙4")[1].split("# 別紙5")[0]
    assert annex.index("## 宝達志水町の追加要件（標準仕様外の機能）") < annex.index("#### HDS-0001")
    assert "【追加・標準仕様外】" in requirement_blocks(towns["173860"], "HDS-0001")[0]

    # 調達概要 and the cover
    assert "| 代表団体 | 津幡町（173614） |" in joint
    assert "| 調達方式 | 一般競争入札 |" in joint

    # the JSON says the same
    data = json.loads((out / "joint/spec.json").read_text("utf-8"))
    nfr = next(r for r in data["requirements"] if r["id"] == "NFR-0010")
    assert (
        nfr["metrics"]["response_time_s"] == 2 and nfr["model"]["metrics"]["response_time_s"] == 3
    )
    assert data["per_municipality_totals"] == {"NFR-0010": {"terminals": 60}}
    assert data["procurement"]["lead"] == "173614"
    tsubata = json.loads((out / "municipalities/173614/spec.json").read_text("utf-8"))
    own = next(r for r in tsubata["requirements"] if r["id"] == "NFR-0010")
    assert own["metrics"]["response_time_s"] == 5  # its effective catalog: its own need
    assert own["shared"] == {"level": "mandatory", "metrics": {"response_time_s": 2}}


def test_japanese_diagnostics_name_levels_as_the_documents_do() -> None:
    """A hint that states an outcome says 必須, not the YAML spelling `mandatory`."""
    result = run_cli("validate", str(REPO), "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert "区分 を全ての参加団体について定めています：任意 → 必須" in result.stderr
    assert "全ての参加団体について 必須 となります" in result.stderr
    assert "mandatory となります" not in result.stderr and "optional →" not in result.stderr
