"""The registry of diagnostics: every code once, and the wording of every message and hint.

A code carries its severity and the row of docs/FORMAT.md §6 that documents it (a test holds
the two in step). A message is a template of one code: the modules that find problems name a
message and give its values, and never word a problem themselves, so a new language or a new
code is added here alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from specgen.errors import Diagnostic, Location, Severity
from specgen.labels import labels_for

__all__ = ["CODES", "Code", "Message", "Words"]


class Words(str):
    """A value put into a message that is itself worded (「変更「RES-0020」」 / change
    'RES-0020'): the English text is the str, the Japanese one its `ja`."""

    __slots__ = ("ja",)

    def __new__(cls, english: str, ja: str) -> Words:
        made = super().__new__(cls, english)
        made.ja = ja
        return made

    ja: str


def level_words(level: object) -> Words | str:
    """A level as a message states it: `mandatory` in English, 必須 in Japanese (the word the
    documents print, from labels.py); anything else as it is."""
    word = labels_for("ja").get(f"level_{level}") if isinstance(level, str) else None
    return Words(str(level), word) if word else str(level)


def field_words(field: str) -> Words | str:
    """A field named in a message: `level` is 区分 in Japanese, as the documents name it."""
    return Words(field, labels_for("ja")["level"]) if field == "level" else field


# The lines `specgen explain` prints, in Japanese and in English (the YAML field names stay as
# the clerk types them; values and sentences are worded in the chosen language).
EXPLAIN_LINES: dict[str, tuple[str, str]] = {
    "replaced": ("{id}：{new} に置き換えられています（formerly: {id}、{site}）",
                 "{id}: replaced by {new} (formerly: {id}, {site})"),
    "formerly": ("formerly: {old}（置き換えた ID。{site}）",
                 "formerly: {old} (the ID it replaces; {site})"),
    "baseline": ("共通仕様:", "baseline:"),
    "not_baseline": ("{id}：共通仕様にはありません", "{id}: not in the baseline"),
    "participants": ("参加団体:", "participants:"),
    "shared": ("共同利用システム（全ての文書がこの値を記載します）:",
               "shared system (every document states these):"),
    "needed_by": ("（{who} が必要とする値）", "(needed by {who})"),
    "absent": ("この要件はありません", "does not have it"),
    "excluded": ("利用しない{via}（{site}）", "excluded{via} ({site})"),
    "with_section": ("（節 {section} ごと）", " with section {section}"),
    "reason": ("理由：{reason}", "reason: {reason}"),
    "unchanged": ("変更なし", "unchanged"),
    "added": ("{section} に追加（{site}）", "added to {section} ({site})"),
    "modified": ("変更・{cls}（{site}）", "modified, {cls} ({site})"),
    "in_town": ("{id}（{who}）:", "{id} in {who}:"),
    "chain": ("{id} {title}（{who}、{status}）", "{id} {title} in {who} ({status})"),
    "unset": ("（未設定）", "(unset)"),
}  # fmt: skip


def explain_line(key: str, language: str, **values: Any) -> str:
    """One line (or part of one) of `specgen explain`, worded in `language`."""
    ja, en = EXPLAIN_LINES[key]
    return (ja if language == "ja" else en).format(**values)


def _japanese(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.ja if isinstance(value, Words) else value for key, value in values.items()}


@dataclass(frozen=True, slots=True)
class Code:
    """A diagnostic code: its name, severity, and when it is reported (FORMAT §6), in English
    and in Japanese (the clerk's table of the README)."""

    name: str
    severity: Severity
    when: str
    when_ja: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    """The wording of one problem: a template of its message and of its hint."""

    code: Code
    text: str
    hint: str | None = None
    ja: str = ""  # the same message in Japanese (公用文), with the same {fields}
    hint_ja: str | None = None

    def at(
        self, location: Location, /, *, suggestion: str | None = None, **values: Any
    ) -> Diagnostic:
        """The diagnostic at `location`, worded in English and in Japanese; a `suggestion` (a
        did-you-mean) replaces the hint."""
        hint = (
            str(suggestion) if suggestion else (self.hint.format(**values) if self.hint else None)
        )
        values_ja = _japanese(values)
        hint_ja = (
            _suggestion_ja(suggestion)
            if suggestion
            else (self.hint_ja.format(**values_ja) if self.hint_ja else None)
        )
        return Diagnostic(
            self.code.name,
            self.text.format(**values),
            location,
            self.code.severity,
            hint,
            message_ja=self.ja.format(**values_ja) if self.ja else None,
            hint_ja=hint_ja,
        )


_DID_YOU_MEAN = re.compile(r"did you mean '(.*)'\?")


def _suggestion_ja(suggestion: str) -> str:
    """A suggestion in Japanese: its own wording (Words), or for a did-you-mean
    「RES-0020」の誤りではありませんか."""
    if isinstance(suggestion, Words):
        return suggestion.ja
    match = _DID_YOU_MEAN.fullmatch(suggestion)
    return f"「{match.group(1)}」の誤りではありませんか" if match else suggestion


def _error(name: str, when: str) -> Code:
    return Code(name, Severity.ERROR, when, _WHEN_JA[name])


def _warning(name: str, when: str) -> Code:
    return Code(name, Severity.WARNING, when, _WHEN_JA[name])


# When each code is reported, in Japanese.
_WHEN_JA = {
    "E-YAML": (
        "ファイルが YAML として読めない（タブや全角のコロンによる字下げ・区切りの誤りを含む）"
    ),
    "E-DUPLICATE-KEY": "同じキーが2回書かれている",
    "E-SCHEMA": "項目がない、不明な項目がある、又は値の種類や値が正しくない",
    "E-TYPE-QUOTE": "文字列を書くべきところに数値や真偽値として読まれる値がある（引用符で囲む）",
    "E-IO": (
        "ファイルやディレクトリがない、読めない、プロジェクトの外を指す、又は出力先を置き"
        "換えられない"
    ),
    "E-LIMIT": "ファイルの大きさ、エイリアス又は入れ子の上限を超えた、又は文字列に制御文字がある",
    "E-DUPLICATE-ID": "同じ ID が2回定義されている",
    "E-UNKNOWN-TARGET": "変更が共通仕様にない ID を指している",
    "E-ADD-EXISTS": "既にある ID を add しようとしている",
    "E-ADD-CONFLICT": "二つの団体が同じ ID を異なる内容で追加している",
    "E-UNKNOWN-SECTION": "section 又は after が共通仕様にないものを指している",
    "E-NO-REASON": "変更に理由（reason）がない、又は空である",
    "E-SET-UNSET": "set と unset が同じ項目を指している、又は必須の項目を unset している",
    "E-STALE-EXPECT": "expect が現在の共通仕様の値と異なる",
    "E-UNKNOWN-METRIC": "数値要件又は ${…} が登録簿にない、又は値がない",
    "E-MUNICIPALITY-CODE": (
        "団体コードの形やチェックディジットの誤り、重複、代表団体の誤り、又はファイル名・"
        "都道府県と合わない"
    ),
    "E-CHANGE-CONFLICT": "同じ団体が除外しているものを変更している",
    "E-TEMPLATE": "テンプレートの読込み・実行の失敗、又は limits の上限超過",
    "E-TOOL": "選んだ出力形式に必要なプログラムがない、又は失敗した（pdf には LibreOffice）",
    "E-LEVEL-CONFLICT": "要件を利用する団体の間で、実装するかどうか（実装不可か否か）が一致しない",
    "W-NOOP": "変更が今と同じ値を設定している",
    "W-RELAX": "緩和している（確認のため一覧に示す）",
    "W-EXCLUDE-MANDATORY": "必須の要件を利用しない",
    "W-TEXT-CHANGED": "共通仕様の要件名又は本文を書き換えている",
    "W-SAME-ADD": "二つの団体が同じ要件を同じ内容で追加している（共通仕様に加える候補）",
    "W-ADD-PREFIX": "追加した ID が団体の接頭辞で始まっていない",
    "W-MUNICIPALITY-NAME": "団体コードが公式の一覧にない、又は名称が公式の名称と異なる",
    "W-TIGHTEN-COMMON": (
        "団体の強化が全ての参加団体の共通仕様の水準を定める（確認のため一覧に示す）"
    ),
    "W-LEVEL-SHARED": (
        "他の団体のために高い区分で実装する要件の区分を下げている（利用しないなら exclude）"
    ),
    "W-PROFILE-KEY": "団体別諸元の項目に表示名がない",
    "E-FORMERLY": (
        "formerly が、プロジェクトにまだある ID 又は他の要件が置き換える ID を指している"
    ),
    "W-VERSION-UNCHANGED": (
        "新旧対照表の新旧で内容が異なるのに、版（project.version）が同じ（specgen diff）"
    ),
    "W-FORMERLY-UNKNOWN": (
        "新設の要件の formerly が、改定前の版にない ID を指している（specgen diff）"
    ),
    "W-NONSTANDARD": "機能IDのない追加要件（標準仕様外）を標準仕様書の機能の章に置いている",
    "E-FORM": (
        "回答された適合表がファイルでない、ブックとして読めない、適合表の上限を超える、又は"
        "シートや見出しが様式と異なる"
    ),
    "E-FORM-VERSION": "回答された適合表が別の版の仕様書のもの、又は表紙に識別子がない",
    "E-FORM-ROWS": "回答された適合表で行が追加・削除され、又は要件IDや要件の記載が変わっている",
    "E-FORM-ANSWER": "対応可否が○、△、×のいずれでもない",
    "E-FORM-MERGED": "回答された適合表で回答欄のセルが行をまたいで結合されている",
    "E-FORM-COST": "カスタマイズ費用が数値でない",
    "E-FORM-NUMBER": "カスタマイズ費用又は達成値の数値が、適合表に記入できる上限を超えている",
    "W-FORM-ANSWER": "対応可否に○などと紛らわしい文字（〇、◯ 等）があり、○などとして読んだ",
    "W-FORM-VALUE": "回答された非機能要件の達成値が空欄、又は目標値と比べられない",
}


# --- codes (FORMAT §6) ----------------------------------------------------------------------

E_YAML = _error("E-YAML", "the file is not valid YAML (location from the parser)")
E_DUPLICATE_KEY = _error("E-DUPLICATE-KEY", "a mapping repeats a key")
E_SCHEMA = _error("E-SCHEMA", "a field is missing, unknown, or of the wrong type or value")
E_TYPE_QUOTE = _error(
    "E-TYPE-QUOTE", "a number/boolean where a string is required (hint: quote it)"
)
E_IO = _error(
    "E-IO",
    "a file or directory is missing or unreadable (a project without specgen.yaml); a path "
    "that is absolute or leaves the project; an entry that is not a regular file; an output "
    "directory specgen may not replace (§9)",
)
E_LIMIT = _error(
    "E-LIMIT",
    "size, alias or depth limit exceeded; control characters in text, raw or escaped",
)
E_DUPLICATE_ID = _error("E-DUPLICATE-ID", "an ID is defined twice (both locations reported)")
E_UNKNOWN_TARGET = _error("E-UNKNOWN-TARGET", "a change names an ID the baseline does not have")
E_ADD_EXISTS = _error("E-ADD-EXISTS", "`add` of an ID that already exists")
E_ADD_CONFLICT = _error(
    "E-ADD-CONFLICT",
    "two municipalities add the same ID with different content (both locations)",
)
E_UNKNOWN_SECTION = _error(
    "E-UNKNOWN-SECTION", "`section` or `after` names nothing in the baseline"
)
E_NO_REASON = _error("E-NO-REASON", "a change without a non-empty `reason`")
E_SET_UNSET = _error(
    "E-SET-UNSET", "`set` and `unset` name the same field, or `unset` of a required field"
)
E_STALE_EXPECT = _error("E-STALE-EXPECT", "`expect` differs from the current baseline value")
E_UNKNOWN_METRIC = _error(
    "E-UNKNOWN-METRIC", "a metric or `${placeholder}` not in the registry or not set"
)
E_MUNICIPALITY_CODE = _error(
    "E-MUNICIPALITY-CODE",
    "a code of the wrong form or with a bad check digit; a code or prefix used twice; a "
    "`procurement.lead` that names no participant; a code not the file's or not of the "
    "issuing prefecture",
)
E_CHANGE_CONFLICT = _error(
    "E-CHANGE-CONFLICT", "a change touches what the same municipality excludes"
)
E_TEMPLATE = _error(
    "E-TEMPLATE",
    "a template fails to load or render, or passes a limit of `limits` (template name and line)",
)
E_TOOL = _error(
    "E-TOOL",
    "a program a chosen format needs is missing or fails (LibreOffice for pdf)",
)
E_LEVEL_CONFLICT = _error(
    "E-LEVEL-CONFLICT",
    "participants that use a requirement disagree on whether the shared system may implement it "
    "(実装不可 for one, 必須 or 任意 for another)",
)

W_NOOP = _warning("W-NOOP", "a change that sets the inherited value")
W_RELAX = _warning("W-RELAX", "a relaxation; listed for review")
W_EXCLUDE_MANDATORY = _warning("W-EXCLUDE-MANDATORY", "a mandatory requirement is excluded")
W_TEXT_CHANGED = _warning("W-TEXT-CHANGED", "title or statement of a baseline requirement replaced")
W_SAME_ADD = _warning(
    "W-SAME-ADD",
    "two municipalities add the same requirement with the same content: a candidate for the "
    "baseline",
)
W_ADD_PREFIX = _warning("W-ADD-PREFIX", "an added ID without the municipality's prefix")
W_MUNICIPALITY_NAME = _warning(
    "W-MUNICIPALITY-NAME", "a code missing from the official list, or a name that differs from it"
)
W_TIGHTEN_COMMON = _warning(
    "W-TIGHTEN-COMMON",
    "a participant's tightening sets what the shared system implements for every participant "
    "(the common text changes); listed for review",
)
W_LEVEL_SHARED = _warning(
    "W-LEVEL-SHARED",
    "a participant lowers the level of a requirement the shared system implements higher for "
    "the others (hint: exclude it to not use it)",
)
W_PROFILE_KEY = _warning(
    "W-PROFILE-KEY",
    "a profile key that neither specgen nor the `profile:` registry of specgen.yaml labels",
)
W_NONSTANDARD = _warning(
    "W-NONSTANDARD",
    "an addition without a 機能ID (標準仕様外) placed in a chapter whose requirements cite one",
)
E_FORM = _error(
    "E-FORM",
    "a returned response form is not a regular file, cannot be read as a workbook, holds more "
    "than a form may (§9), or lacks a sheet or a header of the form (`specgen score`)",
)
E_FORM_VERSION = _error(
    "E-FORM-VERSION",
    "a returned form belongs to another version of the specification (its digest differs), or "
    "its cover has no digest",
)
E_FORM_ROWS = _error(
    "E-FORM-ROWS",
    "a returned form has a row added or removed, or a requirement's ID or text edited",
)
E_FORM_MERGED = _error(
    "E-FORM-MERGED", "answer cells of a returned form merged across rows (one answer, many rows)"
)
E_FORM_ANSWER = _error("E-FORM-ANSWER", "an answer (対応可否) that is not ○, △ or ×")
E_FORM_COST = _error("E-FORM-COST", "a customization cost that is not a number of thousand yen")
E_FORM_NUMBER = _error(
    "E-FORM-NUMBER",
    "a customization cost or a 達成値 of a returned form beyond the largest number a form may "
    "hold (§9)",
)
E_FORMERLY = _error(
    "E-FORMERLY",
    "`formerly` names an ID the project still has, or one another requirement replaces",
)
W_VERSION_UNCHANGED = _warning(
    "W-VERSION-UNCHANGED",
    "the two versions `specgen diff` compares differ, but their `project.version` is the same",
)
W_FORMERLY_UNKNOWN = _warning(
    "W-FORMERLY-UNKNOWN",
    "`formerly` of a requirement new in NEW names an ID that OLD does not have (`specgen diff`)",
)
W_FORM_ANSWER = _warning(
    "W-FORM-ANSWER", "an answer written with a look-alike of ○ or × (〇, ◯, ✕), read as ○ or ×"
)
W_FORM_VALUE = _warning(
    "W-FORM-VALUE",
    "an answered non-functional requirement whose 達成値 is empty or cannot be compared with "
    "its 目標値",
)

CODES: dict[str, Code] = {
    code.name: code
    for code in (
        E_YAML, E_DUPLICATE_KEY, E_SCHEMA, E_TYPE_QUOTE, E_IO, E_LIMIT, E_DUPLICATE_ID,
        E_UNKNOWN_TARGET, E_ADD_EXISTS, E_ADD_CONFLICT, E_UNKNOWN_SECTION, E_NO_REASON,
        E_SET_UNSET, E_STALE_EXPECT, E_UNKNOWN_METRIC, E_MUNICIPALITY_CODE, E_CHANGE_CONFLICT,
        E_TEMPLATE, E_LEVEL_CONFLICT, E_TOOL, W_NOOP, W_RELAX, W_EXCLUDE_MANDATORY, W_TEXT_CHANGED,
        W_SAME_ADD, W_ADD_PREFIX, W_MUNICIPALITY_NAME, W_TIGHTEN_COMMON, W_LEVEL_SHARED,
        W_NONSTANDARD, W_PROFILE_KEY, E_FORM, E_FORM_VERSION, E_FORM_ROWS, E_FORM_ANSWER,
        E_FORM_MERGED, E_FORM_COST, E_FORM_NUMBER, W_FORM_ANSWER, W_FORM_VALUE, E_FORMERLY,
        W_VERSION_UNCHANGED, W_FORMERLY_UNKNOWN,
    )
}  # fmt: skip

_CONTROL_HINT = "delete it; only tab and line breaks are allowed"
_KEEP_INSIDE = (
    "the project is what is versioned and reviewed: keep catalogs, municipality files and "
    "templates inside it, named relative to specgen.yaml"
)
_REPLACES_WHOLE = "specgen replaces its output directory as a whole"
_LIMIT_HINT = (
    "look for a loop that does not end or text repeated without bound; if the document is "
    "really this large, raise the limit under limits: in specgen.yaml"
)
_ESCAPE = "write $${{ for a literal ${{ (e.g. $${{業務システムID}})"

# --- reading files (load) -------------------------------------------------------------------

FILE_TOO_LARGE = Message(
    E_LIMIT,
    "the file is {size:,} bytes; the limit is {limit:,} (10 MiB)",
    "split the catalog into several files under requirements/",
    ja="ファイルが {size:,} バイトあります。上限は {limit:,} バイト（10 MiB）です",
    hint_ja="カタログを requirements/ の下の複数のファイルに分けてください",
)
FILE_UNREADABLE = Message(
    E_IO, "cannot read the file: {reason}", ja="ファイルを読めません：{reason}"
)
NOT_UTF8 = Message(
    E_YAML,
    "the file is not valid UTF-8 (byte 0x{byte:02x})",
    "save the file as UTF-8 (Shift_JIS files must be converted)",
    ja="ファイルが UTF-8 として正しくありません（バイト 0x{byte:02x}）",
    hint_ja="ファイルを UTF-8 で保存し直してください（Shift_JIS のファイルは変換が必要です）",
)
YAML_ERROR = Message(E_YAML, "{problem}", ja="YAML として読めません：{problem}")
YAML_TAB = Message(
    E_YAML,
    "{problem}",
    "indent with spaces, not tabs",
    ja="YAML として読めません：{problem}",
    hint_ja="字下げにはタブではなく半角スペースを使ってください",
)
YAML_COLON = Message(
    E_YAML,
    "{problem}",
    "a value containing ': ' must be quoted, or written as a | block",
    ja="YAML として読めません：{problem}",
    hint_ja="「: 」を含む値は引用符で囲むか、| で始まる複数行の書き方にしてください",
)
YAML_INDENT = Message(
    E_YAML,
    "{problem}",
    "check the indentation of this line and the one before it",
    ja="YAML として読めません：{problem}",
    hint_ja="この行と前の行の字下げを確認してください",
)
TAB_INDENT = Message(
    E_YAML,
    "the line is indented with a tab",
    "indent with half-width spaces (two per level); YAML does not accept tabs",
    ja="行の字下げにタブが使われています",
    hint_ja="字下げには半角スペース（1段につき2文字）を使ってください。YAML ではタブを使えません",
)
WIDE_SPACE_INDENT = Message(
    E_YAML,
    "the line is indented with a full-width space (全角スペース)",
    "indent with half-width spaces; a full-width space is not indentation in YAML",
    ja="行の字下げに全角スペースが使われています",
    hint_ja="字下げには半角スペースを使ってください。YAML では全角スペースは字下げになりません",
)
WIDE_COLON = Message(
    E_YAML,
    "'{key}' is followed by a full-width colon (：), which YAML does not read as ':'",
    "write a half-width colon and a space: {key}: ",
    ja="「{key}」の後のコロンが全角（：）です。YAML は全角のコロンを「:」として読みません",
    hint_ja="半角のコロンと半角スペースを書いてください：{key}: ",
)
RAW_CONTROL = Message(
    E_LIMIT,
    "control character U+{char:04X} in the text",
    _CONTROL_HINT + " (it often comes from text pasted from another program)",
    ja="文字列に制御文字 U+{char:04X} が含まれています",
    hint_ja=(
        "削除してください。使える制御文字はタブと改行だけです（他のソフトウェアから貼り"
        "付けた文字列によく含まれます）"
    ),
)
ESCAPED_CONTROL = Message(
    E_LIMIT,
    "the text holds the {what} U+{char:04X}, which no specgen text may hold",
    _CONTROL_HINT + " (in double quotes an escape such as \\a, \\x07 or \\uFFFE writes one)",
    ja="文字列に、specgen の文字列には使えない{what} U+{char:04X} が含まれています",
    hint_ja=(
        "削除してください。使える制御文字はタブと改行だけです（二重引用符の中の \\a、\\x"
        "07、\\uFFFE などのエスケープがこれを書き込みます）"
    ),
)
TOO_MANY_NODES = Message(
    E_LIMIT,
    "more than {limit:,} values in one file after expanding aliases",
    "do not nest aliases (*name) of large collections; split the file",
    ja="エイリアスを展開すると、1ファイルの値が {limit:,} 個を超えます",
    hint_ja="大きなコレクションのエイリアス（*name）を入れ子にせず、ファイルを分けてください",
)
TOO_DEEP = Message(
    E_LIMIT,
    "collections are nested deeper than {limit} levels",
    "flatten the structure (a recursive alias also causes this)",
    ja="コレクションの入れ子が {limit} 段を超えています",
    hint_ja="構造を浅くしてください（再帰するエイリアスでも起こります）",
)
UNSUPPORTED_NODE = Message(E_YAML, "unsupported YAML node", ja="対応していない YAML の要素です")
TAG_NOT_ALLOWED = Message(
    E_YAML,
    "the tag {tag} is not allowed",
    "specgen files hold plain text, numbers, lists and mappings; remove the tag",
    ja="タグ {tag} は使えません",
    hint_ja=(
        "specgen のファイルに書けるのは文字列、数値、リスト及びマッピングだけです。タグ"
        "を削除してください"
    ),
)
TAG_UNFIT = Message(
    E_YAML,
    "'{value}' is not a valid !!{tag} value",
    "remove the tag !!{tag}, or write a valid {tag}",
    ja="「{value}」は !!{tag} の値として正しくありません",
    hint_ja="タグ !!{tag} を削除するか、正しい {tag} の値を書いてください",
)
NOT_FINITE = Message(
    E_SCHEMA,
    "'{value}' is not a finite number",
    "write an ordinary number, such as 99.9",
    ja="「{value}」は有限の数値ではありません",
    hint_ja="99.9 のような通常の数値を書いてください",
)
NUMBER_TOO_LARGE = Message(
    E_SCHEMA,
    "the number '{value}' is too large; specgen numbers are at most {limit:,}",
    "quote it if it is text, such as a code or a telephone number",
    ja="数値「{value}」が大きすぎます。specgen の数値の上限は {limit:,} です",
    hint_ja="コードや電話番号のような文字列なら、引用符で囲んでください",
)
MERGE_KEY = Message(
    E_SCHEMA,
    "YAML merge keys (<<) are not accepted",
    "write the fields out in full",
    ja="YAML のマージキー（<<）は使えません",
    hint_ja="項目を省略せずに書いてください",
)
KEY_NOT_TEXT = Message(
    E_SCHEMA,
    "a mapping key must be plain text, not a list or mapping",
    ja="マッピングのキーはリストやマッピングではなく文字列にしてください",
)
DUPLICATE_KEY = Message(
    E_DUPLICATE_KEY,
    "the key '{key}' is repeated; it was first given at {first}",
    "delete one of them or merge their contents; YAML keeps only one",
    ja="キー「{key}」が重複しています。最初は {first} にあります",
    hint_ja="どちらかを削除するか、内容を一つにまとめてください。YAML は片方しか残しません",
)

# --- the schema of each file ------------------------------------------------------------------

EMPTY_FILE = Message(
    E_SCHEMA,
    "the file is empty",
    "a specgen file starts with the line 'specgen: 1'",
    ja="ファイルが空です",
    hint_ja="specgen のファイルは「specgen: 1」の行で始めてください",
)
NO_FORMAT_VERSION = Message(
    E_SCHEMA,
    "the format version 'specgen' is missing",
    "add the line 'specgen: 1' at the top of the file",
    ja="形式の版「specgen」がありません",
    hint_ja="ファイルの先頭に「specgen: 1」の行を加えてください",
)
NO_REASON_FIELD = Message(
    E_NO_REASON,
    "{where} has no 'reason'",
    "every change needs a reason: write why this municipality differs",
    ja="{where}に理由（reason）がありません",
    hint_ja="変更にはすべて理由が必要です。この団体が共通仕様と異なる理由を書いてください",
)
MISSING_FIELD = Message(
    E_SCHEMA,
    "{where} is missing the required field '{name}'",
    ja="{where}に必須の項目「{name}」がありません",
)
ID_IN_CHANGE = Message(
    E_SCHEMA,
    "{where} cannot give 'id': the ID is the key of the change",
    ja="{where}には id を書けません。ID は変更のキーです",
)
UNKNOWN_FIELD = Message(
    E_SCHEMA,
    "unknown field '{key}' in {where}",
    "allowed fields: {allowed}",
    ja="{where}に不明な項目「{key}」があります",
    hint_ja="使える項目：{allowed}",
)
QUOTE_IT = Message(
    E_TYPE_QUOTE,
    "'{field}' must be text, but YAML read {raw} as {found} ({value!r})",
    'quote it: {field}: "{raw}"',
    ja=(
        "「{field}」は文字列でなければなりませんが、YAML は {raw} を{found}（{value!r}）とし"
        "て読みました"
    ),
    hint_ja='引用符で囲んでください：{field}: "{raw}"',
)
WRONG_TYPE = Message(
    E_SCHEMA,
    "'{field}' in {where} must be {expected}, not {found}",
    ja="{where}の「{field}」は{expected}でなければなりません（{found}が書かれています）",
)
WRONG_CONSTANT = Message(
    E_SCHEMA,
    "'{field}' must be {expected!r}, found {value!r}",
    ja="「{field}」は {expected!r} でなければなりません（{value!r} が書かれています）",
)
WRONG_VERSION = Message(
    E_SCHEMA,
    "'{field}' must be {expected!r}, found {value!r}",
    "this specgen reads format version 1",
    ja="「{field}」は {expected!r} でなければなりません（{value!r} が書かれています）",
    hint_ja="この specgen が読めるのは形式の版 1 です",
)
EMPTY_VALUE = Message(
    E_SCHEMA, "'{field}' in {where} must not be empty", ja="{where}の「{field}」を空にはできません"
)
TOO_LONG = Message(
    E_SCHEMA,
    "'{field}' in {where} is {length} characters; at most {limit} are allowed",
    ja="{where}の「{field}」が {length} 文字あります。上限は {limit} 文字です",
)
REPEATED_ITEM = Message(
    E_SCHEMA,
    "'{field}' in {where} lists an item twice",
    ja="{where}の「{field}」に同じ項目が2回あります",
)
SCHEMA_OTHER = Message(E_SCHEMA, "{where}: {detail}", ja="{where}：{detail}")
NOT_ONE_OF = Message(
    E_SCHEMA,
    "'{field}' in {where} must be one of {choices}; found {value!r}",
    ja=(
        "{where}の「{field}」は {choices} のいずれかでなければなりません（「{value}」が書かれ"
        "ています）"
    ),
)
UNSET_NOT_A_FIELD = Message(
    E_SCHEMA,
    "'unset' in {where} names '{value}', which is not a requirement field (or metrics.NAME)",
    ja="{where}の unset に書かれた「{value}」は要件の項目（又は metrics.名前）ではありません",
)
NOT_AN_ID = Message(
    E_SCHEMA,
    "'{field}' in {where} must be an ID; found {value!r}",
    "IDs are upper-case ASCII letters and digits in parts joined by '-' or '.', "
    "e.g. RES-0010 or JK-S4.1.3",
    ja="{where}の「{field}」は ID でなければなりません（「{value}」が書かれています）",
    hint_ja="ID は半角英大文字と数字を「-」又は「.」でつないだものです（例：RES-0010、JK-S4.1.3）",
)
ID_IN_ASCII = Message(
    E_SCHEMA,
    "'{field}' in {where} must be an ID; found {value!r}",
    "write the ID in ASCII (half-width): {ascii}",
    ja="{where}の「{field}」は ID でなければなりません（「{value}」が書かれています）",
    hint_ja="ID は半角で、前後に空白を付けずに書いてください：{ascii}",
)
NO_MATCH = Message(
    E_SCHEMA,
    "'{field}' in {where} must match {pattern}; found {value!r}",
    ja="{where}の「{field}」は {pattern} の形でなければなりません（{value!r} が書かれています）",
)

# --- finding the project's files ---------------------------------------------------------------

NO_PROJECT_DIRECTORY = Message(
    E_IO,
    "the project directory {root} does not exist",
    "give the directory that holds specgen.yaml",
    ja="プロジェクトのディレクトリ {root} がありません",
    hint_ja="specgen.yaml のあるディレクトリを指定してください",
)
NOT_A_PROJECT = Message(
    E_IO,
    "no {file} in {root}: this is not a specgen project",
    "run specgen in the project directory, or create one with 'specgen init'",
    ja="{root} に {file} がありません。specgen のプロジェクトではありません",
    hint_ja="プロジェクトのディレクトリで実行するか、「specgen init」で作成してください",
)
PATH_MISSING = Message(
    E_IO,
    "'{entry}' does not exist",
    "check the path; it is relative to the project directory",
    ja="「{entry}」がありません",
    hint_ja="パスを確認してください。パスはプロジェクトのディレクトリからの相対パスです",
)
PATH_EMPTY = Message(
    E_IO,
    "'{entry}' is an empty path",
    _KEEP_INSIDE,
    ja="「{entry}」は空のパスです",
    hint_ja=(
        "プロジェクトは版管理と確認の単位です。カタログ、団体ファイル及びテンプレートは"
        "プロジェクト内に置き、specgen.yaml からの相対パスで指定してください"
    ),
)
PATH_ABSOLUTE = Message(
    E_IO,
    "'{entry}' is an absolute path",
    _KEEP_INSIDE,
    ja="「{entry}」は絶対パスです",
    hint_ja=(
        "プロジェクトは版管理と確認の単位です。カタログ、団体ファイル及びテンプレートは"
        "プロジェクト内に置き、specgen.yaml からの相対パスで指定してください"
    ),
)
PATH_IS_PROJECT = Message(
    E_IO,
    "'{entry}' is the project directory itself",
    _KEEP_INSIDE,
    ja="「{entry}」はプロジェクトのディレクトリそのものです",
    hint_ja=(
        "プロジェクトは版管理と確認の単位です。カタログ、団体ファイル及びテンプレートは"
        "プロジェクト内に置き、specgen.yaml からの相対パスで指定してください"
    ),
)
PATH_LEAVES = Message(
    E_IO,
    "'{entry}' leads outside the project directory",
    _KEEP_INSIDE,
    ja="「{entry}」はプロジェクトのディレクトリの外を指しています",
    hint_ja=(
        "プロジェクトは版管理と確認の単位です。カタログ、団体ファイル及びテンプレートは"
        "プロジェクト内に置き、specgen.yaml からの相対パスで指定してください"
    ),
)
LINK_TO_NOTHING = Message(
    E_IO,
    "'{entry}' is a link to a file that does not exist",
    ja="「{entry}」は存在しないファイルへのリンクです",
)
LINK_OUTSIDE = Message(
    E_IO,
    "'{entry}' is a link to a file outside the project directory",
    ja="「{entry}」はプロジェクトのディレクトリの外のファイルへのリンクです",
)
LINK_LOOPS = Message(
    E_IO,
    "'{entry}' is a symbolic link that loops",
    ja="「{entry}」は循環するシンボリックリンクです",
)
ENTRY_UNREADABLE = Message(
    E_IO, "'{entry}' cannot be read: {reason}", ja="「{entry}」を読めません：{reason}"
)
ENTRY_IS_DIRECTORY = Message(
    E_IO, "'{entry}' is a directory, not a file", ja="「{entry}」はファイルではなくディレクトリです"
)
ENTRY_NOT_REGULAR = Message(
    E_IO,
    "'{entry}' is not a regular file (a pipe, socket or device)",
    ja="「{entry}」は通常のファイルではありません（パイプ、ソケット又はデバイス）",
)

# --- checks across the project -----------------------------------------------------------------

DUPLICATE_ID = Message(
    E_DUPLICATE_ID,
    "the ID '{id}' is already used by a {kind} at {first}",
    "IDs are unique across all catalog files, sections and requirements",
    ja="ID「{id}」は {first} の{kind}で既に使われています",
    hint_ja="ID は全てのカタログファイル、節及び要件を通じて一意にしてください",
)
_CODE_HINT = (
    'use the 6-digit 全国地方公共団体コード with its check digit, quoted, e.g. code: "172049"'
)
CHECK_DIGIT = Message(
    E_MUNICIPALITY_CODE,
    "the local government code {code} fails its check digit (the sixth digit should be {digit})",
    _CODE_HINT,
    ja="団体コード {code} のチェックディジットが合いません（6桁目は {digit} のはずです）",
    hint_ja=(
        "チェックディジット付きの6桁の全国地方公共団体コードを、引用符で囲んで"
        '書いてください（例：code: "172049"）'
    ),
)
CODE_FORM = Message(
    E_MUNICIPALITY_CODE,
    "the local government code '{code}' is not 6 digits",
    _CODE_HINT,
    ja="団体コード「{code}」が6桁の数字ではありません",
    hint_ja=(
        "チェックディジット付きの6桁の全国地方公共団体コードを、引用符で囲んで"
        '書いてください（例：code: "172049"）'
    ),
)
CODE_NOT_OFFICIAL = Message(
    W_MUNICIPALITY_NAME,
    "the code {code} is not in the official list (as of 2024-01-01)",
    "check the code; a municipality created by a later merger is not listed",
    ja="団体コード {code} は公式の一覧（2024年1月1日現在）にありません",
    hint_ja="コードを確認してください。その後の合併でできた団体は一覧にありません",
)
NAME_NOT_OFFICIAL = Message(
    W_MUNICIPALITY_NAME,
    "the name '{name}' differs from the official name of {code}, '{official}'",
    "write name: {official}",
    ja="名称「{name}」が、{code} の公式の名称「{official}」と異なります",
    hint_ja="name: {official} と書いてください",
)
CODE_NOT_FILE = Message(
    E_MUNICIPALITY_CODE,
    "the code {code} is not the code {named} that the file {file} is named by",
    'a municipality file is named <code>-<name>.yaml: write code: "{named}", or rename the file',
    ja="団体コード {code} が、ファイル名 {file} の団体コード {named} と異なります",
    hint_ja=(
        '団体ファイルの名前は「団体コード-名前.yaml」です。code: "{named}" と書くか、'
        "ファイル名を直してください"
    ),
)
CODE_OTHER_PREFECTURE = Message(
    E_MUNICIPALITY_CODE,
    "the code {code} is not of a municipality of {issuer}, the issuer (its codes start with "
    "{digits})",
    "check the code: the official list gives each town's; a code of another prefecture is "
    "likelier a typing slip than a participant",
    ja=(
        "団体コード {code} は、発行者である{issuer}の市町村のコードではありません"
        "（{digits} で始まります）"
    ),
    hint_ja=(
        "団体コードを確認してください（公式の一覧に各団体のコードがあります）。他の都道府県の"
        "コードは、参加団体よりも入力誤りの可能性が高いと考えられます"
    ),
)
CODE_TWICE = Message(
    E_MUNICIPALITY_CODE,
    "the code {code} is already used by {file}",
    "each municipality has exactly one file",
    ja="団体コード {code} は {file} で既に使われています",
    hint_ja="団体ごとにファイルは一つです",
)
PREFIX_TWICE = Message(
    E_MUNICIPALITY_CODE,
    "the prefix '{prefix}' is already used by {file}",
    "each municipality's added IDs need their own prefix",
    ja="接頭辞「{prefix}」は {file} で既に使われています",
    hint_ja="団体ごとに追加要件の ID の接頭辞を別にしてください",
)
SAME_ADD = Message(
    W_SAME_ADD,
    "{name} adds '{id}' exactly as {other} does (at {first})",
    "a requirement several participants need is a candidate for the baseline",
    ja="{name}が「{id}」を{other}と全く同じ内容で追加しています（{first}）",
    hint_ja="複数の団体が必要とする要件は、共通仕様に加える候補です",
)
ADD_CONFLICT = Message(
    E_ADD_CONFLICT,
    "{name} adds '{id}' with content different from {other}'s (at {first})",
    "use the municipality's own prefix for its additions, or agree on one text",
    ja="{name}が「{id}」を{other}と異なる内容で追加しています（{first}）",
    hint_ja="追加要件には団体自身の接頭辞を使うか、記載を一つに合わせてください",
)
PLACEHOLDER_UNKNOWN = Message(
    E_UNKNOWN_METRIC,
    "requirement '{id}': placeholder ${{{name}}} names no metric of the registry",
    _ESCAPE,
    ja="要件「{id}」：プレースホルダ ${{{name}}} が数値要件の登録簿にありません",
    hint_ja="「${{」を文字どおり書くときは「$${{」と書いてください（例：$${{業務システムID}}）",
)
PLACEHOLDER_UNSET = Message(
    E_UNKNOWN_METRIC,
    "requirement '{id}': placeholder ${{{name}}} has no value; the requirement does not set "
    "metrics.{name}",
    "add metrics: {{{name}: ...}} to the requirement, or " + _ESCAPE,
    ja=(
        "要件「{id}」：プレースホルダ ${{{name}}} に値がありません。要件に metrics.{name} が"
        "ありません"
    ),
    hint_ja=(
        "要件に metrics: {{{name}: ...}} を加えるか、「${{」を文字どおり書くときは"
        "「$${{」と書いてください（例：$${{業務システムID}}）"
    ),
)
METRIC_NOT_REGISTERED = Message(
    E_UNKNOWN_METRIC,
    "requirement '{id}': metric '{name}' is not in the registry of specgen.yaml",
    "add it under metrics: in specgen.yaml",
    ja="要件「{id}」：数値要件「{name}」が specgen.yaml の登録簿にありません",
    hint_ja="specgen.yaml の metrics: に加えてください",
)

# --- changes (merge) ---------------------------------------------------------------------------

EXCLUSION_COVERED = Message(
    W_NOOP,
    "exclude of '{id}' is already covered by the exclusion of section '{section}'",
    "remove it; excluding a section excludes everything under it",
    ja="「{id}」の除外は、節「{section}」の除外に既に含まれています",
    hint_ja="削除してください。節を除外すると、その下の全ての要件が除外されます",
)
EMPTY_REASON = Message(
    E_NO_REASON,
    "change '{id}' has an empty 'reason'",
    "write why this municipality differs from the baseline",
    ja="変更「{id}」の理由（reason）が空です",
    hint_ja="この団体が共通仕様と異なる理由を書いてください",
)
UNKNOWN_TARGET = Message(
    E_UNKNOWN_TARGET,
    "{op} names '{id}', which is not a {what} of the baseline",
    ja="{op} に書かれた「{id}」は共通仕様の{what}にありません",
)
EXCLUDE_MANDATORY = Message(
    W_EXCLUDE_MANDATORY,
    "'{id}' ({title}) is mandatory in the baseline and is excluded",
    "review it: the shared system still implements it for the others; this participant will "
    "not use it (利用しない)",
    ja="「{id}」（{title}）は共通仕様で必須ですが、利用しないとされています",
    hint_ja=(
        "確認してください。共同利用システムは他の団体のためにこの機能を実装し、この団体"
        "は利用しません"
    ),
)
EXCLUDE_MANDATORY_SECTION = Message(
    W_EXCLUDE_MANDATORY,
    "excluding section '{id}' excludes {count} mandatory requirement(s)",
    ja="節「{id}」を利用しないとすると、必須の要件 {count} 件も利用しないことになります",
)
FIELD_OF_OTHER_OP = Message(
    E_SCHEMA,
    "'{key}' is not used by op: {op} (change '{id}')",
    "set and unset belong to modify; section, after and requirement to add",
    ja="「{key}」は op: {op} では使いません（変更「{id}」）",
    hint_ja="set と unset は modify で、section、after 及び requirement は add で使います",
)
MODIFY_SECTION = Message(
    E_UNKNOWN_TARGET,
    "modify names section '{id}'; modify changes requirements only",
    "exclude a section, or modify each requirement in it",
    ja="modify に節「{id}」が書かれています。modify で変更できるのは要件だけです",
    hint_ja="節は除外するか、節の中の要件をそれぞれ modify してください",
)
MODIFY_IN_EXCLUDED = Message(
    E_CHANGE_CONFLICT,
    "modify of '{id}' is inside section '{section}', which this municipality excludes",
    "drop the modify, or stop excluding the section",
    ja="「{id}」の modify は、この団体が除外している節「{section}」の中にあります",
    hint_ja="modify を削除するか、節の除外をやめてください",
)
MODIFY_NOTHING = Message(
    E_SCHEMA,
    "modify of '{id}' has neither 'set' nor 'unset'",
    "say what changes, e.g. set: {{level: mandatory}}",
    ja="「{id}」の modify に set も unset もありません",
    hint_ja="何を変えるかを書いてください（例：set: {{level: mandatory}}）",
)
UNSET_REQUIRED = Message(
    E_SET_UNSET,
    "'{name}' is required and cannot be unset (change '{id}')",
    "set a new {name} instead",
    ja="「{name}」は必須の項目のため unset できません（変更「{id}」）",
    hint_ja="unset ではなく、新しい {name} を set してください",
)
SET_AND_UNSET = Message(
    E_SET_UNSET,
    "change '{id}' both sets and unsets '{name}'",
    "keep one of them",
    ja="変更「{id}」が「{name}」を set と unset の両方で指定しています",
    hint_ja="どちらか一方にしてください",
)
SET_UNKNOWN_METRIC = Message(
    E_UNKNOWN_METRIC,
    "metric '{name}' is not in the registry of specgen.yaml",
    "add it under metrics: in specgen.yaml",
    ja="数値要件「{name}」が specgen.yaml の登録簿にありません",
    hint_ja="specgen.yaml の metrics: に加えてください",
)
SETS_SAME_VALUE = Message(
    W_NOOP,
    "change '{id}' sets {fields} to the value it already has",
    "remove what does not change; the baseline value is inherited",
    ja="変更「{id}」が {fields} を今と同じ値に設定しています",
    hint_ja="変わらないものは削除してください。共通仕様の値がそのまま引き継がれます",
)
RELAXES = Message(
    W_RELAX,
    "change '{id}' relaxes the baseline: {fields}",
    "listed for review: the participant needs less than the model specification; the shared "
    "system still meets what the other participants need",
    ja="変更「{id}」が共通仕様を緩和しています：{fields}",
    hint_ja=(
        "確認のため一覧に示します。この団体の要求はモデル仕様より低いですが、共同利用シ"
        "ステムは他の団体が必要とする水準を満たします"
    ),
)
TEXT_CHANGED = Message(
    W_TEXT_CHANGED,
    "change '{id}' replaces the baseline's {fields}",
    "the shared system implements the common text; this wording is shown only as the "
    "participant's own need: agree a change of the common text, or add a requirement of its own",
    ja="変更「{id}」が共通仕様の{fields}を書き換えています",
    hint_ja=(
        "共同利用システムが実装するのは共通仕様の記載です。この記載は団体の要求（参考）"
        "として示すだけなので、共通仕様の改定を合意するか、団体の追加要件にしてください"
    ),
)
STALE_EXPECT = Message(
    E_STALE_EXPECT,
    "change '{id}' expects {field} = {expected}, but the baseline has {actual}",
    "the baseline changed since this delta was written: review the change, then update expect",
    ja="変更「{id}」は {field} = {expected} を前提としていますが、共通仕様は {actual} です",
    hint_ja=(
        "この個別仕様を書いた後に共通仕様が変わりました。変更を見直してから expect を更"
        "新してください"
    ),
)
ADD_EXISTS = Message(
    E_ADD_EXISTS,
    "add of '{id}', which the baseline already has (at {first})",
    "modify it instead, or choose a new ID",
    ja="「{id}」を追加していますが、共通仕様に既にあります（{first}）",
    hint_ja="modify にするか、新しい ID にしてください",
)
ADD_EXISTS_PREFIX = Message(
    E_ADD_EXISTS,
    "add of '{id}', which the baseline already has (at {first})",
    "modify it instead, or choose a new ID starting with {prefix}-",
    ja="「{id}」を追加していますが、共通仕様に既にあります（{first}）",
    hint_ja="modify にするか、{prefix}- で始まる新しい ID にしてください",
)
ADD_UNKNOWN_SECTION = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' names section '{section}', which the baseline does not have",
    ja="「{id}」の追加先の節「{section}」が共通仕様にありません",
)
ADD_INTO_REQUIREMENT = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' names section '{section}', which the baseline does not have",
    "'{section}' is a requirement; name the section that holds it: {holder}",
    ja="「{id}」の追加先の節「{section}」が共通仕様にありません",
    hint_ja="「{section}」は要件です。その要件がある節を指定してください：{holder}",
)
ADD_INTO_EXCLUDED = Message(
    E_CHANGE_CONFLICT,
    "add of '{id}' into section '{section}', which this municipality excludes",
    ja="「{id}」を、この団体が除外している節「{section}」に追加しています",
)
ADD_INTO_EXCLUDED_BELOW = Message(
    E_CHANGE_CONFLICT,
    "add of '{id}' into section '{section}', which this municipality excludes (through "
    "'{through}')",
    ja=(
        "「{id}」を、この団体が除外している節「{section}」に追加しています（「{through}」の除"
        "外による）"
    ),
)
AFTER_ELSEWHERE = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' is placed after '{after}', which is in section '{holder}', not in '{section}'",
    "use section: {holder}, or name a requirement of {section}",
    ja="「{id}」の挿入位置「{after}」は節「{holder}」にあり、「{section}」にはありません",
    hint_ja="section: {holder} とするか、{section} の要件を指定してください",
)
AFTER_UNKNOWN = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' is placed after '{after}', which the baseline lacks",
    "requirements of {section}: {listed}",
    ja="「{id}」の挿入位置「{after}」が共通仕様にありません",
    hint_ja="{section} の要件：{listed}",
)
AFTER_UNKNOWN_EMPTY = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' is placed after '{after}', which the baseline lacks",
    ja="「{id}」の挿入位置「{after}」が共通仕様にありません",
)
AFTER_EXCLUDED = Message(
    E_CHANGE_CONFLICT,
    "add of '{id}' is placed after '{after}', which this municipality excludes",
    "place it after another requirement, or drop 'after'",
    ja="「{id}」の挿入位置「{after}」は、この団体が除外している要件です",
    hint_ja="別の要件の後に置くか、after を削除してください",
)
ADD_WITHOUT_PREFIX = Message(
    W_ADD_PREFIX,
    "added ID '{id}' does not start with this municipality's prefix '{prefix}-'",
    "it may collide with a future baseline ID; national function IDs are fine",
    ja="追加した ID「{id}」が、この団体の接頭辞「{prefix}-」で始まっていません",
    hint_ja="将来の共通仕様の ID と重なるおそれがあります。国の機能IDであれば問題ありません",
)
EXPLAIN_UNKNOWN = Message(
    E_UNKNOWN_TARGET,
    "no requirement '{id}' in the baseline or any municipality's additions",
    ja="要件「{id}」は共通仕様にも、どの団体の追加要件にもありません",
)

# --- templates and outputs --------------------------------------------------------------------

_TEMPLATE_HINT = (
    "check the template at that line; the variables a template can use are listed in the README"
)
_SLOW = (
    "rendering took longer than {seconds:g} s, the time limit per document (limits.render_seconds)"
)
_LARGE = "it wrote more than {mib} MiB of Markdown, the size limit per document (limits.render_mib)"
_MEMORY = "it needed more memory than one document may use"
TEMPLATE_FAILED = Message(
    E_TEMPLATE,
    "template {name} failed: {problem}",
    _TEMPLATE_HINT,
    ja="テンプレート {name} でエラーが発生しました：{problem}",
    hint_ja=(
        "テンプレートのその行を確認してください。テンプレートで使える変数は README に記載しています"
    ),
)
TEMPLATE_MISSING = Message(
    E_TEMPLATE,
    "template {name} failed: template {missing} not found",
    _TEMPLATE_HINT,
    ja="テンプレート {name} でエラーが発生しました：テンプレート {missing} が見つかりません",
    hint_ja=(
        "テンプレートのその行を確認してください。テンプレートで使える変数は README に記載しています"
    ),
)
TEMPLATE_RECURSION = Message(
    E_TEMPLATE,
    "template {name} failed: a macro or include calls itself without end",
    _TEMPLATE_HINT,
    ja=(
        "テンプレート {name} でエラーが発生しました：マクロ又は include が自分自身を際限なく"
        "呼び出しています"
    ),
    hint_ja=(
        "テンプレートのその行を確認してください。テンプレートで使える変数は README に記載しています"
    ),
)
TEMPLATE_TOO_DEEP = Message(
    E_TEMPLATE,
    "template {name} failed: its blocks and brackets are nested more than {depth} deep here",
    "close each {{% if %}}, {{% for %}} and bracket sooner; nesting that deep is no document",
    ja=(
        "テンプレート {name} でエラーが発生しました：ブロック及び括弧の入れ子がこの行で"
        " {depth} 段を超えています"
    ),
    hint_ja="{{% if %}}、{{% for %}} 及び括弧を早めに閉じてください",
)
TEMPLATE_NUMBER_TOO_LARGE = Message(
    E_TEMPLATE,
    "template {name} failed: '{operator}' would make a number of more than {digits:,} digits",
    "a template computes page numbers and counts; a number that large is a mistake (and one "
    "such operation could not be stopped by the time limit)",
    ja=(
        "テンプレート {name} でエラーが発生しました：演算「{operator}」の結果が {digits:,} 桁を"
        "超える数になります"
    ),
    hint_ja=(
        "テンプレートで扱う数は件数や番号です。この大きさの数は誤りです（1回の演算が時間の"
        "上限でも止められないため、計算する前に止めています）"
    ),
)
TEMPLATE_TOO_SLOW = Message(
    E_TEMPLATE,
    "template {name} failed: " + _SLOW,
    _LIMIT_HINT,
    ja=(
        "テンプレート {name} でエラーが発生しました：文書1件の処理時間の上限（limits.render_s"
        "econds）である {seconds:g} 秒を超えました"
    ),
    hint_ja=(
        "終わらないループや際限なく繰り返す文字列がないか確認してください。文書が本当に"
        "この大きさなら、specgen.yaml の limits: で上限を引き上げてください"
    ),
)
TEMPLATE_TOO_LARGE = Message(
    E_TEMPLATE,
    "template {name} failed: " + _LARGE,
    _LIMIT_HINT,
    ja=(
        "テンプレート {name} でエラーが発生しました：文書1件の Markdown の上限（limits.render"
        "_mib）である {mib} MiB を超えて出力しました"
    ),
    hint_ja=(
        "終わらないループや際限なく繰り返す文字列がないか確認してください。文書が本当に"
        "この大きさなら、specgen.yaml の limits: で上限を引き上げてください"
    ),
)
TEMPLATE_OUT_OF_MEMORY = Message(
    E_TEMPLATE,
    "template {name} failed: " + _MEMORY,
    _LIMIT_HINT,
    ja="テンプレート {name} でエラーが発生しました：文書1件に使えるメモリを超えました",
    hint_ja=(
        "終わらないループや際限なく繰り返す文字列がないか確認してください。文書が本当に"
        "この大きさなら、specgen.yaml の limits: で上限を引き上げてください"
    ),
)
DOCUMENT_TOO_SLOW = Message(
    E_TEMPLATE,
    "the document {stem} failed: " + _SLOW,
    _LIMIT_HINT,
    ja=(
        "文書 {stem} の作成でエラーが発生しました：文書1件の処理時間の上限（limits.render_sec"
        "onds）である {seconds:g} 秒を超えました"
    ),
    hint_ja=(
        "終わらないループや際限なく繰り返す文字列がないか確認してください。文書が本当に"
        "この大きさなら、specgen.yaml の limits: で上限を引き上げてください"
    ),
)
DOCUMENT_OUT_OF_MEMORY = Message(
    E_TEMPLATE,
    "the document {stem} failed: " + _MEMORY,
    _LIMIT_HINT,
    ja="文書 {stem} の作成でエラーが発生しました：文書1件に使えるメモリを超えました",
    hint_ja=(
        "終わらないループや際限なく繰り返す文字列がないか確認してください。文書が本当に"
        "この大きさなら、specgen.yaml の limits: で上限を引き上げてください"
    ),
)
REFERENCE_DOCX = Message(
    E_TEMPLATE,
    "{file} cannot be the reference document: {problem}",
    "save it from Word as a .docx (not .doc, .dotx or .docm), or remove it to use the bundled one",
    ja="{file} は参照文書として使えません：{problem}",
    hint_ja=(
        "Word で .docx 形式（.doc、.dotx、.docm ではなく）で保存し直すか、削除して同梱の"
        "参照文書を使ってください"
    ),
)
OUTPUT_UNDER_FILE = Message(
    E_IO,
    "the output directory {out} cannot be made: {file} is a file",
    "give a directory path, such as output/",
    ja="出力ディレクトリ {out} を作れません：{file} がファイルです",
    hint_ja="output/ のようなディレクトリのパスを指定してください",
)
OUTPUT_UNUSABLE = Message(
    E_IO,
    "the output directory {out} cannot be used: {reason}",
    "give a directory path, such as output/",
    ja="出力ディレクトリ {out} を使えません：{reason}",
    hint_ja="output/ のようなディレクトリのパスを指定してください",
)
OUTPUT_REPLACES_INPUT = Message(
    E_IO,
    "the output directory {out} would replace the project's input {input}",
    _REPLACES_WHOLE + "; give a directory of its own, such as output/",
    ja="出力ディレクトリ {out} は、プロジェクトの入力 {input} を置き換えてしまいます",
    hint_ja=(
        "specgen は出力ディレクトリを丸ごと置き換えます。output/ のような出力専用のディ"
        "レクトリを指定してください"
    ),
)
REPORT_ON_INPUT = Message(
    E_IO,
    "the report {out} would be written over or among what the command reads ({input})",
    "give a file of its own outside the project's folders, such as output/score.xlsx",
    ja="報告ファイル {out} が、コマンドの読み込むもの（{input}）に重なります",
    hint_ja=(
        "プロジェクトのフォルダの外に、報告専用のファイルを指定してください（例：output/score.xlsx）"
    ),
)
OUTPUT_HOLDS_CWD = Message(
    E_IO,
    "the output directory {out} is the current directory or holds it",
    "run specgen from another directory, or give an output directory of its own",
    ja="出力ディレクトリ {out} は現在のディレクトリであるか、それを含んでいます",
    hint_ja="別のディレクトリから実行するか、出力専用のディレクトリを指定してください",
)
OUTPUT_NOT_OURS = Message(
    E_IO,
    "the output directory {out} holds files specgen did not write ({files}) and no specgen "
    "manifest.json",
    _REPLACES_WHOLE + "; give a new or empty directory, or move those files away first",
    ja=(
        "出力ディレクトリ {out} には、specgen が書いていないファイル（{files}）があり、specge"
        "n の manifest.json もありません"
    ),
    hint_ja=(
        "specgen は出力ディレクトリを丸ごと置き換えます。新しいか空のディレクトリを指定"
        "するか、先にそれらのファイルを移してください"
    ),
)
OUTPUT_UNLISTED = Message(
    E_IO,
    "the output directory {out} holds files its manifest.json does not list ({files})",
    _REPLACES_WHOLE + "; move those files elsewhere first",
    ja="出力ディレクトリ {out} に、manifest.json に記載のないファイル（{files}）があります",
    hint_ja=(
        "specgen は出力ディレクトリを丸ごと置き換えます。先にそれらのファイルを別の場所"
        "に移してください"
    ),
)

TIGHTENS_COMMON = Message(
    W_TIGHTEN_COMMON,
    "change '{id}' of {name} sets {field} of the shared system for every participant: "
    "{model} → {value}",
    "listed for review: the common part of the joint spec now states {value} for all "
    "participants; agree it with them, or keep the model value",
    ja=(
        "{name}の変更「{id}」が、共同利用システムの {field} を全ての参加団体について定めてい"
        "ます：{model} → {value}"
    ),
    hint_ja=(
        "確認のため一覧に示します。共同調達仕様書の共通部分は全ての参加団体につ"
        "いて {value} となります。他の団体と合意するか、モデル値のままとしてく"
        "ださい"
    ),
)
LEVEL_SHARED = Message(
    W_LEVEL_SHARED,
    "change '{id}' of {name} sets level {level}, but the shared system implements it as {shared} "
    "for {others}",
    "one shared system either has a function or not; a participant chooses only whether to use "
    "it: write `op: exclude` to not use it (利用しない), or remove the level change",
    ja=(
        "{name}の変更「{id}」は区分を {level} としていますが、共同利用システムは{others}のた"
        "めにこれを {shared} として実装します"
    ),
    hint_ja=(
        "共同利用システムにその機能があるかないかは一つです。団体が選べるのは利用するか"
        "どうかだけです。利用しないときは op: exclude（利用しない）とし、そうでなければ"
        "区分の変更を削除してください"
    ),
)
LEVEL_CONFLICT = Message(
    E_LEVEL_CONFLICT,
    "change '{id}' of {name} sets level {level}, which the other participants using it ({others}) "
    "do not share: one shared system cannot both implement it and not",
    "agree one level with the other participants; a participant that does not need the "
    "function excludes it (`op: exclude`)",
    ja=(
        "{name}の変更「{id}」は区分を {level} としていますが、これを利用する他"
        "の団体（{others}）と一致しません。一つの共同利用システムで、実装と実装"
        "不可を両立できません"
    ),
    hint_ja=(
        "他の参加団体と区分を一つに合意してください。その機能を必要としない団体は op: ex"
        "clude（利用しない）としてください"
    ),
)
NONSTANDARD = Message(
    W_NONSTANDARD,
    "'{id}' of {name} cites no 機能ID (standard.function_id) but joins {chapter}, a chapter of "
    "the national standard's functions",
    "a function outside the standard (標準仕様外) belongs in a section of its own; if the "
    "standard has this function, cite its 機能ID in `requirement.standard`",
    ja=(
        "{name}の「{id}」は機能ID（standard.function_id）がありませんが、国の標準仕様書の機能"
        "の章である{chapter}に加えられています"
    ),
    hint_ja=(
        "標準仕様外の機能は専用の節に置いてください。標準仕様書にこの機能があるときは、r"
        "equirement.standard にその機能IDを書いてください"
    ),
)
LEAD_UNKNOWN = Message(
    E_MUNICIPALITY_CODE,
    "procurement.lead '{code}' is not a participating municipality",
    "the 代表団体 is one of the participants: {codes}",
    ja="procurement.lead の「{code}」は参加団体ではありません",
    hint_ja="代表団体は参加団体の一つです：{codes}",
)
PROFILE_KEY = Message(
    W_PROFILE_KEY,
    "profile key '{key}' has no label: the documents would print it as written",
    "{close}add it to `profile:` in specgen.yaml with the label to print, e.g. "
    "{key}: {{label: 項目名}} (a unit may follow: unit: 件)",
    ja="団体別諸元の項目「{key}」に表示名がありません。文書にはキーがそのまま表示されます",
    hint_ja=(
        "{close}specgen.yaml の profile: に表示名を加えてください（例：{key}: {{label: 項目名}}"
        "。unit: 件 のように単位も書けます）"
    ),
)
OFFICE_MISSING = Message(
    E_TOOL,
    "the pdf format needs LibreOffice, and neither soffice nor libreoffice is on PATH",
    "install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk; "
    "Windows/macOS: https://www.libreoffice.org/download/) or build without pdf",
    ja="pdf の出力には LibreOffice が必要ですが、soffice も libreoffice も PATH にありません",
    hint_ja=(
        "LibreOffice をインストールしてください（Debian/Ubuntu：sudo apt-get install lib"
        "reoffice-writer-nogui fonts-noto-cjk、Windows/macOS：https://www.libreoffice.or"
        "g/download/）。又は pdf なしで作成してください"
    ),
)
PDF_FAILED = Message(
    E_TOOL,
    "LibreOffice could not make the PDF of {stem}: {why}",
    "the Word file of the same build is complete; open it in LibreOffice to see what it "
    "reports, or build without pdf",
    ja="LibreOffice で {stem} の PDF を作成できませんでした：{why}",
    hint_ja=(
        "同じ作成の Word ファイルは完成しています。LibreOffice で開いて内容を確認するか"
        "、pdf なしで作成してください"
    ),
)

# --- returned response forms (specgen score) ---------------------------------------------------

_FORM_AS_WRITTEN = (
    "score the compliance/response-form.xlsx specgen wrote, answered in its answer cells and "
    "saved as .xlsx"
)
_FORM_AS_WRITTEN_JA = (
    "specgen が作成した compliance/response-form.xlsx の回答欄に記入し、.xlsx 形式で保存した"
    "ものを指定してください"
)
FORM_UNREADABLE = Message(
    E_FORM,
    "{file} cannot be read as a workbook: {why}",
    _FORM_AS_WRITTEN,
    ja="{file} をブック（.xlsx）として読めません：{why}",
    hint_ja=_FORM_AS_WRITTEN_JA,
)
FORM_NOT_FILE = Message(
    E_FORM,
    "{file} is {kind}, not a file: it was not read",
    _FORM_AS_WRITTEN,
    ja="{file} は{kind}であり、ファイルではありません。読み込んでいません",
    hint_ja=_FORM_AS_WRITTEN_JA,
)
FORM_LIMIT = Message(
    E_FORM,
    "{file} holds more than a response form can: {what}; it was not read",
    "a form holds one short row per requirement (FORMAT §9 gives the bounds); " + _FORM_AS_WRITTEN,
    ja="{file} は適合表が持ちうる量を超えています。{what}。読み込んでいません",
    hint_ja="適合表は要件ごとに短い行を一つ持つだけです（上限は FORMAT §9）。"
    + _FORM_AS_WRITTEN_JA,
)
FORM_NO_SHEET = Message(
    E_FORM,
    "the form has no sheet '{sheet}'",
    "the sheets of the form are {sheets}; do not rename or delete them",
    ja="シート「{sheet}」がありません",
    hint_ja="様式のシートは {sheets} です。シートの名前の変更や削除はしないでください",
)
FORM_HEADER = Message(
    E_FORM,
    "the header reads {found!r} where the form has {expected!r}; this sheet was not scored",
    "do not add, delete, move or rename columns",
    ja="見出しが「{found}」になっています（様式では「{expected}」）。このシートは採点していません",
    hint_ja="列の追加、削除、移動及び見出しの変更はしないでください",
)
FORM_NO_DIGEST = Message(
    E_FORM_VERSION,
    "the cover has no specification digest ({label}): the form cannot be matched to a version",
    "answer the form specgen wrote for this version, keeping its cover sheet",
    ja="表紙に仕様書の識別子（{label}）がありません。どの版の様式か確かめられません",
    hint_ja="この版の様式に、表紙を残したまま回答してください",
)
FORM_STALE = Message(
    E_FORM_VERSION,
    "the form belongs to another version of the specification (version {version}, digest "
    "{found}…); this specification is version {current}, digest {expected}…",
    "have the vendor answer the form of this version (compliance/response-form.xlsx of this "
    "build); answers to another version are not comparable",
    ja="別の版の仕様書の様式です（版 {version}、識別子 {found}…）。この仕様書は版 {current}、"
    "識別子 {expected}… です",
    hint_ja=(
        "この版の様式（今回作成した compliance/response-form.xlsx）に回答してもらってください。"
        "別の版への回答は比べられません"
    ),
)
ROW_ADDED = Message(
    E_FORM_ROWS,
    "row {id!r} is not a requirement of this specification: a row was added",
    "rows cannot be added; a vendor's own proposal goes in 代替案・補足 or 備考",
    ja="行「{id}」はこの仕様書の要件ではありません（行が追加されています）",
    hint_ja="行は追加できません。独自の提案は「代替案・補足」又は「備考」に記入してください",
)
ROW_REMOVED = Message(
    E_FORM_ROWS,
    "requirement {id} is missing: its row was deleted (row {row} of the form as written)",
    "rows cannot be deleted; every requirement must be answered",
    ja="要件 {id} の行がありません（様式の {row} 行目が削除されています）",
    hint_ja="行は削除できません。全ての要件に回答してください",
)
ROW_ID_CHANGED = Message(
    E_FORM_ROWS,
    "the ID of this row reads {found!r}; the form has {expected}",
    "IDs cannot be edited; answer the row as written",
    ja="この行の要件IDが「{found}」になっています（様式では {expected}）",
    hint_ja="要件IDは変更できません。様式のまま回答してください",
)
CELLS_MERGED = Message(
    E_FORM_MERGED,
    "cells {cells} are merged across rows {first} to {last}: only row {first} holds an answer, "
    "the others read as unanswered",
    "unmerge the cells and answer each requirement in its own row (as the form's 記入要領 asks)",
    ja="{cells} のセルが {first} 行目から {last} 行目まで結合されています。回答は {first} 行目"
    "だけにあり、他の行は未回答として読まれます",
    hint_ja="セルの結合を解除し、要件ごとにその行に回答してください（記入要領のとおり）",
)
CELL_CHANGED = Message(
    E_FORM_ROWS,
    "{column} of {id} was edited; the form has {expected!r}",
    "only the answer cells may be filled in; a requirement reads as the specification states it",
    ja="{id} の「{column}」が書き換えられています（様式では「{expected}」）",
    hint_ja="記入できるのは回答欄だけです。要件の記載は仕様書のとおりです",
)
ANSWER_INVALID = Message(
    E_FORM_ANSWER,
    "the answer to {id} is {found!r}, not one of ○ △ ×",
    "{close}choose ○, △ or × from the cell's list",
    ja="{id} の対応可否が「{found}」になっています。○、△、×のいずれでもありません",
    hint_ja="{close}セルのリストから○、△又は×を選んでください",
)
ANSWER_LOOKALIKE = Message(
    W_FORM_ANSWER,
    "the answer to {id} is {found!r} ({name}), read as {answer}",
    "choose from the cell's list so the answer is the character the form expects",
    ja="{id} の対応可否「{found}」（{name}）を「{answer}」として読みました",
    hint_ja="様式の文字になるよう、セルのリストから選んでください",
)
PROHIBITED_PARTIAL = Message(
    E_FORM_ANSWER,
    "the answer to {id} (prohibited) is △: only ○ (not implemented) or × (implemented)",
    "a prohibited function is either implemented or not; choose ○ or × from the cell's list",
    ja="{id}（実装不可）の対応可否が「△」になっています。○（実装しない）又は×（実装する）の"
    "いずれかです",
    hint_ja="実装不可の機能は、実装するかしないかのいずれかです。セルのリストから○又は×を選んで"
    "ください",
)
COST_INVALID = Message(
    E_FORM_COST,
    "the customization cost of {id} is {found!r}, not a number of thousand yen",
    "write a number such as 1200 (thousand yen, tax included), or leave the cell empty",
    ja="{id} のカスタマイズ費用が「{found}」になっています。千円単位の数値ではありません",
    hint_ja="1200 のように数値（千円、税込）を記入するか、空欄にしてください",
)
COST_TOO_LARGE = Message(
    E_FORM_NUMBER,
    "the customization cost of {id} is {found!r}, more than {limit:,} thousand yen (under "
    "10^15 yen), the most a form may give",
    "write the cost in thousand yen: 1200 for 1,200,000 yen",
    ja="{id} のカスタマイズ費用が「{found}」になっています。適合表に記入できる上限"
    "（{limit:,} 千円、10^15 円未満）を超えています",
    hint_ja="千円単位で記入してください（120万円なら 1200）",
)
VALUE_TOO_LARGE = Message(
    E_FORM_NUMBER,
    "the 達成値 of {id}, {found!r}, holds a number of {limit:,} or more, beyond what a form "
    "may give",
    "write the value the proposed system meets, in the unit of 目標値 ({target})",
    ja="{id} の達成値「{found}」に、適合表に記入できる上限（{limit:,}）以上の数値があります",
    hint_ja="提案するシステムが満たす値を、目標値（{target}）の単位で記入してください",
)
VALUE_MISSING = Message(
    W_FORM_VALUE,
    "{id} is answered {answer} but its 達成値 is empty",
    "write the value the proposed system meets, in the unit of 目標値 ({target})",
    ja="{id} は「{answer}」と回答されていますが、達成値が空欄です",
    hint_ja="提案するシステムが満たす値を、目標値（{target}）の単位で記入してください",
)
VALUE_UNREADABLE = Message(
    W_FORM_VALUE,
    "the 達成値 of {id}, {found!r}, holds {count} number(s) where 目標値 has {needed}",
    "write one number per target, in the order and unit of 目標値 ({target})",
    ja="{id} の達成値「{found}」には数値が {count} 個あります（目標値は {needed} 個）",
    hint_ja="目標値（{target}）の順と単位で、目標ごとに数値を一つずつ記入してください",
)
# What `specgen score` found wrong with a file, put into FORM_NOT_FILE, FORM_UNREADABLE and
# FORM_LIMIT: (English, Japanese) templates.
_FILE_KINDS = {
    "directory": ("a directory", "ディレクトリ"),
    "fifo": ("a FIFO (named pipe)", "名前付きパイプ（FIFO）"),
    "character": ("a character device", "キャラクタデバイス"),
    "block": ("a block device", "ブロックデバイス"),
    "socket": ("a socket", "ソケット"),
    "other": ("not a regular file", "通常のファイル以外のもの"),
}
_FORM_DAMAGE = {
    "os": ("{error}", "{error}"),
    "zip": (
        "it is not a zip archive (an .xlsx file is one)",
        "zip 形式ではありません（.xlsx は zip 形式です）",
    ),
    "no_workbook": ("it has no workbook part ({part})", "ブックの構成部品（{part}）がありません"),
    "method": (
        "its part {part} is compressed by method {method}, which no workbook uses",
        "構成部品 {part} の圧縮方式 {method} はブックで使われないものです",
    ),
    "part": ("its part {part} is damaged ({error})", "構成部品 {part} が壊れています（{error}）"),
    "sheet": (
        "sheet '{sheet}' ({part}) is damaged ({error})",
        "シート「{sheet}」（{part}）が壊れています（{error}）",
    ),
    "string_index": (
        "this cell refers to shared string {index}, and the workbook has {count:,}",
        "このセルは共有文字列 {index} を参照していますが、共有文字列は {count:,} 個です",
    ),
}
_FORM_LIMITS = {
    "file": (
        "the file is {size:,} MiB (at most {limit:,})",
        "ファイルが {size:,} MiB あります（上限 {limit:,}）",
    ),
    "unpacked": (
        "its parts unpack to {size:,} MiB (at most {limit:,})",
        "構成部品の展開後の大きさが {size:,} MiB あります（上限 {limit:,}）",
    ),
    "directory": (
        "its zip directory (the list of its parts) is over {limit:,} KiB",
        "zip の目次（構成部品の一覧）が {limit:,} KiB を超えています",
    ),
    "part": (
        "its part {part} unpacks to more than {limit:,} MiB",
        "構成部品 {part} の展開後の大きさが {limit:,} MiB を超えています",
    ),
    "sheet_part": (
        "sheet '{sheet}' ({part}) unpacks to more than {limit:,} MiB",
        "シート「{sheet}」（{part}）の展開後の大きさが {limit:,} MiB を超えています",
    ),
    "token": (
        "its part {part} has a tag, comment or declaration of more than {limit:,} MiB",
        "構成部品 {part} に {limit:,} MiB を超えるタグ、コメント又は宣言があります",
    ),
    "elements": (
        "its parts hold more than {limit:,} elements in all",
        "構成部品の要素が合計 {limit:,} 個を超えています",
    ),
    "depth": (
        "its part {part} nests elements more than {limit:,} deep",
        "構成部品 {part} の要素の入れ子が {limit:,} 段を超えています",
    ),
    "row": ("this row has more than {limit:,} cells", "この行のセルが {limit:,} 個を超えています"),
    "cells": (
        "its sheets have more than {limit:,} cells in all",
        "シートのセルが合計 {limit:,} 個を超えています",
    ),
    "cell": (
        "this cell holds more than {limit:,} characters",
        "このセルの文字数が {limit:,} 字を超えています",
    ),
    "text": (
        "its cells hold more than {limit:,} characters in all",
        "セルの文字数が合計 {limit:,} 字を超えています",
    ),
    "strings": (
        "its shared string table holds more than {limit:,} strings",
        "共有文字列が {limit:,} 個を超えています",
    ),
    "string": (
        "its shared string {index:,} holds more than {limit:,} characters",
        "共有文字列 {index:,} の文字数が {limit:,} 字を超えています",
    ),
    "string_text": (
        "its shared strings hold more than {limit:,} characters in all",
        "共有文字列の文字数が合計 {limit:,} 字を超えています",
    ),
    "merged": (
        "this sheet has more than {limit:,} merged ranges",
        "このシートのセルの結合が {limit:,} 個を超えています",
    ),
}


def _worded(templates: dict[str, tuple[str, str]], kind: str, values: dict[str, Any]) -> Words:
    english, japanese = templates[kind]
    return Words(english.format(**values), japanese.format(**values))


def form_file_kind(kind: str) -> Words:
    """What a path given to `specgen score` is when it is no regular file."""
    return _worded(_FILE_KINDS, kind, {})


def form_damage(kind: str, **values: Any) -> Words:
    """Why a returned form cannot be read (FORM_UNREADABLE's `why`)."""
    return _worded(_FORM_DAMAGE, kind, values)


def form_limit(kind: str, **values: Any) -> Words:
    """Which bound of FORMAT §9 a returned form passes (FORM_LIMIT's `what`)."""
    return _worded(_FORM_LIMITS, kind, values)


EVALUATION_NOT_OPTIONAL = Message(
    E_UNKNOWN_TARGET,
    "evaluation.requirements names {id}, which is {level}: only optional requirements earn points",
    "list optional requirements only; a mandatory one is a condition, not a score",
    ja="evaluation.requirements の {id} は{level}の要件です。得点は任意の要件にだけ付きます",
    hint_ja="任意の要件だけを書いてください。必須の要件は条件であり、得点の対象ではありません",
)
EVALUATION_NO_SECTION = Message(
    E_UNKNOWN_SECTION,
    "evaluation.chapters names section {number}, which has no optional requirement",
    "name a section number as the documents print it (e.g. 2 or 2.3) that holds optional "
    "requirements",
    ja="evaluation.chapters の {number} には任意の要件がありません",
    hint_ja="任意の要件を含む節の番号を、文書に印刷されるとおり（例：2、2.3）に書いてください",
)
CHART_FONT_MISSING = Message(
    E_TOOL,
    "the fit & gap chart needs a font with Japanese glyphs, and none of these is installed: "
    "{fonts}",
    "install one (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk), then run again",
    ja="フィット＆ギャップ分析の図には日本語の字形を持つフォントが必要ですが、次のいずれも"
    "インストールされていません：{fonts}",
    hint_ja="いずれかをインストールしてから再実行してください（Debian/Ubuntu：sudo apt-get install "
    "fonts-noto-cjk）",
)

# --- formerly and specgen diff ---------------------------------------------------------------

FORMERLY_EXISTS = Message(
    E_FORMERLY,
    "'{id}' says it replaces '{old}' (formerly), but the project still has '{old}' (at {first})",
    "a requirement can replace only what is gone: delete or rename '{old}', or remove it from "
    "formerly",
    ja="「{id}」は「{old}」を置き換える（formerly）としていますが、「{old}」はまだあります（{first}）",
    hint_ja=(
        "置き換えられるのは無くなった要件だけです。「{old}」を削除するか、formerly から外して"
        "ください"
    ),
)
FORMERLY_SELF = Message(
    E_FORMERLY,
    "'{id}' names itself in formerly",
    "formerly names the ID of an earlier version that this requirement replaces",
    ja="「{id}」の formerly に自分自身の ID が書かれています",
    hint_ja="formerly には、この要件が置き換える以前の版の ID を書いてください",
)
FORMERLY_TWICE = Message(
    E_FORMERLY,
    "'{id}' and '{other}' (at {first}) both say they replace '{old}'",
    "one requirement takes the place of another: name '{old}' in one formerly only",
    ja="「{id}」と「{other}」（{first}）の両方が「{old}」を置き換える（formerly）としています",
    hint_ja="置き換える要件は一つです。「{old}」は一つの要件の formerly にだけ書いてください",
)
VERSION_UNCHANGED = Message(
    W_VERSION_UNCHANGED,
    "the content differs from {old} ({changes} changed items), but project.version is still "
    "'{version}'",
    "raise version: (and add the revision to history:): readers, and the response forms vendors "
    "return, tell the versions apart by it",
    ja="{old} から内容が変わっています（改定 {changes} 件）が、project.version は「{version}」の"
    "ままです",
    hint_ja="version を改め、history: に改定を記載してください。読み手も、回答された適合表も、"
    "版で仕様書を区別します",
)
FORMERLY_UNKNOWN = Message(
    W_FORMERLY_UNKNOWN,
    "'{id}' is new and says it replaces '{old}' (formerly), which {source} does not have",
    "check the ID in formerly; the comparison shows '{id}' as added",
    ja="「{id}」は新設で、「{old}」を置き換える（formerly）としていますが、{source} に「{old}」は"
    "ありません",
    hint_ja="formerly の ID を確かめてください。対照表では「{id}」を新設として示します",
)
