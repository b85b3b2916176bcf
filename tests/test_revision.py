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
from support import CATALOG, PROJECT, SHIKA, WAJIMA, MakeProject, assert_golden, run_cli

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
        ("document", "cover.version", "版"): "changed",  # the cover prints both
        ("document", "cover.date", "日付"): "changed",
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


# ------------------------------------------------ every field a document prints (issue 21)

RICH = PROJECT.replace(
    'issuer: {code: "170003", name: 石川県}',
    'issuer: {code: "170003", name: 石川県, department: 総務部 市町支援課}',
) + (
    "history:\n"
    '  - {version: "1.0", date: 2026-11-26, description: 初版}\n'
    "procurement:\n"
    "  subject: 基幹業務システム共同利用業務\n"
    "  method: proposal\n"
    '  lead: "172049"\n'
    "  period: {from: 2027-04-01, to: 2032-03-31}\n"
    "  ceiling_yen: 1200000000\n"
    "  schedule:\n"
    "    - {date: 2027-01-15, event: 公告}\n"
    "    - {date: 2027-02-19, event: 提案書の提出期限}\n"
    "  cost_sharing: 均等割50%・人口割50%で按分する。\n"
    "  contact: 石川県 総務部 市町支援課\n"
    "evaluation:\n"
    "  points: 1\n"
    '  chapters: {"2": 10}\n'
)
AVAILABILITY = (
    "      - id: NFR-0020\n"
    "        title: 稼働率\n"
    "        statement: 稼働率は${availability_pct}以上であること。\n"
    "        level: mandatory\n"
    "        kind: non_functional\n"
    "        metrics: {availability_pct: 99.8}\n"
)
RICH_CATALOG = CATALOG + AVAILABILITY


def _bumped(config: str) -> str:
    """The same specgen.yaml as version 1.1 of 2027-03-15."""
    return config.replace('version: "1.0"', 'version: "1.1"', 1).replace(
        "  date: 2026-11-26\n", "  date: 2027-03-15\n"
    )


def _revision(
    make_project: MakeProject, tmp_path: Path, new_files: dict[str, str | None], *extra: str
) -> tuple[dict[str, object], str]:
    """The revision from the rich project to one with `new_files` (version 1.1): its JSON
    and its Markdown."""
    base = {"specgen.yaml": RICH, "requirements/10-main.yaml": RICH_CATALOG}
    old = make_project(base, name="old")
    new = make_project({**base, "specgen.yaml": _bumped(RICH), **new_files}, name="new")
    document = _diff(old, new, tmp_path / "out", *extra)
    return document, (tmp_path / "out/revision.md").read_text("utf-8")


def _summary(markdown: str) -> str:
    return markdown.split("## 改定の概要")[1].split("\n## ")[0]


def _row(document: dict[str, object], part: str, rid: str) -> dict[str, object]:
    [row] = [r for r in _rows(document) if r["part"] == part and r["id"] == rid]
    return row


def _text(row: dict[str, object], side: str) -> str:
    value = row[side]
    assert isinstance(value, dict)
    return str(value["text"])


def test_the_cover_is_compared(make_project: MakeProject, tmp_path: Path) -> None:
    config = (
        _bumped(RICH)
        .replace("title: ミニ仕様書", "title: ミニ仕様書 改訂版")
        .replace("department: 総務部 市町支援課", "department: 総務部 デジタル推進課")
    )
    document, markdown = _revision(make_project, tmp_path, {"specgen.yaml": config})
    assert _text(_row(document, "document", "cover.title"), "new") == "ミニ仕様書 改訂版"
    issuer = _row(document, "document", "cover.issuer")
    assert issuer["item"] == "発行" and issuer["label"] == "表紙"
    assert _text(issuer, "new") == "石川県\u3000総務部 デジタル推進課"  # as the cover prints it
    assert _text(issuer, "old") == "石川県\u3000総務部 市町支援課"
    assert _text(_row(document, "document", "cover.date"), "new") == "令和9年3月15日"  # 和暦
    assert "| 表紙 | 発行 | 石川県　総務部 <u>デジタル推進</u>課 |" in markdown
    assert "- 表紙・調達概要等：新設 0 件、削除 0 件、変更 4 件" in _summary(markdown)


def test_the_procurement_is_compared_field_by_field_and_its_schedule_row_by_row(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = (
        _bumped(RICH)
        .replace("ceiling_yen: 1200000000", "ceiling_yen: 1380000000")
        .replace("均等割50%・人口割50%", "均等割30%・人口割70%")
        .replace("contact: 石川県 総務部 市町支援課", "contact: 石川県 総務部 市町支援課 DX推進G")
        .replace("{date: 2027-01-15, event: 公告}", "{date: 2027-01-22, event: 公告}")
        .replace(
            "    - {date: 2027-02-19",
            "    - {date: 2027-02-05, event: 質問受付期限}\n    - {date: 2027-02-19",
        )
    )
    document, markdown = _revision(make_project, tmp_path, {"specgen.yaml": config})
    rows = {r["id"]: r for r in _rows(document) if r["part"] == "document"}
    assert _text(rows["procurement.ceiling"], "new") == "1,380,000,000円"
    assert rows["procurement.ceiling"]["item"] == "上限額（税込）"
    assert rows["procurement.cost_sharing"]["item"] == "費用按分"
    assert rows["procurement.contact"]["item"] == "問合せ先"
    assert _text(rows["schedule.1"], "new") == "令和9年1月22日：公告"
    assert _text(rows["schedule.1"], "old") == "令和9年1月15日：公告"
    assert rows["schedule.2"]["kind"] == "added"  # the row inserted, the others kept
    assert _text(rows["schedule.2"], "new") == "令和9年2月5日：質問受付期限"
    assert "schedule.3" not in rows
    assert "変更はありません" not in markdown


def test_a_towns_profile_and_name_are_compared(make_project: MakeProject, tmp_path: Path) -> None:
    wajima = WAJIMA.replace("name: 輪島市,", "name: 輪島市役所,").replace(
        "  population: 22000\n",
        "  population: 18700\n  go_live: 2027-10-01\n  current_system: 県域クラウド\n",
    )
    old_wajima = WAJIMA.replace(
        "  population: 22000\n", "  population: 22000\n  current_system: 庁内設置の旧システム\n"
    )
    base = {"specgen.yaml": RICH, "requirements/10-main.yaml": RICH_CATALOG,
            "municipalities/172049-wajima.yaml": old_wajima}  # fmt: skip
    old = make_project(base, name="old")
    new = make_project(
        {**base, "specgen.yaml": _bumped(RICH), "municipalities/172049-wajima.yaml": wajima},
        name="new",
    )
    document = _diff(old, new, tmp_path / "out")
    markdown = (tmp_path / "out/revision.md").read_text("utf-8")
    rows = {r["id"]: r for r in _rows(document) if r["part"] == "172049"}
    assert _text(rows["municipality.name"], "new") == "輪島市役所"
    assert (rows["profile.population"]["item"], _text(rows["profile.population"], "new")) == (
        "人口", "18,700人",
    )  # fmt: skip
    go_live = rows["profile.go_live"]
    assert (go_live["item"], go_live["kind"], _text(go_live, "new")) == (
        "本稼働予定日", "added", "令和9年10月1日",
    )  # fmt: skip
    assert rows["profile.current_system"]["item"] == "移行元システム"
    assert (
        "個別仕様に変更のない団体" not in _summary(markdown)
        or "輪島市" not in _summary(markdown).split("個別仕様に変更のない団体")[1]
    )
    assert "| 団体別諸元 | 人口 |" in markdown


def test_only_a_ceiling_and_a_go_live_date_changed_is_not_nothing(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The reviewer's case: 上限額 and one town's 本稼働予定日, nothing else."""
    config = _bumped(RICH).replace("ceiling_yen: 1200000000", "ceiling_yen: 1250000000")
    wajima = WAJIMA.replace("  population: 22000\n", "  population: 22000\n  go_live: 2028-01-04\n")
    old_wajima = WAJIMA.replace(
        "  population: 22000\n", "  population: 22000\n  go_live: 2027-10-01\n"
    )
    base = {"specgen.yaml": RICH, "requirements/10-main.yaml": RICH_CATALOG,
            "municipalities/172049-wajima.yaml": old_wajima}  # fmt: skip
    old = make_project(base, name="old")
    new = make_project(
        {**base, "specgen.yaml": config, "municipalities/172049-wajima.yaml": wajima}, name="new"
    )
    _diff(old, new, tmp_path / "out")
    summary = _summary((tmp_path / "out/revision.md").read_text("utf-8"))
    assert "変更はありません" not in summary
    assert "- 輪島市：新設 0 件、削除 0 件、変更 1 件、移動 0 件" in summary
    assert "- 個別仕様に変更のない団体：志賀町" in summary


def test_the_history_is_compared(make_project: MakeProject, tmp_path: Path) -> None:
    config = _bumped(RICH).replace(
        "description: 初版}\n",
        'description: 初版}\n  - {version: "1.1", date: 2027-03-15, description: 調達概要の修正}\n',
    )
    document, _ = _revision(make_project, tmp_path, {"specgen.yaml": config})
    row = _row(document, "document", "history.1.1")
    assert (row["kind"], row["item"], row["label"]) == ("added", "第1.1版", "改定履歴")
    assert _text(row, "new") == "日付：令和9年3月15日\n改定内容：調達概要の修正"


def test_a_section_is_named_by_its_number_and_title_not_its_id(
    make_project: MakeProject, tmp_path: Path
) -> None:
    catalog = RICH_CATALOG.replace(
        "body: 本書は仕様を定める。", "body: 本書は共同調達の仕様を定める。"
    )
    document, markdown = _revision(make_project, tmp_path, {"requirements/10-main.yaml": catalog})
    row = _row(document, "baseline", "GEN")
    assert (row["label"], row["item"]) == ("第1章 総則", "節の本文")
    assert "| － | 第1章 総則 | 節の本文 |" in markdown and "GEN" not in markdown


def test_the_metric_registrys_labels_and_units_are_compared(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = _bumped(RICH).replace("{label: 稼働率, unit:", "{label: サービス稼働率, unit:")
    config = config.replace("{label: 応答時間, unit: 秒,", "{label: 応答時間, unit: 秒以内,")
    document, _ = _revision(make_project, tmp_path, {"specgen.yaml": config})
    label = _row(document, "document", "metrics.availability_pct.label")
    assert (label["label"], label["item"]) == ("数値要件（サービス稼働率）", "名称")
    assert _text(label, "old") == "稼働率"
    unit = _row(document, "document", "metrics.response_time_s.unit")
    assert (_text(unit, "new"), _text(unit, "old"), unit["item"]) == ("秒以内", "秒", "単位")


def test_the_evaluation_is_compared(make_project: MakeProject, tmp_path: Path) -> None:
    config = _bumped(RICH).replace("  points: 1\n", "  points: 2\n  partial: 0.4\n")
    config = config.replace('chapters: {"2": 10}', 'chapters: {"2": 20}')
    document, _ = _revision(make_project, tmp_path, {"specgen.yaml": config})
    rows = {r["id"]: r for r in _rows(document) if r["part"] == "document"}
    assert (rows["evaluation.points"]["item"], _text(rows["evaluation.points"], "new")) == (
        "配点（既定）", "2点",
    )  # fmt: skip
    assert _text(rows["evaluation.partial"], "new") == "0.4"
    assert rows["evaluation.chapters.2"]["item"] == "第2章の配点"
    assert _text(rows["evaluation.chapters.2"], "new") == "20点"


def test_a_changed_statement_prints_its_values_not_its_placeholders(
    make_project: MakeProject, tmp_path: Path
) -> None:
    catalog = RICH_CATALOG.replace(
        "statement: 稼働率は${availability_pct}以上であること。",
        "statement: 本システムの稼働率は${availability_pct}以上であること。",
    )
    document, markdown = _revision(make_project, tmp_path, {"requirements/10-main.yaml": catalog})
    row = _row(document, "baseline", "NFR-0020")
    assert _text(row, "new") == "（略）\n本システムの稼働率は99.8%以上であること。"
    assert _text(row, "old") == "（略）\n稼働率は99.8%以上であること。"
    assert "${" not in markdown and "availability" not in markdown


def test_a_requirements_printed_fields_each_have_their_row(
    make_project: MakeProject, tmp_path: Path
) -> None:
    catalog = RICH_CATALOG.replace(
        "        notes: 窓口で使用する。\n",
        "        notes: 窓口で使用する。\n        kind: form\n"
        "        legal_basis: [住民基本台帳法 第22条]\n"
        "        standard: {document: 住民記録システム標準仕様書, version: 第4.0版,"
        ' function_id: "0010001"}\n',
    )
    document, _ = _revision(make_project, tmp_path, {"requirements/10-main.yaml": catalog})
    items = {r["item"]: r for r in _rows(document) if r["id"] == "RES-0010"}
    assert set(items) == {"種別", "根拠法令", "標準仕様書"}
    assert _text(items["種別"], "new") == "帳票要件" and _text(items["種別"], "old") == "機能要件"
    assert items["根拠法令"]["old"] is None
    assert _text(items["標準仕様書"], "new") == "住民記録システム標準仕様書 第4.0版 機能ID 0010001"


def test_a_revision_of_every_family_matches_the_golden_file(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """One field of each family changed; SPECGEN_UPDATE_GOLDEN=1 rewrites the golden file."""
    config = (
        _bumped(RICH)
        .replace("department: 総務部 市町支援課", "department: 総務部 デジタル推進課")
        .replace("description: 初版}\n",
                 'description: 初版}\n  - {version: "1.1", date: 2027-03-15, description: 改定}\n')
        .replace("ceiling_yen: 1200000000", "ceiling_yen: 1380000000")
        .replace("{date: 2027-01-15, event: 公告}", "{date: 2027-01-22, event: 公告}")
        .replace("{label: 稼働率, unit:", "{label: サービス稼働率, unit:")
        .replace('chapters: {"2": 10}', 'chapters: {"2": 20}')
    )  # fmt: skip
    catalog = RICH_CATALOG.replace(
        "body: 本書は仕様を定める。", "body: 本書は共同調達の仕様を定める。"
    ).replace("稼働率は${availability_pct}以上", "本システムの稼働率は${availability_pct}以上")
    wajima = WAJIMA.replace("  population: 22000\n", "  population: 18700\n  go_live: 2027-10-01\n")
    _, markdown = _revision(
        make_project,
        tmp_path,
        {"specgen.yaml": config, "requirements/10-main.yaml": catalog,
         "municipalities/172049-wajima.yaml": wajima},
    )  # fmt: skip
    assert_golden("revision-families.md", markdown)


# ------------------------------------------------------------ a version that did not move


def test_a_changed_project_with_the_same_version_is_warned_at_its_version(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old = make_project(name="old")
    new = make_project(
        {"requirements/10-main.yaml": CATALOG.replace("仕様を定める", "共同調達の仕様を定める")},
        name="new",
    )
    line = PROJECT.splitlines().index('  version: "1.0"') + 1
    result = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert f"{new}:specgen.yaml:{line}:12: warning[W-VERSION-UNCHANGED]:" in result.output
    assert "project.version is still '1.0'" in result.output
    japanese = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "ja"), "--lang", "ja")
    assert "警告[W-VERSION-UNCHANGED]" in japanese.output and "のままです" in japanese.output
    strict = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "s"), "--strict")
    assert strict.exit_code == 1
    assert f"{new}:specgen.yaml:{line}:12: error[W-VERSION-UNCHANGED]:" in strict.output
    assert not (tmp_path / "s").exists()  # nothing written
    same = run_cli("diff", str(old), str(old), "--out", str(tmp_path / "same"), "--strict")
    assert same.exit_code == 0 and "W-VERSION-UNCHANGED" not in same.output  # no change


# ------------------------------------------------------------------------ formerly


PROMOTED = CATALOG.replace(
    "      - id: RES-0020\n",
    "      - id: RES-0015\n"
    "        formerly: WJM-0001\n"
    "        title: 仮設住宅入居者の管理\n"
    "        statement: 仮設住宅の入居者を管理できること。\n"
    "        level: mandatory\n"
    "        rationale: 被災団体に共通する事務であるため。\n"
    "      - id: RES-0020\n",
)
WAJIMA_WITHOUT_ADDITION = WAJIMA.split("  WJM-0001:\n")[0]


def _promoted(make_project: MakeProject, catalog: str = PROMOTED) -> tuple[Path, Path]:
    old = make_project(name="old")
    new = make_project(
        {"specgen.yaml": _bumped(PROJECT), "requirements/10-main.yaml": catalog,
         "municipalities/172049-wajima.yaml": WAJIMA_WITHOUT_ADDITION},
        name="new",
    )  # fmt: skip
    return old, new


def test_a_towns_addition_taken_into_the_common_part_is_one_move(
    make_project: MakeProject, tmp_path: Path
) -> None:
    old, new = _promoted(make_project)
    document = _diff(old, new, tmp_path / "out")
    rows = [r for r in _rows(document) if r["part"] != "document"]
    [row] = rows  # not a 削除 in 輪島市's part and a 新設 in the common part
    assert (row["part"], row["id"], row["kind"], row["formerly"]) == (
        "baseline", "RES-0015", "moved", "WJM-0001",
    )  # fmt: skip
    assert row["note"] == "輪島市の個別仕様の WJM-0001 から移動"
    assert row["section"] == "第2章 住民記録"
    assert "要件の考え方・理由：被災団体に共通する事務であるため。" in _text(row, "new")
    assert "理由：仮設住宅入居者への通知のため。" in _text(row, "old")
    assert document["moves"] == [
        {"id": "RES-0015", "formerly": "WJM-0001", "from": "172049", "to": "baseline"}
    ]
    assert document["summary"]["172049"]["moved"] == 1  # type: ignore[index]
    markdown = (tmp_path / "out/revision.md").read_text("utf-8")
    assert "| RES-0015<br>（旧 WJM-0001）<br>仮設住宅入居者の管理 |" in markdown
    assert "- 輪島市：新設 0 件、削除 0 件、変更 0 件、移動 1 件" in markdown
    assert "- WJM-0001 は共通仕様の RES-0015 に移動" in markdown


def test_explain_names_the_id_a_requirement_replaces(make_project: MakeProject) -> None:
    _, new = _promoted(make_project)
    line = PROMOTED.splitlines().index("        formerly: WJM-0001") + 1
    result = run_cli("explain", "RES-0015", str(new))
    assert result.exit_code == 0, result.output
    assert (
        f"  formerly: WJM-0001 (the ID it replaces; requirements/10-main.yaml:{line})"
        in result.output
    )
    retired = run_cli("explain", "WJM-0001", str(new))
    assert retired.exit_code == 0 and retired.output.startswith("WJM-0001: replaced by RES-0015")


def test_a_formerly_naming_what_the_project_still_has_is_located_error(
    make_project: MakeProject,
) -> None:
    root = make_project({"requirements/10-main.yaml": PROMOTED})  # 輪島市 still adds WJM-0001
    line = PROMOTED.splitlines().index("        formerly: WJM-0001") + 1
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert f"requirements/10-main.yaml:{line}:19: error[E-FORMERLY]:" in result.output
    assert "municipalities/172049-wajima.yaml:" in result.output  # where it still is
    itself = make_project(
        {"requirements/10-main.yaml": PROMOTED.replace("formerly: WJM-0001", "formerly: RES-0015"),
         "municipalities/172049-wajima.yaml": WAJIMA_WITHOUT_ADDITION},
        name="itself",
    )  # fmt: skip
    assert "error[E-FORMERLY]: 'RES-0015' names itself" in run_cli("validate", str(itself)).output
    twice = make_project(
        {"requirements/10-main.yaml": PROMOTED.replace(
            "        title: 転出証明書の交付\n",
            "        title: 転出証明書の交付\n        formerly: [WJM-0001, WJM-0002]\n"),
         "municipalities/172049-wajima.yaml": WAJIMA_WITHOUT_ADDITION},
        name="twice",
    )  # fmt: skip
    output = run_cli("validate", str(twice)).output
    assert "error[E-FORMERLY]: 'RES-0020' and 'RES-0015'" in output


def test_a_formerly_the_old_version_lacks_is_a_located_warning(
    make_project: MakeProject, tmp_path: Path
) -> None:
    catalog = PROMOTED.replace("formerly: WJM-0001", "formerly: WJM-0009")
    old, new = _promoted(make_project, catalog)
    line = catalog.splitlines().index("        formerly: WJM-0009") + 1
    result = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "out"), "--format",
                     "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        f"{new}:requirements/10-main.yaml:{line}:19: warning[W-FORMERLY-UNKNOWN]:" in result.output
    )
    document = json.loads((tmp_path / "out/revision.json").read_text("utf-8"))
    kinds = {(r["part"], r["id"]): r["kind"] for r in document["rows"]}
    assert kinds[("baseline", "RES-0015")] == "added"  # unpaired, as without formerly
    assert kinds[("172049", "WJM-0001")] == "deleted"
    strict = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "s"), "--strict")
    assert strict.exit_code == 1 and "error[W-FORMERLY-UNKNOWN]" in strict.output


def test_a_renamed_requirement_is_one_id_row(make_project: MakeProject, tmp_path: Path) -> None:
    old = make_project(name="old")
    catalog = CATALOG.replace(
        "          - id: RES-0110\n", "          - id: RES-0120\n            formerly: RES-0110\n"
    )
    new = make_project({"specgen.yaml": _bumped(PROJECT), "requirements/10-main.yaml": catalog},
                       name="new")  # fmt: skip
    document = _diff(old, new, tmp_path / "out")
    [row] = [r for r in _rows(document) if r["part"] == "baseline"]
    assert (row["id"], row["item"], row["kind"], row["formerly"]) == (
        "RES-0120", "要件ID", "changed", "RES-0110",
    )  # fmt: skip
    assert _text(row, "old") == "RES-0110" and row["note"] == "旧 RES-0110 から要件IDを変更"


def test_the_json_outputs_carry_formerly_only_where_written(
    make_project: MakeProject, tmp_path: Path
) -> None:
    _, new = _promoted(make_project)
    result = run_cli("build", str(new), "--out", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 0, result.output
    joint = json.loads((tmp_path / "out/joint/spec.json").read_text("utf-8"))
    by_id = {r["id"]: r for r in joint["requirements"]}
    assert by_id["RES-0015"]["formerly"] == ["WJM-0001"]
    assert "formerly" not in by_id["RES-0020"]  # earlier outputs stay as they were
