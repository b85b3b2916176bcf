"""Time the Word writer on one Markdown file, by phase, and optionally profile it.

    python benchmarks/docx_profile.py OUT/joint/spec.md [--repeat 3] [--profile 30]

Prints the best of `--repeat` runs of render_docx, then the same run split into markdown-it's
parse, the writer's walk, and the rest (reference, save, zip); `--profile N` adds cProfile's
N most expensive functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it.token import Token

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from specgen.render import docx  # noqa: E402
from specgen.render.docx.writer import Writer  # noqa: E402

INFO = docx.DocumentInfo(title="benchmark", issuer="benchmark", version="1", date="2026-01-01")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("markdown", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    markdown = args.markdown.read_text(encoding="utf-8")

    total = best_of(args.repeat, lambda: docx.render_docx(markdown, info=INFO))
    gc.disable()  # as render_docx does: collections would double the parse's time
    try:
        parse = best_of(args.repeat, lambda: docx.parse_markdown(markdown))
    finally:
        gc.enable()
    # The walk without the package around it: the writer on a fresh document, as _render does.
    phases: dict[str, float] = {}
    write_document = Writer.write_document

    def timed_write(writer: Writer, tokens: list[Token]) -> None:
        start = time.perf_counter()
        write_document(writer, tokens)
        phases["write"] = min(phases.get("write", float("inf")), time.perf_counter() - start)

    setattr(Writer, "write_document", timed_write)  # noqa: B010
    try:
        best_of(args.repeat, lambda: docx.render_docx(markdown, info=INFO))
    finally:
        setattr(Writer, "write_document", write_document)  # noqa: B010
    write = phases["write"]
    print(f"{args.markdown}: {len(markdown):,} characters, best of {args.repeat}")
    print(f"  render_docx {total:6.3f} s")
    print(f"  parse       {parse:6.3f} s")
    print(f"  write       {write:6.3f} s")
    print(f"  the rest    {total - parse - write:6.3f} s  (reference, save, zip)")

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(docx.render_docx, markdown, info=INFO)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
