"""The fit & gap chart: each town's deviations by chapter, as a PNG written deterministically
(a fixed CJK font, no timestamps, no software tag)."""

from __future__ import annotations

import io

from specgen.assessment.fitgap import FitGap

__all__ = ["CJK_FONTS", "ChartFontMissing", "chart_png"]

# Fonts with Japanese glyphs, in order of preference; the first installed one is used.
CJK_FONTS = (
    "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "Yu Gothic",
    "Hiragino Sans", "TakaoGothic",
)  # fmt: skip


class ChartFontMissing(Exception):
    """No font with Japanese glyphs is installed: the chart would show empty boxes."""


def _font() -> str:
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    raise ChartFontMissing(", ".join(CJK_FONTS))


def chart_png(fit: FitGap, language: str) -> bytes:
    """A stacked bar per town: its deviations (everything but 'common'), one colour a chapter."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    font = _font()
    ja = language == "ja"
    counts = _per_chapter(fit)
    with matplotlib.rc_context(
        {"font.family": font, "svg.hashsalt": "specgen", "path.simplify": False}
    ):
        wide = len(fit.towns) > 6  # names side by side would overlap: turn them
        figure, axes = plt.subplots(figsize=(max(8.0, 4 + 0.45 * len(fit.towns)), 4.5), dpi=100)
        try:
            bottom = [0] * len(fit.towns)
            names = [name for _, name in fit.towns]
            stacks = len(fit.chapters) + 1
            colours = plt.get_cmap("tab10" if stacks <= 10 else "tab20")
            for number, chapter in enumerate((*fit.chapters, "")):
                heights = [counts[town][number] for town in range(len(fit.towns))]
                if not any(heights):
                    continue
                label = chapter or ("追加（標準仕様外を含む）" if ja else "additions")
                colour = colours(number % (10 if stacks <= 10 else 20))
                axes.bar(names, heights, bottom=bottom, label=label, color=colour)
                bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            axes.set_ylabel("共通仕様からの乖離（件）" if ja else "Deviations from the common part")
            axes.set_title(
                "団体別・章別の乖離件数" if ja else "Deviations by municipality and chapter"
            )
            axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            if wide:
                axes.tick_params(axis="x", labelrotation=60)
            figure.tight_layout()
            out = io.BytesIO()
            figure.savefig(out, format="png", dpi=150, metadata={"Software": None})
        finally:
            plt.close(figure)
    return out.getvalue()


def _per_chapter(fit: FitGap) -> list[list[int]]:
    """Per town, the deviations in each chapter, then its additions last."""
    found: list[list[int]] = []
    for index, (code, _) in enumerate(fit.towns):
        row = [
            sum(1 for r in fit.rows if r[2] == chapter and r[3][index] != "common")
            for chapter in fit.chapters
        ]
        row.append(sum(1 for town, *_ in fit.added if town == code))
        found.append(row)
    return found
