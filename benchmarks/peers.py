"""The baseline of a specgen project written for the requirements tools specgen is compared with.

    python benchmarks/peers.py PROJECT OUT_DIR

writes OUT_DIR/strictdoc/spec.sdoc (StrictDoc's SDoc: one document, the sections nested, each
requirement with its UID, title and statement), OUT_DIR/doorstop/ (a Doorstop tree in a git
working copy: one document, one YAML file per requirement, levels from the sections) and
OUT_DIR/sphinx/ (a Sphinx project: one page of sphinx-needs `req` directives under the
sections' headings). All hold exactly the baseline's requirements, so each tool works on the
same text as specgen.
The tools themselves are benchmark dependencies only, installed apart from specgen's own
environment (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from specgen.model import Catalog, Requirement, Section  # noqa: E402
from specgen.project import load_project  # noqa: E402


def load_baseline(project: Path) -> tuple[str, Catalog]:
    """The project's title and baseline catalog, read by specgen itself."""
    loaded, diagnostics = load_project(project)
    errors = [d for d in diagnostics if d.is_error]
    if errors or loaded.project is None:
        raise SystemExit(f"{project}: not a valid specgen project ({len(errors)} errors)")
    return loaded.project.title, loaded.catalog


def _one_line(text: str) -> str:
    return " ".join(text.split())


def strictdoc_text(title: str, catalog: Catalog) -> str:
    """The catalog as one SDoc document."""
    out = ["[DOCUMENT]", f"TITLE: {_one_line(title)}", ""]

    def requirement(req: Requirement) -> None:
        out.extend(["[REQUIREMENT]", f"UID: {req.id}", f"TITLE: {_one_line(req.title)}"])
        out.extend(["STATEMENT: >>>", *req.statement.strip("\n").split("\n"), "<<<", ""])

    def section(node: Section) -> None:
        out.extend(["[[SECTION]]", f"TITLE: {_one_line(node.title)}", ""])
        for req in node.requirements:
            requirement(req)
        for child in node.sections:
            section(child)
        out.extend(["[[/SECTION]]", ""])

    for node in catalog.sections:
        section(node)
    return "\n".join(out)


def _levels(sections: Sequence[Section], prefix: str = "") -> Iterator[tuple[str, Requirement]]:
    """Each requirement with a Doorstop level: the section path, then its place in the section."""
    for i, node in enumerate(sections, start=1):
        here = f"{prefix}{i}"
        for j, req in enumerate(node.requirements, start=1):
            yield f"{here}.{j}", req
        yield from _levels(node.sections, f"{here}.")


def _yaml_block(text: str) -> str:
    lines = text.strip("\n").split("\n")
    return "|\n" + "".join(f"  {line}\n" if line else "\n" for line in lines)


def write_doorstop(catalog: Catalog, target: Path) -> None:
    """A Doorstop tree with one document, REQ, in a fresh git working copy at `target`."""
    document = target / "reqs"
    document.mkdir(parents=True)
    (document / ".doorstop.yml").write_text(
        "settings:\n  digits: 5\n  prefix: REQ\n  sep: ''\n", encoding="utf-8"
    )
    for number, (level, req) in enumerate(_levels(catalog.sections), start=1):
        header = req.title.replace("'", "''")
        (document / f"REQ{number:05d}.yml").write_text(
            "active: true\nderived: false\n"
            f"header: '{header}'\nlevel: {level}\nlinks: []\nnormative: true\nref: ''\n"
            f"reviewed: null\ntext: {_yaml_block(req.statement)}",
            encoding="utf-8",
        )
    subprocess.run(["git", "init", "-q", str(target)], check=True)


_UNDERLINES = "=-~^\"'"
SPHINX_CONF = """project = {title!r}
extensions = ["sphinx_needs"]
language = "ja"
needs_id_regex = r"^[A-Za-z0-9_-]+$"
"""


def sphinx_needs_text(title: str, catalog: Catalog) -> str:
    """The catalog as one reStructuredText page of sphinx-needs `req` directives."""
    out = ["=" * (2 * len(title) + 2), title, "=" * (2 * len(title) + 2), ""]

    def section(node: Section, depth: int) -> None:
        heading = _one_line(node.title) or node.id
        out.extend(
            [heading, _UNDERLINES[min(depth, len(_UNDERLINES) - 1)] * (2 * len(heading) + 2), ""]
        )
        for req in node.requirements:
            out.extend([f".. req:: {_one_line(req.title)}", f"   :id: {req.id}", ""])
            out.extend(f"   {line}" if line.strip() else "" for line in req.statement.split("\n"))
            out.append("")
        for child in node.sections:
            section(child, depth + 1)

    for node in catalog.sections:
        section(node, 1)
    return "\n".join(out) + "\n"


def write_peers(project: Path, out: Path) -> None:
    title, catalog = load_baseline(project)
    shutil.rmtree(out, ignore_errors=True)
    (out / "strictdoc").mkdir(parents=True)
    (out / "strictdoc" / "spec.sdoc").write_text(strictdoc_text(title, catalog), encoding="utf-8")
    write_doorstop(catalog, out / "doorstop")
    (out / "sphinx").mkdir()
    (out / "sphinx" / "conf.py").write_text(SPHINX_CONF.format(title=title), encoding="utf-8")
    (out / "sphinx" / "index.rst").write_text(sphinx_needs_text(title, catalog), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    write_peers(args.project, args.out)


if __name__ == "__main__":
    main()
