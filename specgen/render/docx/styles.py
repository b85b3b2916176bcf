"""The styles of the reference document that the writer uses, resolved once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from specgen.render.docx import oxml

# -- styles -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Styles:
    """Style IDs resolved once by name; a style the reference lacks is added in a minimal form."""

    element: oxml.Element = field(repr=False)
    headings: tuple[str, ...]
    toc: tuple[str, ...]
    title: str
    quote: str
    list_paragraph: str
    code: str
    verbatim: str
    hyperlink: str
    table: str
    footer: str

    @classmethod
    def resolve(cls, styles: oxml.Element) -> Styles:
        index = oxml.StyleIndex.of(styles)

        def get(name: str, kind: str, style_id: str, based_on: str | None = "Normal") -> str:
            found = index.find(name, kind)
            if found is not None:
                return found
            style = oxml.add_style(
                styles, name=name, kind=kind, style_id=style_id, based_on=based_on
            )
            if name.startswith("heading "):
                oxml.set_heading_look(style, int(name[-1]))
            elif kind == "table":
                oxml.set_table_borders(style)
            return style_id

        return cls(
            element=styles,
            headings=tuple(get(f"heading {n}", "paragraph", f"Heading{n}") for n in range(1, 7)),
            toc=tuple(get(f"toc {n}", "paragraph", f"TOC{n}") for n in range(1, 4)),
            title=get("Title", "paragraph", "Title"),
            quote=get("Quote", "paragraph", "Quote"),
            list_paragraph=get("List Paragraph", "paragraph", "ListParagraph"),
            code=get("Source Code", "paragraph", "SourceCode"),
            verbatim=get("Verbatim Char", "character", "VerbatimChar", None),
            hyperlink=get("Hyperlink", "character", "Hyperlink", None),
            table=get("Table Grid", "table", "TableGrid", None),
            footer=get("footer", "paragraph", "Footer"),
        )

    def paragraph_style(self, name: str) -> str:
        """The ID of paragraph style `name`, adding it (based on Normal) when it is missing."""
        index = oxml.StyleIndex.of(self.element)
        found = index.find(name, "paragraph")
        if found is not None:
            return found
        style_id = re.sub(r"[^0-9A-Za-z]", "", name)
        if not style_id or style_id in index.ids:
            style_id = "Custom" + hashlib.sha256(name.encode()).hexdigest()[:8]
        oxml.add_style(
            self.element, name=name, kind="paragraph", style_id=style_id, based_on="Normal"
        )
        return style_id
