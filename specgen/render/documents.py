"""The documents of a build: Markdown from the templates, and Word from that Markdown."""

from __future__ import annotations

import re

from specgen.joint import JointSpec
from specgen.merge import Effective
from specgen.model import Project
from specgen.render.docx import DocumentInfo, render_docx
from specgen.render.markdown import TemplateSet, markdown_labels, render_template
from specgen.render.views import effective_view, joint_view

__all__ = ["docx_bytes", "markdown_of"]

_BLANK_RUNS = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """One blank line between blocks and one newline at the end: stable, diff-friendly files."""
    text = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def markdown_of(joint: JointSpec, effective: Effective | None, templates: TemplateSet) -> str:
    """The Markdown of the joint spec (`effective` None) or of one municipality's own spec."""
    if effective is None:
        view = joint_view(joint)
        return _tidy(
            render_template(
                templates, "joint.md.j2", {"doc": view, "labels": markdown_labels(view.labels)}
            )
        )
    own = effective_view(effective, joint.project, joint.catalog)
    return _tidy(
        render_template(
            templates, "municipality.md.j2", {"doc": own, "labels": markdown_labels(own.labels)}
        )
    )


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
