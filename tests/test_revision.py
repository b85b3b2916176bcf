"""`specgen diff`: the 新旧対照表 of two versions, on small fixtures and git revisions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from office import convert_to_pdf, missing_tools, pdf_text
from support import CATALOG, SHIKA, WAJIMA, MakeProject, run_cli

from specgen.revision.compare import char_diff, line_diff

NEW_CATALOG = (
    CATALOG.replace("転入前住所を管理すること。", "転入前住所及び転入日を管理すること。")
    .replace("        level: optional\n", "        level: mandatory\n", 1)  # RES-0020
    .replace(
        "metrics: {response_time_s: 3, terminals: 10}",
        "metrics: {response_time_s: 2, terminals: 10}",
    )
    .replace(
        "          - id: RES-0110\n            title: 住民票の写しの交付\n"
        "            statement: 住民票の写しを交付できること。\n            level: mandatory\n",
        "          - id: RES-0120\n            title: 住民票の写しの交付\n"
        "            statement: 住民票の写しを交付できること。\n            level: mandatory\n"
        "          - id: RES-0130\n            title: 印鑑登録証明書の交付\n"
        "            statement: 印鑑登録証明書を交付できること。\n            level: optional\n",
    )
)
NEW_WAJIMA = WAJIMA.replace(
    "reason: 転出者が多いため。", "reason: 転出者が多く、窓口が混雑するため。"
)
NEW_SHIKA = SHIKA + "  RES-0010:\n    op: exclude\n    reason: 当町では扱わないため。\n"


def _versions(make_project: MakeProject) -> tuple[Path, Path]:
    old = make_project(name="old")
    new = make_project(
        {
            "specgen.yaml": None,
            "requirements/10-main.yaml": NEW_CATALOG,
            "municipalities/172049-wajima.yaml": NEW_WAJIMA,
            "municipalities/173843-shika.yaml": NEW_SHIKA.replace(
                "    expect: {metrics: {response_time_s: 3}}\n", ""
            ),
        },
        name="new",
    )
    config = (old / "specgen.yaml").read_text("utf-8")
    (new / "specgen.yaml").write_text(
        config.replace('version: "1.0"', 'version: "1.1"').replace("2026-11-26", "2027-03-15"),
        "utf-8",
    )
    wajima = new / "municipalities/172049-wajima.yaml"
    text = wajima.read_text("utf-8").replace("{response_time_s: 3}", "{response_time_s: 2}")
    wajima.write_text(
        text.replace("response_time_s: 2, terminals: 45", "response_time_s: 1, terminals: 45"),
        "utf-8",
    )
    return old, new


def _diff(old: Path | str, new: Path | str, out: Path, *extra: str) -> dict[str, object]:
    result = run_cli("diff", str(old), str(new), "--out", str(out), "--format", "json",
                     "--format", "markdown", "--format", "docx", *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    loaded: dict[str, object] = json.loads((out / "revision.json").read_text("utf-8"))
    return loaded


def _rows(document: dict[str, object]) -> list[dict[str, object]]:
    rows = document["rows"]
    assert isinstance(rows, list)
    return rows


def test_each_kind_of_change_has_its_row(make_project: MakeProject, tmp_path: Path) -> None:
    old, new = _versions(make_project)
    document = _diff(old, new, tmp_path / "out")
    kinds = {(r["part"], r["id"], r["item"]): r["kind"] for r in _rows(document)}
    assert kinds == {
        ("baseline", "RES-0010", "要件内容"): "changed",
        ("baseline", "RES-0020", "区分"): "changed",
        ("baseline", "RES-0110", "要件"): "deleted",
        ("baseline", "RES-0120", "要件"): "added",
        ("baseline", "RES-0130", "要件"): "added",
        ("baseline", "NFR-0010", "応答時間"): "changed",
        ("172049", "RES-0020", "変更"): "changed",  # its reason rewritten
        ("172049", "NFR-0010", "変更"): "changed",  # its value
        ("173843", "RES-0010", "除外（利用しない）"): "added",  # a town starts excluding
    }
    assert document["summary"]["baseline"] == {"added": 2, "deleted": 1, "changed": 3, "moved": 0}  # type: ignore[index]
    notes = {r["id"]: r["note"] for r in _rows(document) if r["note"]}
    assert notes == {  # a likely change of ID, reported both ways, never paired silently
        "RES-0110": "RES-0120 と内容が同一（要件IDの変更と考えられる）",
        "RES-0120": "RES-0110 と内容が同一（要件IDの変更と考えられる）",
    }


def test_exactly_the_changed_characters_are_underlined_in_word(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old, new = _versions(make_project)
    _diff(old, new, tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "out/revision.docx") as archive:
        body = archive.read("word/document.xml").decode()
    underlined = re.findall(r'<w:u w:val="single"/></w:rPr><w:t[^>]*>([^<]*)</w:t>', body)
    assert "及び転入日" in underlined  # the new side of RES-0010
    assert "2" in underlined and "3" in underlined  # 3秒 → 2秒: the digit, not the unit
    assert "秒" not in underlined and "転入前住所" not in underlined
    assert "必須" in underlined and "任意" in underlined  # a changed level, whole
    assert "住民票の写しの交付" in underlined  # a deleted requirement, whole (傍線)
    assert 'w:orient="landscape"' in body
    assert "<w:tblHeader/>" in body  # the header row repeats on every page


def test_a_long_text_shows_its_changed_line_on_both_sides_and_omits_the_rest() -> None:
    old = "外国人住民\n・氏名\n・生年月日（西暦で管理すること。）\n・性別"
    new = "外国人住民\n・氏名\n・生年月日（西暦及び和暦で管理すること。）\n・性別"
    before, after = line_diff(old, new, "（略）")
    assert before == (("（略）\n・生年月日（西暦で管理すること。）\n（略）", False),)
    assert after == (
        ("（略）\n・生年月日（西暦", False),
        ("及び和暦", True),
        ("で管理すること。）\n（略）", False),
    )  # 及び和暦 underlined, as written: not 暦及び和


def test_character_diff_marks_japanese_by_character() -> None:
    old, new = char_diff("転入前住所を管理すること。", "転入前住所及び転入日を管理すること。")
    assert old == (("転入前住所を管理すること。", False),)
    assert new == (("転入前住所", False), ("及び転入日", True), ("を管理すること。", False))
    old, new = char_diff("被災者支援業務が落ち着いた段階で", "令和9年度中に")  # a rewrite
    assert all(changed for _, changed in old) and all(changed for _, changed in new)


def test_both_column_orders_say_which_is_which(make_project: MakeProject, tmp_path: Path) -> None:
    old, new = _versions(make_project)
    _diff(old, new, tmp_path / "a")
    _diff(old, new, tmp_path / "b", "--order", "old-new")
    default = (tmp_path / "a/revision.md").read_text("utf-8")
    swapped = (tmp_path / "b/revision.md").read_text("utf-8")
    assert "| 改定後 | 改定前 | 種別 |" in default and "| 改定前 | 改定後 | 種別 |" in swapped
    row = next(line for line in default.splitlines() if line.startswith("| RES-0110<br>"))
    assert row.index("（削る）") < row.index("住民票の写しを交付")  # new side first: 削る
    row = next(line for line in swapped.splitlines() if line.startswith("| RES-0110<br>"))
    assert row.index("住民票の写しを交付") < row.index("（削る）")


def test_a_revision_without_changes_says_so(make_project: MakeProject, tmp_path: Path) -> None:
    old = make_project(name="same")
    document = _diff(old, old, tmp_path / "out")
    assert _rows(document) == []
    markdown = (tmp_path / "out/revision.md").read_text("utf-8")
    assert "変更はありません。" in markdown and "| （変更なし） |" in markdown
    assert "- 個別仕様に変更のない団体：輪島市、志賀町" in markdown  # named once, no empty tables
    assert "輪島市の個別仕様" not in markdown


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_revisions_are_read_without_touching_the_work_tree(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old, new = _versions(make_project)
    repo = tmp_path / "repo"
    shutil.copytree(old, repo / "project")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "1.0")
    _git(repo, "tag", "v1.0")
    shutil.rmtree(repo / "project")
    shutil.copytree(new, repo / "project")
    _git(repo, "commit", "-qam", "1.1")
    (repo / "project/municipalities/173843-shika.yaml").write_text(SHIKA, "utf-8")  # uncommitted
    before = _git(repo, "status", "--porcelain")
    project = repo / "project"
    document = _diff("v1.0", "HEAD", tmp_path / "out", "--project", str(project))
    assert {r["id"] for r in _rows(document) if r["part"] == "173843"} == {"RES-0010"}
    assert document["old"]["source"] == "v1.0" and document["new"]["version"] == "1.1"  # type: ignore[index]
    assert _git(repo, "status", "--porcelain") == before  # the work tree as it was
    worktree = _diff("HEAD", str(project), tmp_path / "out2", "--project", str(project))
    assert {r["id"] for r in _rows(worktree)} == {"RES-0010"}  # the uncommitted edit
    result = run_cli(
        "diff", "v0.9", "HEAD", "--project", str(project), "--out", str(tmp_path / "x")
    )
    assert result.exit_code == 2 and "neither a directory nor a git revision" in result.output


def test_an_invalid_version_is_located_in_its_revision(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old, new = _versions(make_project)
    broken = new / "municipalities/173843-shika.yaml"
    broken.write_text(NEW_SHIKA.replace("RES-0010:", "RES-9999:"), "utf-8")
    result = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{new}:municipalities/173843-shika.yaml:" in result.output
    assert not (tmp_path / "out").exists()


def test_the_output_never_replaces_a_folder_of_the_users(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old, new = _versions(make_project)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "memo.txt").write_text("メモ", "utf-8")
    result = run_cli("diff", str(old), str(new), "--out", str(mine))
    assert result.exit_code == 1 and (mine / "memo.txt").read_text("utf-8") == "メモ"
    first = tmp_path / "out"
    assert run_cli("diff", str(old), str(new), "--out", str(first)).exit_code == 0
    once = {p.name: p.read_bytes() for p in first.iterdir()}
    assert run_cli("diff", str(old), str(new), "--out", str(first)).exit_code == 0  # its own
    assert {p.name: p.read_bytes() for p in first.iterdir()} == once  # byte-identical


@pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))
def test_libreoffice_prints_the_comparison(make_project: MakeProject, tmp_path: Path) -> None:
    old, new = _versions(make_project)
    _diff(old, new, tmp_path / "out")
    text = pdf_text(convert_to_pdf(tmp_path / "out/revision.docx", tmp_path / "pdf"))
    assert "新旧対照表" in text and "改定後" in text and "及び転入日" in text


def test_a_requirement_moved_to_another_section_is_a_move(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old = make_project(name="old")
    moved = CATALOG.replace(
        "      - id: RES-0020\n        title: 転出証明書の交付\n"
        "        statement: 転出証明書を交付できること。\n        level: optional\n",
        "",
    ).replace(
        "            level: mandatory\n  - id: NFR\n",
        "            level: mandatory\n          - id: RES-0020\n            title: 転出証明書の交付\n"
        "            statement: 転出証明書を交付できること。\n            level: optional\n"
        "  - id: NFR\n",
    )
    assert moved != CATALOG
    new = make_project({"requirements/10-main.yaml": moved}, name="new")
    document = _diff(old, new, tmp_path / "out")
    [row] = _rows(document)
    assert (row["id"], row["kind"], row["item"]) == ("RES-0020", "moved", "節")
    assert row["new"]["text"] == "2.1 証明書" and row["old"]["text"] == "第2章 住民記録"  # type: ignore[index]


@pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))
def test_the_pdf_format_prints_it_as_the_specs_are_printed(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old, new = _versions(make_project)
    result = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "out"), "--format", "pdf")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out/revision.pdf")
    assert "新旧対照表" in text and "（削る）" in text
    assert re.search(r"^1\s*/\s*\d+$", text, re.MULTILINE)  # the first page is numbered too


@given(old=st.text(alphabet="・（）氏名旧暦及び和、。ab", max_size=12),
       new=st.text(alphabet="・（）氏名旧暦及び和、。ab", max_size=12))  # fmt: skip
def test_both_sides_keep_every_character_of_their_text(old: str, new: str) -> None:
    """Whatever is underlined, each side prints its own text whole."""
    before, after = char_diff(old, new)
    assert "".join(text for text, _ in before) == old
    assert "".join(text for text, _ in after) == new
    assert ("（新）", True) in char_diff("（注）住所", "（新）（注）住所")[1]  # brackets whole


def test_a_new_chapter_is_one_row_and_renumbers_nothing_into_a_move(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old = make_project(name="old")
    chapter = CATALOG.replace(
        "sections:\n  - id: GEN\n",
        "sections:\n  - id: SCOPE\n    title: 調達の範囲\n    body: 本調達の範囲を定める。\n"
        "  - id: GEN\n",
    ).replace("body: 本書は仕様を定める。", "body: 本書は共同調達の仕様を定める。")
    new = make_project({"requirements/10-main.yaml": chapter}, name="new")
    document = _diff(old, new, tmp_path / "out")
    rows = [(r["id"], r["kind"], r["item"]) for r in _rows(document)]
    assert rows == [("SCOPE", "added", "節"), ("GEN", "changed", "節の本文")]
    [body] = [r for r in _rows(document) if r["id"] == "GEN"]
    assert body["new"]["changed"]  # type: ignore[index]  # 共同調達の underlined


def test_a_town_change_prints_lists_and_metrics_by_name(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old = make_project(name="old")
    wajima = WAJIMA.replace(
        "    set: {level: mandatory}\n",
        "    set: {level: mandatory, legal_basis: [住民基本台帳法 第7条, 同法施行令]}\n",
    )
    new = make_project({"municipalities/172049-wajima.yaml": wajima}, name="new")
    _diff(old, new, tmp_path / "out")
    markdown = (tmp_path / "out/revision.md").read_text("utf-8")
    assert "<u>根拠法令：住民基本台帳法 第7条、同法施行令<br></u>" in markdown
    assert "('" not in markdown and "Standard(" not in markdown
