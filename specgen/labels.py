"""Every label the generated documents print, in Japanese and English: one catalog, no strings
scattered through templates. Templates read them as `labels.NAME`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["PROFILE_LABELS", "labels_for"]

_LABELS: dict[str, tuple[str, str]] = {
    # punctuation the templates put between labels and values
    "sep": ("：", ": "),
    "lp": ("（", " ("),
    "rp": ("）", ")"),
    "comma": ("、", ", "),
    "lb": ("【", "["),
    "rb": ("】", "]"),
    # document parts
    "joint_spec": ("共同調達仕様書", "Joint procurement specification"),
    "municipal_spec": ("団体別仕様書", "Specification for the municipality"),
    "toc": ("目次", "Contents"),
    "issuer": ("発行", "Issued by"),
    "version": ("版", "Version"),
    "date": ("日付", "Date"),
    "participants": ("参加団体", "Participating municipalities"),
    "municipality": ("団体名", "Municipality"),
    "code": ("団体コード", "Code"),
    "annex": ("別紙", "Annex"),
    "annex_of": ("団体別仕様", "Municipal differences"),
    "profile": ("団体別諸元", "Profile"),
    "added": ("追加要件", "Added requirements"),
    "modified": ("変更要件", "Modified requirements"),
    "excluded": ("適用除外要件", "Excluded requirements"),
    "excluded_sections": ("適用除外とする節", "Excluded sections"),
    "none": ("なし", "None"),
    "matrix": ("適用表", "Applicability matrix"),
    "matrix_intro": (
        "○：共通仕様のとおり適用、変：団体別に変更して適用、追：団体が追加、－：適用除外",
        "○ applies as in the common part; M modified; A added; – excluded",
    ),
    "per_municipality": ("団体別の値", "Values per municipality"),
    "requirements_chapter_note": (
        "各要件の区分は、必須（実装必須）、任意（標準オプション）、実装不可のいずれかとする。",
        "Each requirement is Mandatory, Optional or Prohibited.",
    ),
    # requirement fields
    "id": ("要件ID", "ID"),
    "title": ("要件名", "Title"),
    "statement": ("要件", "Requirement"),
    "level": ("区分", "Level"),
    "kind": ("種別", "Kind"),
    "rationale": ("要件の考え方・理由", "Rationale"),
    "notes": ("備考", "Notes"),
    "acceptance": ("確認方法", "Acceptance"),
    "legal_basis": ("根拠法令", "Legal basis"),
    "standard": ("標準仕様書", "Standard"),
    "function_id": ("機能ID", "function ID"),
    "metrics": ("数値要件", "Metrics"),
    "tags": ("タグ", "Tags"),
    "section": ("追加する節", "Section"),
    "after": ("挿入位置", "After"),
    "differs": ("相違する団体", "Municipalities that differ"),
    "reason": ("理由", "Reason"),
    "reason_code": ("理由区分", "Reason code"),
    "field": ("項目", "Field"),
    "baseline_value": ("共通仕様", "Common part"),
    "own_value": ("本団体", "This municipality"),
    "class": ("区分", "Class"),
    "via": ("除外された節", "Excluded with section"),
    # values
    "level_mandatory": ("必須", "Mandatory"),
    "level_optional": ("任意", "Optional"),
    "level_prohibited": ("実装不可", "Prohibited"),
    "diff_modified": ("変更", "modified"),
    "diff_excluded": ("適用除外", "excluded"),
    "status_modified": ("変更", "Modified"),
    "status_added": ("追加", "Added"),
    "class_tighten": ("強化", "tightened"),
    "class_relax": ("緩和", "relaxed"),
    "class_neutral": ("変更", "changed"),
    "cell_common": ("○", "○"),
    "cell_modified": ("変", "M"),
    "cell_added": ("追", "A"),
    "cell_excluded": ("－", "–"),
    "absent": ("（なし）", "(none)"),
    "kind_functional": ("機能要件", "functional"),
    "kind_non_functional": ("非機能要件", "non-functional"),
    "kind_form": ("帳票要件", "form"),
    "kind_data": ("データ要件", "data"),
    "kind_interface": ("連携要件", "interface"),
    "kind_service": ("役務要件", "service"),
    "reason_not_applicable": ("該当事務なし", "not applicable"),
    "reason_local_operation": ("独自の運用", "local operation"),
    "reason_transition": ("移行対応", "transition"),
    "reason_legal": ("法令・条例", "legal"),
    "reason_cost": ("費用", "cost"),
    "reason_other": ("その他", "other"),
    "change_note": ("本団体の変更", "Change for this municipality"),
    "excluded_intro": (
        "次の要件は、本団体には適用しない。",
        "The following requirements do not apply to this municipality.",
    ),
}

PROFILE_LABELS: dict[str, tuple[str, str]] = {
    "population": ("人口", "Population"),
    "population_as_of": ("人口基準日", "Population as of"),
    "households": ("世帯数", "Households"),
    "area_km2": ("面積（km²）", "Area (km²)"),
    "terminals": ("端末台数", "Terminals"),
    "concurrent_users": ("同時利用者数", "Concurrent users"),
    "go_live": ("稼働予定", "Go-live"),
    "current_system": ("移行元システム", "Current system"),
    "service_points": ("窓口", "Service points"),
    "it_staff": ("情報システム担当職員数", "IT staff"),
}


def labels_for(language: str) -> Mapping[str, str]:
    """The label catalog in `language` ("ja" or "en")."""
    index = 1 if language == "en" else 0
    return MappingProxyType({key: pair[index] for key, pair in _LABELS.items()})


def profile_label(key: str, language: str) -> str:
    """A profile key's label; unknown keys are shown as written."""
    pair = PROFILE_LABELS.get(key)
    return pair[1 if language == "en" else 0] if pair else key
