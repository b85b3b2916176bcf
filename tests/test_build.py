"""specgen build: JSON shapes against the published schemas, the bundled project's annexes,
determinism, atomic writes, the manifest, and `specgen explain`."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from jsonschema import Draft202012Validator
from support import BUNDLED_TEMPLATES, PROJECT, REPO, WAJIMA, MakeProject, run_cli

from specgen.schemas import OUTPUT_SCHEMAS, SCHEMAS, schema_json


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "out"
    result = run_cli("build", str(REPO), "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    return out


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_outputs_follow_the_published_schemas(bundled: Path) -> None:
    Draft202012Validator(OUTPUT_SCHEMAS["joint"]).validate(load(bundled / "joint/spec.json"))
    for code in ("172049", "173614", "173843", "173860"):
        document = load(bundled / f"municipalities/{code}/spec.json")
        Draft202012Validator(OUTPUT_SCHEMAS["effective"]).validate(document)


def test_published_schema_files_are_in_sync_with_the_definitions() -> None:
    here = REPO / "specgen" / "schemas"
    for name, schema in SCHEMAS.items():
        assert (here / f"{name}.schema.json").read_text(encoding="utf-8") == schema_json(schema)
        assert run_cli("schema", name).output == schema_json(schema)


def test_bundled_annex_of_hodatsushimizu(bundled: Path) -> None:
    annex = load(bundled / "joint/spec.json")["annexes"]["173860"]
    assert [(e["id"], e["via"]) for e in annex["excluded"]] == [
        ("RES-0520", "RES-NOTICE"),
        ("RES-0530", "RES-NOTICE"),
        ("RES-0540", "RES-NOTICE"),
        ("PTX-0330", None),
        ("PTX-0240", None),  # 第5章 (標準仕様書に定めのない機能) follows 第3章
    ]
    assert [s["id"] for s in annex["excluded_sections"]] == ["RES-NOTICE"]
    assert annex["excluded_sections"][0]["reason_code"] == "not_applicable"
    nfr = next(m for m in annex["modified"] if m["id"] == "NFR-0110")
    assert nfr["class"] == "relax"
    assert nfr["changes"] == {  # joint: the 2 s 津幡町 needs, which the shared system meets
        "metrics.response_time_s": {"baseline": 3, "value": 5, "class": "relax", "joint": 2}
    }
    assert nfr["reason_code"] == "cost"
    [added] = annex["added"]
    assert (added["id"], added["section"], added["after"], added["level"]) == (
        "HDS-0001",
        "EXT-RES",
        None,
        "mandatory",
    )
    assert added["nonstandard"] is True
    assert added["use"] == {
        "172049": "not_applicable",
        "173614": "not_applicable",
        "173843": "not_applicable",
        "173860": "uses",
    }
    assert added["reason"].startswith("高齢者世帯が多く")


def test_bundled_added_requirement_sits_after_its_anchor(bundled: Path) -> None:
    effective = load(bundled / "municipalities/172049/spec.json")
    ids = [r["id"] for r in effective["requirements"]]
    at = ids.index("WJM-0001")
    assert ids[at - 1 : at + 2] == ["DSR-0360", "WJM-0001", "DSR-0370"]
    assert effective["requirements"][at]["status"] == "added"
    assert effective["requirements"][at]["nonstandard"] is True
    assert effective["provenance"]["WJM-0001"]["title"][0]["op"] == "add"


def test_bundled_nonstandard_additions_join_their_own_chapter(bundled: Path) -> None:
    """HDS-0001 has no 機能ID: it sits in 第5章 (EXT), not among the standard's functions."""
    effective = load(bundled / "municipalities/173860/spec.json")
    ids = [r["id"] for r in effective["requirements"]]
    hds = effective["requirements"][ids.index("HDS-0001")]
    assert hds["section"] == "EXT-RES" and hds["nonstandard"] is True
    assert not {"RES-0520", "PTX-0240"} & set(ids)
    assert effective["provenance"]["HDS-0001"]["title"][0]["op"] == "add"


def test_bundled_joint_states_the_strictest_metric(bundled: Path) -> None:
    joint = load(bundled / "joint/spec.json")
    by_id = {r["id"]: r for r in joint["requirements"]}
    assert by_id["NFR-0030"]["metrics"]["rto_h"] == 12  # 輪島市 tightened 24 → 12
    assert by_id["NFR-0030"]["differs"] == {"172049": "modified"}
    assert by_id["NFR-0110"]["metrics"]["response_time_s"] == 2  # 津幡町 2, 宝達志水町 5
    assert "2秒以内" in by_id["NFR-0110"]["statement"]
    assert joint["per_municipality_metrics"]["NFR-0140"]["terminals"] == {
        "172049": 60,
        "173614": 55,
        "173843": 40,
        "173860": 25,
    }
    assert by_id["RES-0010"]["common"] is True


def test_bundled_provenance_of_a_tightened_metric(bundled: Path) -> None:
    chain = load(bundled / "municipalities/172049/spec.json")["provenance"]["NFR-0030"]
    steps = chain["metrics.rto_h"]
    assert [(s["op"], s["municipality"], s["class"], s["value"]) for s in steps] == [
        ("baseline", None, None, 24),
        ("modify", "172049", "tighten", 12),
    ]
    assert steps[0]["file"] == "requirements/40-nonfunctional.yaml"
    assert steps[1]["file"] == "municipalities/172049-wajima.yaml"
    assert steps[1]["line"] == 43


def test_manifest_records_every_output_and_input_digest(bundled: Path) -> None:
    manifest = load(bundled / "manifest.json")
    outputs = files_of(bundled)
    del outputs["manifest.json"]
    assert manifest["outputs"] == {
        name: hashlib.sha256(data).hexdigest() for name, data in sorted(outputs.items())
    }
    assert "municipalities/172049-wajima.yaml" in manifest["inputs"]
    assert "specgen.yaml" in manifest["inputs"]


def test_two_builds_are_byte_identical(make_project: MakeProject) -> None:
    root = make_project()
    first, second = root.parent / "a", root.parent / "b"
    for out in (first, second):
        assert run_cli("build", str(root), "--out", str(out), "--format", "json").exit_code == 0
    assert files_of(first) == files_of(second)


def test_a_failed_build_leaves_the_previous_output_untouched(make_project: MakeProject) -> None:
    root = make_project()
    out = root / "output"
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    before = files_of(out)
    (root / "municipalities/172049-wajima.yaml").write_text(
        WAJIMA.replace("RES-0020:", "RES-0099:"), encoding="utf-8"
    )
    result = run_cli("build", str(root), "--format", "json")
    assert result.exit_code == 1
    assert "error[E-UNKNOWN-TARGET]" in result.stderr
    assert "nothing was written" in result.stderr
    assert files_of(out) == before
    assert sorted(p.name for p in root.iterdir()) == [
        "municipalities",
        "output",
        "requirements",
        "specgen.yaml",
    ]


def test_build_never_modifies_its_inputs(make_project: MakeProject) -> None:
    root = make_project()
    inputs = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    assert run_cli("build", str(root), "--format", "json").exit_code == 0
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == inputs


def test_build_of_one_municipality_writes_only_its_own_spec(make_project: MakeProject) -> None:
    root = make_project()
    out = root / "out"
    result = run_cli(
        "build", str(root), "--out", str(out), "--format", "json", "--municipality", "173843"
    )
    assert result.exit_code == 0, result.output
    assert sorted(files_of(out)) == [
        "joint/spec.json",
        "manifest.json",
        "municipalities/173843/spec.json",
    ]


def test_build_with_an_unknown_municipality_is_a_usage_error(make_project: MakeProject) -> None:
    result = run_cli("build", str(make_project()), "--municipality", "999999")
    assert result.exit_code == 2
    assert "999999" in result.stderr


def test_explain_shows_every_participant(make_project: MakeProject) -> None:
    result = run_cli("explain", "RES-0020", str(make_project()))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "RES-0020 転出証明書の交付  [RES]  requirements/10-main.yaml:16"
    assert "    172049 輪島市: modified, tighten (municipalities/172049-wajima.yaml:6)" in lines
    assert "      level: optional → mandatory  [tighten]" in lines
    assert "    173843 志賀町: excluded (municipalities/173843-shika.yaml:4)" in lines
    assert "      reason: 当町では該当事務がないため。" in lines


def test_explain_with_a_municipality_prints_the_chain(make_project: MakeProject) -> None:
    result = run_cli("explain", "NFR-0010", str(make_project()), "--municipality", "172049")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "NFR-0010 応答時間 in 172049 輪島市 (modified)"
    at = lines.index("  metrics.response_time_s")
    assert lines[at + 1].split() == ["requirements/10-main.yaml:36", "baseline", "-", "3"]
    assert lines[at + 2].split()[:5] == [
        "municipalities/172049-wajima.yaml:12",
        "modify",
        "172049",
        "tighten",
        "2",
    ]
    assert lines[-2:] == [
        "  shared system (every document states these):",
        "    metrics.response_time_s  2  (needed by 172049 輪島市)",
    ]


def test_explain_of_an_unknown_id_is_an_error(make_project: MakeProject) -> None:
    result = run_cli("explain", "RES-0030", str(make_project()))
    assert result.exit_code == 1
    assert "error[E-UNKNOWN-TARGET]" in result.stderr
    assert "did you mean 'RES-0020'?" in result.stderr


def test_an_incremental_rebuild_renders_only_what_changed_and_equals_a_cold_build(
    make_project: MakeProject,
) -> None:
    root = make_project()
    out = root / "output"
    first = run_cli("build", str(root))
    assert "3 documents rendered, 0 unchanged" in first.stderr
    shika = root / "municipalities/173843-shika.yaml"
    shika.write_text(
        shika.read_text(encoding="utf-8").replace("該当事務がないため", "該当する事務がないため"),
        encoding="utf-8",
    )
    second = run_cli("build", str(root))
    assert "2 documents rendered, 1 unchanged" in second.stderr  # the joint spec and 志賀町
    cold = root.parent / "cold"
    assert run_cli("build", str(root), "--out", str(cold)).exit_code == 0
    assert files_of(out) == files_of(cold)
    assert "該当する事務がないため" in (out / "municipalities/173843/spec.md").read_text()


def test_a_rebuild_reuses_the_joint_spec_s_unchanged_pieces_and_equals_a_cold_build(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The joint spec's Word file cut in pieces from 300 characters: a rebuild after one
    town's edit reuses the pieces kept in the cache folder and writes the bytes of a build
    with no cache at all."""
    import specgen.render.docx.document as docx_document

    monkeypatch.setattr(docx_document, "BLOCK_SIZE", 300)  # forked workers inherit it
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = make_project()
    assert run_cli("build", str(root), "--format", "docx").exit_code == 0
    pieces = tmp_path / "cache" / "docx-pieces-v1"
    first = set(pieces.iterdir())
    assert len(first) > 2
    shika = root / "municipalities/173843-shika.yaml"
    shika.write_text(
        shika.read_text(encoding="utf-8").replace("該当事務がないため", "該当する事務がないため"),
        encoding="utf-8",
    )
    assert run_cli("build", str(root), "--format", "docx").exit_code == 0
    assert 0 < len(set(pieces.iterdir()) - first) < len(first)  # only the edited pieces
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    cold = root.parent / "cold"
    assert run_cli("build", str(root), "--format", "docx", "--out", str(cold)).exit_code == 0
    assert files_of(root / "output") == files_of(cold)


def test_a_hand_edited_output_is_rendered_again(make_project: MakeProject) -> None:
    root = make_project()
    assert run_cli("build", str(root)).exit_code == 0
    edited = root / "output/municipalities/172049/spec.md"
    original = edited.read_bytes()
    edited.write_text("edited by hand\n", encoding="utf-8")
    result = run_cli("build", str(root))
    assert "1 documents rendered, 2 unchanged" in result.stderr
    assert edited.read_bytes() == original


def test_a_template_change_renders_every_document_again(make_project: MakeProject) -> None:
    root = make_project()
    assert run_cli("build", str(root)).exit_code == 0
    bundled = (BUNDLED_TEMPLATES / "municipality.md.j2").read_text(encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates/municipality.md.j2").write_text(bundled + "\n", encoding="utf-8")
    assert "3 documents rendered, 0 unchanged" in run_cli("build", str(root)).stderr


def test_json_outputs_are_laid_out_like_the_standard_library_would(bundled: Path) -> None:
    for path in (bundled / "joint/spec.json", bundled / "municipalities/173843/spec.json"):
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def test_unchanged_outputs_are_linked_into_the_new_output_not_rewritten(
    make_project: MakeProject,
) -> None:
    root = make_project()
    assert run_cli("build", str(root)).exit_code == 0
    kept = root / "output/municipalities/172049/spec.docx"
    inode = kept.stat().st_ino
    shika = root / "municipalities/173843-shika.yaml"
    shika.write_text(shika.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert "2 documents rendered, 1 unchanged" in run_cli("build", str(root)).stderr
    assert kept.stat().st_ino == inode


@pytest.mark.parametrize(
    "options",
    [
        (),  # every format: the joint spec's Word file streamed, its JSON a task of its own
        ("--format", "docx"),  # the joint spec's only task is the streamed Word file
        ("--format", "json", "--format", "markdown"),  # nothing streamed
        ("--format", "docx", "--municipality", "173843"),
    ],
)
def test_one_job_and_several_jobs_give_the_same_bytes(
    make_project: MakeProject, options: tuple[str, ...]
) -> None:
    root = make_project()
    serial, parallel = root.parent / "serial", root.parent / "parallel"
    for out, jobs in ((serial, "1"), (parallel, "3")):
        result = run_cli("build", str(root), "--out", str(out), "--jobs", jobs, *options)
        assert result.exit_code == 0, result.output
    assert files_of(serial) == files_of(parallel)
    assert len(files_of(serial)) > 1


def test_a_format_this_version_cannot_write_is_an_error_not_skipped(
    make_project: MakeProject,
) -> None:
    root = make_project({"specgen.yaml": PROJECT + "formats: [markdown, html]\n"})
    result = run_cli("build", str(root))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "formats in specgen.yaml asks for html, which this version of specgen cannot write yet "
        "(available: markdown, docx, json, pdf, xlsx, csv)"
    )
    assert not (root / "output").exists()


def test_a_joint_template_failing_midway_stops_a_parallel_build_cleanly(
    make_project: MakeProject,
) -> None:
    """With Word among the formats the joint spec's Markdown is streamed to a worker; a
    template that fails after a megabyte of it must give its error, not hang or write."""
    failing = (
        "{% for i in range(100000) %}本文の行 {{ i }}\n\n{% endfor %}{{ doc.no_such_field }}\n"
    )
    root = make_project({"templates/joint.md.j2": failing})
    command = [sys.executable, "-m", "specgen", "build", str(root), "--jobs", "2"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=root.parent)
    assert result.returncode == 1
    assert (
        "templates/joint.md.j2:3:1: error[E-TEMPLATE]: template joint.md.j2 failed: "
        "'specgen.render.views.DocumentView object' has no attribute 'no_such_field'"
    ) in result.stderr.splitlines()
    assert not (root / "output").exists()


def test_a_reference_docx_that_is_not_a_word_file_is_an_error(make_project: MakeProject) -> None:
    root = make_project()
    (root / "templates").mkdir()
    (root / "templates/reference.docx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run_cli("build", str(root), "--format", "docx")
    assert result.exit_code == 1
    assert (
        "templates/reference.docx: error[E-TEMPLATE]: templates/reference.docx cannot be the "
        "reference document: it is not a Word document (File is not a zip file)\n"
        "  hint: save it from Word as a .docx (not .doc, .dotx or .docm), or remove it to use "
        "the bundled one"
    ) in result.stderr
    assert not (root / "output").exists()
    assert run_cli("build", str(root), "--format", "markdown").exit_code == 0  # Word not asked


def test_a_title_and_a_name_longer_than_a_core_property_holds_still_build_word(
    make_project: MakeProject,
) -> None:
    """python-docx refuses a core property over 255 characters; the document prints the whole
    title, and its properties hold it cut with an ellipsis (not an internal error)."""
    long_title = "能登半島地震被災市町" * 30  # 300 characters
    long_name = "輪" * 300
    root = make_project(
        {
            "specgen.yaml": PROJECT.replace("title: ミニ仕様書", f"title: {long_title}"),
            "municipalities/172049-wajima.yaml": WAJIMA.replace(
                "name: 輪島市", f"name: {long_name}"
            ),
        }
    )
    result = run_cli("build", str(root), "--format", "docx", "--format", "markdown")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(root / "output/joint/spec.docx"))
    title = document.core_properties.title
    assert len(title) == 255 and title.endswith("…") and long_title.startswith(title[:-1])
    assert long_title in (root / "output/joint/spec.md").read_text(encoding="utf-8")
    town = docx.Document(str(root / "output/municipalities/172049/spec.docx"))
    assert len(town.core_properties.title) <= 255
