"""The 新旧対照表 as Markdown (changed characters in <u>…</u>, which the Word writer draws as
傍線) and as JSON for tools. Every word a reader sees comes from specgen.labels."""

from __future__ import annotations

import json
from collections.abc import Mapping

from specgen.labels import labels_for
from specgen.render.dates import document_date
from specgen.render.markdown import escape_cell, escape_inline
from specgen.revision.compare import KINDS, Part, Revision, Row, Segments, Side

__all__ = ["revision_json", "revision_markdown"]


def _cell(segments: Segments | None, placeholder: str) -> str:
    """Segments as one table cell: changed characters in <u>…</u>, line breaks as <br>."""
    if segments is None:
        return placeholder
    out: list[str] = []
    for text, changed in segments:
        lines = [_escaped(line) for line in text.split("\n")]
        joined = "<br>".join(lines)
        out.append(f"<u>{joined}</u>" if changed and text.strip() else joined)
    return "".join(out) or placeholder


def _escaped(line: str) -> str:
    """A piece of a line escaped for a cell, the spaces at its ends kept: a change may begin
    or end at a space (「総務部 」 then 「デジタル推進」), which escape_cell would strip."""
    core = line.strip()
    if not core:
        return line.replace("\t", " ")
    start = line.index(core)
    return f"{line[:start]}{escape_cell(core)}{line[start + len(core) :]}"


def _sides(row: Row, labels: Mapping[str, str], order: str) -> tuple[str, str]:
    """The new and the old cell, in the order of the table's columns."""
    new = _cell(row.new, labels["rev_cell_deleted"] if row.kind == "deleted" else labels["absent"])
    old = _cell(row.old, labels["rev_cell_added"] if row.kind == "added" else labels["absent"])
    if row.note:  # under the text it is about, not in the narrow 種別 column
        note = f"<br>{escape_cell(labels['rev_note_mark'] + row.note)}"
        if row.new is not None:
            new += note
        else:
            old += note
    return (new, old) if order == "new-old" else (old, new)


def _side_line(side: Side, labels: Mapping[str, str], language: str) -> str:
    version = labels["rev_version_of"].format(version=side.version)
    return f"{version}{labels['lp']}{document_date(side.date, language)}{labels['rp']}"


def revision_markdown(revision: Revision, *, order: str = "new-old") -> str:
    """The 新旧対照表: a summary, the front matter's table, the baseline's, then each
    municipality's."""
    language = revision.language
    labels = labels_for(language)
    first, second = ("rev_new", "rev_old") if order == "new-old" else ("rev_old", "rev_new")
    sides = {"rev_new": revision.new, "rev_old": revision.old}
    span = labels["rev_range"].format(old=revision.old.version, new=revision.new.version)
    out = [f"# {labels['rev_title']}", "", f"{escape_inline(revision.new.title)}{span}", ""]
    out += [
        f"| | {labels[first]} | {labels[second]} |",
        "| --- | --- | --- |",
        f"| {labels['version']} | {_side_line(sides[first], labels, language)} | "
        f"{_side_line(sides[second], labels, language)} |",
        "",
        f"## {labels['rev_summary']}",
        "",
    ]
    if revision.empty:
        out += [labels["rev_none"], ""]
    colon, comma = labels["sep"], labels["comma"]
    unchanged: list[str] = []
    for part in revision.parts:
        if part.kind == "municipality" and not part.changed:
            unchanged.append(str(escape_inline(part.name)))
            continue
        if part.kind == "document" and not part.changed:
            continue
        counts = revision.counts[part.key]
        pattern = labels["rev_document_count" if part.kind == "document" else "rev_count"]
        extra = (
            f" {labels['rev_joined']}"
            if part.joined
            else f" {labels['rev_left']}"
            if part.left
            else ""
        )
        out.append(f"- {escape_inline(part.name)}{colon}{pattern.format(**counts)}{extra}")
    if unchanged:
        out.append(f"- {labels['rev_unchanged']}{colon}{comma.join(unchanged)}")
    out.append("")
    for part in revision.parts:
        if part.kind == "baseline" or part.changed:
            out += _part_table(part, revision, labels, order, first, second)
    return "\n".join(out).rstrip("\n") + "\n"


def _part_table(
    part: Part,
    revision: Revision,
    labels: Mapping[str, str],
    order: str,
    first: str,
    second: str,
) -> list[str]:
    if part.kind == "baseline":
        out = [f"## {labels['common_value']}", "", labels["rev_legend"], "",
               "<!-- specgen:widths 12 11 8 30 30 9 -->", ""]  # fmt: skip
        out.append(
            f"| {labels['id']} | {labels['rev_section']} | {labels['rev_item']} | "
            f"{labels[first]} | {labels[second]} | {labels['rev_kind']} |"
        )
        out.append("| --- | --- | --- | --- | --- | --- |")
        for row in part.rows:
            left, right = _sides(row, labels, order)
            # A section's own row (its body) names it in the 節 column; its ID cell is a dash.
            whole_section = bool(row.label) and row.label == row.section
            named = labels["rev_no_id"] if whole_section else _named(row, labels)
            section = escape_cell(row.section)
            out.append(
                f"| {named} | {section} | {escape_cell(row.item)}"
                f" | {left} | {right} | {_kind(row, labels)} |"
            )
        if not part.rows:
            out.append(f"| {labels['rev_no_rows']} | | | | | |")
        return [*out, "", *_moved_out(part)]
    if part.kind == "document":
        out = [f"## {escape_inline(part.name)}", ""]
    else:
        out = [f"## {escape_inline(labels['rev_annex'].format(name=part.name))}", ""]
    if part.joined or part.left:
        event = labels["rev_joined_named" if part.joined else "rev_left_named"]
        out += [str(escape_inline(event.format(name=part.name))), ""]
    if part.rows or not part.moved_out:
        out += [labels["rev_legend"], "", "<!-- specgen:widths 13 13 33 33 8 -->", ""]
        out += [f"| {labels['rev_target']} | {labels['rev_item']} | {labels[first]} | "
                f"{labels[second]} | {labels['rev_kind']} |",
                "| --- | --- | --- | --- | --- |"]  # fmt: skip
        for row in part.rows:
            left, right = _sides(row, labels, order)
            out.append(
                f"| {_named(row, labels)} | {escape_cell(row.item)} | {left} | {right} | "
                f"{_kind(row, labels)} |"
            )
        if not part.rows:
            out.append(f"| {labels['rev_no_rows']} | | | | |")
        out.append("")
    return [*out, *_moved_out(part)]


def _moved_out(part: Part) -> list[str]:
    """The requirements another part now holds, one line each, under the part's table."""
    lines = [f"- {escape_inline(line)}" for line in part.moved_out]
    return [*lines, ""] if lines else []


def _named(row: Row, labels: Mapping[str, str]) -> str:
    """What the row is about: a section or a group of the cover by name, else the ID (with
    the ID it replaces) and under it the requirement's title."""
    if row.label:
        return str(escape_cell(row.label))
    lines = [escape_cell(row.id)]
    if row.formerly:
        formerly = labels["rev_formerly"].format(id=row.formerly)
        lines.append(escape_cell(f"{labels['lp'].strip()}{formerly}{labels['rp']}"))
    if row.title:
        lines.append(escape_cell(row.title))
    return "<br>".join(str(line) for line in lines)


def _kind(row: Row, labels: Mapping[str, str]) -> str:
    return labels[f"rev_{row.kind}"]


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
        "summary": {
            key: {kind: value[kind] for kind in KINDS} for key, value in revision.counts.items()
        },
        "rows": [
            {
                "part": part.key,
                "municipality": part.name if part.code else None,
                "id": row.id,
                "section": row.section,
                "item": row.item,
                "kind": row.kind,
                "new": side(row.new),
                "old": side(row.old),
                "note": row.note,
                "label": row.label,
                "formerly": row.formerly or None,
            }
            for part in revision.parts
            for row in part.rows
        ],
        "moves": [
            {"id": rid, "formerly": formerly, "from": origin, "to": destination}
            for rid, formerly, origin, destination in revision.moves
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
