"""The registry of diagnostics: every code once, and the wording of every message and hint.

A code carries its severity and the row of docs/FORMAT.md §6 that documents it (a test holds
the two in step). A message is a template of one code: the modules that find problems name a
message and give its values, and never word a problem themselves, so a new language or a new
code is added here alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from specgen.errors import Diagnostic, Location, Severity

__all__ = ["CODES", "Code", "Message"]


@dataclass(frozen=True, slots=True)
class Code:
    """A diagnostic code: its name, severity, and when it is reported (FORMAT §6)."""

    name: str
    severity: Severity
    when: str


@dataclass(frozen=True, slots=True)
class Message:
    """The wording of one problem: a template of its message and of its hint."""

    code: Code
    text: str
    hint: str | None = None

    def at(
        self, location: Location, /, *, suggestion: str | None = None, **values: Any
    ) -> Diagnostic:
        """The diagnostic at `location`; a `suggestion` (a did-you-mean) replaces the hint."""
        hint = suggestion or (self.hint.format(**values) if self.hint else None)
        return Diagnostic(
            self.code.name, self.text.format(**values), location, self.code.severity, hint
        )


def _error(name: str, when: str) -> Code:
    return Code(name, Severity.ERROR, when)


def _warning(name: str, when: str) -> Code:
    return Code(name, Severity.WARNING, when)


# --- codes (FORMAT §6) ----------------------------------------------------------------------

E_YAML = _error("E-YAML", "the file is not valid YAML (location from the parser)")
E_DUPLICATE_KEY = _error("E-DUPLICATE-KEY", "a mapping repeats a key")
E_SCHEMA = _error("E-SCHEMA", "a field is missing, unknown, or of the wrong type or value")
E_TYPE_QUOTE = _error(
    "E-TYPE-QUOTE", "a number/boolean where a string is required (hint: quote it)"
)
E_IO = _error(
    "E-IO",
    "a file or directory is missing or unreadable (a project without specgen.yaml); a path "
    "that is absolute or leaves the project; an entry that is not a regular file; an output "
    "directory specgen may not replace (§9)",
)
E_LIMIT = _error(
    "E-LIMIT",
    "size, alias or depth limit exceeded; control characters in text, raw or escaped",
)
E_DUPLICATE_ID = _error("E-DUPLICATE-ID", "an ID is defined twice (both locations reported)")
E_UNKNOWN_TARGET = _error("E-UNKNOWN-TARGET", "a change names an ID the baseline does not have")
E_ADD_EXISTS = _error("E-ADD-EXISTS", "`add` of an ID that already exists")
E_ADD_CONFLICT = _error(
    "E-ADD-CONFLICT",
    "two municipalities add the same ID with different content (both locations)",
)
E_UNKNOWN_SECTION = _error(
    "E-UNKNOWN-SECTION", "`section` or `after` names nothing in the baseline"
)
E_NO_REASON = _error("E-NO-REASON", "a change without a non-empty `reason`")
E_SET_UNSET = _error(
    "E-SET-UNSET", "`set` and `unset` name the same field, or `unset` of a required field"
)
E_STALE_EXPECT = _error("E-STALE-EXPECT", "`expect` differs from the current baseline value")
E_UNKNOWN_METRIC = _error(
    "E-UNKNOWN-METRIC", "a metric or `${placeholder}` not in the registry or not set"
)
E_MUNICIPALITY_CODE = _error(
    "E-MUNICIPALITY-CODE",
    "a code of the wrong form or with a bad check digit; a code or prefix used twice; a "
    "`procurement.lead` that names no participant",
)
E_CHANGE_CONFLICT = _error(
    "E-CHANGE-CONFLICT", "a change touches what the same municipality excludes"
)
E_TEMPLATE = _error(
    "E-TEMPLATE",
    "a template fails to load or render, or passes a limit of `limits` (template name and line)",
)
E_TOOL = _error(
    "E-TOOL",
    "a program a chosen format needs is missing or fails (LibreOffice for pdf)",
)
E_LEVEL_CONFLICT = _error(
    "E-LEVEL-CONFLICT",
    "participants that use a requirement disagree on whether the shared system may implement it "
    "(実装不可 for one, 必須 or 任意 for another)",
)

W_NOOP = _warning("W-NOOP", "a change that sets the inherited value")
W_RELAX = _warning("W-RELAX", "a relaxation; listed for review")
W_EXCLUDE_MANDATORY = _warning("W-EXCLUDE-MANDATORY", "a mandatory requirement is excluded")
W_TEXT_CHANGED = _warning("W-TEXT-CHANGED", "title or statement of a baseline requirement replaced")
W_SAME_ADD = _warning(
    "W-SAME-ADD",
    "two municipalities add the same requirement with the same content: a candidate for the "
    "baseline",
)
W_ADD_PREFIX = _warning("W-ADD-PREFIX", "an added ID without the municipality's prefix")
W_MUNICIPALITY_NAME = _warning(
    "W-MUNICIPALITY-NAME", "a code missing from the official list, or a name that differs from it"
)
W_TIGHTEN_COMMON = _warning(
    "W-TIGHTEN-COMMON",
    "a participant's tightening sets what the shared system implements for every participant "
    "(the common text changes); listed for review",
)
W_LEVEL_SHARED = _warning(
    "W-LEVEL-SHARED",
    "a participant lowers the level of a requirement the shared system implements higher for "
    "the others (hint: exclude it to not use it)",
)
W_PROFILE_KEY = _warning(
    "W-PROFILE-KEY",
    "a profile key that neither specgen nor the `profile:` registry of specgen.yaml labels",
)
W_NONSTANDARD = _warning(
    "W-NONSTANDARD",
    "an addition without a 機能ID (標準仕様外) placed in a chapter whose requirements cite one",
)

CODES: dict[str, Code] = {
    code.name: code
    for code in (
        E_YAML, E_DUPLICATE_KEY, E_SCHEMA, E_TYPE_QUOTE, E_IO, E_LIMIT, E_DUPLICATE_ID,
        E_UNKNOWN_TARGET, E_ADD_EXISTS, E_ADD_CONFLICT, E_UNKNOWN_SECTION, E_NO_REASON,
        E_SET_UNSET, E_STALE_EXPECT, E_UNKNOWN_METRIC, E_MUNICIPALITY_CODE, E_CHANGE_CONFLICT,
        E_TEMPLATE, E_LEVEL_CONFLICT, E_TOOL, W_NOOP, W_RELAX, W_EXCLUDE_MANDATORY, W_TEXT_CHANGED,
        W_SAME_ADD, W_ADD_PREFIX, W_MUNICIPALITY_NAME, W_TIGHTEN_COMMON, W_LEVEL_SHARED,
        W_NONSTANDARD, W_PROFILE_KEY,
    )
}  # fmt: skip

_CONTROL_HINT = "delete it; only tab and line breaks are allowed"
_KEEP_INSIDE = (
    "the project is what is versioned and reviewed: keep catalogs, municipality files and "
    "templates inside it, named relative to specgen.yaml"
)
_REPLACES_WHOLE = "specgen replaces its output directory as a whole"
_LIMIT_HINT = (
    "look for a loop that does not end or text repeated without bound; if the document is "
    "really this large, raise the limit under limits: in specgen.yaml"
)
_ESCAPE = "write $${{ for a literal ${{ (e.g. $${{業務システムID}})"

# --- reading files (load) -------------------------------------------------------------------

FILE_TOO_LARGE = Message(
    E_LIMIT,
    "the file is {size:,} bytes; the limit is {limit:,} (10 MiB)",
    "split the catalog into several files under requirements/",
)
FILE_UNREADABLE = Message(E_IO, "cannot read the file: {reason}")
NOT_UTF8 = Message(
    E_YAML,
    "the file is not valid UTF-8 (byte 0x{byte:02x})",
    "save the file as UTF-8 (Shift_JIS files must be converted)",
)
YAML_ERROR = Message(E_YAML, "{problem}")
YAML_TAB = Message(E_YAML, "{problem}", "indent with spaces, not tabs")
YAML_COLON = Message(
    E_YAML, "{problem}", "a value containing ': ' must be quoted, or written as a | block"
)
YAML_INDENT = Message(
    E_YAML, "{problem}", "check the indentation of this line and the one before it"
)
RAW_CONTROL = Message(
    E_LIMIT,
    "control character U+{char:04X} in the text",
    _CONTROL_HINT + " (it often comes from text pasted from another program)",
)
ESCAPED_CONTROL = Message(
    E_LIMIT,
    "the text holds the {what} U+{char:04X}, which no specgen text may hold",
    _CONTROL_HINT + " (in double quotes an escape such as \\a, \\x07 or \\uFFFE writes one)",
)
TOO_MANY_NODES = Message(
    E_LIMIT,
    "more than {limit:,} values in one file after expanding aliases",
    "do not nest aliases (*name) of large collections; split the file",
)
TOO_DEEP = Message(
    E_LIMIT,
    "collections are nested deeper than {limit} levels",
    "flatten the structure (a recursive alias also causes this)",
)
UNSUPPORTED_NODE = Message(E_YAML, "unsupported YAML node")
TAG_NOT_ALLOWED = Message(
    E_YAML,
    "the tag {tag} is not allowed",
    "specgen files hold plain text, numbers, lists and mappings; remove the tag",
)
TAG_UNFIT = Message(
    E_YAML,
    "'{value}' is not a valid !!{tag} value",
    "remove the tag !!{tag}, or write a valid {tag}",
)
NOT_FINITE = Message(
    E_SCHEMA, "'{value}' is not a finite number", "write an ordinary number, such as 99.9"
)
NUMBER_TOO_LARGE = Message(
    E_SCHEMA,
    "the number '{value}' is too large; specgen numbers are at most {limit:,}",
    "quote it if it is text, such as a code or a telephone number",
)
MERGE_KEY = Message(
    E_SCHEMA, "YAML merge keys (<<) are not accepted", "write the fields out in full"
)
KEY_NOT_TEXT = Message(E_SCHEMA, "a mapping key must be plain text, not a list or mapping")
DUPLICATE_KEY = Message(
    E_DUPLICATE_KEY,
    "the key '{key}' is repeated; it was first given at {first}",
    "delete one of them or merge their contents; YAML keeps only one",
)

# --- the schema of each file ------------------------------------------------------------------

EMPTY_FILE = Message(
    E_SCHEMA, "the file is empty", "a specgen file starts with the line 'specgen: 1'"
)
NO_FORMAT_VERSION = Message(
    E_SCHEMA,
    "the format version 'specgen' is missing",
    "add the line 'specgen: 1' at the top of the file",
)
NO_REASON_FIELD = Message(
    E_NO_REASON,
    "{where} has no 'reason'",
    "every change needs a reason: write why this municipality differs",
)
MISSING_FIELD = Message(E_SCHEMA, "{where} is missing the required field '{name}'")
ID_IN_CHANGE = Message(E_SCHEMA, "{where} cannot give 'id': the ID is the key of the change")
UNKNOWN_FIELD = Message(E_SCHEMA, "unknown field '{key}' in {where}", "allowed fields: {allowed}")
QUOTE_IT = Message(
    E_TYPE_QUOTE,
    "'{field}' must be text, but YAML read {raw} as {found} ({value!r})",
    'quote it: {field}: "{raw}"',
)
WRONG_TYPE = Message(E_SCHEMA, "'{field}' in {where} must be {expected}, not {found}")
WRONG_CONSTANT = Message(E_SCHEMA, "'{field}' must be {expected!r}, found {value!r}")
WRONG_VERSION = Message(
    E_SCHEMA,
    "'{field}' must be {expected!r}, found {value!r}",
    "this specgen reads format version 1",
)
EMPTY_VALUE = Message(E_SCHEMA, "'{field}' in {where} must not be empty")
TOO_LONG = Message(
    E_SCHEMA, "'{field}' in {where} is {length} characters; at most {limit} are allowed"
)
REPEATED_ITEM = Message(E_SCHEMA, "'{field}' in {where} lists an item twice")
SCHEMA_OTHER = Message(E_SCHEMA, "{where}: {detail}")
NOT_ONE_OF = Message(E_SCHEMA, "'{field}' in {where} must be one of {choices}; found {value!r}")
UNSET_NOT_A_FIELD = Message(
    E_SCHEMA,
    "'unset' in {where} names '{value}', which is not a requirement field (or metrics.NAME)",
)
NOT_AN_ID = Message(
    E_SCHEMA,
    "'{field}' in {where} must be an ID; found {value!r}",
    "IDs are upper-case ASCII letters and digits in parts joined by '-' or '.', "
    "e.g. RES-0010 or JK-S4.1.3",
)
ID_IN_ASCII = Message(
    E_SCHEMA,
    "'{field}' in {where} must be an ID; found {value!r}",
    "write the ID in ASCII (half-width): {ascii}",
)
NO_MATCH = Message(E_SCHEMA, "'{field}' in {where} must match {pattern}; found {value!r}")

# --- finding the project's files ---------------------------------------------------------------

NO_PROJECT_DIRECTORY = Message(
    E_IO,
    "the project directory {root} does not exist",
    "give the directory that holds specgen.yaml",
)
NOT_A_PROJECT = Message(
    E_IO,
    "no {file} in {root}: this is not a specgen project",
    "run specgen in the project directory, or create one with 'specgen init'",
)
PATH_MISSING = Message(
    E_IO, "'{entry}' does not exist", "check the path; it is relative to the project directory"
)
PATH_EMPTY = Message(E_IO, "'{entry}' is an empty path", _KEEP_INSIDE)
PATH_ABSOLUTE = Message(E_IO, "'{entry}' is an absolute path", _KEEP_INSIDE)
PATH_IS_PROJECT = Message(E_IO, "'{entry}' is the project directory itself", _KEEP_INSIDE)
PATH_LEAVES = Message(E_IO, "'{entry}' leads outside the project directory", _KEEP_INSIDE)
LINK_TO_NOTHING = Message(E_IO, "'{entry}' is a link to a file that does not exist")
LINK_OUTSIDE = Message(E_IO, "'{entry}' is a link to a file outside the project directory")
LINK_LOOPS = Message(E_IO, "'{entry}' is a symbolic link that loops")
ENTRY_UNREADABLE = Message(E_IO, "'{entry}' cannot be read: {reason}")
ENTRY_IS_DIRECTORY = Message(E_IO, "'{entry}' is a directory, not a file")
ENTRY_NOT_REGULAR = Message(E_IO, "'{entry}' is not a regular file (a pipe, socket or device)")

# --- checks across the project -----------------------------------------------------------------

DUPLICATE_ID = Message(
    E_DUPLICATE_ID,
    "the ID '{id}' is already used by a {kind} at {first}",
    "IDs are unique across all catalog files, sections and requirements",
)
_CODE_HINT = (
    'use the 6-digit 全国地方公共団体コード with its check digit, quoted, e.g. code: "172049"'
)
CHECK_DIGIT = Message(
    E_MUNICIPALITY_CODE,
    "the local government code {code} fails its check digit (the sixth digit should be {digit})",
    _CODE_HINT,
)
CODE_FORM = Message(
    E_MUNICIPALITY_CODE, "the local government code '{code}' is not 6 digits", _CODE_HINT
)
CODE_NOT_OFFICIAL = Message(
    W_MUNICIPALITY_NAME,
    "the code {code} is not in the official list (as of 2024-01-01)",
    "check the code; a municipality created by a later merger is not listed",
)
NAME_NOT_OFFICIAL = Message(
    W_MUNICIPALITY_NAME,
    "the name '{name}' differs from the official name of {code}, '{official}'",
    "write name: {official}",
)
CODE_TWICE = Message(
    E_MUNICIPALITY_CODE,
    "the code {code} is already used by {file}",
    "each municipality has exactly one file",
)
PREFIX_TWICE = Message(
    E_MUNICIPALITY_CODE,
    "the prefix '{prefix}' is already used by {file}",
    "each municipality's added IDs need their own prefix",
)
SAME_ADD = Message(
    W_SAME_ADD,
    "{name} adds '{id}' exactly as {other} does (at {first})",
    "a requirement several participants need is a candidate for the baseline",
)
ADD_CONFLICT = Message(
    E_ADD_CONFLICT,
    "{name} adds '{id}' with content different from {other}'s (at {first})",
    "use the municipality's own prefix for its additions, or agree on one text",
)
PLACEHOLDER_UNKNOWN = Message(
    E_UNKNOWN_METRIC,
    "requirement '{id}': placeholder ${{{name}}} names no metric of the registry",
    _ESCAPE,
)
PLACEHOLDER_UNSET = Message(
    E_UNKNOWN_METRIC,
    "requirement '{id}': placeholder ${{{name}}} has no value; the requirement does not set "
    "metrics.{name}",
    "add metrics: {{{name}: ...}} to the requirement, or " + _ESCAPE,
)
METRIC_NOT_REGISTERED = Message(
    E_UNKNOWN_METRIC,
    "requirement '{id}': metric '{name}' is not in the registry of specgen.yaml",
    "add it under metrics: in specgen.yaml",
)

# --- changes (merge) ---------------------------------------------------------------------------

EXCLUSION_COVERED = Message(
    W_NOOP,
    "exclude of '{id}' is already covered by the exclusion of section '{section}'",
    "remove it; excluding a section excludes everything under it",
)
EMPTY_REASON = Message(
    E_NO_REASON,
    "change '{id}' has an empty 'reason'",
    "write why this municipality differs from the baseline",
)
UNKNOWN_TARGET = Message(
    E_UNKNOWN_TARGET, "{op} names '{id}', which is not a {what} of the baseline"
)
EXCLUDE_MANDATORY = Message(
    W_EXCLUDE_MANDATORY,
    "'{id}' ({title}) is mandatory in the baseline and is excluded",
    "review it: the shared system still implements it for the others; this participant will "
    "not use it (利用しない)",
)
EXCLUDE_MANDATORY_SECTION = Message(
    W_EXCLUDE_MANDATORY, "excluding section '{id}' excludes {count} mandatory requirement(s)"
)
FIELD_OF_OTHER_OP = Message(
    E_SCHEMA,
    "'{key}' is not used by op: {op} (change '{id}')",
    "set and unset belong to modify; section, after and requirement to add",
)
MODIFY_SECTION = Message(
    E_UNKNOWN_TARGET,
    "modify names section '{id}'; modify changes requirements only",
    "exclude a section, or modify each requirement in it",
)
MODIFY_IN_EXCLUDED = Message(
    E_CHANGE_CONFLICT,
    "modify of '{id}' is inside section '{section}', which this municipality excludes",
    "drop the modify, or stop excluding the section",
)
MODIFY_NOTHING = Message(
    E_SCHEMA,
    "modify of '{id}' has neither 'set' nor 'unset'",
    "say what changes, e.g. set: {{level: mandatory}}",
)
UNSET_REQUIRED = Message(
    E_SET_UNSET,
    "'{name}' is required and cannot be unset (change '{id}')",
    "set a new {name} instead",
)
SET_AND_UNSET = Message(
    E_SET_UNSET, "change '{id}' both sets and unsets '{name}'", "keep one of them"
)
SET_UNKNOWN_METRIC = Message(
    E_UNKNOWN_METRIC,
    "metric '{name}' is not in the registry of specgen.yaml",
    "add it under metrics: in specgen.yaml",
)
SETS_SAME_VALUE = Message(
    W_NOOP,
    "change '{id}' sets {fields} to the value it already has",
    "remove what does not change; the baseline value is inherited",
)
RELAXES = Message(
    W_RELAX,
    "change '{id}' relaxes the baseline: {fields}",
    "listed for review: the participant needs less than the model specification; the shared "
    "system still meets what the other participants need",
)
TEXT_CHANGED = Message(
    W_TEXT_CHANGED,
    "change '{id}' replaces the baseline's {fields}",
    "the shared system implements the common text; this wording is shown only as the "
    "participant's own need: agree a change of the common text, or add a requirement of its own",
)
STALE_EXPECT = Message(
    E_STALE_EXPECT,
    "change '{id}' expects {field} = {expected}, but the baseline has {actual}",
    "the baseline changed since this delta was written: review the change, then update expect",
)
ADD_EXISTS = Message(
    E_ADD_EXISTS,
    "add of '{id}', which the baseline already has (at {first})",
    "modify it instead, or choose a new ID",
)
ADD_EXISTS_PREFIX = Message(
    E_ADD_EXISTS,
    "add of '{id}', which the baseline already has (at {first})",
    "modify it instead, or choose a new ID starting with {prefix}-",
)
ADD_UNKNOWN_SECTION = Message(
    E_UNKNOWN_SECTION, "add of '{id}' names section '{section}', which the baseline does not have"
)
ADD_INTO_REQUIREMENT = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' names section '{section}', which the baseline does not have",
    "'{section}' is a requirement; name the section that holds it: {holder}",
)
ADD_INTO_EXCLUDED = Message(
    E_CHANGE_CONFLICT, "add of '{id}' into section '{section}', which this municipality excludes"
)
ADD_INTO_EXCLUDED_BELOW = Message(
    E_CHANGE_CONFLICT,
    "add of '{id}' into section '{section}', which this municipality excludes (through "
    "'{through}')",
)
AFTER_ELSEWHERE = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' is placed after '{after}', which is in section '{holder}', not in '{section}'",
    "use section: {holder}, or name a requirement of {section}",
)
AFTER_UNKNOWN = Message(
    E_UNKNOWN_SECTION,
    "add of '{id}' is placed after '{after}', which the baseline lacks",
    "requirements of {section}: {listed}",
)
AFTER_UNKNOWN_EMPTY = Message(
    E_UNKNOWN_SECTION, "add of '{id}' is placed after '{after}', which the baseline lacks"
)
AFTER_EXCLUDED = Message(
    E_CHANGE_CONFLICT,
    "add of '{id}' is placed after '{after}', which this municipality excludes",
    "place it after another requirement, or drop 'after'",
)
ADD_WITHOUT_PREFIX = Message(
    W_ADD_PREFIX,
    "added ID '{id}' does not start with this municipality's prefix '{prefix}-'",
    "it may collide with a future baseline ID; national function IDs are fine",
)
EXPLAIN_UNKNOWN = Message(
    E_UNKNOWN_TARGET, "no requirement '{id}' in the baseline or any municipality's additions"
)

# --- templates and outputs --------------------------------------------------------------------

_TEMPLATE_HINT = (
    "check the template at that line; the variables a template can use are listed in the README"
)
_SLOW = (
    "rendering took longer than {seconds:g} s, the time limit per document (limits.render_seconds)"
)
_LARGE = "it wrote more than {mib} MiB of Markdown, the size limit per document (limits.render_mib)"
_MEMORY = "it needed more memory than one document may use"
TEMPLATE_FAILED = Message(E_TEMPLATE, "template {name} failed: {problem}", _TEMPLATE_HINT)
TEMPLATE_MISSING = Message(
    E_TEMPLATE, "template {name} failed: template {missing} not found", _TEMPLATE_HINT
)
TEMPLATE_RECURSION = Message(
    E_TEMPLATE,
    "template {name} failed: a macro or include calls itself without end",
    _TEMPLATE_HINT,
)
TEMPLATE_TOO_SLOW = Message(E_TEMPLATE, "template {name} failed: " + _SLOW, _LIMIT_HINT)
TEMPLATE_TOO_LARGE = Message(E_TEMPLATE, "template {name} failed: " + _LARGE, _LIMIT_HINT)
TEMPLATE_OUT_OF_MEMORY = Message(E_TEMPLATE, "template {name} failed: " + _MEMORY, _LIMIT_HINT)
DOCUMENT_TOO_SLOW = Message(E_TEMPLATE, "the document {stem} failed: " + _SLOW, _LIMIT_HINT)
DOCUMENT_OUT_OF_MEMORY = Message(E_TEMPLATE, "the document {stem} failed: " + _MEMORY, _LIMIT_HINT)
REFERENCE_DOCX = Message(
    E_TEMPLATE,
    "{file} cannot be the reference document: {problem}",
    "save it from Word as a .docx (not .doc, .dotx or .docm), or remove it to use the bundled one",
)
OUTPUT_UNDER_FILE = Message(
    E_IO,
    "the output directory {out} cannot be made: {file} is a file",
    "give a directory path, such as output/",
)
OUTPUT_UNUSABLE = Message(
    E_IO,
    "the output directory {out} cannot be used: {reason}",
    "give a directory path, such as output/",
)
OUTPUT_REPLACES_INPUT = Message(
    E_IO,
    "the output directory {out} would replace the project's input {input}",
    _REPLACES_WHOLE + "; give a directory of its own, such as output/",
)
OUTPUT_HOLDS_CWD = Message(
    E_IO,
    "the output directory {out} is the current directory or holds it",
    "run specgen from another directory, or give an output directory of its own",
)
OUTPUT_NOT_OURS = Message(
    E_IO,
    "the output directory {out} holds files specgen did not write ({files}) and no specgen "
    "manifest.json",
    _REPLACES_WHOLE + "; give a new or empty directory, or move those files away first",
)
OUTPUT_UNLISTED = Message(
    E_IO,
    "the output directory {out} holds files its manifest.json does not list ({files})",
    _REPLACES_WHOLE + "; move those files elsewhere first",
)

TIGHTENS_COMMON = Message(
    W_TIGHTEN_COMMON,
    "change '{id}' of {name} sets {field} of the shared system for every participant: "
    "{model} → {value}",
    "listed for review: the common part of the joint spec now states {value} for all "
    "participants; agree it with them, or keep the model value",
)
LEVEL_SHARED = Message(
    W_LEVEL_SHARED,
    "change '{id}' of {name} sets level {level}, but the shared system implements it as {shared} "
    "for {others}",
    "one shared system either has a function or not; a participant chooses only whether to use "
    "it: write `op: exclude` to not use it (利用しない), or remove the level change",
)
LEVEL_CONFLICT = Message(
    E_LEVEL_CONFLICT,
    "change '{id}' of {name} sets level {level}, which the other participants using it ({others}) "
    "do not share: one shared system cannot both implement it and not",
    "agree one level with the other participants; a participant that does not need the "
    "function excludes it (`op: exclude`)",
)
NONSTANDARD = Message(
    W_NONSTANDARD,
    "'{id}' of {name} cites no 機能ID (standard.function_id) but joins {chapter}, a chapter of "
    "the national standard's functions",
    "a function outside the standard (標準仕様外) belongs in a section of its own; if the "
    "standard has this function, cite its 機能ID in `requirement.standard`",
)
LEAD_UNKNOWN = Message(
    E_MUNICIPALITY_CODE,
    "procurement.lead '{code}' is not a participating municipality",
    "the 代表団体 is one of the participants: {codes}",
)
PROFILE_KEY = Message(
    W_PROFILE_KEY,
    "profile key '{key}' has no label: the documents would print it as written",
    "{close}add it to `profile:` in specgen.yaml with the label to print, e.g. "
    "{key}: {{label: 項目名}} (a unit may follow: unit: 件)",
)
OFFICE_MISSING = Message(
    E_TOOL,
    "the pdf format needs LibreOffice, and neither soffice nor libreoffice is on PATH",
    "install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk; "
    "Windows/macOS: https://www.libreoffice.org/download/) or build without pdf",
)
PDF_FAILED = Message(
    E_TOOL,
    "LibreOffice could not make the PDF of {stem}: {why}",
    "the Word file of the same build is complete; open it in LibreOffice to see what it "
    "reports, or build without pdf",
)
