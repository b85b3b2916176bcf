"""The benchmark generator writes exact-size, deterministic projects whose changes resolve."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402


def run(out: Path, *options: str) -> None:
    arguments = [str(out), "--requirements", "300", "--municipalities", "3", *options]
    assert generate.main(arguments) == 0


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def walk(sections: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for section in sections:
        yield section
        yield from walk(section.get("sections", []))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "project"
    run(out, "--seed", "3")
    return out


def test_writes_exactly_the_requested_counts(project: Path) -> None:
    sections = [s for f in sorted(project.glob("requirements/*.yaml")) for s in load(f)["sections"]]
    ids = [r["id"] for s in walk(sections) for r in s.get("requirements", [])]
    assert len(ids) == 300 == len(set(ids))
    municipalities = sorted(p.name for p in project.glob("municipalities/*.yaml"))
    # Ishikawa Prefecture's cities come first, in the official list's order
    assert municipalities == ["172014-kanazawa.yaml", "172022-nanao.yaml", "172031-komatsu.yaml"]


def test_same_seed_gives_same_bytes(tmp_path: Path, project: Path) -> None:
    run(tmp_path / "again", "--seed", "3")
    assert snapshot(tmp_path / "again") == snapshot(project)
    run(tmp_path / "other", "--seed", "4")
    assert snapshot(tmp_path / "other") != snapshot(project)


def test_changes_reference_existing_ids(project: Path) -> None:
    sections = [s for f in sorted(project.glob("requirements/*.yaml")) for s in load(f)["sections"]]
    by_section = {s["id"]: [r["id"] for r in s.get("requirements", [])] for s in walk(sections)}
    baseline = {rid for members in by_section.values() for rid in members}
    for path in sorted(project.glob("municipalities/*.yaml")):
        document = load(path)
        prefix = document["municipality"]["prefix"]
        changes = document["changes"]
        assert changes
        excluded = {key for key, change in changes.items() if change["op"] == "exclude"}
        for key, change in changes.items():
            assert change["reason"].strip()
            if change["op"] == "add":
                assert key not in baseline and key.startswith(f"{prefix}-")
                assert change["section"] in by_section
                if "after" in change:
                    assert change["after"] in by_section[change["section"]]
                    assert change["after"] not in excluded
            else:
                assert key in baseline, f"{path.name}: {key}"


def test_refuses_to_overwrite_without_force(project: Path, tmp_path: Path) -> None:
    run(tmp_path / "p")
    with pytest.raises(SystemExit):
        run(tmp_path / "p")
    run(tmp_path / "p", "--force")
