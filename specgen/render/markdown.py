"""Markdown documents from Jinja templates, with catalog text escaped so it stays text.

Every `{{ expression }}` a template prints is escaped unless it is `MarkdownText` (what the
`md_*` filters return): a `|`, `#`, `*` or `<` in a statement can never change the document's
structure, and a statement's newlines stay line breaks. Catalog text is only ever data passed
to templates, never template source; templates run in Jinja's sandbox with StrictUndefined.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
from collections.abc import Generator, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from specgen import messages as m
from specgen.errors import InvalidInput, Location
from specgen.messages import Message
from specgen.render.limits import DEFAULT_LIMITS, LimitExceeded, RenderLimits

__all__ = [
    "MarkdownText",
    "TemplateSet",
    "escape_block",
    "escape_cell",
    "escape_inline",
    "markdown_labels",
    "render_template",
    "stream_template",
]


class MarkdownText(str):
    """Text that already is Markdown: printed as it is."""

    __slots__ = ()


# ASCII punctuation that can start or end inline markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")
# Characters that only matter at the start of a line: headings, quotes, lists, setext rules.
_LINE_START = re.compile(r"^([ \t]*)(?:([#>+=-])|(\d{1,9})([.)]))")


def _escape_chars(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def _escape_line_start(line: str) -> str:
    """Escape what would open a heading, quote, list or setext rule at the start of a line."""
    match = _LINE_START.match(line)
    if not match:
        return line
    indent, marker, digits, delimiter = match.groups()
    escaped = f"\\{marker}" if marker else f"{digits}\\{delimiter}"
    return f"{indent}{escaped}{line[match.end() :]}"


def _escape_block_line(line: str) -> str:
    line = _escape_line_start(_escape_chars(line.rstrip()))
    stripped = line.lstrip(" \t")
    # Leading blanks would make an indented code block; keep them as character references.
    return "&#32;" * (len(line) - len(stripped)) + stripped


def escape_inline(text: str | None) -> MarkdownText:
    """Catalog text on one line (a title, a name): markup-free, newlines become spaces."""
    if text is None:
        return MarkdownText("")
    return _escape_inline_text(str(text))


# Every document of a build prints the same statements and titles again: each distinct text is
# escaped once per process (the escapes are pure functions of the text).
@functools.lru_cache(maxsize=1 << 16)
def _escape_inline_text(text: str) -> MarkdownText:
    return MarkdownText(_escape_line_start(_escape_chars(" ".join(text.split("\n")))))


def escape_block(text: str | None) -> MarkdownText:
    """Catalog text as paragraphs: each newline a hard line break, a blank line a new paragraph."""
    if text is None:
        return MarkdownText("")
    return _escape_block_text(str(text))


@functools.lru_cache(maxsize=1 << 15)
def _escape_block_text(text: str) -> MarkdownText:
    lines = [
        _escape_block_line(line) for line in text.replace("\r\n", "\n").strip("\n").split("\n")
    ]
    out: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        out.append(line + "\\" if line and following else line)
    return MarkdownText("\n".join(out))


def escape_cell(text: Any) -> MarkdownText:
    """Catalog text inside a GFM table cell: `|` escaped, newlines as <br>."""
    if text is None:
        return MarkdownText("")
    return _escape_cell_text(str(text))


@functools.lru_cache(maxsize=4096)  # matrices repeat a few symbols (○, ×, —) endlessly
def _escape_cell_text(text: str) -> MarkdownText:
    lines = [_escape_chars(line.strip()) for line in text.strip("\n").split("\n")]
    return MarkdownText("<br>".join(lines))


_BODY_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_BODY_HTML = re.compile(r"<(?!br>)")


def markdown_body(text: str | None) -> MarkdownText:
    """A section's Markdown `body`: its lists, tables and emphasis are kept, but a heading
    becomes a bold line (it must not change the outline) and raw HTML is shown as text."""
    if text is None:
        return MarkdownText("")
    text = _BODY_HEADING.sub(lambda m: f"**{m.group(2)}**", text.strip("\n"))
    return MarkdownText(_BODY_HTML.sub("&lt;", text))


def markdown_labels(labels: Mapping[str, str]) -> dict[str, MarkdownText]:
    """The label catalog escaped once, instead of at each of its thousands of uses."""
    return {key: escape_inline(text) for key, text in labels.items()}


def _finalize(value: Any) -> Any:
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_inline(value)
    return value


def _heading(level: int, text: str) -> MarkdownText:
    title = _escape_chars(" ".join(line.strip(" \t") for line in str(text).split("\n")))
    return MarkdownText("#" * max(1, min(int(level), 6)) + " " + title)


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses a template whose real path leaves its search directories
    (a symlink to a file elsewhere on the machine must not end up in a spec)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        roots = [os.path.realpath(directory) for directory in self.searchpath]
        if not any(real.startswith(root + os.sep) for root in roots):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


MAX_TEMPLATE_BITS = 1 << 16  # of a number a project template computes (about 19,700 digits)
MAX_TEMPLATE_NESTING = 100  # blocks and brackets open at once in a project template


class NumberTooLarge(Exception):
    """A template's arithmetic would make a number past MAX_TEMPLATE_BITS."""

    def __init__(self, operator: str) -> None:
        super().__init__(operator)
        self.operator = operator


class _ProjectSandbox(SandboxedEnvironment):
    """The sandbox for a project's own templates, which also refuses arithmetic on numbers
    so large that one operation runs for seconds in C, where no time limit can stop it
    (`10 ** 30000000`): each product and power is sized before it is computed."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if _whole(left) and _whole(right):
            if operator == "**":
                bits = abs(left).bit_length() * right if right > 0 and abs(left) > 1 else 0
            else:
                bits = abs(left).bit_length() + abs(right).bit_length()
            if bits > MAX_TEMPLATE_BITS:
                raise NumberTooLarge(operator)
        return super().call_binop(context, operator, left, right)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class TemplateSet:
    """The bundled templates, overridden file by file by a project's `templates/`."""

    def __init__(
        self, project_templates: Path | None = None, limits: RenderLimits = DEFAULT_LIMITS
    ) -> None:
        self.limits = limits
        bundled = Path(str(resources.files("specgen.templates")))
        search = [project_templates] if project_templates and project_templates.is_dir() else []
        self.directories: list[Path] = [*search, bundled]
        self.project_dir = project_templates
        # Project templates are untrusted input: they run in the sandbox. The bundled ones alone
        # are specgen's own code and skip the sandbox's per-attribute checks.
        overridden = any(p.suffix == ".j2" for d in search for p in d.iterdir())
        environment = _ProjectSandbox if overridden else jinja2.Environment
        self.environment = environment(
            loader=_ConfinedLoader([str(d) for d in self.directories], encoding="utf-8"),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            finalize=_finalize,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.environment.filters.update(
            md=escape_inline,
            md_block=escape_block,
            md_cell=escape_cell,
            md_body=markdown_body,
            heading=_heading,
        )

    def digest(self) -> str:
        """A digest of every template file that can be used, for incremental builds."""
        hasher = hashlib.sha256()
        for directory in self.directories:
            for path in sorted(p for p in directory.rglob("*") if p.is_file()):
                if "__pycache__" in path.parts:
                    continue
                hasher.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
                hasher.update(path.read_bytes() + b"\0")
        return hasher.hexdigest()

    def source_of(self, name: str) -> str:
        """`templates/NAME` of the project when it overrides the bundled one, else `(bundled)`."""
        if self.project_dir is not None and (self.project_dir / name).is_file():
            return f"templates/{name}"
        return f"(bundled) {name}"

    def reference_docx(self) -> bytes | None:
        """The project's own reference.docx, when it has one."""
        if self.project_dir is not None and (self.project_dir / "reference.docx").is_file():
            return (self.project_dir / "reference.docx").read_bytes()
        return None


def render_template(templates: TemplateSet, name: str, context: Mapping[str, Any]) -> str:
    """Render template `name`; a failure is E-TEMPLATE with the template's name and line."""
    return "".join(stream_template(templates, name, context))


def stream_template(templates: TemplateSet, name: str, context: Mapping[str, Any]) -> Iterator[str]:
    """Template `name`'s output piece by piece, as Jinja produces it (see `render_template`).

    Any failure of a template — an error, or passing the limits of `templates.limits` — is
    E-TEMPLATE at the template's line.
    """
    limits = templates.limits
    try:
        try:
            template = templates.environment.get_template(name)
        except RecursionError as exc:  # Jinja's parser recurses once per nested block
            raise _template_error(
                templates,
                name,
                _too_deep(templates, name),
                m.TEMPLATE_TOO_DEEP,
                depth=MAX_TEMPLATE_NESTING,
            ) from exc
        generator = cast(Generator[str, None, None], template.generate(**context))
        written, count = 0, 64
        # Jinja yields every printed value on its own; joining them in batches keeps the
        # per-piece cost of the stream's consumers off hundreds of thousands of pieces.
        # Batches grow to 4096 pieces but shrink to about a MiB when the pieces are large,
        # so a template past the size limit is still running, and named at its line.
        while batch := list(itertools.islice(generator, count)):
            size = sum(map(len, batch))  # before joining: the pieces may be one huge string
            written += size
            if written > limits.max_chars:
                generator.throw(LimitExceeded("size"))  # raised where the template is
            count = min(4096, count * 2) if size < _BATCH else max(1, count * _BATCH // size)
            yield "".join(batch)
    except InvalidInput:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise _template_error(
            templates, exc.name or name, exc.lineno, problem=exc.message or ""
        ) from exc
    except Exception as exc:
        line, where = _traceback_line(exc, templates)
        message, values = template_failure(exc, limits)
        raise _template_error(templates, where or name, line, message, **values) from exc


_BATCH = 1 << 20  # characters in one batch of a template's output, about


def template_failure(exc: BaseException, limits: RenderLimits) -> tuple[Message, dict[str, Any]]:
    """The message for a template that raised `exc`, and its values (but the template's name)."""
    if isinstance(exc, LimitExceeded) and str(exc) == "time":
        return m.TEMPLATE_TOO_SLOW, {"seconds": limits.seconds}
    if isinstance(exc, LimitExceeded):
        return m.TEMPLATE_TOO_LARGE, {"mib": limits.max_chars >> 20}
    if isinstance(exc, NumberTooLarge):
        digits = int(MAX_TEMPLATE_BITS * 0.30103)  # log10(2)
        return m.TEMPLATE_NUMBER_TOO_LARGE, {"operator": exc.operator, "digits": digits}
    if isinstance(exc, MemoryError):
        return m.TEMPLATE_OUT_OF_MEMORY, {}
    if isinstance(exc, RecursionError):
        return m.TEMPLATE_RECURSION, {}
    if isinstance(exc, jinja2.TemplateNotFound):
        return m.TEMPLATE_MISSING, {"missing": exc.name}
    return m.TEMPLATE_FAILED, {"problem": str(exc) or type(exc).__name__}


_OPENING_TAGS = frozenset(
    {"if", "for", "block", "macro", "call", "filter", "with", "autoescape", "trans"}
)


def _too_deep(templates: TemplateSet, name: str) -> int:
    """Where template `name` first nests its blocks and brackets past MAX_TEMPLATE_NESTING
    (or its first line): Jinja's lexer is flat, so it reads what the parser could not."""
    environment = templates.environment
    assert environment.loader is not None
    source = environment.loader.get_source(environment, name)[0]
    depth, after_block = 0, False
    for line, kind, value in environment.lex(source, name):
        if kind == "whitespace":
            continue
        if kind in ("lparen", "lbracket", "lbrace") or (after_block and value in _OPENING_TAGS):
            depth += 1
        elif kind in ("rparen", "rbracket", "rbrace") or (after_block and value.startswith("end")):
            depth = max(0, depth - 1)
        after_block = kind == "block_begin"
        if depth > MAX_TEMPLATE_NESTING:
            return line
    return 1


def _traceback_line(exc: BaseException, templates: TemplateSet) -> tuple[int, str | None]:
    """The template line a render error came from, read off the traceback."""
    tb = exc.__traceback__
    found: tuple[int, str | None] = (0, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (tb.tb_lineno, Path(filename).name)
        tb = tb.tb_next
    return found


def _template_error(
    templates: TemplateSet,
    name: str,
    line: int,
    message: Message = m.TEMPLATE_FAILED,
    **values: Any,
) -> InvalidInput:
    source = templates.source_of(Path(name).name)
    location = Location(source, line, 1 if line else 0)
    return InvalidInput([message.at(location, name=Path(name).name, **values)])
