"""Generate a synthetic specgen project of any size, deterministically, for benchmarks."""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus import ISSUER, LEVEL_BY_CATEGORY, dump_yaml, escape_statement, load_jyuki_rows

REPO = Path(__file__).resolve().parent.parent
LG_CODES = REPO / "specgen" / "data" / "lg-codes.csv"
HOME_PREFECTURE = "石川県"

STANDARD = {"document": "住民記録システム標準仕様書", "version": "第1.0版"}
CHANGE_SHARE = 0.02  # of the baseline's requirements, per municipality
MAX_PER_CHAPTER = 3000  # keeps every file far below the loader's size and node limits

METRICS: dict[str, dict[str, str]] = {
    "response_time_s": {"label": "応答時間", "unit": "秒", "better": "lower", "joint": "strictest"},
    "availability_pct": {"label": "稼働率", "unit": "%", "better": "higher", "joint": "strictest"},
    "rpo_h": {"label": "目標復旧時点", "unit": "時間", "better": "lower", "joint": "strictest"},
    "terminals": {"label": "端末台数", "unit": "台", "better": "none", "joint": "per_municipality"},
}
# A stricter value than each baseline value, so metric changes always tighten (never W-RELAX).
TIGHTER: dict[str, dict[float, float]] = {
    "response_time_s": {5: 3, 3: 2, 2: 1},
    "availability_pct": {99.5: 99.9, 99.9: 99.95},
    "rpo_h": {24: 12, 12: 6},
}


@dataclass(frozen=True)
class Theme:
    """A business domain: one chapter (one catalog file) of the baseline."""

    prefix: str
    title: str
    slug: str
    topics: tuple[str, ...]
    legal: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme("RES", "住民記録", "resident",
          ("転入", "転出", "転居", "世帯変更", "職権記載", "証明書発行", "住民票コード",
           "外国人住民", "異動の取消し", "本人通知", "統計", "庁内連携"),
          ("住民基本台帳法 第7条", "住民基本台帳法 第12条", "住民基本台帳法 第22条",
           "住民基本台帳法 第30条の45")),
    Theme("TAX", "個人住民税", "individual-tax",
          ("賦課資料の受付", "給与支払報告書", "公的年金等支払報告書", "申告受付", "税額計算",
           "特別徴収", "普通徴収", "課税証明", "減免", "更正", "扶養是正", "電子申告連携"),
          ("地方税法 第294条", "地方税法 第317条の2", "地方税法 第321条の3",
           "地方税法 第321条の7")),
    Theme("FAT", "固定資産税", "fixed-asset-tax",
          ("土地評価", "家屋評価", "償却資産", "課税台帳", "名寄帳", "縦覧", "賦課",
           "減額措置", "証明発行", "登記済通知"),
          ("地方税法 第341条", "地方税法 第343条", "地方税法 第380条", "地方税法 第416条")),
    Theme("DSR", "被災者支援", "disaster-relief",
          ("罹災証明書", "被災者台帳", "住家被害認定", "義援金", "被災者生活再建支援金",
           "応急仮設住宅", "避難者情報", "応急修理"),
          ("災害対策基本法 第90条の2", "災害対策基本法 第90条の3", "被災者生活再建支援法 第3条",
           "災害救助法 第4条")),
    Theme("COL", "収納・滞納管理", "collection",
          ("収納消込", "口座振替", "コンビニ収納", "過誤納還付", "督促", "催告", "滞納処分",
           "分納管理", "執行停止"),
          ("地方税法 第329条", "地方税法 第15条の7", "国税徴収法 第47条")),
    Theme("VEH", "軽自動車税", "light-vehicle-tax",
          ("登録・廃車", "種別割", "環境性能割", "減免", "納税証明", "標識交付"),
          ("地方税法 第442条", "地方税法 第463条の15")),
    Theme("NHI", "国民健康保険", "health-insurance",
          ("資格取得・喪失", "保険税賦課", "高額療養費", "療養費給付", "資格確認書", "特定健診"),
          ("国民健康保険法 第6条", "国民健康保険法 第9条", "地方税法 第703条の4")),
    Theme("CHA", "児童手当", "child-allowance",
          ("認定請求", "額改定", "現況確認", "支払", "受給事由消滅", "寄附"),
          ("児童手当法 第7条", "児童手当法 第8条", "児童手当法 第26条")),
    Theme("LTC", "介護保険", "long-term-care",
          ("資格管理", "保険料賦課", "要介護認定", "給付管理", "住所地特例", "負担割合証"),
          ("介護保険法 第9条", "介護保険法 第27条", "介護保険法 第129条")),
)  # fmt: skip
NFR_THEME = Theme(
    "NFR", "非機能要件", "non-functional",
    ("性能・規模", "可用性", "セキュリティ", "運用・保守", "移行", "教育・研修"),
    ("個人情報の保護に関する法律 第66条", "地方公共団体情報システムの標準化に関する法律 第8条"),
)  # fmt: skip
SUBTOPICS = (
    "受付・入力", "審査・決裁", "照会・検索", "帳票出力", "一括処理", "他業務連携", "統計・集計",
    "履歴管理",
)  # fmt: skip

# NFR topic → (title, statement, {metric: candidate baseline values} or None)
NFR_TEMPLATES: dict[str, tuple[tuple[str, str, dict[str, tuple[float, ...]] | None], ...]] = {
    "性能・規模": (
        ("オンライン処理の応答時間",
         "窓口端末におけるオンライン処理（照会・更新）の応答時間は、通常時において"
         "${response_time_s}以内とすること。\n"
         "・応答時間は、画面上の操作から処理結果が表示されるまでの時間とする。\n"
         "・繁忙期（3月下旬から4月上旬）においても同等の応答時間を確保すること。",
         {"response_time_s": (2, 3)}),
        ("証明書発行の応答時間",
         "証明書等の即時発行において、発行指示から印刷開始までの時間は${response_time_s}以内と"
         "すること。",
         {"response_time_s": (3, 5)}),
        ("利用端末台数",
         "各団体の窓口及び担当課に設置する${terminals}の端末から、同時に利用できること。",
         {"terminals": (10, 20, 30)}),
        ("夜間一括処理",
         "夜間一括処理は、翌開庁日の業務開始時刻までに完了すること。\n"
         "・処理対象件数が通常の2倍となった場合においても同様とする。",
         None),
    ),
    "可用性": (
        ("サービスの稼働率",
         "本番環境の稼働率は、計画停止時間を除き、月間${availability_pct}以上とすること。",
         {"availability_pct": (99.5, 99.9)}),
        ("目標復旧時点",
         "障害発生時のデータの目標復旧時点（RPO）は、障害発生の${rpo_h}前以内とすること。\n"
         "・バックアップは日次で取得し、遠隔地に保管すること。",
         {"rpo_h": (12, 24)}),
        ("計画停止",
         "計画停止は原則として閉庁日に行い、実施の2週間前までに発注者へ通知すること。", None),
    ),
    "セキュリティ": (
        ("アクセス制御",
         "利用者ごとに利用可能な業務・機能・データの範囲を設定し、権限のない操作を防止すること。\n"
         "・二要素認証に対応すること。\n"
         "・一定回数以上の認証失敗によりアカウントをロックすること。",
         None),
        ("操作ログ",
         "照会・更新・出力の操作について、操作者、日時、端末及び対象者を記録すること。\n"
         "・操作ログは5年間保存し、条件を指定して検索できること。",
         None),
        ("通信の暗号化", "端末とサーバの間の通信は、すべて暗号化すること。", None),
    ),
    "運用・保守": (
        ("障害対応",
         "障害発生時は、検知から30分以内に発注者へ第一報を行い、復旧までの経過を報告すること。",
         None),
        ("法改正対応", "法令改正に伴うシステム改修は、施行日までに完了すること。", None),
        ("ヘルプデスク",
         "開庁日の8時30分から17時15分まで、操作方法等の問合せに対応するヘルプデスクを設置する"
         "こと。",
         None),
    ),
    "移行": (
        ("データ移行",
         "現行システムのデータを、標準準拠システムのデータ要件に従って移行すること。\n"
         "・移行リハーサルを2回以上実施すること。\n・移行結果の検証手順を提示すること。",
         None),
        ("移行データの検証",
         "移行後のデータについて、件数及び金額の突合結果を帳票で出力できること。", None),
    ),
    "教育・研修": (
        ("操作研修", "本稼働の1か月前までに、職員向けの操作研修を実施すること。", None),
        ("操作マニュアル",
         "業務ごとの操作マニュアルを作成し、制度改正の都度更新すること。", None),
    ),
}  # fmt: skip

RATIONALES = (
    "法定事務を確実に処理するため。",
    "標準仕様書に準拠し、事務の標準化を図るため。",
    "窓口における住民の待ち時間を短縮するため。",
    "誤入力による事務誤りを防止するため。",
    "参加団体間で運用を統一し、共同利用の効果を高めるため。",
)
NOTES = (
    "詳細な運用は、設計工程において発注者と協議の上、決定する。",
    "現行システムにおける運用を参考とすること。",
    "帳票の様式は、標準仕様書に定める様式を基本とする。",
)
ACCEPTANCES = (
    "受入テストにおいて、操作手順書のとおりに処理できることを確認する。",
    "テストデータによる処理結果が、期待値と一致することを確認する。",
)
TAGS = ("窓口", "帳票", "一括処理", "連携", "照会", "セキュリティ")
TEXT_VARIANTS = (
    "{text}\nなお、処理の結果は操作ログとして記録すること。",
    "{topic}に係る事務においても、以下のとおりとする。\n{text}",
    "{text}\n（{chapter}の事務において同様の処理を行う場合を含む。）",
)
GENERAL_SECTIONS = (
    ("目的", "本仕様書は、参加団体が共同で調達する基幹業務システムに求める要件を定める。"),
    ("調達範囲", "調達の範囲は、システムの構築、データ移行、運用・保守及び職員研修とする。"),
    ("契約期間", "契約期間は、契約締結日から本稼働後5年間とする。"),
    ("個人情報の取扱い",
     "受注者は、個人情報の保護に関する法律及び各参加団体の定めに従い、個人情報を適正に取り扱うこと。"),
)  # fmt: skip
ADD_TEMPLATES = (
    ("独自様式の通知書", "{name}独自の様式による{topic}に係る通知書を出力できること。\n"
     "・様式は、発注者と協議の上、決定する。"),
    ("独自区分による集計", "{name}が定める区分により、{topic}に係る件数を月次で集計し、"
     "CSV形式で出力できること。"),
    ("条例に基づく独自区分", "{name}の条例に基づく独自の区分を管理し、"
     "{topic}の処理に反映できること。"),
    ("庁内システムとの連携", "{name}が運用する庁内システムと、"
     "{topic}に係るデータを日次で連携できること。"),
)  # fmt: skip
CURRENT_SYSTEMS = ("A社 住民情報システム", "B社 総合行政システム", "C社 自治体クラウド")


# --- the official municipality list ---------------------------------------------------------


@dataclass(frozen=True)
class LocalGovernment:
    code: str
    name: str
    kana: str
    prefecture: str
    type: str


def load_lg_codes(path: Path = LG_CODES) -> list[LocalGovernment]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LocalGovernment(r["code"], r["name"], r["kana"], r["prefecture"], r["type"])
            for r in csv.DictReader(handle)
        ]


PARTICIPANT_TYPES = ("city", "designated_city", "special_ward", "town", "village")


def pick_participants(codes: Sequence[LocalGovernment], count: int) -> list[LocalGovernment]:
    """Ishikawa Prefecture's 19 cities and towns first, then the rest of the list in its order."""
    eligible = [lg for lg in codes if lg.type in PARTICIPANT_TYPES]
    home = [lg for lg in eligible if lg.prefecture == HOME_PREFECTURE]
    others = [lg for lg in eligible if lg.prefecture != HOME_PREFECTURE]
    chosen = (home + others)[:count]
    if len(chosen) < count:
        raise ValueError(f"the official list has only {len(chosen)} municipalities")
    return chosen


_KANA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴ"
)
_SYLLABLES = (
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de "
    "do ba bi bu be bo pa pi pu pe po vu"
)
_ROMAJI = dict(zip(_KANA, _SYLLABLES.split(), strict=True))
_SUFFIXES = {
    "city": ("シ", "City"),
    "designated_city": ("シ", "City"),
    "special_ward": ("ク", "City"),
    "town": ("マチ", "Town"),
    "village": ("ムラ", "Village"),
}
_ALT_SUFFIXES = {"town": "チョウ", "village": "ソン"}


def _romanize(katakana: str) -> str | None:
    """Simplified Hepburn without long vowels (ホウダツシミズ → hodatsushimizu); None if unknown."""
    out: list[str] = []
    double_next = False
    for char in katakana:
        if char == "ッ":
            double_next = True
            continue
        if char in "ャュョ" and out and out[-1].endswith("i"):
            vowel = {"ャ": "a", "ュ": "u", "ョ": "o"}[char]
            previous = out.pop()
            out.append(previous[:-1] + vowel if previous in ("shi", "chi", "ji")
                       else previous[:-1] + "y" + vowel)  # fmt: skip
            continue
        if char == "ウ" and out and out[-1][-1] in "ou":
            continue  # a long vowel: トウキョウ → tokyo
        syllable = _ROMAJI.get(char)
        if syllable is None:
            return None
        if double_next:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double_next = False
        out.append(syllable)
    return "".join(out)


def english_stem(lg: LocalGovernment) -> tuple[str | None, str]:
    """The romanized name without its 市/町/村 suffix, and the English word for that suffix."""
    kana = unicodedata.normalize("NFKC", lg.kana)
    suffix, word = _SUFFIXES.get(lg.type, ("", ""))
    for candidate in (suffix, _ALT_SUFFIXES.get(lg.type, "")):
        if candidate and kana.endswith(candidate):
            kana = kana[: -len(candidate)]
            break
    return _romanize(kana), word


# --- the baseline -----------------------------------------------------------------------------


@dataclass
class BaselineRequirement:
    id: str
    section: str
    level: str
    notes: str | None
    metrics: dict[str, float]


@dataclass
class Baseline:
    """The generated catalog files plus the index the municipality generator draws from."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    requirements: list[BaselineRequirement] = field(default_factory=list)
    # leaf section ID → (title, IDs of its requirements)
    leaf_sections: dict[str, tuple[str, list[str]]] = field(default_factory=dict)


def _split(total: int, parts: int, rng: random.Random, jitter: float) -> list[int]:
    """`total` split into `parts` positive integers near total/parts (largest remainder)."""
    weights = [rng.uniform(1 - jitter, 1 + jitter) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [1 + int(w * scale) for w in weights]
    order = sorted(range(parts), key=lambda i: -(weights[i] * scale % 1))
    for i in order[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes


def _chapter_themes(functional: int) -> list[Theme]:
    themes = []
    for i in range(functional):
        base, cycle = THEMES[i % len(THEMES)], i // len(THEMES)
        if cycle == 0:
            themes.append(base)
        else:
            themes.append(Theme(f"{base.prefix}{cycle + 1}", f"{base.title}（その{cycle + 1}）",
                                f"{base.slug}-{cycle + 1}", base.topics, base.legal))  # fmt: skip
    return themes


MakeRequirement = Callable[[str, str], dict[str, Any]]  # (id, section title) → requirement


class _BaselineWriter:
    def __init__(self, rows: Sequence[Mapping[str, Any]], rng: random.Random) -> None:
        self.rows = rows
        self.rng = rng
        self.cursor = 0  # position in the cycle over the corpus rows
        self.nfr_cursors: dict[str, int] = {}
        self.subjects: tuple[str, ...] = ()  # the functional chapters' titles, for NFR variants
        self.baseline = Baseline()

    def chapter(self, theme: Theme, count: int) -> dict[str, Any]:
        """A functional chapter: sections at depth 2, some split into subsections (depth 3)."""
        rng = self.rng
        sequence = _ids(theme.prefix, count)
        leaves = _split(count, max(1, round(count / 35)), rng, 0.3)

        def make(requirement_id: str, topic: str) -> dict[str, Any]:
            return self.functional(requirement_id, theme, topic)

        children: list[dict[str, Any]] = []
        index = 0
        while index < len(leaves):
            number = len(children) + 1
            topic = theme.topics[(number - 1) % len(theme.topics)]
            cycle = (number - 1) // len(theme.topics)
            title = topic if cycle == 0 else f"{topic}（その{cycle + 1}）"
            section_id = f"{theme.prefix}-S{number:02d}"
            group = min(rng.randint(2, 4) if rng.random() < 0.45 else 1, len(leaves) - index)
            if group == 1:
                node = self.leaf(section_id, title, leaves[index], sequence, make)
            else:
                node = {"id": section_id, "title": title}
                if rng.random() < 0.3:
                    node["body"] = f"{title}に係る事務の機能要件を定める。"
                node["sections"] = [
                    self.leaf(f"{section_id}.{sub + 1:02d}", SUBTOPICS[sub % len(SUBTOPICS)],
                              leaves[index + sub], sequence, make)
                    for sub in range(group)
                ]  # fmt: skip
            children.append(node)
            index += group
        body = f"{theme.title}に係る要件を定める。"
        return {"id": theme.prefix, "title": theme.title, "body": body, "sections": children}

    def nfr_chapter(self, count: int) -> dict[str, Any]:
        """非機能要件: one section per topic, its requirements drawn from that topic's templates."""
        theme = NFR_THEME
        sequence = _ids(theme.prefix, count)
        topics = theme.topics[: min(count, len(theme.topics))]
        sizes = _split(count, max(len(topics), round(count / 35)), self.rng, 0.3)
        children = []
        for number, size in enumerate(sizes, start=1):
            topic = topics[(number - 1) % len(topics)]
            cycle = (number - 1) // len(topics)
            title = topic if cycle == 0 else f"{topic}（その{cycle + 1}）"

            def make(requirement_id: str, _title: str, topic: str = topic) -> dict[str, Any]:
                return self.non_functional(requirement_id, topic)

            children.append(self.leaf(f"{theme.prefix}-S{number:02d}", title, size, sequence, make))
        body = "システム全体に求める性能、可用性、セキュリティ等の要件を定める。"
        return {"id": theme.prefix, "title": theme.title, "body": body, "sections": children}

    def leaf(
        self, section_id: str, title: str, size: int, sequence: Iterator[str], make: MakeRequirement
    ) -> dict[str, Any]:
        requirements = [make(next(sequence), title) for _ in range(size)]
        self.baseline.leaf_sections[section_id] = (title, [r["id"] for r in requirements])
        for r in requirements:
            metrics = dict(r.get("metrics", {}))
            self.baseline.requirements.append(
                BaselineRequirement(r["id"], section_id, r["level"], r.get("notes"), metrics)
            )
        return {"id": section_id, "title": title, "requirements": requirements}

    def functional(self, requirement_id: str, theme: Theme, topic: str) -> dict[str, Any]:
        rng = self.rng
        row = self.rows[self.cursor % len(self.rows)]
        variant = self.cursor // len(self.rows)
        self.cursor += 1
        text = escape_statement(str(row["text"]))
        if variant:
            template = TEXT_VARIANTS[(variant + self.cursor) % len(TEXT_VARIANTS)]
            text = template.format(text=text, topic=topic, chapter=theme.title)
        requirement: dict[str, Any] = {
            "id": requirement_id,
            "title": str(row["name"]),
            "statement": text,
            "level": LEVEL_BY_CATEGORY[str(row["category_source"])],
        }
        roll = rng.random()
        if roll < 0.04:
            requirement["kind"] = "form"
        elif roll < 0.07:
            requirement["kind"] = "interface"
        self.optional_fields(requirement, theme)
        if theme.prefix == "RES" and rng.random() < 0.6:
            requirement["standard"] = {**STANDARD, "section": str(row["section"])}
        if requirement.get("kind") == "form":
            requirement["tags"] = ["帳票"]
        elif rng.random() < 0.15:
            requirement["tags"] = sorted(rng.sample(TAGS, rng.randint(1, 2)), key=TAGS.index)
        return requirement

    def non_functional(self, requirement_id: str, topic: str) -> dict[str, Any]:
        rng = self.rng
        templates = NFR_TEMPLATES[topic]
        position = self.nfr_cursors.get(topic, 0)
        self.nfr_cursors[topic] = position + 1
        title, statement, metric_choices = templates[position % len(templates)]
        repeat = position // len(templates)
        if repeat and self.subjects:
            subject = self.subjects[(repeat - 1) % len(self.subjects)]
            title = f"{title}（{subject}）"
            statement = f"{statement}\n本要件は、{subject}に係る処理に適用する。"
        requirement: dict[str, Any] = {
            "id": requirement_id,
            "title": title,
            "statement": statement,
            "level": "optional" if rng.random() < 0.1 else "mandatory",
            "kind": "non_functional",
        }
        self.optional_fields(requirement, NFR_THEME)
        if metric_choices:
            requirement["metrics"] = {
                name: rng.choice(values) for name, values in metric_choices.items()
            }
        return requirement

    def optional_fields(self, requirement: dict[str, Any], theme: Theme) -> None:
        rng = self.rng
        if rng.random() < 0.2:
            requirement["rationale"] = rng.choice(RATIONALES)
        if rng.random() < 0.1:
            requirement["notes"] = rng.choice(NOTES)
        if rng.random() < 0.08:
            requirement["acceptance"] = rng.choice(ACCEPTANCES)
        if rng.random() < 0.1:
            picked = rng.sample(theme.legal, min(len(theme.legal), rng.randint(1, 2)))
            requirement["legal_basis"] = sorted(picked, key=theme.legal.index)


def _ids(prefix: str, count: int) -> Iterator[str]:
    """RES-0010, RES-0020, …: numbered in tens, as catalogs leave room for insertions."""
    width = max(4, len(str(count * 10)))
    return (f"{prefix}-{number * 10:0{width}d}" for number in range(1, count + 1))


def build_baseline(rows: Sequence[Mapping[str, Any]], total: int, seed: int) -> Baseline:
    """The catalog files: a narrative 総則, functional chapters, and 非機能要件 last."""
    rng = random.Random(f"specgen-bench:{seed}:baseline")
    non_functional = min(400, max(1, round(total * 0.04)))
    functional_total = total - non_functional
    functional = min(len(THEMES), max(1, functional_total // 60), 4 + total // 1000)
    functional = max(functional, math.ceil(functional_total / MAX_PER_CHAPTER))
    writer = _BaselineWriter(rows, rng)
    files = writer.baseline.files
    files["requirements/00-general.yaml"] = {
        "sections": [
            {
                "id": "GEN",
                "title": "総則",
                "body": "本章は、本調達の目的、範囲及び共通事項を定める。",
                "sections": [
                    {"id": f"GEN-S{i:02d}", "title": title, "body": body}
                    for i, (title, body) in enumerate(GENERAL_SECTIONS, start=1)
                ],
            }
        ]
    }
    counts = _split(functional_total, functional, rng, 0.3)
    themes = _chapter_themes(functional)
    writer.subjects = tuple(theme.title for theme in themes)
    for number, (theme, count) in enumerate(zip(themes, counts, strict=True), start=1):
        path = f"requirements/{number:02d}-{theme.slug}.yaml"
        files[path] = {"sections": [writer.chapter(theme, count)]}
    path = f"requirements/{functional + 1:02d}-{NFR_THEME.slug}.yaml"
    files[path] = {"sections": [writer.nfr_chapter(non_functional)]}
    return writer.baseline


# --- the municipalities ----------------------------------------------------------------------


POPULATION_RANGES = {
    "designated_city": (500_000, 1_500_000),
    "city": (20_000, 400_000),
    "special_ward": (50_000, 900_000),
    "town": (4_000, 40_000),
}


def _profile(lg: LocalGovernment, rng: random.Random) -> dict[str, Any]:
    low, high = POPULATION_RANGES.get(lg.type, (800, 9_000))
    population = rng.randrange(low, high, 100)
    year = rng.randint(2012, 2020)
    return {
        "population": population,
        "households": population * rng.randint(38, 46) // 100,
        "terminals": max(5, population // rng.randint(400, 900)),
        "go_live": f"{rng.choice((2026, 2027))}-{rng.choice(('01', '04', '10'))}-01",
        "current_system": f"{rng.choice(CURRENT_SYSTEMS)}（{year}年度導入）",
    }


def build_municipality(
    lg: LocalGovernment, prefix: str, baseline: Baseline, seed: int
) -> tuple[str, dict[str, Any]]:
    """One delta: ~2 % of the baseline changed, every change valid and with a reason."""
    rng = random.Random(f"specgen-bench:{seed}:{lg.code}")
    stem, word = english_stem(lg)
    slug = stem if stem else f"m{lg.code}"
    municipality: dict[str, Any] = {"code": lg.code, "name": lg.name}
    if stem:
        municipality["name_en"] = f"{stem.capitalize()} {word}"
    municipality["prefix"] = prefix
    name = lg.name

    requirements = baseline.requirements
    total = max(2, round(len(requirements) * CHANGE_SHARE))
    adds = max(1, total // 10)
    optional = [r for r in requirements if r.level == "optional"]
    with_metrics = [r for r in requirements if r.metrics]
    excludes = min(len(optional) // 2, round(total * 0.25))
    levels = min(len(optional) - excludes, round(total * 0.3))
    metric_changes = min(len(with_metrics), round(total * 0.15))
    notes = max(0, total - adds - excludes - levels - metric_changes)

    used: set[str] = set()
    order = {r.id: i for i, r in enumerate(requirements)}
    changes: dict[str, dict[str, Any]] = {}

    def draw(pool: Sequence[BaselineRequirement], count: int) -> list[BaselineRequirement]:
        fresh = [r for r in pool if r.id not in used]
        picked = rng.sample(fresh, min(count, len(fresh)))
        used.update(r.id for r in picked)
        return picked

    for r in draw(optional, excludes):
        if rng.random() < 0.3:
            reason = f"費用対効果の観点から、{name}では導入を見送るため。"
            changes[r.id] = {"op": "exclude", "reason": reason, "reason_code": "cost"}
        else:
            reason = f"{name}では当該事務の取扱いがないため。"
            changes[r.id] = {"op": "exclude", "reason": reason, "reason_code": "not_applicable"}
    for r in draw(optional, levels):
        change: dict[str, Any] = {"op": "modify", "set": {"level": "mandatory"}}
        if rng.random() < 0.5:
            change["expect"] = {"level": "optional"}
        change["reason"] = f"{name}では当該機能を日常的に使用する運用とするため、必須とする。"
        change["reason_code"] = "local_operation"
        changes[r.id] = change
    for r in draw(with_metrics, metric_changes):
        metric, value = sorted(r.metrics.items())[0]
        if metric in TIGHTER:
            new = TIGHTER[metric][value]
            reason = f"{name}では繁忙期の窓口混雑が著しいため、より厳しい水準を求める。"
        else:
            new = value + rng.choice((-5, 5, 10, 15)) if value > 5 else value + 5
            reason = f"{name}の窓口及び担当課の配置に合わせて端末台数を定めるため。"
        change = {"op": "modify", "set": {"metrics": {metric: new}}}
        if rng.random() < 0.5:
            change["expect"] = {"metrics": {metric: value}}
        change["reason"] = reason
        change["reason_code"] = "local_operation"
        changes[r.id] = change
    for r in draw(requirements, notes):
        if r.notes is not None and rng.random() < 0.3:
            change = {"op": "modify", "unset": ["notes"]}
            reason = f"{name}では当該備考の前提となる運用を行わないため。"
        else:
            note = f"{name}では、{rng.choice(('窓口', '担当課', '支所'))}での運用を前提とする。"
            change = {"op": "modify", "set": {"notes": note}}
            reason = f"{name}の運用上の留意事項を明記するため。"
        if r.notes is not None and rng.random() < 0.5:
            change["expect"] = {"notes": r.notes}
        change["reason"] = reason
        change["reason_code"] = rng.choice(("local_operation", "transition", "other"))
        changes[r.id] = change

    ordered = dict(sorted(changes.items(), key=lambda item: order[item[0]]))
    leaf_ids = sorted(baseline.leaf_sections)
    for number in range(1, adds + 1):
        section = rng.choice(leaf_ids)
        topic, members = baseline.leaf_sections[section]
        title, template = rng.choice(ADD_TEMPLATES)
        add: dict[str, Any] = {"op": "add", "section": section}
        candidates = [m for m in members if changes.get(m, {}).get("op") != "exclude"]
        if candidates and rng.random() < 0.5:
            add["after"] = rng.choice(candidates)
        add["reason"] = f"{name}独自の運用に対応するため。"
        add["reason_code"] = "local_operation"
        add["requirement"] = {
            "title": title,
            "statement": template.format(name=name, topic=topic),
            "level": "mandatory" if rng.random() < 0.7 else "optional",
        }
        ordered[f"{prefix}-{number:04d}"] = add

    document = {"municipality": municipality, "profile": _profile(lg, rng), "changes": ordered}
    return f"municipalities/{lg.code}-{slug}.yaml", document


def build_project(
    rows: Sequence[Mapping[str, Any]],
    codes: Sequence[LocalGovernment],
    *,
    requirements: int,
    municipalities: int,
    seed: int,
) -> dict[str, dict[str, Any]]:
    """Every file of the project, as documents keyed by their path relative to the project."""
    if requirements < 10:
        raise ValueError("at least 10 requirements are needed")
    baseline = build_baseline(rows, requirements, seed)
    project = {
        "project": {
            "id": f"bench-{requirements}x{municipalities}-s{seed}",
            "title": f"合成ベンチマーク 基幹業務システム共同調達仕様書（{requirements}要件・"
            f"{municipalities}団体）",
            "issuer": dict(ISSUER),
            "version": "1.0",
            "date": "2026-11-26",
            "language": "ja",
        },
        "catalog": ["requirements/"],
        "municipalities": "municipalities/",
        "metrics": {name: dict(spec) for name, spec in METRICS.items()},
    }
    files: dict[str, dict[str, Any]] = {"specgen.yaml": project, **baseline.files}
    width = max(2, len(str(municipalities)))
    for number, lg in enumerate(pick_participants(codes, municipalities), start=1):
        path, document = build_municipality(lg, f"M{number:0{width}d}", baseline, seed)
        files[path] = document
    return files


def write_project(out_dir: Path, files: Mapping[str, Mapping[str, Any]], force: bool) -> int:
    """Write the files; with `force`, first remove the YAML a previous run left. Returns bytes."""
    generated = [out_dir / "specgen.yaml", *out_dir.glob("requirements/*.yaml"),
                 *out_dir.glob("municipalities/*.yaml")]  # fmt: skip
    existing = [path for path in generated if path.exists()]
    if existing and not force:
        raise FileExistsError(f"{out_dir} already holds a project (use --force to replace it)")
    for path in existing:
        path.unlink()
    (out_dir / "municipalities").mkdir(parents=True, exist_ok=True)  # specgen.yaml names it
    size = 0
    for relative, document in files.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = dump_yaml(document).encode("utf-8")
        target.write_bytes(data)
        size += len(data)
    return size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--requirements", type=int, required=True, metavar="N",
                        help="baseline requirements (at least 10)")  # fmt: skip
    parser.add_argument("--municipalities", type=int, required=True, metavar="M",
                        help="participating municipalities")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, help="same seed, same bytes (default 1)")
    parser.add_argument("--force", action="store_true", help="replace a generated project")
    args = parser.parse_args(argv)
    if args.requirements < 10 or args.municipalities < 0:
        parser.error("need --requirements >= 10 and --municipalities >= 0")
    started = time.perf_counter()
    files = build_project(
        load_jyuki_rows(), load_lg_codes(), requirements=args.requirements,
        municipalities=args.municipalities, seed=args.seed,
    )  # fmt: skip
    try:
        size = write_project(args.out_dir, files, args.force)
    except FileExistsError as error:
        parser.error(str(error))
    elapsed = time.perf_counter() - started
    print(f"{args.out_dir}: {len(files)} files, {size / 1e6:.1f} MB in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
