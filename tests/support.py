"""What the tests share: the small valid project, the bundled one's place, and the CLI runner.

The tests import specgen as installed; this module and the repository's data files are all
they take from the source tree (the bundled Noto project is data, not code).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner, Result

from specgen.cli import cli

REPO = Path(__file__).resolve().parent.parent
# The templates specgen ships, read from the installed package.
BUNDLED_TEMPLATES = Path(str(resources.files("specgen.templates")))

PROJECT = """\
specgen: 1
project:
  id: mini
  title: ミニ仕様書
  issuer: {code: "170003", name: 石川県}
  version: "1.0"
  date: 2026-11-26
metrics:
  response_time_s: {label: 応答時間, unit: 秒, better: lower}
  availability_pct: {label: 稼働率, unit: "%", better: higher}
  terminals: {label: 端末台数, unit: 台, better: none}
"""

CATALOG = """\
specgen: 1
sections:
  - id: GEN
    title: 総則
    body: 本書は仕様を定める。
  - id: RES
    title: 住民記録
    requirements:
      - id: RES-0010
        title: 転入届の受付
        statement: |
          転入届に基づき住民票を作成できること。
          ・転入前住所を管理すること。
        level: mandatory
        notes: 窓口で使用する。
      - id: RES-0020
        title: 転出証明書の交付
        statement: 転出証明書を交付できること。
        level: optional
    sections:
      - id: RES-CERT
        title: 証明書
        requirements:
          - id: RES-0110
            title: 住民票の写しの交付
            statement: 住民票の写しを交付できること。
            level: mandatory
  - id: NFR
    title: 非機能要件
    requirements:
      - id: NFR-0010
        title: 応答時間
        statement: 画面の応答時間は${response_time_s}以内であること。
        level: mandatory
        kind: non_functional
        metrics: {response_time_s: 3, terminals: 10}
"""

WAJIMA = """\
specgen: 1
municipality: {code: "172049", name: 輪島市, name_en: Wajima City, prefix: WJM}
profile:
  population: 22000
changes:
  RES-0020:
    op: modify
    set: {level: mandatory}
    reason: 転出者が多いため。
  NFR-0010:
    op: modify
    set: {metrics: {response_time_s: 2, terminals: 45}}
    expect: {metrics: {response_time_s: 3}}
    reason: 窓口混雑のため。
  WJM-0001:
    op: add
    section: RES
    after: RES-0010
    reason: 仮設住宅入居者への通知のため。
    requirement: {title: 仮設住宅入居者の管理, statement: 仮設住宅の入居者を管理できること。, level: mandatory}
"""

SHIKA = """\
specgen: 1
municipality: {code: "173843", name: 志賀町, prefix: SKA}
changes:
  RES-0020:
    op: exclude
    reason: 当町では該当事務がないため。
    reason_code: not_applicable
"""

BASE_FILES = {
    "specgen.yaml": PROJECT,
    "requirements/10-main.yaml": CATALOG,
    "municipalities/172049-wajima.yaml": WAJIMA,
    "municipalities/173843-shika.yaml": SHIKA,
}

MakeProject = Callable[..., Path]


def copy_of_bundled(destination: Path) -> Path:
    """The bundled Noto project's inputs (not its templates) copied to `destination`."""
    destination.mkdir(parents=True)
    shutil.copy(REPO / "specgen.yaml", destination / "specgen.yaml")
    for name in ("requirements", "municipalities"):
        shutil.copytree(REPO / name, destination / name)
    return destination


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def load_fuzzer() -> ModuleType:
    """tools/fuzz.py, which is a script of the repository, not a package: loaded from its
    file, and registered by name (its dataclasses and forked workers look it up)."""
    if "specgen_fuzz" in sys.modules:
        return sys.modules["specgen_fuzz"]
    spec = importlib.util.spec_from_file_location("specgen_fuzz", REPO / "tools/fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["specgen_fuzz"] = module
    spec.loader.exec_module(module)
    return module


GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """`text` equals tests/golden/NAME; SPECGEN_UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("SPECGEN_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"
