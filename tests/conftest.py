"""Shared fixtures: a small valid project written into a temporary directory."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import BASE_FILES, MakeProject


@pytest.fixture(autouse=True, scope="session")
def parse_cache_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The parse cache in a directory of this test run (subprocesses inherit it), never the
    user's own."""
    directory = tmp_path_factory.mktemp("parse-cache")
    previous = os.environ.get("SPECGEN_CACHE_DIR")
    os.environ["SPECGEN_CACHE_DIR"] = str(directory)
    yield directory
    if previous is None:
        del os.environ["SPECGEN_CACHE_DIR"]
    else:
        os.environ["SPECGEN_CACHE_DIR"] = previous


@pytest.fixture(autouse=True, scope="session")
def _english_diagnostics() -> Iterator[None]:
    """The suite reads diagnostics in English unless a test asks for Japanese (--lang ja);
    the projects it builds are Japanese, whose diagnostics default to Japanese."""
    previous = os.environ.get("SPECGEN_LANG")
    os.environ["SPECGEN_LANG"] = "en"
    yield
    if previous is None:
        del os.environ["SPECGEN_LANG"]
    else:
        os.environ["SPECGEN_LANG"] = previous


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write the base project, with files replaced (str) or removed (None) as given."""

    def make(files: dict[str, str | None] | None = None, name: str = "project") -> Path:
        root = tmp_path / name
        contents: dict[str, str | None] = {**BASE_FILES, **(files or {})}
        for relpath, text in contents.items():
            if text is None:
                continue
            path = root / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make
