"""The documents of a build: Markdown from the templates, and Word from that Markdown."""

from __future__ import annotations

import re
from collections.abc import Sequence

from specgen.joint import JointSpec
from specgen.merge import Effective
from specgen.model import Project
from specgen.render.docx import DocumentInfo, render_docx
from specgen.render.markdown import TemplateSet, render_template
from specgen.render.views import effective_view, joint_view

__all__ = ["docx_bytes", "markdown_sources"]

_BLANK_RUNS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """One blank line between blocks and one newline at the end: stable, diff-friendly files."""
    text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def markdown_sources(
    joint: JointSpec, selected: Sequence[Effective], templates: TemplateSet
) -> dict[str, str]:
    """Output stem → Markdown: `joint` and `municipalities/<code>` for each selected one."""
    view = joint_view(joint)
    sources = {
        "joint": _tidy(
            render_template(templates, "joint.md.j2", {"doc": view, "labels": view.labels})
        )
    }
    titles = {item.requirement.id: item.requirement.title for item in joint.requirements}
    for effective in selected:
        own = effective_view(effective, joint.project, titles)
        text = render_template(templates, "municipality.md.j2", {"doc": own, "labels": own.labels})
        sources[f"municipalities/{effective.municipality.code}"] = _tidy(text)
    return sources


def docx_bytes(markdown: str, project: Project, stem: str, reference: bytes | None) -> bytes:
    info = DocumentInfo(
        title=project.title,
        issuer=project.issuer.name,
        version=project.version,
        date=project.date,
        language=project.language,
        subject=stem,
    )
    return render_docx(markdown, info=info, reference=reference)
