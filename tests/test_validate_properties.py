"""Property: whatever happens to a valid file, validation returns diagnostics, never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from support import BASE_FILES, run_cli

from specgen.errors import Diagnostic
from specgen.load import parse_text
from specgen.schemas import INPUT_SCHEMAS, is_valid
from specgen.validate import validate_project

FILES = sorted(BASE_FILES)


@st.composite
def mutated_project(draw: st.DrawFn) -> dict[str, str]:
    """The base project with one file's lines deleted, duplicated, swapped or typed into."""
    files = dict(BASE_FILES)
    target = draw(st.sampled_from(FILES))
    lines = files[target].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            text = draw(st.text(min_size=1, max_size=8))
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + text + lines[i][at:]
    files[target] = "".join(lines)
    return files


def write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_project())
def test_validation_of_a_mutated_project_only_returns_diagnostics(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, files)
        result = validate_project(root)
    assert all(isinstance(d, Diagnostic) for d in result.diagnostics)
    for diagnostic in result.diagnostics:
        assert diagnostic.location.file in files or diagnostic.location.file == "specgen.yaml"
        assert diagnostic.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_project())
def test_the_cli_never_prints_a_traceback(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, files)
        result = run_cli("validate", str(root))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_project())
def test_the_fast_schema_check_agrees_with_jsonschema(files: dict[str, str]) -> None:
    """fastjsonschema is only a fast path: it must accept exactly what jsonschema accepts."""
    kinds = {"specgen.yaml": "project", "requirements/10-main.yaml": "catalog"}
    for relpath, text in files.items():
        document, _ = parse_text(text, relpath)
        if document is None:
            continue
        kind = kinds.get(relpath, "municipality")
        full = Draft202012Validator(INPUT_SCHEMAS[kind]).is_valid(document.data)
        assert is_valid(document.data, kind) == full, relpath
