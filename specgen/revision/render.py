"""The 新旧対照表 as Markdown (changed characters in <u>…</u>, which the Word writer draws as
傍線) and as JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Mapping

from specgen.render.dates import document_date
from specgen.render.markdown import escape_cell, escape_inline
from specgen.revision.compare import Part, Revision, Row, Segments, Side

__all__ = ["KINDS", "revision_json", "revision_markdown"]

KINDS = {
    "ja": {"added": "新設", "deleted": "削除", "changed": "変更", "moved": "移動"},
    "en": {"added": "added", "deleted": "deleted", "changed": "changed", "moved": "moved"},
}
_WORDS = {
    "ja": {
        "title": "新旧対照表", "new": "改定後", "old": "改定前", "version": "版",
        "summary": "改定の概要", "id": "要件ID", "section": "節", "item": "項目",
        "kind": "種別", "target": "対象", "none": "変更はありません。",
        "no_rows": "（変更なし）", "common": "共通仕様", "joined": "参加団体に加わった。",
        "left": "参加団体から外れた。", "source": "入力", "note": "（傍線部分は改定部分）",
        "count": "新設 {added} 件、削除 {deleted} 件、変更 {changed} 件、移動 {moved} 件",
        "town_count": "新設 {added} 件、削除 {deleted} 件、変更 {changed} 件",
        "range": "（第{old}版→第{new}版）",
        "annex": "{name}の個別仕様（変更・除外・追加）",
        "unchanged": "個別仕様に変更のない団体",
    },
    "en": {
        "title": "Comparison of revisions", "new": "Revised", "old": "Previous",
        "version": "Version", "summary": "Summary", "id": "ID", "section": "Section",
        "item": "Item", "kind": "Change", "target": "Target", "none": "Nothing changed.",
        "no_rows": "(no change)", "common": "Common part", "joined": "joined the procurement.",
        "left": "left the procurement.", "source": "Read from",
        "note": "(underlined: what is revised)", "range": " (version {old} → {new})",
        "count": "{added} added, {deleted} deleted, {changed} changed, {moved} moved",
        "town_count": "{added} added, {deleted} deleted, {changed} changed",
        "annex": "Differences of {name} (modifications, exclusions, additions)",
        "unchanged": "Municipalities whose differences did not change",
    },
}  # fmt: skip
# (opening and closing bracket, the colon after a label, the separator of a list)
_PUNCT = {"ja": ("（", "）", "：", "、"), "en": (" (", ")", ": ", ", ")}
_PLACEHOLDER = {
    "ja": {"added": "（新設）", "deleted": "（削る）", "absent": "（なし）"},
    "en": {"added": "(added)", "deleted": "(deleted)", "absent": "(none)"},
}


def _cell(segments: Segments | None, placeholder: str) -> str:
    """Segments as one table cell: changed characters in <u>…</u>, line breaks as <br>."""
    if segments is None:
        return placeholder
    out: list[str] = []
    for text, changed in segments:
        lines = [str(escape_cell(line)) if line else "" for line in text.split("\n")]
        joined = "<br>".join(lines)
        out.append(f"<u>{joined}</u>" if changed and text.strip() else joined)
    return "".join(out) or placeholder


def _sides(row: Row, language: str, order: str) -> tuple[str, str]:
    """The new and the old cell, in the order of the table's columns."""
    words = _PLACEHOLDER[language]
    new = _cell(row.new, words["deleted"] if row.kind == "deleted" else words["absent"])
    old = _cell(row.old, words["added"] if row.kind == "added" else words["absent"])
    if row.note:  # under the text it is about, not in the narrow 種別 column
        note = f"<br>※{escape_cell(row.note)}"
        if row.new is not None:
            new += note
        else:
            old += note
    return (new, old) if order == "new-old" else (old, new)


def _side_line(side: Side, language: str) -> str:
    version = f"第{side.version}版" if language == "ja" else f"version {side.version}"
    lp, rp = _PUNCT[language][:2]
    return f"{version}{lp}{document_date(side.date, language)}{rp}"


def revision_markdown(revision: Revision, *, order: str = "new-old") -> str:
    """The 新旧対照表: a summary, the baseline's table, then each municipality's."""
    language = revision.language
    words = _WORDS[language]
    kinds = KINDS[language]
    first, second = ("new", "old") if order == "new-old" else ("old", "new")
    sides = {"new": revision.new, "old": revision.old}
    span = words["range"].format(old=revision.old.version, new=revision.new.version)
    out = [f"# {words['title']}", "", f"{escape_inline(revision.new.title)}{span}", ""]
    out += [
        f"| | {words[first]} | {words[second]} |",
        "| --- | --- | --- |",
        f"| {words['version']} | {_side_line(sides[first], language)} | "
        f"{_side_line(sides[second], language)} |",
        "",
        f"## {words['summary']}",
        "",
    ]
    if revision.empty:
        out += [words["none"], ""]
    _, _, colon, comma = _PUNCT[language]
    unchanged: list[str] = []
    for part in revision.parts:
        if part.code is not None and not (part.rows or part.joined or part.left):
            unchanged.append(str(escape_inline(part.name)))
            continue
        counts = revision.counts[part.code or "baseline"]
        pattern = words["count"] if part.code is None else words["town_count"]
        name = words["common"] if part.code is None else part.name
        extra = f" {words['joined']}" if part.joined else f" {words['left']}" if part.left else ""
        out.append(f"- {escape_inline(name)}{colon}{pattern.format(**counts)}{extra}")
    if unchanged:
        out.append(f"- {words['unchanged']}{colon}{comma.join(unchanged)}")
    out.append("")
    for part in revision.parts:
        if part.code is None or part.rows or part.joined or part.left:
            out += _part_table(part, revision, words, kinds, order, first, second)
    return "\n".join(out).rstrip("\n") + "\n"


def _part_table(
    part: Part,
    revision: Revision,
    words: Mapping[str, str],
    kinds: Mapping[str, str],
    order: str,
    first: str,
    second: str,
) -> list[str]:
    language = revision.language
    if part.code is None:
        out = [f"## {words['common']}", "", words["note"], "",
               "<!-- specgen:widths 12 11 8 30 30 9 -->", ""]  # fmt: skip
        out.append(
            f"| {words['id']} | {words['section']} | {words['item']} | {words[first]} | "
            f"{words[second]} | {words['kind']} |"
        )
        out.append("| --- | --- | --- | --- | --- | --- |")
        for row in part.rows:
            left, right = _sides(row, language, order)
            out.append(
                f"| {_named(row)} | {escape_cell(row.section)} | {escape_cell(row.item)}"
                f" | {left} | {right} | {_kind(row, kinds)} |"
            )
        if not part.rows:
            out.append(f"| {words['no_rows']} | | | | | |")
        return [*out, ""]
    out = [f"## {escape_inline(words['annex'].format(name=part.name))}", ""]
    if part.joined or part.left:
        event = words["joined" if part.joined else "left"]
        separator = "は" if language == "ja" else " "
        out += [f"{escape_inline(part.name)}{separator}{event}", ""]
    out += [words["note"], "", "<!-- specgen:widths 13 13 33 33 8 -->", ""]
    out += [f"| {words['target']} | {words['item']} | {words[first]} | {words[second]} | "
            f"{words['kind']} |", "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for row in part.rows:
        left, right = _sides(row, language, order)
        out.append(
            f"| {_named(row)} | {escape_cell(row.item)} | {left} | {right} | {_kind(row, kinds)} |"
        )
    if not part.rows:
        out.append(f"| {words['no_rows']} | | | | |")
    return [*out, ""]


def _named(row: Row) -> str:
    """The ID, and under it the requirement's title: a reader sees what the row is about."""
    return (
        f"{escape_cell(row.id)}<br>{escape_cell(row.title)}" if row.title else escape_cell(row.id)
    )


def _kind(row: Row, kinds: Mapping[str, str]) -> str:
    return kinds[row.kind]


def revision_json(revision: Revision, *, order: str = "new-old") -> bytes:
    """The same rows as data: each side's text with the [start, end) spans that changed."""
    del order  # the data has both sides by name

    def side(segments: Segments | None) -> dict[str, object] | None:
        if segments is None:
            return None
        text, spans, at = "", [], 0
        for piece, changed in segments:
            if changed:
                spans.append([at, at + len(piece)])
            text += piece
            at += len(piece)
        return {"text": text, "changed": spans}

    def described(s: Side) -> dict[str, str]:
        return {"source": s.source, "version": s.version, "date": s.date, "title": s.title}

    document = {
        "old": described(revision.old),
        "new": described(revision.new),
        "summary": {key: dict(value) for key, value in revision.counts.items()},
        "rows": [
            {
                "part": part.code or "baseline",
                "municipality": part.name if part.code else None,
                "id": row.id,
                "section": row.section,
                "item": row.item,
                "kind": row.kind,
                "new": side(row.new),
                "old": side(row.old),
                "note": row.note,
            }
            for part in revision.parts
            for row in part.rows
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
