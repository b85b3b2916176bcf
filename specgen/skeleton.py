"""`specgen init`: the files of a new project, and of a new municipality in an existing one.

The project builds at once: a narrative chapter, a few requirements, one municipality with one
change of each kind, each field explained by a Japanese comment for the clerk who edits it.
"""

from __future__ import annotations

import json

from specgen.codes import is_valid_code, official_name
from specgen.schemas.definitions import INPUT_SCHEMAS, schema_json

__all__ = ["municipality_file", "project_files"]

_PROJECT = """\
# yaml-language-server: $schema=schemas/project.schema.json
# specgen のプロジェクトファイル。共同調達仕様書の表紙と全体の設定を定める。
specgen: 1
project:
  id: {slug}                          # プロジェクトの識別子（半角英小文字・数字・ハイフン）
  title: 基幹業務システム共同調達仕様書   # 文書の表題（表紙では空白の位置で改行する）
  issuer: {{code: "{issuer_code}", name: {issuer_name}}}   # 発行者（都道府県又は代表団体）
  version: "0.1"                      # 版（引用符で囲む）
  date: 2026-04-01                    # 文書の日付（文書では和暦で表示する）
  language: ja                        # 文書と診断の言語: ja | en
metrics:                              # 数値要件の登録簿
  response_time_s: {{label: 応答時間, unit: 秒, better: lower}}        # 小さいほど厳しい
  terminals: {{label: 端末台数, unit: 台, better: none, aggregate: sum}}  # 団体ごとの値と合計
"""

_GENERAL = """\
# yaml-language-server: $schema=../schemas/catalog.schema.json
# 総則（要件を持たない説明の章）。body には Markdown で本文を書く。
specgen: 1
sections:
  - id: GEN
    title: 総則
    body: |
      本仕様書は、参加団体が共同で調達する基幹業務システムに求める要件を定める。
"""

_REQUIREMENTS = """\
# yaml-language-server: $schema=../schemas/catalog.schema.json
# 共通仕様の要件。要件ごとに id、title、statement、level を書く。
# level: mandatory（必須）| optional（任意）| prohibited（実装不可）
specgen: 1
sections:
  - id: RES
    title: 住民記録
    requirements:
      - id: RES-0010
        title: 転入届の受付
        statement: |                  # 要件の本文（改行はそのまま改行になる）
          転入届に基づき住民票を作成できること。
          ・転入前住所（国外を含む。）を管理すること。
        level: mandatory
      - id: RES-0020
        title: 異体字検索
        statement: 異体字を含む氏名で検索できること。
        level: optional
  - id: NFR
    title: 非機能要件
    requirements:
      - id: NFR-0010
        title: 画面応答時間
        statement: 画面の応答時間は${{response_time_s}}以内とし、端末${{terminals}}で満たすこと。
        level: mandatory
        kind: non_functional
        metrics: {{response_time_s: 3, terminals: 10}}   # ${{…}} に入る値
"""

_MUNICIPALITY = """\
# yaml-language-server: $schema=../schemas/municipality.schema.json
# {name}の個別仕様。共通仕様との違いだけを書く。変更にはすべて理由（reason）が必要。
specgen: 1
municipality:
  code: "{code}"                      # 全国地方公共団体コード（6桁、引用符で囲む）
  name: {name}                        # 公式の名称
  prefix: {prefix}                    # この団体が追加する要件の ID の接頭辞
profile:                              # 団体別諸元（別紙に表で示す）
  population: 10000                   # 人口
  terminals: 12                       # 端末台数
changes:                              # キーは対象の要件ID。op は modify / exclude / add
{changes}"""

_CHANGES = """\
  NFR-0010:
    op: modify                        # 変更: set で値を変える
    set: {{metrics: {{terminals: 12}}}}
    reason: 窓口と支所で利用する端末の台数とするため。
  RES-0020:
    op: exclude                       # 利用しない: 共同利用システムにはあるが、この団体は使わない
    reason: 異体字を含む氏名の検索は窓口での確認で対応しているため。
    reason_code: local_operation
  {prefix}-0001:
    op: add                           # 追加: この団体だけの要件
    section: RES
    reason: 郵送による請求が多いため。
    requirement:
      title: 郵便請求の受付管理
      statement: 郵便による証明書の交付請求の受付から返送までを管理できること。
      level: mandatory
"""

_GITIGNORE = "# specgen の出力（specgen build が作る。手で編集しない）\noutput/\n"


def _yaml_text(text: str) -> str:
    """`text` as a YAML string: quoted when plain YAML would read it as something else (a
    code standing in for a name not on the official list would be a number)."""
    plain = text and not text[0].isdigit() and not any(c in text for c in ":#{}[],&*!|>'\"%@`")
    return text if plain else json.dumps(text, ensure_ascii=False)


def default_prefix(code: str) -> str:
    """A prefix for a municipality's added IDs: M and its code (to be replaced by a short
    name, such as WJM for 輪島市)."""
    return f"M{code}"


def municipality_file(code: str, *, sample_changes: bool) -> tuple[str, str]:
    """(relpath, text) of a municipality's file: official name, proposed prefix, and with
    `sample_changes` one change of each kind."""
    name = _yaml_text(official_name(code) or code)
    prefix = default_prefix(code)
    changes = _CHANGES.format(prefix=prefix) if sample_changes else "  {}\n"
    text = _MUNICIPALITY.format(code=code, name=name, prefix=prefix, changes=changes)
    return f"municipalities/{code}.yaml", text


def project_files(*, issuer_code: str, municipality: str, slug: str) -> dict[str, str]:
    """Every file of a new project whose issuer is `issuer_code`, with one municipality."""
    assert is_valid_code(issuer_code) and is_valid_code(municipality)
    issuer_name = _yaml_text(official_name(issuer_code) or issuer_code)
    relpath, town = municipality_file(municipality, sample_changes=True)
    return {
        "specgen.yaml": _PROJECT.format(
            slug=slug, issuer_code=issuer_code, issuer_name=issuer_name
        ),
        "requirements/00-general.yaml": _GENERAL,
        "requirements/10-requirements.yaml": _REQUIREMENTS.format(),
        relpath: town,
        ".gitignore": _GITIGNORE,
        # the schemas the files name, so an editor checks them as the clerk types, offline
        **{f"schemas/{name}.schema.json": schema_json(s) for name, s in INPUT_SCHEMAS.items()},
    }
