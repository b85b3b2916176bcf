"""One broken fixture per diagnostic code, asserting the exact line a user sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import CATALOG, PROJECT, SHIKA, WAJIMA, MakeProject, run_cli

from specgen.joint import build_joint, rebuild_effective
from specgen.messages import CODES
from specgen.validate import validate_project


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (code, files to replace, the exact first line of the diagnostic)
CASES: list[tuple[str, dict[str, str | None], str]] = [
    (
        "E-YAML",
        {"requirements/10-main.yaml": edit(CATALOG, "title: 総則", "title: 総則: 概要")},
        "requirements/10-main.yaml:4:14: error[E-YAML]: mapping values are not allowed in this context",
    ),
    (
        "E-DUPLICATE-KEY",
        {
            "requirements/10-main.yaml": edit(
                CATALOG, "level: optional", "level: optional\n        level: mandatory"
            )
        },
        "requirements/10-main.yaml:20:9: error[E-DUPLICATE-KEY]: the key 'level' is repeated; "
        "it was first given at requirements/10-main.yaml:19",
    ),
    (
        "E-SCHEMA",
        {"requirements/10-main.yaml": edit(CATALOG, "notes: 窓口", "note: 窓口")},
        "requirements/10-main.yaml:15:9: error[E-SCHEMA]: unknown field 'note' in requirement "
        "'RES-0010'",
    ),
    (
        "E-TYPE-QUOTE",
        {"specgen.yaml": edit(PROJECT, 'version: "1.0"', "version: 1.10")},
        "specgen.yaml:6:12: error[E-TYPE-QUOTE]: 'version' must be text, but YAML read 1.10 as "
        "a number (1.1)",
    ),
    (
        "E-IO",
        {"specgen.yaml": PROJECT + "catalog: [requirements/, extra.yaml]\n"},
        "specgen.yaml:12:26: error[E-IO]: 'extra.yaml' does not exist",
    ),
    (
        "E-LIMIT",
        {"requirements/10-main.yaml": edit(CATALOG, "転出証明書を交付", "転出証明書を\x07交付")},
        "requirements/10-main.yaml:18:26: error[E-LIMIT]: control character U+0007 in the text",
    ),
    (
        "E-DUPLICATE-ID",
        {"requirements/10-main.yaml": edit(CATALOG, "id: RES-0110", "id: RES-0010")},
        "requirements/10-main.yaml:24:13: error[E-DUPLICATE-ID]: the ID 'RES-0010' is already "
        "used by a requirement at requirements/10-main.yaml:9",
    ),
    (
        "E-UNKNOWN-TARGET",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "RES-0020:", "RES-0021:")},
        "municipalities/173843-shika.yaml:4:3: error[E-UNKNOWN-TARGET]: exclude names "
        "'RES-0021', which is not a requirement or section of the baseline",
    ),
    (
        "E-ADD-EXISTS",
        {"municipalities/172049-wajima.yaml": edit(WAJIMA, "WJM-0001:", "RES-0110:")},
        "municipalities/172049-wajima.yaml:15:3: error[E-ADD-EXISTS]: add of 'RES-0110', which "
        "the baseline already has (at requirements/10-main.yaml:24)",
    ),
    (
        "E-ADD-CONFLICT",
        {
            "municipalities/173843-shika.yaml": SHIKA
            + "  WJM-0001:\n    op: add\n    section: RES\n    reason: 同じく必要。\n"
            "    requirement: {title: 別の要件, statement: 別。, level: optional}\n"
        },
        "municipalities/173843-shika.yaml:8:3: error[E-ADD-CONFLICT]: 志賀町 adds 'WJM-0001' "
        "with content different from 輪島市's (at municipalities/172049-wajima.yaml:15)",
    ),
    (
        "E-UNKNOWN-SECTION",
        {"municipalities/172049-wajima.yaml": edit(WAJIMA, "section: RES\n", "section: RESS\n")},
        "municipalities/172049-wajima.yaml:17:14: error[E-UNKNOWN-SECTION]: add of 'WJM-0001' "
        "names section 'RESS', which the baseline does not have",
    ),
    (
        "E-NO-REASON",
        {
            "municipalities/173843-shika.yaml": edit(
                SHIKA, "    reason: 当町では該当事務がないため。\n", ""
            )
        },
        "municipalities/173843-shika.yaml:4:3: error[E-NO-REASON]: change 'RES-0020' has no "
        "'reason'",
    ),
    (
        "E-NO-REASON",
        {
            "municipalities/173843-shika.yaml": edit(
                SHIKA, "reason: 当町では該当事務がないため。", 'reason: "  "'
            )
        },
        "municipalities/173843-shika.yaml:6:13: error[E-NO-REASON]: change 'RES-0020' has an "
        "empty 'reason'",
    ),
    (
        "E-SET-UNSET",
        {
            "municipalities/172049-wajima.yaml": edit(
                WAJIMA, "set: {level: mandatory}", "set: {level: mandatory}\n    unset: [level]"
            )
        },
        "municipalities/172049-wajima.yaml:9:13: error[E-SET-UNSET]: 'level' is required and "
        "cannot be unset (change 'RES-0020')",
    ),
    (
        "E-STALE-EXPECT",
        {
            "municipalities/172049-wajima.yaml": edit(
                WAJIMA, "response_time_s: 3}", "response_time_s: 5}"
            )
        },
        "municipalities/172049-wajima.yaml:13:41: error[E-STALE-EXPECT]: change 'NFR-0010' "
        "expects metrics.response_time_s = 5, but the baseline has 3",
    ),
    (
        "E-UNKNOWN-METRIC",
        {
            "requirements/10-main.yaml": edit(
                CATALOG, "${response_time_s}以内", "${response_time}以内"
            )
        },
        "requirements/10-main.yaml:33:20: error[E-UNKNOWN-METRIC]: requirement 'NFR-0010': "
        "placeholder ${response_time} names no metric of the registry",
    ),
    (
        "E-MUNICIPALITY-CODE",
        {"municipalities/173843-shika.yaml": edit(SHIKA, '"173843"', '"173844"')},
        "municipalities/173843-shika.yaml:2:22: error[E-MUNICIPALITY-CODE]: the local "
        "government code 173844 fails its check digit (the sixth digit should be 3)",
    ),
    (
        "E-CHANGE-CONFLICT",
        {
            "municipalities/172049-wajima.yaml": WAJIMA
            + "  RES:\n    op: exclude\n    reason: 別システムで行う。\n"
        },
        "municipalities/172049-wajima.yaml:6:3: error[E-CHANGE-CONFLICT]: modify of "
        "'RES-0020' is inside section 'RES', which this municipality excludes",
    ),
    (
        "W-NOOP",
        {"municipalities/172049-wajima.yaml": edit(WAJIMA, "terminals: 45", "terminals: 10")},
        "municipalities/172049-wajima.yaml:10:3: warning[W-NOOP]: change 'NFR-0010' sets "
        "metrics.terminals to the value it already has",
    ),
    (
        "W-RELAX",
        {
            "municipalities/172049-wajima.yaml": edit(
                WAJIMA, "response_time_s: 2,", "response_time_s: 5,"
            )
        },
        "municipalities/172049-wajima.yaml:10:3: warning[W-RELAX]: change 'NFR-0010' relaxes "
        "the baseline: metrics.response_time_s",
    ),
    (
        "W-EXCLUDE-MANDATORY",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "RES-0020:", "RES-0110:")},
        "municipalities/173843-shika.yaml:4:3: warning[W-EXCLUDE-MANDATORY]: 'RES-0110' "
        "(住民票の写しの交付) is mandatory in the baseline and is excluded",
    ),
    (
        "W-TEXT-CHANGED",
        {
            "municipalities/172049-wajima.yaml": edit(
                WAJIMA,
                "set: {level: mandatory}",
                "set: {level: mandatory, title: 転出証明書の交付（郵送）}",
            )
        },
        "municipalities/172049-wajima.yaml:8:36: warning[W-TEXT-CHANGED]: change 'RES-0020' "
        "replaces the baseline's title",
    ),
    (
        "W-SAME-ADD",
        {
            "municipalities/173843-shika.yaml": SHIKA
            + "  WJM-0001:\n    op: add\n    section: RES\n    after: RES-0010\n"
            "    reason: 同じく必要。\n    requirement: {title: 仮設住宅入居者の管理, "
            "statement: 仮設住宅の入居者を管理できること。, level: mandatory}\n"
        },
        "municipalities/173843-shika.yaml:8:3: warning[W-SAME-ADD]: 志賀町 adds 'WJM-0001' "
        "exactly as 輪島市 does (at municipalities/172049-wajima.yaml:15)",
    ),
    (
        "W-ADD-PREFIX",
        {"municipalities/172049-wajima.yaml": edit(WAJIMA, "WJM-0001:", "LOCAL-0001:")},
        "municipalities/172049-wajima.yaml:15:3: warning[W-ADD-PREFIX]: added ID 'LOCAL-0001' "
        "does not start with this municipality's prefix 'WJM-'",
    ),
    (
        "W-TIGHTEN-COMMON",
        {},
        "municipalities/172049-wajima.yaml:12:38: warning[W-TIGHTEN-COMMON]: change 'NFR-0010' "
        "of 輪島市 sets metrics.response_time_s of the shared system for every participant: 3 → 2",
    ),
    (
        "W-LEVEL-SHARED",
        {
            "municipalities/173843-shika.yaml": SHIKA
            + "  RES-0110:\n    op: modify\n    set: {level: optional}\n    reason: 少ないため。\n"
        },
        "municipalities/173843-shika.yaml:10:18: warning[W-LEVEL-SHARED]: change 'RES-0110' of "
        "志賀町 sets level optional, but the shared system implements it as mandatory for 輪島市",
    ),
    (
        "E-LEVEL-CONFLICT",
        {
            "municipalities/173843-shika.yaml": SHIKA
            + "  RES-0110:\n    op: modify\n    set: {level: prohibited}\n    reason: 禁止。\n"
        },
        "municipalities/173843-shika.yaml:10:18: error[E-LEVEL-CONFLICT]: change 'RES-0110' of "
        "志賀町 sets level prohibited, which the other participants using it (輪島市) do not "
        "share: one shared system cannot both implement it and not",
    ),
    (
        "W-NONSTANDARD",
        {
            "requirements/10-main.yaml": edit(
                CATALOG,
                "        notes: 窓口で使用する。",
                "        notes: 窓口で使用する。\n"
                '        standard: {document: 住民記録システム標準仕様書, function_id: "0010001"}',
            )
        },
        "municipalities/172049-wajima.yaml:17:14: warning[W-NONSTANDARD]: 'WJM-0001' of 輪島市 "
        "cites no 機能ID (standard.function_id) but joins 住民記録, a chapter of the national "
        "standard's functions",
    ),
    (
        "W-PROFILE-KEY",
        {
            "municipalities/172049-wajima.yaml": edit(
                WAJIMA, "population: 22000", "populaton: 22000"
            )
        },
        "municipalities/172049-wajima.yaml:4:3: warning[W-PROFILE-KEY]: profile key 'populaton' "
        "has no label: the documents would print it as written",
    ),
    (
        "W-MUNICIPALITY-NAME",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "name: 志賀町", "name: 志賀村")},
        "municipalities/173843-shika.yaml:2:22: warning[W-MUNICIPALITY-NAME]: the name '志賀村' "
        "differs from the official name of 173843, '志賀町'",
    ),
    (
        "E-FORMERLY",
        {
            "requirements/10-main.yaml": edit(
                CATALOG,
                "          - id: RES-0110\n",
                "          - id: RES-0110\n            formerly: RES-0020\n",
            )
        },
        "requirements/10-main.yaml:25:23: error[E-FORMERLY]: 'RES-0110' says it replaces "
        "'RES-0020' (formerly), but the project still has 'RES-0020' (at "
        "requirements/10-main.yaml:16)",
    ),
]


def test_the_base_fixture_is_valid(make_project: MakeProject) -> None:
    """Valid, with the one warning its design asks for: 輪島市's 2 s becomes what the shared
    system meets for 志賀町 too."""
    result = run_cli("validate", str(make_project()), "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(d["code"], d["line"]) for d in json.loads(result.stdout)] == [("W-TIGHTEN-COMMON", 12)]


@pytest.mark.parametrize(
    ("code", "files", "line"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_code_reports_its_exact_line(
    make_project: MakeProject, code: str, files: dict[str, str | None], line: str
) -> None:
    root = make_project(files)
    result = run_cli("validate", str(root))
    lines = result.stderr.splitlines()
    assert line in lines, "\n".join(lines)
    is_warning = code.startswith("W-")
    assert result.exit_code == (0 if is_warning else 1)
    assert "Traceback" not in result.output


def test_every_code_of_the_registry_has_a_case() -> None:
    """E-TEMPLATE needs a template, not a project file: tests/test_template_limits.py has it;
    E-TOOL a machine without LibreOffice: tests/test_pdf.py has it; the codes of a returned
    response form need a workbook: tests/test_score.py has them; those `specgen diff` finds
    need two versions: tests/test_revision.py has them."""
    forms = {
        code
        for code in CODES
        if code.split("-")[1] == "FORM"  # not E-FORMERLY
    }
    diff = {"W-VERSION-UNCHANGED", "W-FORMERLY-UNKNOWN"}
    assert {case[0] for case in CASES} == set(CODES) - {"E-TEMPLATE", "E-TOOL", *forms, *diff}


def test_strict_makes_a_warning_an_error_and_keeps_its_code(make_project: MakeProject) -> None:
    root = make_project(
        {"municipalities/173843-shika.yaml": edit(SHIKA, "name: 志賀町", "name: 志賀村")}
    )
    result = run_cli("validate", str(root), "--strict")
    assert result.exit_code == 1
    assert "error[W-MUNICIPALITY-NAME]" in result.stderr


def test_hint_follows_its_diagnostic(make_project: MakeProject) -> None:
    root = make_project({"specgen.yaml": edit(PROJECT, 'version: "1.0"', "version: 1.10")})
    lines = run_cli("validate", str(root)).stderr.splitlines()
    at = next(i for i, text in enumerate(lines) if "E-TYPE-QUOTE" in text)
    assert lines[at + 1] == '  hint: quote it: version: "1.10"'


def test_json_format_lists_every_field(make_project: MakeProject) -> None:
    root = make_project({"municipalities/173843-shika.yaml": edit(SHIKA, "RES-0020:", "RES-0021:")})
    result = run_cli("validate", str(root), "--format", "json")
    assert result.exit_code == 1
    items = [d for d in json.loads(result.stdout) if d["code"] != "W-TIGHTEN-COMMON"]
    assert items == [
        {
            "severity": "error",
            "code": "E-UNKNOWN-TARGET",
            "message": "exclude names 'RES-0021', which is not a requirement or section of the "
            "baseline",
            "file": "municipalities/173843-shika.yaml",
            "line": 4,
            "column": 3,
            "hint": "did you mean 'RES-0020'?",
        }
    ]


def test_all_problems_in_all_files_are_reported_sorted(make_project: MakeProject) -> None:
    root = make_project(
        {
            "specgen.yaml": edit(PROJECT, 'version: "1.0"', "version: 1.10"),
            "requirements/10-main.yaml": edit(CATALOG, "notes: 窓口", "note: 窓口"),
            "municipalities/173843-shika.yaml": edit(SHIKA, "RES-0020:", "RES-0021:"),
        }
    )
    items = json.loads(run_cli("validate", str(root), "--format", "json").stdout)
    assert [(d["file"], d["code"]) for d in items] == [
        ("municipalities/172049-wajima.yaml", "W-TIGHTEN-COMMON"),  # RES-0020: 志賀町 uses it
        ("municipalities/172049-wajima.yaml", "W-TIGHTEN-COMMON"),  # NFR-0010
        ("municipalities/173843-shika.yaml", "E-UNKNOWN-TARGET"),
        ("requirements/10-main.yaml", "E-SCHEMA"),
        ("specgen.yaml", "E-TYPE-QUOTE"),
    ]


def test_a_directory_without_project_file_is_an_io_error(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"specgen.yaml: error[E-IO]: no specgen.yaml in {tmp_path}" in result.stderr


def test_usage_error_exits_2(make_project: MakeProject) -> None:
    result = run_cli("validate", str(make_project()), "--format", "xml")
    assert result.exit_code == 2


def test_excluding_inside_an_excluded_section_is_a_noop_warning(make_project: MakeProject) -> None:
    root = make_project(
        {
            "municipalities/173843-shika.yaml": SHIKA
            + "  RES:\n    op: exclude\n    reason: 別システムで行う。\n"
        }
    )
    result = run_cli("validate", str(root))
    assert (
        "municipalities/173843-shika.yaml:4:3: warning[W-NOOP]: exclude of 'RES-0020' is already "
        "covered by the exclusion of section 'RES'"
    ) in result.stderr.splitlines()
    assert result.exit_code == 0


def test_text_diagnostics_show_terminal_controls_escaped(make_project: MakeProject) -> None:
    """An ID or a file name holding ESC [2J or U+202E must not act on the reader's terminal."""
    wajima = WAJIMA.replace("RES-0020:\n    op: modify", "RES-0020\u202e:\n    op: modify")
    root = make_project({"municipalities/172049-wajima.yaml": wajima})
    (root / "municipalities/\x1b[2Jevil.yaml").write_text("specgen: 1\nmunicipality: 5\n", "utf-8")
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "municipalities/\\u001b[2Jevil.yaml:2:15: error[E-SCHEMA]" in result.stderr
    assert "'RES-0020\\u202e'" in result.stderr
    json_result = run_cli("validate", str(root), "--format", "json")
    files = {d["file"] for d in json.loads(json_result.stdout)}
    assert "municipalities/\x1b[2Jevil.yaml" in files  # JSON carries the text as it is


def test_an_empty_municipality_code_is_an_error(make_project: MakeProject) -> None:
    """It validated, and its documents went to municipalities//spec.*."""
    root = make_project(
        {"municipalities/173843-shika.yaml": edit(SHIKA, 'code: "173843"', 'code: ""')}
    )
    result = run_cli("validate", str(root))
    assert result.exit_code == 1
    assert "error[E-SCHEMA]: 'code' in municipality must not be empty" in result.stderr


NO_REASON = {
    "municipalities/173843-shika.yaml": edit(
        SHIKA, "    reason: 当町では該当事務がないため。\n", ""
    )
}


def test_lang_ja_words_the_diagnostics_in_japanese(make_project: MakeProject) -> None:
    """The clerk's language: the same code, file, line and column, worded in Japanese."""
    root = make_project(NO_REASON)
    result = run_cli("validate", str(root), "--lang", "ja")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    at = lines.index(
        "municipalities/173843-shika.yaml:4:3: エラー[E-NO-REASON]: 変更「RES-0020」に理由（reason）"
        "がありません"
    )
    assert lines[at + 1].startswith("  ヒント: 変更にはすべて理由が必要です")
    assert lines[-1].endswith("誤りがあります（要件 4 件、団体 2 団体。エラー 1 件、警告 1 件）")
    items = json.loads(run_cli("validate", str(root), "--lang", "ja", "--format", "json").stdout)
    english = json.loads(run_cli("validate", str(root), "--lang", "en", "--format", "json").stdout)
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in items] == [
        (d["code"], d["file"], d["line"], d["column"]) for d in english
    ]
    assert items[-1]["message"] == "変更「RES-0020」に理由（reason）がありません"


def test_the_project_language_chooses_and_the_environment_overrides(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPECGEN_LANG")
    japanese = make_project(NO_REASON, name="ja")  # language defaults to ja
    assert "エラー[E-NO-REASON]" in run_cli("validate", str(japanese)).stderr
    english = make_project(
        {**NO_REASON, "specgen.yaml": PROJECT.replace("  date:", "  language: en\n  date:")},
        name="en",
    )
    assert "error[E-NO-REASON]" in run_cli("validate", str(english)).stderr
    monkeypatch.setenv("SPECGEN_LANG", "ja")
    assert "エラー[E-NO-REASON]" in run_cli("validate", str(english)).stderr
    assert "error[E-NO-REASON]" in run_cli("validate", str(english), "--lang", "en").stderr
    build = run_cli("build", str(japanese))
    assert build.exit_code == 1
    assert (
        build.stderr.splitlines()[-1] == "specgen: エラー 1 件、警告 1 件。何も書き込んでいません"
    )


# The slips of a Japanese keyboard (issue 13): each at the line and column where it was typed,
# with a hint in Japanese that says what to type instead.
SLIPS = [
    (
        "tab",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "    op: exclude", "\top: exclude")},
        "municipalities/173843-shika.yaml:5:1: エラー[E-YAML]: 行の字下げにタブが使われています",
        "  ヒント: 字下げには半角スペース（1段につき2文字）を使ってください。YAML ではタブを使えません",
    ),
    (
        "full-width colon",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "  RES-0020:", "  RES-0020：")},
        "municipalities/173843-shika.yaml:4:11: エラー[E-YAML]: 「RES-0020」の後のコロンが全角（：）"
        "です。YAML は全角のコロンを「:」として読みません",
        "  ヒント: 半角のコロンと半角スペースを書いてください：RES-0020: ",
    ),
    (
        "full-width indentation",
        {
            "municipalities/173843-shika.yaml": edit(
                SHIKA, "    op: exclude", "\u3000\u3000op: exclude"
            )
        },
        "municipalities/173843-shika.yaml:5:1: エラー[E-YAML]: 行の字下げに全角スペースが使われています",
        "  ヒント: 字下げには半角スペースを使ってください。YAML では全角スペースは字下げになりません",
    ),
    (
        "full-width ID",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "  RES-0020:", "  ＲＥＳ－００２０:")},
        "municipalities/173843-shika.yaml:4:3: エラー[E-SCHEMA]: ファイルの「changes」は ID でなければ"
        "なりません（「ＲＥＳ－００２０」が書かれています）",
        "  ヒント: ID は半角で、前後に空白を付けずに書いてください：RES-0020",
    ),
    (
        "full-width space after an ID",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "  RES-0020:", "  RES-0020\u3000:")},
        "municipalities/173843-shika.yaml:4:3: エラー[E-SCHEMA]: ファイルの「changes」は ID でなければ"
        "なりません（「RES-0020（全角スペース）」が書かれています）",
        "  ヒント: ID は半角で、前後に空白を付けずに書いてください：RES-0020",
    ),
    (
        "trailing full-width space",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "op: exclude", "op: exclude\u3000")},
        "municipalities/173843-shika.yaml:5:9: エラー[E-SCHEMA]: 変更「RES-0020」の「op」は modify, "
        "exclude, add のいずれかでなければなりません（「exclude（全角スペース）」が書かれています）",
        "  ヒント: 前後の空白を削除して exclude と書いてください",
    ),
    (
        "Japanese level",
        {"requirements/10-main.yaml": edit(CATALOG, "level: optional", "level: 任意")},
        "requirements/10-main.yaml:19:16: エラー[E-SCHEMA]: 要件「RES-0020」の「level」は mandatory, "
        "optional, prohibited のいずれかでなければなりません（「任意」が書かれています）",
        "  ヒント: 「任意」は optional と書いてください（ファイルには英語の値を書きます）",
    ),
    (
        "Japanese op",
        {"municipalities/173843-shika.yaml": edit(SHIKA, "op: exclude", "op: 除外")},
        "municipalities/173843-shika.yaml:5:9: エラー[E-SCHEMA]: 変更「RES-0020」の「op」は modify, "
        "exclude, add のいずれかでなければなりません（「除外」が書かれています）",
        "  ヒント: 「除外」は exclude と書いてください（ファイルには英語の値を書きます）",
    ),
    (
        "full-width digit",
        {
            "municipalities/172049-wajima.yaml": edit(
                WAJIMA, "response_time_s: 2,", "response_time_s: ２,"
            )
        },
        "municipalities/172049-wajima.yaml:12:38: エラー[E-SCHEMA]: 変更「NFR-0010」（set.metrics）の"
        "「response_time_s」は数値でなければなりません（文字列が書かれています）",
        "  ヒント: 数値は半角の数字で 2 と書いてください",
    ),
    (
        "unit after the number",
        {
            "municipalities/172049-wajima.yaml": edit(
                WAJIMA, "response_time_s: 2,", "response_time_s: 2秒,"
            )
        },
        "municipalities/172049-wajima.yaml:12:38: エラー[E-SCHEMA]: 変更「NFR-0010」（set.metrics）の"
        "「response_time_s」は数値でなければなりません（文字列が書かれています）",
        "  ヒント: 単位を付けずに 2 と書いてください（単位「秒」は specgen.yaml の数値要件に登録されています）",
    ),
]


@pytest.mark.parametrize(("slip", "files", "line", "hint"), SLIPS, ids=[s[0] for s in SLIPS])
def test_the_slips_of_a_japanese_keyboard_are_told_where_and_how_to_fix(
    make_project: MakeProject, slip: str, files: dict[str, str | None], line: str, hint: str
) -> None:
    result = run_cli("validate", str(make_project(files)), "--lang", "ja")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert line in lines, "\n".join(lines)
    assert lines[lines.index(line) + 1] == hint


def test_another_towns_code_is_the_mistake_not_the_name(make_project: MakeProject) -> None:
    """札幌市's valid code in 志賀町's file: the file's name and the issuing prefecture both say
    the code is wrong, so the name check (which would say 'write name: 札幌市') stays quiet."""
    wrong = edit(SHIKA, 'code: "173843"', 'code: "011002"')
    named = run_cli("validate", str(make_project({"municipalities/173843-shika.yaml": wrong})))
    assert (
        "municipalities/173843-shika.yaml:2:22: error[E-MUNICIPALITY-CODE]: the code 011002 is "
        "not the code 173843 that the file municipalities/173843-shika.yaml is named by"
    ) in named.stderr.splitlines()
    assert "W-MUNICIPALITY-NAME" not in named.stderr
    root = make_project(
        {"municipalities/173843-shika.yaml": None, "municipalities/shika.yaml": wrong}, name="p2"
    )
    other = run_cli("validate", str(root), "--lang", "ja")
    assert (
        "municipalities/shika.yaml:2:22: エラー[E-MUNICIPALITY-CODE]: 団体コード 011002 は、"
        "発行者である石川県の市町村のコードではありません（17 で始まります）"
    ) in other.stderr.splitlines()
    assert "W-MUNICIPALITY-NAME" not in other.stderr


def test_municipality_shows_that_towns_file_in_full_and_counts_the_others_warnings(
    make_project: MakeProject,
) -> None:
    """A clerk of 志賀町 sees every diagnostic of 志賀町's file and every error; 輪島市's
    warnings (which 志賀町 cannot act on) are counted in one line."""
    root = make_project()
    focused = run_cli("validate", str(root), "--municipality", "173843")
    assert focused.exit_code == 0
    assert "W-TIGHTEN-COMMON" not in focused.stderr  # 輪島市's
    assert (
        "(1 warning(s) of other municipalities' files not shown; run without --municipality to "
        "see them)"
    ) in focused.stderr.splitlines()
    broken = make_project(
        {"municipalities/172049-wajima.yaml": edit(WAJIMA, "    reason: 転出者が多いため。\n", "")},
        name="broken",
    )
    blocked = run_cli("validate", str(broken), "--municipality", "173843", "--lang", "ja")
    assert blocked.exit_code == 1
    assert "エラー[E-NO-REASON]" in blocked.stderr  # another town's error still blocks
    unknown = run_cli("validate", str(root), "--municipality", "999999")
    assert unknown.exit_code == 2


def test_an_addition_may_follow_the_towns_own_addition(make_project: MakeProject) -> None:
    """`after: WJM-0001` (the town's own addition) places WJM-0002 right after it; a cycle of
    additions is still an error at `after`."""
    second = (
        "  WJM-0002:\n    op: add\n    section: RES\n    after: WJM-0001\n"
        "    reason: 続けて管理するため。\n"
        "    requirement: {title: 仮設住宅の退去管理, statement: 退去を管理できること。, level: optional}\n"
    )
    root = make_project({"municipalities/172049-wajima.yaml": WAJIMA + second})
    built = run_cli("build", str(root), "--format", "json")
    assert built.exit_code == 0, built.output
    effective = json.loads((root / "output/municipalities/172049/spec.json").read_text("utf-8"))
    ids = [r["id"] for r in effective["requirements"]]
    assert ids[:4] == ["RES-0010", "WJM-0001", "WJM-0002", "RES-0020"]
    validation = validate_project(root)
    assert validation.input.project is not None
    joint = build_joint(validation.input.project, validation.input.catalog, validation.effective)
    for result in validation.effective:  # the joint model still recovers each town's catalog
        assert rebuild_effective(joint, result.municipality.code) == result.catalog
    cycle = second.replace("WJM-0002", "WJM-0003").replace("after: WJM-0001", "after: WJM-0004")
    cycle += cycle.replace("WJM-0003", "WJM-0005").replace("WJM-0004", "WJM-0003")
    cycle = cycle.replace("WJM-0005", "WJM-0004")
    broken = make_project({"municipalities/172049-wajima.yaml": WAJIMA + cycle}, name="cycle")
    result = run_cli("validate", str(broken))
    assert result.exit_code == 1
    assert "E-UNKNOWN-SECTION" in result.stderr and "WJM-0004" in result.stderr


def test_a_town_whose_file_does_not_load_still_gets_its_diagnostics(
    make_project: MakeProject,
) -> None:
    """--municipality of a file YAML cannot read: its code is unknown, yet the clerk must see
    the error, not a usage error."""
    root = make_project(
        {"municipalities/173843-shika.yaml": edit(SHIKA, "    op: exclude", "\top: exclude")}
    )
    result = run_cli("validate", str(root), "--municipality", "173843")
    assert result.exit_code == 1
    assert "municipalities/173843-shika.yaml:5:1: error[E-YAML]" in result.stderr


def test_an_invalid_set_is_reported_once_and_an_empty_one_as_nothing(
    make_project: MakeProject,
) -> None:
    bad = run_cli(
        "validate",
        str(
            make_project(
                {
                    "municipalities/172049-wajima.yaml": edit(
                        WAJIMA, "{level: mandatory}", "{level: 任意}"
                    )
                }
            )
        ),
    )
    assert "E-SCHEMA" in bad.stderr and "has neither 'set' nor 'unset'" not in bad.stderr
    empty = run_cli(
        "validate",
        str(
            make_project(
                {"municipalities/172049-wajima.yaml": edit(WAJIMA, "{level: mandatory}", "{}")},
                name="e",
            )
        ),
    )
    assert "modify of 'RES-0020' has neither 'set' nor 'unset'" in empty.stderr
