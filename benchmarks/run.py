"""The benchmark suite: specgen against its named peers, measured side by side in one run.

    python benchmarks/run.py [--sizes 1000,5000,20000] [--municipalities 19] [--repeat 3]
                             [--jobs 2] [--write benchmarks/RESULTS.md]

(a) `specgen build` (markdown + docx, joint + every municipality) against pandoc (-f gfm -t docx)
    converting the same Markdown files, both with --jobs processes;
(b) `specgen validate` against a bare yaml.CSafeLoader load of the same files (the floor);
(c) an incremental rebuild after editing one municipality's file against a cold build;
(d) how the cold build grows from 1,000 to 5,000 to 20,000 requirements;
(g) up to 5,000 requirements, a build with the response form (xlsx and csv) against one without;
(i) `specgen diff` of two versions of the project (2 % of requirement titles revised) against
    one cold markdown + docx build of it;
(k) `specgen consolidate` of every municipality's effective catalog written as its own
    catalog file (19 × 5,000 requirements) against one cold markdown + docx build;
(j) `specgen report fit-gap` of the project against one cold markdown + docx build of it;
(h) up to 5,000 requirements, `specgen score` of one answered form (the project's parse cache
    warm from its build, as when the prefecture scores the forms of its own build) against
    openpyxl's read-only mode loading the same workbook and reading every cell;
(f) with LibreOffice on PATH, `specgen build --format pdf` of the bundled project against
    LibreOffice's own `--convert-to pdf` of the same Word files;
(e) up to 5,000 requirements, when installed (benchmarks/README.md): `specgen build` against
    StrictDoc's HTML export and against Sphinx with sphinx-needs, and `specgen validate`
    against Doorstop's first validation, each tool given the same baseline requirements in its
    own format (peers.py).
Every figure is the best of --repeat runs of a whole command; peak memory is the largest
resident set of any process of that command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""
READ_ONLY = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        pass
book.close()
"""
FILL = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1])
for sheet in book.worksheets[1:]:
    answer = [c.value for c in sheet[1]].index("対応可否") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, answer).value = "○"
book.save(sys.argv[2])
"""
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float


def measure(command: list[str], *, repeat: int, before: list[str] | None = None) -> Run:
    """Best wall time of `repeat` runs; `before` runs (unmeasured) ahead of each."""
    best: Run | None = None
    for _ in range(repeat):
        if before:
            subprocess.run(before, check=True, capture_output=True)
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True
        ).stdout.split()
        if out[2] != "0":
            raise SystemExit(f"command failed ({out[2]}): {' '.join(command)}")
        run = Run(float(out[0]), int(out[1]) / 1024)
        if best is None or run.seconds < best.seconds:
            best = Run(run.seconds, max(run.peak_mib, best.peak_mib if best else 0))
    assert best is not None
    return best


# specgen's parse cache, for the benchmark's own runs only: cleared before every cold build and
# every validate, warm (from the build before it) for the incremental rebuild, as in real use.
PARSE_CACHE = WORK / "parse-cache"
os.environ["SPECGEN_CACHE_DIR"] = str(PARSE_CACHE)


def specgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "specgen", *args]


def generate(n: int, m: int) -> Path:
    target = WORK / f"{n}x{m}"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(target), "--requirements", str(n),
         "--municipalities", str(m), "--force"],
        check=True, capture_output=True,
    )  # fmt: skip
    return target


def revised(project: Path) -> Path:
    """A copy of `project` with every 50th requirement's title revised (2 %)."""
    import re

    target = project.parent / f"{project.name}-revised"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(project, target, ignore=shutil.ignore_patterns("bench-*"))
    count, pending = 0, False
    for path in sorted((target / "requirements").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines):
            if re.match(r"\s+- id: [A-Z]+-\d+$", line):
                count += 1
                pending = count % 50 == 0
            elif pending and line.lstrip().startswith("title: "):
                lines[number] = f"{line}（改定）"
                pending = False
        path.write_text("\n".join(lines), encoding="utf-8")
    return target


TOWN_CATALOGS = """
import sys
from pathlib import Path
from specgen.consolidate.emit import town_catalog_yaml
from specgen.validate import validate_project
target = Path(sys.argv[2])
target.mkdir(parents=True, exist_ok=True)
for effective in validate_project(Path(sys.argv[1])).effective:
    text = town_catalog_yaml(effective.catalog, effective.municipality)
    (target / f"{effective.municipality.code}.yaml").write_text(text, encoding="utf-8")
"""


def pandoc_command(project: Path, jobs: int) -> list[str]:
    """pandoc converting every spec.md of a previous build, `jobs` at a time (xargs -P)."""
    return [
        "sh", "-c",
        f"find {project / 'bench-md'} -name spec.md -print0 | xargs -0 -P {jobs} -I{{}} "
        "pandoc -f gfm -t docx -o {}.docx {}",
    ]  # fmt: skip


def touch_municipality(project: Path) -> list[str]:
    """A command that edits one municipality's file (a reason), as a user would."""
    first = sorted((project / "municipalities").glob("*.yaml"))[0]
    script = (
        "import sys, pathlib; p = pathlib.Path(sys.argv[1]); t = p.read_text('utf-8'); "
        "n = t.count('（改）'); "
        "p.write_text(t.replace('reason: ', 'reason: （改）', 1) if n == 0 else "
        "t.replace('（改）', '', 1), 'utf-8')"
    )
    return [sys.executable, "-c", script, str(first)]


PEERS = WORK / "peers"  # a virtualenv with strictdoc and doorstop (see benchmarks/README.md)
PEER_SIZES = 5000  # larger projects take the requirements tools minutes per run
CONSOLIDATE_SIZES = 5000  # see the consolidate row


def peer_tool(name: str) -> str | None:
    """A requirements tool's command: from benchmarks/work/peers, else from PATH."""
    return shutil.which(name, path=str(PEERS / "bin")) or shutil.which(name)


def peer_commands(project: Path, jobs: int) -> dict[str, tuple[list[str], list[str]]]:
    """(command, unmeasured preparation) of each installed requirements tool, on the project's
    baseline written in its format by peers.py: StrictDoc's HTML export with an empty cache,
    Sphinx's HTML build of the sphinx-needs page (no doctrees, `jobs` processes), and Doorstop's
    first validation of a new tree (which stamps and stages every item)."""
    out = project / "bench-peers"
    write = [sys.executable, str(HERE / "peers.py"), str(project), str(out)]
    commands: dict[str, tuple[list[str], list[str]]] = {}
    if strictdoc := peer_tool("strictdoc"):
        html, cache = out / "strictdoc-html", out / "strictdoc-tmp"
        commands["strictdoc export --formats html"] = (
            ["env", f"TMPDIR={cache}", strictdoc, "export", "--formats", "html",
             "--output-dir", str(html), str(out / "strictdoc")],
            ["sh", "-c", f"{shlex.join(write)} && mkdir -p {shlex.quote(str(cache))}"],
        )  # fmt: skip
    if sphinx := peer_tool("sphinx-build"):
        html, doctrees = out / "sphinx-html", out / "sphinx-doctrees"
        commands["sphinx-build -b html (sphinx-needs)"] = (
            [sphinx, "-q", "-b", "html", "-j", str(jobs), "-d", str(doctrees),
             str(out / "sphinx"), str(html)],
            write,
        )  # fmt: skip
    if doorstop := peer_tool("doorstop"):
        tree = out / "doorstop"
        commands["doorstop (first validation)"] = (
            ["sh", "-c", f"cd {shlex.quote(str(tree))} && {shlex.quote(doorstop)}"],
            write,
        )
    return commands


def versions() -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.split("\n")[0]
        except OSError:
            return "not installed"

    from specgen import __version__

    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}",
        "python": platform.python_version(),
        "specgen": __version__,
        "pandoc": first_line(["pandoc", "--version"]),
        **{
            name: first_line([tool, "--version"]) if (tool := peer_tool(name)) else "not installed"
            for name in ("strictdoc", "doorstop", "sphinx-build")
        },
        "sphinx-needs": first_line(
            [
                str(PEERS / "bin" / "python"),
                "-c",
                "import importlib.metadata as m; print(m.version('sphinx-needs'))",
            ]
        ),
    }


def pdf_row(row: Callable[[str, int, Run, Run | None, str], None], repeat: int, jobs: int) -> None:
    """(f) `specgen build --format pdf` of the bundled project (LibreOffice updating each
    table of contents) against LibreOffice's own `--convert-to pdf` of the same Word files,
    which leaves the tables of contents without page numbers: the floor."""
    out, pdfs = WORK / "bundled-pdf", WORK / "bundled-pdf-floor"
    build = specgen("build", str(REPO), "--out", str(out), "--format", "docx", "--format",
                    "pdf", "--jobs", str(jobs))  # fmt: skip
    ours = measure(build, repeat=repeat, before=["rm", "-rf", str(out), str(PARSE_CACHE)])
    documents = sorted(str(p) for p in out.rglob("spec.docx"))
    profile = (WORK / "soffice-profile").as_uri()
    floor = []
    for number, document in enumerate(documents):  # one directory each: every file is spec.pdf
        floor += ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                  "pdf", "--outdir", str(pdfs / str(number)), document, "&&"]  # fmt: skip
    command = ["sh", "-c", " ".join(shlex.quote(part) if part != "&&" else part
                                    for part in floor[:-1])]  # fmt: skip
    peer = measure(command, repeat=repeat)
    from specgen.validate import validate_project

    count = sum(1 for _ in validate_project(REPO).input.catalog.requirements())
    row("build docx+pdf (bundled, 4 towns) vs soffice --convert-to", count, ours, peer, "–")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--municipalities", type=int, default=19)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--write", type=Path, help="write the results as Markdown to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    m = args.municipalities
    have_pandoc = shutil.which("pandoc") is not None
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} with `python benchmarks/run.py "
        f"--sizes {args.sizes} --municipalities {m} --repeat {args.repeat} --jobs {args.jobs}`.",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in versions().items()]
    lines += ["", "| measure | requirements | specgen s | peer s | ratio | target | peak MiB |",
              "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    cold: dict[int, Run] = {}

    def row(name: str, n: int, ours: Run, peer: Run | None, target: str) -> None:
        ratio = f"{ours.seconds / peer.seconds:.2f}" if peer else "–"
        peer_s = f"{peer.seconds:.2f}" if peer else "–"
        text = (
            f"| {name} | {n:,} | {ours.seconds:.2f} | {peer_s} | {ratio} | {target} "
            f"| {ours.peak_mib:.0f} |"
        )
        lines.append(text)
        print(text, flush=True)

    for n in sizes:
        project = generate(n, m)
        repeat = args.repeat if n <= 5000 else 1
        out = project / "bench-out"
        build = specgen("build", str(project), "--out", str(out), "--format", "markdown",
                        "--format", "docx", "--jobs", str(args.jobs))  # fmt: skip
        clear = ["rm", "-rf", str(out), str(PARSE_CACHE)]  # cold: no output, no parse cache
        cold[n] = measure(build, repeat=repeat, before=clear)
        if have_pandoc:
            shutil.rmtree(project / "bench-md", ignore_errors=True)
            shutil.copytree(out, project / "bench-md", ignore=shutil.ignore_patterns("*.docx"))
            peer = measure(pandoc_command(project, args.jobs), repeat=repeat)
            row("build md+docx vs pandoc -f gfm", n, cold[n], peer, "≤ 0.25")
        else:
            row("build md+docx (pandoc not installed)", n, cold[n], None, "≤ 0.25")
        validate = measure(
            specgen("validate", str(project)), repeat=repeat, before=["rm", "-rf", str(PARSE_CACHE)]
        )
        floor = measure([sys.executable, "-c", FLOOR, str(project)], repeat=repeat)
        row("validate vs CSafeLoader load", n, validate, floor, "≤ 3")
        newer = revised(project)
        diff_out = project.parent / f"{project.name}-revision"
        diff = specgen("diff", str(project), str(newer), "--out", str(diff_out))
        compared = measure(
            diff, repeat=repeat, before=["rm", "-rf", str(diff_out), str(PARSE_CACHE)]
        )
        row("diff (新旧対照表, 2 % revised) vs cold build md+docx", n, compared, cold[n], "≤ 1")
        report_out = project.parent / f"{project.name}-fit-gap"
        report = specgen("report", "fit-gap", str(project), "--out", str(report_out))
        reported = measure(
            report, repeat=repeat, before=["rm", "-rf", str(report_out), str(PARSE_CACHE)]
        )
        row("report fit-gap vs cold build md+docx", n, reported, cold[n], "≤ 1")
        # A town's complete catalog past about 13,000 requirements exceeds what one YAML file
        # may hold (10 MiB, 100,000 nodes: FORMAT §2), so consolidate is measured up to 5,000.
        if n <= CONSOLIDATE_SIZES:
            catalogs = project.parent / f"{project.name}-towns"
            shutil.rmtree(catalogs, ignore_errors=True)
            subprocess.run([sys.executable, "-c", TOWN_CATALOGS, str(project), str(catalogs)],
                           check=True)  # fmt: skip
            proposal = project.parent / f"{project.name}-consolidated"
            inputs = sorted(str(p) for p in catalogs.glob("*.yaml"))
            like = str(project / "specgen.yaml")
            consolidate = specgen("consolidate", *inputs, "--out", str(proposal), "--like", like)
            consolidated = measure(consolidate, repeat=repeat, before=["rm", "-rf", str(proposal)])
            name = "consolidate 19 town catalogs vs cold build md+docx"
            row(name, n, consolidated, cold[n], "≤ 1")
        else:
            print(f"(consolidate not measured at {n:,}: a town's catalog is over a file's limits)")
        # Warm as in real use: the build before an edit rendered the joint spec too (an edit
        # and a build), so its Word pieces are in the cache; the measured edit is the next one.
        subprocess.run(touch_municipality(project), check=True, capture_output=True)
        subprocess.run(build, check=True, capture_output=True)
        incremental = measure(build, repeat=repeat, before=touch_municipality(project))
        row("rebuild after one municipality's edit vs cold", n, incremental, cold[n], "≤ 0.20")
        if n <= PEER_SIZES:  # (g) the response form's share of a full build
            forms = [*build, "--format", "xlsx", "--format", "csv"]
            with_forms = measure(forms, repeat=repeat, before=clear)
            row("build md+docx+xlsx+csv vs md+docx", n, with_forms, cold[n], "≤ 1.25")
            filled = project / "bench-filled.xlsx"
            subprocess.run([sys.executable, "-c", FILL, str(out / "compliance/response-form.xlsx"),
                            str(filled)], check=True)  # fmt: skip
            scored = measure(specgen("score", str(filled), "--project", str(project)),
                             repeat=repeat)  # fmt: skip
            read_only = measure([sys.executable, "-c", READ_ONLY, str(filled)], repeat=repeat)
            row("score one answered form vs openpyxl read-only load", n, scored, read_only, "≤ 2")
            for name, (command, prepare) in peer_commands(project, args.jobs).items():
                peer = measure(command, repeat=repeat, before=prepare)
                ours = validate if name.startswith("doorstop") else cold[n]
                what = "validate" if ours is validate else "build md+docx"
                row(f"{what} vs {name}", n, ours, peer, "–")
    if shutil.which("soffice"):
        pdf_row(row, args.repeat, args.jobs)
    ordered = sorted(cold)
    for smaller, larger in itertools.pairwise(ordered):
        target = "≤ 4.5" if (smaller, larger) == (5000, 20000) else f"linear: {larger / smaller:g}"
        row(f"cold build {larger:,} vs {smaller:,}", larger, cold[larger], cold[smaller], target)
    lines += ["", "Ratios are specgen ÷ peer (lower is better). Peak MiB is the largest resident "
              "set of any process of the specgen command (workers included)."]  # fmt: skip
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
