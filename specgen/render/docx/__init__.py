"""Markdown to Word: markdown-it's token stream walked onto the styles of a reference .docx.

document   the entry points: whole or streamed Markdown to .docx bytes
chunks     cutting long or streamed Markdown into pieces that parse the same
parser     markdown-it set up for specgen's documents (a GFM table as one token)
writer     the block rules, one per token type, writing the body
reuse      the pieces of a body an earlier build wrote, replayed from the cache
deflate    bodies compressed piece by piece, and the zip archive that takes them
inline     inline tokens as runs of text with formats
headings   heading numbers;  layout: table column widths;  styles: the reference's styles
package    the zip, its fixed entry times, core properties
oxml       WordprocessingML written as text (the body) and as lxml (styles, numbering)
"""

from specgen.render.docx.chunks import split_blocks
from specgen.render.docx.document import (
    bundled_reference,
    reference_problem,
    render_docx,
    render_docx_stream,
)
from specgen.render.docx.headings import heading_number
from specgen.render.docx.layout import column_widths, text_extent
from specgen.render.docx.package import DocumentInfo, normalise_zip
from specgen.render.docx.parser import parse_markdown, parse_whole

__all__ = [
    "DocumentInfo",
    "bundled_reference",
    "column_widths",
    "heading_number",
    "normalise_zip",
    "parse_markdown",
    "parse_whole",
    "reference_problem",
    "render_docx",
    "render_docx_stream",
    "split_blocks",
    "text_extent",
]
