"""The documents: golden Markdown, hostile catalog text, templates, labels, and the Word files
of the bundled project read back with python-docx and converted by a real office suite."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from office import convert_to_pdf, missing_tools, pdf_text, squeeze
from support import CATALOG, PROJECT, REPO, MakeProject, assert_golden, run_cli

from specgen.render.documents import tidied

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(root: Path, out: Path, *formats: str) -> dict[str, bytes]:
    args = ["build", str(root), "--out", str(out)]
    for f in formats:
        args += ["--format", f]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "out"
    build(REPO, out, "markdown", "docx")
    return out


# ---------------------------------------------------------------- Markdown


@pytest.mark.parametrize(
    ("output", "golden"),
    [("joint/spec.md", "mini-joint.md"), ("municipalities/172049/spec.md", "mini-172049.md")],
)
def test_markdown_matches_the_golden_file(
    make_project: MakeProject, output: str, golden: str
) -> None:
    """Set SPECGEN_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change."""
    root = make_project()
    text = build(root, root / "out", "markdown")[output].decode("utf-8")
    assert_golden(golden, text)


HOSTILE = """\
特殊な文字を含む要件。| 区切り | を含む。
# 見出しに見える行
* 強調に見える *行*
1. 番号付きリストに見える行
<script>alert(1)</script>
{{ 7 * 7 }} と {% if true %}テンプレート{% endif %}
    字下げされた行
---
最後の行"""


def hostile_project(make_project: MakeProject) -> Path:
    statement = "\n".join("          " + line for line in HOSTILE.splitlines())
    catalog = CATALOG.replace(
        "        statement: 転出証明書を交付できること。\n",
        "        statement: |\n" + statement + "\n",
    ).replace("title: 転出証明書の交付", "title: '# 見出し | *強調* <b>'")
    return make_project({"requirements/10-main.yaml": catalog})


def test_hostile_statements_change_no_structure_and_are_never_evaluated(
    make_project: MakeProject,
) -> None:
    root = hostile_project(make_project)
    files = build(root, root / "out", "markdown", "docx")
    markdown = files["joint/spec.md"].decode("utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    kinds = {t.type for t in tokens}
    assert "html_inline" not in {c.type for t in tokens for c in (t.children or [])}
    headings = [
        "".join(c.content for c in tokens[i + 1].children or [])
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    assert "見出しに見える行" not in " ".join(headings)
    assert "RES-0020　# 見出し | *強調* <b>" in headings
    assert "hr" not in kinds and "code_block" not in kinds
    at = next(i for i, t in enumerate(tokens) if t.content.startswith("特殊な文字"))
    block = tokens[at]
    assert block.type == "inline"
    text = "".join(c.content for c in block.children or [] if c.type == "text")
    for line in ("| 区切り |", "# 見出しに見える行", "* 強調に見える *行*", "1. 番号付きリスト",
                 "<script>alert(1)</script>", "{{ 7 * 7 }}", "{% if true %}", "字下げされた行",
                 "---", "最後の行"):  # fmt: skip
        assert line in text, line
    assert [c.type for c in block.children or []].count("hardbreak") == 8
    assert "49 と" not in markdown and "テンプレート\n" not in markdown

    document = docx.Document(io.BytesIO(files["joint/spec.docx"]))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("特殊な文字"))
    assert "<script>alert(1)</script>" in paragraph.text
    assert "{{ 7 * 7 }}" in paragraph.text
    assert paragraph._p.xml.count("<w:br/>") == 8
    titles = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "見出しに見える行" not in titles


def test_a_template_error_names_the_template_and_line(make_project: MakeProject) -> None:
    root = make_project(
        {"templates/municipality.md.j2": "# {{ doc.title }}\n\n{{ doc.no_such_field }}\n"}
    )
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 1
    assert (
        "templates/municipality.md.j2:3:1: error[E-TEMPLATE]: template municipality.md.j2 "
        "failed: 'specgen.render.views.DocumentView object' has no attribute 'no_such_field'"
    ) in result.stderr
    assert not (root / "output").exists()


def test_a_template_syntax_error_is_located(make_project: MakeProject) -> None:
    root = make_project({"templates/joint.md.j2": "# ok\n\n{% for x in %}\n"})
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 1
    assert "templates/joint.md.j2:3:1: error[E-TEMPLATE]:" in result.stderr


def test_a_project_template_overrides_the_bundled_one_by_name(make_project: MakeProject) -> None:
    root = make_project({"templates/municipality.md.j2": "# {{ doc.subtitle }}\n"})
    files = build(root, root / "out", "markdown")
    assert files["municipalities/172049/spec.md"] == "# 輪島市（172049）団体別仕様書\n".encode()
    assert files["joint/spec.md"].decode().startswith("<!-- specgen:style Title -->")


def test_project_templates_run_in_the_sandbox(make_project: MakeProject) -> None:
    root = make_project(
        {"templates/municipality.md.j2": "{{ doc.__class__.__init__.__globals__ }}\n"}
    )
    result = run_cli("build", str(root), "--format", "markdown")
    assert result.exit_code == 1
    assert "error[E-TEMPLATE]" in result.stderr


def test_english_labels_with_language_en(make_project: MakeProject) -> None:
    root = make_project(
        {"specgen.yaml": PROJECT.replace("date: 2026-11-26", "date: 2026-11-26\n  language: en")}
    )
    markdown = build(root, root / "out", "markdown")["joint/spec.md"].decode()
    assert "**Level: Mandatory**" in markdown
    assert "# Chapter 2\u3000住民記録" in markdown
    assert "Applicability matrix" in markdown
    assert "区分" not in markdown


# ---------------------------------------------------------------- the bundled project in Word


def heading_texts(document: docx.document.Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_bundled_joint_docx_structure(bundled: Path) -> None:
    document = docx.Document(str(bundled / "joint/spec.docx"))
    chapters = heading_texts(document, 1)
    assert chapters[:7] == [
        "調達概要",
        "総則",
        "住民記録",
        "税務",
        "被災者支援",
        "標準仕様書に定めのない機能",
        "非機能要件",
    ]
    assert chapters[7:] == [
        "団体別に追加する標準仕様外の機能",
        "別紙1　輪島市（172049）個別仕様",
        "別紙2　津幡町（173614）個別仕様",
        "別紙3　志賀町（173843）個別仕様",
        "別紙4　宝達志水町（173860）個別仕様",
        "別紙5　適用表",
    ]
    assert "目的・背景" in heading_texts(document, 2)
    requirement_titles = heading_texts(document, 4)
    assert "RES-0010　日本人住民データの管理" in requirement_titles
    assert "HDS-0001　郵便による交付請求の受付管理" in requirement_titles
    matrices = document.tables[-5:]  # one per chapter with requirements
    assert [t.rows[0].cells[3].text for t in matrices] == ["輪島市"] * 5
    assert [t.rows[0].cells[2].text for t in matrices] == ["実装"] * 5
    # every baseline requirement and each town's additions, under one header row per chapter
    assert sum(len(t.rows) - 1 for t in matrices) == 166 + 4
    for table in matrices:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    num_ids = {
        p.text: p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        for p in document.paragraphs
        if p.style.name == "Heading 1"
    }
    assert num_ids["住民記録"] != "0"  # 第2章 comes from Word's multilevel numbering
    assert num_ids["別紙5　適用表"] == "0"  # annexes are not numbered chapters
    assert num_ids["団体別に追加する標準仕様外の機能"] == "0"
    assert num_ids["調達概要"] == "0"


def test_bundled_effective_docx_marks_changes(bundled: Path) -> None:
    document = docx.Document(str(bundled / "municipalities/173860/spec.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "HDS-0001　郵便による交付請求の受付管理" in heading_texts(document, 4)
    assert "RES-0520　本人通知の登録管理" not in heading_texts(document, 4)
    assert "【追加・標準仕様外】" in text and "【変更】" in text
    # one shared system: its 2 s (津幡町's need) governs; the town's 5 s is its own need only
    assert "通常時の画面応答時間は2秒以内であること。" in text
    assert "共通仕様の水準：応答時間 2秒（モデル値 3秒、津幡町の要求による）" in text
    assert "本団体の要求水準（参考）：応答時間 5秒" in text
    assert "通常時の画面応答時間は5秒以内" not in text


def test_two_builds_of_every_format_are_byte_identical(make_project: MakeProject) -> None:
    root = make_project()
    first = build(root, root.parent / "a")
    second = build(root, root.parent / "b")
    assert first == second
    assert {"joint/spec.md", "joint/spec.docx", "joint/spec.json"} <= set(first)
    with zipfile.ZipFile(io.BytesIO(first["joint/spec.docx"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.skipif(missing_tools() is not None, reason=missing_tools() or "")
def test_libreoffice_converts_the_bundled_joint_spec(bundled: Path, tmp_path: Path) -> None:
    pdf = convert_to_pdf(bundled / "joint/spec.docx", tmp_path)
    text = squeeze(pdf_text(pdf))
    for title in ("日本人住民データの管理", "罹災証明書", "被災者台帳", "郵便による交付請求の受付管理",
                  "適用表", "能登半島地震被災市町"):  # fmt: skip
        assert squeeze(title) in text, title
    for name in ("輪島市", "津幡町", "志賀町", "宝達志水町", "石川県"):
        assert name in text, name


def test_a_municipalitys_spec_keeps_the_joint_specs_section_numbers(bundled: Path) -> None:
    """宝達志水町 excludes 2.5 本人通知制度: its 連携 stays 2.6, as in the joint spec."""
    own = (bundled / "municipalities/173860/spec.md").read_text(encoding="utf-8")
    joint = (bundled / "joint/spec.md").read_text(encoding="utf-8")
    assert "\n## 2.6　連携\n" in own and "\n## 2.6　連携\n" in joint
    assert "## 2.5　" not in own
    document = docx.Document(str(bundled / "municipalities/173860/spec.docx"))
    shown = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "2.6　連携" in shown  # kept as written: Word's list numbering would say 2.5


# -- tidying a stream -------------------------------------------------------------------------


def tidy_whole(text: str) -> str:
    """The tidying rule stated on a whole text: the oracle for the streaming `tidied`."""
    text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(["\n", " ", "a", "　", "\t", "\r", "#"]), max_size=80),
    st.lists(st.integers(0, 80), max_size=8),
    st.integers(1, 12),
)
@example("\n\n  a \n\n\n\n b\n \n", [1, 5, 9], 1)
@example("a" * 30, [], 4)
def test_tidying_a_stream_gives_the_tidied_whole(text: str, cuts: list[int], size: int) -> None:
    bounds = [0, *sorted(cuts), len(text)]
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    assert "".join(tidied(pieces, size=size)) == tidy_whole(text)


def test_no_profile_key_is_printed_raw_and_dates_are_wareki(bundled: Path) -> None:
    """Every key of every town's profile has a label (specgen's or the project's `profile:`),
    and ISO dates appear nowhere in the Japanese documents (they print 和暦)."""
    keys = {
        key
        for path in sorted((REPO / "municipalities").glob("*.yaml"))
        for key in (yaml.safe_load(path.read_text("utf-8")).get("profile") or {})
    }
    assert {"annual_moves", "nuclear_emergency_zone", "go_live"} <= keys
    for document in sorted(bundled.rglob("spec.md")):
        text = document.read_text("utf-8").replace("\\_", "_")
        assert [key for key in keys if key in text] == [], document
        assert re.search(r"\b20\d\d-\d\d-\d\d\b", text) is None, document
    assert "| 本稼働予定日 | 令和10年4月1日 |" in (bundled / "joint/spec.md").read_text("utf-8")
