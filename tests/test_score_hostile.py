"""`specgen score` on hostile workbooks (issue 21, defects 4, 5, 6, 9 and 12).

Each hostile file is made here from a valid returned form, its zip parts rewritten: a FIFO, a
device, a directory, a sheet of whitespace, millions of shared strings, a row of millions of
cells, numbers no float holds, damaged zips and markup. Each must end in exit 0 or 1 within
seconds, with its problem located at the sheet and cell where one applies (at the file
alone otherwise), JSON that is JSON, and — run in a subprocess whose address space is capped —
bounded memory.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator
from support import REPO, copy_of_bundled, run_cli

from specgen.schemas import OUTPUT_SCHEMAS
from specgen.scoring import forms

MEMORY = 1536 << 20  # the address space a run may take: a blow-up fails the run, not the host
PEAK_MIB = 200  # resident memory a run may reach: FORMAT §9 promises under 1 GB
SECONDS = 30  # a hang fails the test rather than the suite
FUNCTIONAL = "xl/worksheets/sheet2.xml"  # 機能要件, as openpyxl saves the form
NONFUNCTIONAL = "xl/worksheets/sheet3.xml"  # 非機能要件
COVER = "xl/worksheets/sheet1.xml"  # 表紙
COST, ANSWER = "N", "L"  # columns of 機能要件 in the bundled project's form (four towns)

Part = bytes | Callable[[], Iterable[bytes]] | None  # new content, made in chunks, or deleted


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_of_bundled(tmp_path_factory.mktemp("hostile") / "project")
    result = run_cli("build", str(root), "--format", "xlsx")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def valid(project: Path) -> bytes:
    """A valid returned form: every requirement ○, every non-functional target met, and the
    marker cells the tests turn into hostile ones (inline strings as openpyxl saves them)."""
    book = openpyxl.load_workbook(project / "output/compliance/response-form.xlsx")
    functional, other = book["機能要件"], book["非機能要件"]
    answer = [c.value for c in functional[1]].index("対応可否") + 1
    assert openpyxl.utils.get_column_letter(answer) == ANSWER
    for r in range(2, functional.max_row + 1):
        functional.cell(r, answer).value = "○"
    for r in range(2, other.max_row + 1):
        other.cell(r, 7).value = "○"
        numbers = re.findall(r"[0-9][0-9,.]*", str(other.cell(r, 5).value or ""))
        other.cell(r, 6).value = " ".join(numbers).replace(",", "")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(form: bytes, out: Path, parts: dict[str, Part] | None = None) -> Path:
    """`form` written again to `out` (deflated), with `parts` replaced, added or deleted."""
    parts = parts or {}
    with (
        zipfile.ZipFile(io.BytesIO(form)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        names = source.namelist()
        for name in names + [n for n in parts if n not in names]:
            content = parts[name] if name in parts else source.read(name)
            if content is None:
                continue
            if isinstance(content, bytes):
                target.writestr(name, content)
                continue
            with target.open(name, "w") as member:
                for chunk in content():
                    member.write(chunk)
    return out


def part(form: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(form)) as archive:
        return archive.read(name)


def with_cells(form: bytes, sheet: str, cells: dict[str, str]) -> bytes:
    """`sheet`'s part with the XML of each cell (by reference) replaced: `<c r=…>…</c>`."""
    xml = part(form, sheet).decode()
    for reference, replacement in cells.items():
        cell = re.compile(rf'<c r="{reference}"[^>]*?(?:/>|>.*?</c>)', re.S)
        xml, count = cell.subn(lambda _, new=replacement: new, xml, count=1)
        if not count:  # an empty cell openpyxl left out: put it at the end of its row
            row = re.compile(rf'(<row r="{re.sub(r"[A-Z]+", "", reference)}"[^>]*>.*?)</row>', re.S)
            xml, count = row.subn(lambda m, new=replacement: f"{m[1]}{new}</row>", xml, count=1)
        assert count == 1, reference
    return xml.encode()


def repeated(head: bytes, unit: bytes, times: int, tail: bytes) -> Callable[[], Iterator[bytes]]:
    """`head`, `unit` × `times` and `tail`, made a megabyte at a time."""

    def chunks() -> Iterator[bytes]:
        yield head
        block = unit * max(1, (1 << 20) // len(unit))
        whole, rest = divmod(times * len(unit), len(block))
        for _ in range(whole):
            yield block
        yield unit * (rest // len(unit))
        yield tail

    return chunks


# --- running score ------------------------------------------------------------------------

# The CLI, then its peak resident memory: VmHWM is this program's own (ru_maxrss would count
# the pytest process it was forked from).
_RUN = """
import re, resource, sys
from specgen.cli import main
try:
    main()
finally:
    try:
        with open("/proc/self/status") as status:
            peak = int(re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1))
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak-rss-kib={peak}", file=sys.stderr)
"""


@dataclass(frozen=True)
class Run:
    status: int
    reports: list[dict[str, object]]
    peak_mib: float
    seconds: float


def _strict_json(text: str) -> list[dict[str, object]]:
    """JSON as a tool reads it (NaN and Infinity are not JSON), of the published schema."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON report")

    reports = json.loads(text, parse_constant=refuse)
    Draft202012Validator(OUTPUT_SCHEMAS["score"]).validate(reports)  # the published shape
    assert isinstance(reports, list)
    return reports


def score_bounded(project: Path, *paths: Path) -> Run:
    """`specgen score --format json` in a subprocess with its address space capped at
    MEMORY, killed after SECONDS, its peak resident memory under PEAK_MIB."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "score", *map(str, paths), "--project", str(project),
         "--format", "json", "--lang", "en"],
        capture_output=True, text=True, timeout=SECONDS, preexec_fn=cap, check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    peak = re.search(r"peak-rss-kib=(\d+)", done.stderr)
    assert peak is not None, done.stderr
    assert int(peak.group(1)) < PEAK_MIB << 10, f"{int(peak.group(1)) >> 10} MiB resident"
    return Run(done.returncode, _strict_json(done.stdout), int(peak.group(1)) / 1024, seconds)


def score_here(project: Path, *paths: Path) -> tuple[int, list[dict[str, object]]]:
    """The same in this process (for files that are hostile in what they say, not in size)."""
    result = run_cli("score", *map(str, paths), "--project", str(project), "--format", "json")
    assert "Traceback" not in result.output
    return result.exit_code, _strict_json(result.stdout)


def problems(report: dict[str, object]) -> list[tuple[str, str]]:
    """(code, where) of each problem: `sheet!cell`, or the file when no cell applies. A
    location is never row 0."""
    found = report["problems"]
    assert isinstance(found, list)
    located = []
    for problem in found:
        assert problem["file"] == report["file"]
        if "sheet" in problem:
            assert problem["line"] >= 1 and problem["column"] >= 1, problem
            assert re.fullmatch(r"[A-Z]{1,3}[1-9][0-9]*", problem["cell"]), problem
            located.append((problem["code"], f"{problem['sheet']}!{problem['cell']}"))
        else:
            assert problem["line"] == problem["column"] == 0, problem
            located.append((problem["code"], problem["file"]))
    return located


def message(report: dict[str, object], index: int = 0) -> str:
    found = report["problems"]
    assert isinstance(found, list)
    return str(found[index]["message"])


# --- not a file (defects 4 and 5) -------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("fifo", "a FIFO (named pipe)"),
        ("device", "a character device"),
        ("directory", "a directory"),
    ],
)
def test_what_is_not_a_regular_file_is_refused_at_once(
    project: Path, tmp_path: Path, valid: bytes, kind: str, words: str
) -> None:
    """A FIFO would block the open, /dev/zero (behind a link) never ends: neither is opened.
    The valid form beside it is still scored."""
    path = tmp_path / "form.xlsx"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    good = rezip(valid, tmp_path / "good.xlsx")
    run = score_bounded(project, path, good)
    assert run.status == 1 and run.seconds < SECONDS / 2
    hostile, scored = run.reports
    assert problems(hostile) == [("E-FORM", str(path))]
    assert f"is {words}, not a file" in message(hostile)
    assert hostile["readable"] is False and scored["valid"] is True


# --- memory and time (defect 6) ---------------------------------------------------------


def test_a_sheet_of_whitespace_past_a_parts_bound_is_refused_unread(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """The fuzzer's 7 MB form held a sheet of 1.5 GiB of spaces: a sheet declaring more than
    256 MiB is refused from its declared size, nothing unpacked."""
    sheet = part(valid, FUNCTIONAL)
    head, tail = sheet.split(b"</sheetData>")
    spaces = repeated(head + b"</sheetData>", b" ", (forms.MAX_PART_BYTES >> 20) + 8 << 20, tail)
    run = score_bounded(project, rezip(valid, tmp_path / "f.xlsx", {FUNCTIONAL: spaces}))
    [report] = run.reports
    assert run.status == 1 and problems(report) == [("E-FORM", report["file"])]
    assert "sheet '機能要件' (xl/worksheets/sheet2.xml) unpacks to more than 256 MiB" in message(
        report
    )
    assert run.seconds < 10


def test_whitespace_within_the_bound_is_read_in_little_memory(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """200 MiB of spaces between rows is well-formed XML: read as it unpacks, never held."""
    sheet = part(valid, FUNCTIONAL)
    head, tail = sheet.split(b'<row r="3"', 1)
    spaces = repeated(head, b" ", 200 << 20, b'<row r="3"' + tail)
    run = score_bounded(project, rezip(valid, tmp_path / "f.xlsx", {FUNCTIONAL: spaces}))
    [report] = run.reports
    assert run.status == 0 and report["valid"] is True


def test_a_cell_past_excels_length_is_located_at_its_cell(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """12 MiB of spaces in one answer cell: read up to 32,767 characters, then refused there."""
    blank = " " * (12 << 20)
    cell = f'<c r="{ANSWER}5" t="inlineStr"><is><t xml:space="preserve">○{blank}</t></is></c>'
    sheet = with_cells(valid, FUNCTIONAL, {f"{ANSWER}5": cell})
    run = score_bounded(project, rezip(valid, tmp_path / "f.xlsx", {FUNCTIONAL: sheet}))
    [report] = run.reports
    assert run.status == 1 and problems(report) == [("E-FORM", f"機能要件!{ANSWER}5")]
    assert "this cell holds more than 32,767 characters" in message(report)


def test_millions_of_shared_strings_stop_at_the_bound(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """25 million empty strings fit in 2.7 MB zipped; the table is read to its millionth."""
    rels = part(valid, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdS"/></Relationships>',
    )
    types = part(valid, "[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    table = repeated(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        b"<si/>", 25_000_000, b"</sst>",
    )  # fmt: skip
    parts: dict[str, Part] = {
        "xl/_rels/workbook.xml.rels": rels,
        "[Content_Types].xml": types,
        "xl/sharedStrings.xml": table,
    }
    form = rezip(valid, tmp_path / "f.xlsx", parts)
    assert form.stat().st_size < 4 << 20
    run = score_bounded(project, form)
    [report] = run.reports
    assert run.status == 1 and problems(report) == [("E-FORM", report["file"])]
    assert "shared string table holds more than 1,000,000 strings" in message(report)
    assert run.seconds < 15


def test_a_row_of_millions_of_cells_is_located_at_its_row(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """One row of 3,000,000 cells: refused at the 16,385th, at the row's first cell."""
    sheet = part(valid, FUNCTIONAL)
    head, tail = sheet.split(b"</sheetData>")
    row = repeated(head + b'<row r="9000">', b"<c/>", 3_000_000, b"</row></sheetData>" + tail)
    run = score_bounded(project, rezip(valid, tmp_path / "f.xlsx", {FUNCTIONAL: row}))
    [report] = run.reports
    assert run.status == 1 and problems(report) == [("E-FORM", "機能要件!A9000")]
    assert "this row has more than 16,384 cells" in message(report)
    assert run.seconds < 10


@pytest.mark.parametrize(
    ("bound", "limit", "words", "where"),
    [
        ("MAX_CELLS", 1000, "its sheets have more than 1,000 cells in all", "機能要件!"),
        (
            "MAX_TEXT_CHARS",
            20_000,
            "its cells hold more than 20,000 characters in all",
            "機能要件!",
        ),
        ("MAX_MERGED", 0, "this sheet has more than 0 merged ranges", "機能要件!A1"),
        ("MAX_ELEMENTS", 2000, "its parts hold more than 2,000 elements in all", "機能要件!"),
    ],
)
def test_the_workbooks_budgets_are_located_where_they_run_out(
    project: Path,
    tmp_path: Path,
    valid: bytes,
    monkeypatch: pytest.MonkeyPatch,
    bound: str,
    limit: int,
    words: str,
    where: str,
) -> None:
    """The totals of the cells read (lowered here so that the bundled form passes them) are
    refused at the sheet and cell that passed them."""
    merged = part(valid, FUNCTIONAL).replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    )
    form = rezip(valid, tmp_path / "f.xlsx", {FUNCTIONAL: merged})
    monkeypatch.setattr(forms, bound, limit)
    status, [report] = score_here(project, form)
    [(code, located)] = problems(report)
    assert status == 1 and code == "E-FORM" and located.startswith(where)
    assert words in message(report)


# --- numbers (defect 9) -------------------------------------------------------------------


def test_a_number_no_float_holds_is_a_located_error_and_the_json_stays_json(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """A 400-digit cost read as infinity made `--format json` print Infinity. Costs past
    999,999,999,999 thousand yen and 達成値 numbers of 10^15 or more are errors at their cell;
    the largest cost is accepted."""
    functional = with_cells(valid, FUNCTIONAL, {
        f"{COST}3": f'<c r="{COST}3"><v>{"9" * 400}</v></c>',  # a number cell
        f"{COST}4": f'<c r="{COST}4" t="inlineStr"><is><t>{"9" * 400}</t></is></c>',  # text
        f"{COST}5": f'<c r="{COST}5"><v>1000000000000</v></c>',
        f"{COST}6": f'<c r="{COST}6"><v>999999999999</v></c>',
    })  # fmt: skip
    nonfunctional = with_cells(valid, NONFUNCTIONAL, {
        "F3": f'<c r="F3" t="inlineStr"><is><t>1{"0" * 400}</t></is></c>',
    })  # fmt: skip
    parts: dict[str, Part] = {FUNCTIONAL: functional, NONFUNCTIONAL: nonfunctional}
    status, [report] = score_here(project, rezip(valid, tmp_path / "f.xlsx", parts))
    assert status == 1 and report["valid"] is False
    assert problems(report) == [
        ("E-FORM-NUMBER", f"機能要件!{COST}3"),
        ("E-FORM-NUMBER", f"機能要件!{COST}4"),
        ("E-FORM-NUMBER", f"機能要件!{COST}5"),
        ("E-FORM-NUMBER", "非機能要件!F3"),
    ]
    assert report["customization_cost_thousand_yen"] == 999_999_999_999
    assert "999,999,999,999 thousand yen" in message(report)
    assert "…" in message(report)  # 400 digits are shortened in the message


def test_nan_and_infinity_are_never_numbers(project: Path, tmp_path: Path, valid: bytes) -> None:
    """NaN and infinity, in number cells (openpyxl could not read the workbook at all) and
    typed as text, are a located cost error, or a 達成値 that cannot be compared."""
    functional = with_cells(valid, FUNCTIONAL, {
        f"{COST}3": f'<c r="{COST}3"><v>NaN</v></c>',
        f"{COST}4": f'<c r="{COST}4"><v>inf</v></c>',
        f"{COST}5": f'<c r="{COST}5"><v>-1e999</v></c>',
        f"{COST}6": f'<c r="{COST}6" t="inlineStr"><is><t>Infinity</t></is></c>',
    })  # fmt: skip
    nonfunctional = with_cells(valid, NONFUNCTIONAL, {
        "F3": '<c r="F3"><v>NaN</v></c>',
        "F4": '<c r="F4" t="inlineStr"><is><t>inf</t></is></c>',
    })  # fmt: skip
    parts: dict[str, Part] = {FUNCTIONAL: functional, NONFUNCTIONAL: nonfunctional}
    status, [report] = score_here(project, rezip(valid, tmp_path / "f.xlsx", parts))
    assert status == 1 and report["readable"] is True
    assert problems(report) == [
        ("E-FORM-COST", f"機能要件!{COST}3"),
        ("E-FORM-COST", f"機能要件!{COST}4"),
        ("E-FORM-COST", f"機能要件!{COST}5"),
        ("E-FORM-COST", f"機能要件!{COST}6"),
        ("W-FORM-VALUE", "非機能要件!F3"),
        ("W-FORM-VALUE", "非機能要件!F4"),
    ]
    assert report["customization_cost_thousand_yen"] == 0


# --- locations (part of defect 12) and damaged files ------------------------------------


def test_a_form_without_its_cover_or_its_digest_is_located_at_a_real_place(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """A missing cover part was reported at 表紙!0 (a row 0): it is the file's problem; a
    cover without its digest row is located where the form writes the digest."""
    no_cover = rezip(valid, tmp_path / "a.xlsx", {COVER: None})
    cover = re.sub(rb'<row r="8".*?</row>', b"", part(valid, COVER), flags=re.S)
    no_digest = rezip(valid, tmp_path / "b.xlsx", {COVER: cover})
    status, [without, undigested] = score_here(project, no_cover, no_digest)
    assert status == 1
    assert problems(without) == [("E-FORM", without["file"])]
    assert "the form has no sheet '表紙'" in message(without)
    assert problems(undigested) == [("E-FORM-VERSION", "表紙!B8")]


def _damaged_sheet(form: bytes) -> bytes:
    """The form with bytes in the middle of 機能要件's deflated data overwritten."""
    with zipfile.ZipFile(io.BytesIO(form)) as archive:
        info = archive.getinfo(FUNCTIONAL)
    data = bytearray(form)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle : middle + 64] = bytes(range(64))
    return bytes(data)


def _declared_smaller(form: bytes) -> bytes:
    """The form with 機能要件's declared size in the zip directory cut to 4 KiB: zipfile
    stops there, and the part's CRC fails."""
    with zipfile.ZipFile(io.BytesIO(form)) as archive:
        size = archive.getinfo(FUNCTIONAL).file_size
    directory = form.index(b"PK\x01\x02")  # its first entry
    at = form.index(FUNCTIONAL.encode(), directory) - 46  # the sheet's entry
    assert form[at : at + 4] == b"PK\x01\x02"
    field = at + 24  # uncompressed size
    assert int.from_bytes(form[field : field + 4], "little") == size
    return form[:field] + (4096).to_bytes(4, "little") + form[field + 4 :]


def _compressed_by_bzip2(form: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(form)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            method = zipfile.ZIP_BZIP2 if info.filename == FUNCTIONAL else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, source.read(info), compress_type=method)
    return out.getvalue()


def _many_parts(form: bytes) -> bytes:
    """The form and 30,000 empty parts: a zip directory of 1.7 MiB."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(form)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        for number in range(30_000):
            target.writestr(f"customXml/item{number:08}.xml", b"")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "where", "words"),
    [
        (lambda form: "これは Excel ではない".encode(), None, "not a zip archive"),
        (lambda form: form[: len(form) // 2], None, "not a zip archive"),
        (_damaged_sheet, "機能要件!", "sheet '機能要件' (xl/worksheets/sheet2.xml) is damaged"),
        (_declared_smaller, None, "sheet '機能要件' (xl/worksheets/sheet2.xml) is damaged"),
        (_compressed_by_bzip2, None, "compressed by method 12, which no workbook uses"),
        (_many_parts, None, "its zip directory (the list of its parts) is over 1,024 KiB"),
    ],
    ids=["not-zip", "truncated", "damaged-data", "declared-smaller", "bzip2", "many-parts"],
)
def test_a_damaged_zip_is_a_located_problem(
    project: Path,
    tmp_path: Path,
    valid: bytes,
    make: Callable[[bytes], bytes],
    where: str | None,
    words: str,
) -> None:
    path = tmp_path / "f.xlsx"
    path.write_bytes(make(valid))
    status, [report] = score_here(project, path)
    [(code, located)] = problems(report)
    assert status == 1 and code == "E-FORM" and report["readable"] is False
    assert located.startswith(where) if where else located == report["file"]
    assert words in message(report)


@pytest.mark.parametrize(
    ("markup", "words"),
    [
        (
            b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>',
            "a DTD is declared",
        ),
        (b"<!--" + b"x" * (9 << 20) + b"-->", "comment or declaration of more than 8 MiB"),
        (b"", "nests elements more than 64 deep"),
    ],
    ids=["dtd", "comment", "deep"],
)
def test_hostile_markup_is_refused_at_its_part(
    project: Path, tmp_path: Path, valid: bytes, markup: bytes, words: str
) -> None:
    sheet = part(valid, FUNCTIONAL)
    if markup:  # before the root element
        declaration, rest = sheet.split(b"?>", 1) if sheet.startswith(b"<?xml") else (b"", sheet)
        sheet = (declaration + b"?>" if declaration else b"") + markup + rest
    else:
        sheet = sheet.replace(b"</sheetData>", b"<x>" * 100 + b"</x>" * 100 + b"</sheetData>")
    status, [report] = score_here(project, rezip(valid, tmp_path / "f.xlsx", {FUNCTIONAL: sheet}))
    [(code, _)] = problems(report)
    assert status == 1 and code == "E-FORM" and words in message(report)


def test_mutants_of_a_returned_form_never_crash_and_every_problem_is_located(
    project: Path, tmp_path: Path, valid: bytes
) -> None:
    """A bounded run of the long fuzzer's score family (`tools/fuzz.py --family score`):
    39 seeds that take a few seconds (some others build a million shared strings)."""
    spec = importlib.util.spec_from_file_location("specgen_fuzz_score", REPO / "tools/fuzz.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    sys.modules["specgen_fuzz_score"] = fuzz  # its dataclasses look it up by name
    spec.loader.exec_module(fuzz)
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    results = [fuzz.run_score_case(seed, tmp_path, project, parts) for seed in range(30, 69)]
    assert [r for r in results if not r.ok] == []
    assert {r.validate_exit for r in results} == {0, 1}  # some mutants stay valid
