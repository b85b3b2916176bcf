"""Every label the generated documents print, in Japanese and English: one catalog, no strings
scattered through templates. Templates read them as `labels.NAME`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["PROFILE_LABELS", "PROFILE_UNITS", "labels_for"]

_LABELS: dict[str, tuple[str, str]] = {
    # punctuation the templates put between labels and values
    "sep": ("：", ": "),
    "of": ("の", ": "),
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
    "annex_of": ("個別仕様", "Municipal differences"),
    "history": ("改定履歴", "Revision history"),
    "revision": ("改定内容", "Changes"),
    "closing": ("以上", "End of document"),
    "profile": ("団体別諸元", "Profile"),
    "added": ("追加要件（標準仕様の機能）", "Added requirements (standard functions)"),
    "modified": ("変更要件", "Modified requirements"),
    "excluded": ("利用しない要件", "Requirements not used"),
    "excluded_sections": ("利用しない節", "Sections not used"),
    "none": ("なし", "None"),
    "matrix": ("適用表", "Applicability matrix"),
    "matrix_intro": (
        "「実装」欄は共同利用システムが実装する区分（必須・任意・実装不可）を、団体欄は各団体の"
        "利用を示す。○：共通仕様のとおり利用、強：本団体の要求により共通仕様の水準を定めた（別紙"
        "参照）、緩：本団体の要求水準は共通仕様より低い（参考。本システムは共通仕様の水準による）、"
        "変：本団体の値又は記述あり（別紙参照）、追：本団体の追加要件を利用、×：利用しない、"
        "－：対象外（他団体の追加要件）、／：実装しない（実装不可）。実装が任意の要件の○等は、"
        "当該機能が提案された場合に利用することを示す。要件名の「（標準仕様外）」は、標準仕様書に"
        "機能IDのない機能を示す。",
        "The column Implementation gives what the shared system implements (Mandatory, Optional, "
        "Prohibited); each municipality's column its use. ○ uses it as in the common part; T its "
        "need set the common level (see its annex); R its own need is below the common level "
        "(for reference; the system meets the common level); M it has its own value or text (see "
        "its annex); A uses its own addition; × does not use it; – not applicable (another "
        "municipality's addition); / not implemented (prohibited). For an optional requirement, "
        'a use mark applies if the function is offered. "Non-standard" marks functions without '
        "a function ID of the national standards.",
    ),
    "implementation": ("実装", "Implementation"),
    "nonstandard": ("標準仕様外", "Non-standard"),
    "nonstandard_chapter": ("標準仕様外の機能", "Functions outside the national standards"),
    "nonstandard_joint": (
        "団体別に追加する標準仕様外の機能",
        "Functions outside the national standards added by municipalities",
    ),
    "nonstandard_intro": (
        "次の機能は、参加団体が追加した要件のうち、標準仕様書に機能IDのないもの（標準仕様外の機能）"
        "である。共同利用システムでは、標準準拠の機能とは区別して実装し、追加した団体のみが利用する。"
        "各機能の内容は、追加した団体の別紙による。",
        "The following functions were added by participants and have no function ID in the "
        "national standards. The shared system implements them apart from the standard "
        "functions, for the municipality that added them only; each is specified in that "
        "municipality's annex.",
    ),
    "nonstandard_annex": ("追加要件（標準仕様外の機能）", "Added requirements (non-standard)"),
    "nonstandard_annex_intro": (
        "次の追加要件は、標準仕様書に機能IDのない機能（標準仕様外の機能）である。",
        "These additions have no function ID in the national standards.",
    ),
    "added_by": ("追加した団体", "Added by"),
    "placed_in": ("関連する節", "Related section"),
    "model_value": ("モデル値", "Model value"),
    "common_value": ("共通仕様", "Common part"),
    "shared_basis": ("共通仕様の水準", "Level of the shared system"),
    "own_need": ("本団体の要求水準（参考）", "This municipality's own need (for reference)"),
    "requested_by": ("の要求による", " requested by "),
    "same_as_left": ("同左", "Same"),
    "total": ("合計", "Total"),
    "per_municipality_value": ("団体別（下表）", "per municipality (table below)"),
    "participants_total": ("参加団体の合計", "total of the participants"),
    "own_share": ("本団体分", "this municipality's share"),
    "own_share_of": ("本団体分。参加団体の合計{total}", "this municipality's share of {total}"),
    "modified_intro": (
        "モデル値：県のモデル仕様の値。共通仕様：共同利用システムが満たす値（本書の共通仕様の"
        "記載）。本団体：本団体の要求水準又は変更後の内容。",
        "Model value: the prefecture's model specification. Common part: what the shared "
        "system meets (as the common part states it). This municipality: its own need or "
        "changed text.",
    ),
    # the procurement (調達概要)
    "procurement": ("調達概要", "Procurement"),
    "subject": ("件名", "Subject"),
    "method": ("調達方式", "Procurement method"),
    "lead": ("代表団体", "Lead municipality"),
    "period": ("契約期間", "Contract period"),
    "ceiling": ("上限額（税込）", "Price ceiling (tax included)"),
    "schedule": ("調達スケジュール", "Schedule"),
    "cost_sharing": ("費用按分", "Cost sharing"),
    "contact": ("問合せ先", "Contact"),
    "event": ("事項", "Event"),
    "period_span": ("{start}から{end}まで", "{start} to {end}"),
    "content": ("内容", "Details"),
    "yen": ("円", " yen"),
    "method_general_competitive": ("一般競争入札", "Open competitive tender"),
    "method_comprehensive_evaluation": (
        "一般競争入札（総合評価落札方式）",
        "Open competitive tender (best value)",
    ),
    "method_proposal": ("公募型プロポーザル方式", "Open proposal"),
    "method_negotiated": ("随意契約", "Negotiated contract"),
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
    "differs": ("団体別の相違", "Municipalities that differ"),
    "reason": ("理由", "Reason"),
    "reason_code": ("理由区分", "Reason code"),
    "field": ("項目", "Field"),
    "baseline_value": ("共通仕様", "Common part"),
    "own_value": ("本団体", "This municipality"),
    "class": ("変更の種類", "Class"),
    "via": ("該当する節", "With section"),
    # values
    "level_mandatory": ("必須", "Mandatory"),
    "level_optional": ("任意", "Optional"),
    "level_prohibited": ("実装不可", "Prohibited"),
    "diff_modified": ("内容変更", "modified"),
    "diff_tightened": ("強化", "tightened"),
    "diff_relaxed": ("緩和", "relaxed"),
    "diff_excluded": ("利用しない", "does not use"),
    "status_modified": ("変更", "Modified"),
    "status_added": ("追加", "Added"),
    "class_tighten": ("強化", "tightened"),
    "class_relax": ("緩和", "relaxed"),
    "class_neutral": ("内容変更", "changed"),
    "cell_common": ("○", "○"),
    "cell_modified": ("変", "M"),
    "cell_tightened": ("強", "T"),
    "cell_relaxed": ("緩", "R"),
    "cell_added": ("追", "A"),
    "cell_excluded": ("×", "×"),
    "cell_not_applicable": ("－", "–"),
    "cell_prohibited": ("／", "/"),
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
        "次の要件は、本団体では利用しない。共同利用システムにおける実装の有無は、共通仕様の区分"
        "（必須・任意・実装不可）による。",
        "This municipality does not use the following requirements. Whether the shared system "
        "implements them follows their level in the common part.",
    ),
    # the 新旧対照表 (specgen diff)
    "rev_title": ("新旧対照表", "Comparison of revisions"),
    "rev_new": ("改定後", "Revised"),
    "rev_old": ("改定前", "Previous"),
    "rev_summary": ("改定の概要", "Summary"),
    "rev_section": ("節", "Section"),
    "rev_item": ("項目", "Item"),
    "rev_kind": ("種別", "Change"),
    "rev_target": ("対象", "Target"),
    "rev_none": ("変更はありません。", "Nothing changed."),
    "rev_no_rows": ("（変更なし）", "(no change)"),
    "rev_joined": ("参加団体に加わった。", "joined the procurement."),
    "rev_left": ("参加団体から外れた。", "left the procurement."),
    "rev_joined_named": ("{name}は参加団体に加わった。", "{name} joined the procurement."),
    "rev_left_named": ("{name}は参加団体から外れた。", "{name} left the procurement."),
    "rev_note_mark": ("※", "Note: "),
    "rev_legend": ("（傍線部分は改定部分）", "(underlined: what is revised)"),
    "rev_count": (
        "新設 {added} 件、削除 {deleted} 件、変更 {changed} 件、移動 {moved} 件",
        "{added} added, {deleted} deleted, {changed} changed, {moved} moved",
    ),
    "rev_document_count": (
        "新設 {added} 件、削除 {deleted} 件、変更 {changed} 件",
        "{added} added, {deleted} deleted, {changed} changed",
    ),
    "rev_range": ("（第{old}版→第{new}版）", " (version {old} → {new})"),
    "rev_version_of": ("第{version}版", "version {version}"),
    "rev_annex": (
        "{name}の個別仕様（変更・除外・追加）",
        "Differences of {name} (modifications, exclusions, additions)",
    ),
    "rev_unchanged": (
        "個別仕様に変更のない団体",
        "Municipalities whose differences did not change",
    ),
    "rev_document": ("表紙・調達概要等", "Cover, procurement and settings"),
    "rev_added": ("新設", "added"),
    "rev_deleted": ("削除", "deleted"),
    "rev_changed": ("変更", "changed"),
    "rev_moved": ("移動", "moved"),
    "rev_cell_added": ("（新設）", "(added)"),
    "rev_cell_deleted": ("（削る）", "(deleted)"),
    "rev_statement": ("要件内容", "Requirement"),
    "rev_requirement": ("要件", "Requirement"),
    "rev_section_item": ("節", "Section"),
    "rev_section_title": ("節の見出し", "Section title"),
    "rev_section_body": ("節の本文", "Section text"),
    "rev_exclude": ("除外（利用しない）", "Exclusion (not used)"),
    "rev_modify": ("変更", "Modification"),
    "rev_add": ("追加", "Addition"),
    "rev_omitted": ("（略）", "(omitted)"),
    "rev_similar": (
        "{other} と内容がほぼ同一（要件IDの変更の可能性）",
        "near-identical to {other} (a changed ID?)",
    ),
    "rev_same": (
        "{other} と内容が同一（要件IDの変更と考えられる）",
        "the same text as {other} (a changed ID, it seems)",
    ),
    "rev_formerly": ("旧 {id}", "formerly {id}"),
    "rev_moved_from": ("{origin}の {id} から移動", "moved from {id} of {origin}"),
    "rev_renamed_from": ("旧 {id} から要件IDを変更", "ID changed from {id}"),
    "rev_moved_to": ("{id} は{destination}の {new} に移動", "{id} moved to {new} of {destination}"),
    "rev_town_part": ("{name}の個別仕様", "{name}'s differences"),
    "rev_cover": ("表紙", "Cover"),
    "rev_doc_title": ("表題", "Title"),
    "rev_metric_label": ("名称", "Label"),
    "rev_unit": ("単位", "Unit"),
    "rev_evaluation": ("評価（任意要件の配点）", "Scoring of optional requirements"),
    "rev_points": ("配点（既定）", "Points (default)"),
    "rev_partial": ("△の得点割合", "Share of the points for △"),
    "rev_chapter_points": ("{number}の配点", "Points of {number}"),
    "rev_requirement_points": ("{id}の配点", "Points of {id}"),
    "rev_points_value": ("{points}点", "{points} points"),
    "rev_name": ("名称", "Name"),
    "rev_unset": ("－", "–"),  # a field a change removes (unset)
    "rev_no_id": ("－", "–"),  # the ID cell of a section's own row (its body)
}

PROFILE_LABELS: dict[str, tuple[str, str]] = {
    "population": ("人口", "Population"),
    "population_as_of": ("人口基準日", "Population as of"),
    "households": ("世帯数", "Households"),
    "area_km2": ("面積（km²）", "Area (km²)"),
    "terminals": ("端末台数", "Terminals"),
    "concurrent_users": ("同時利用者数", "Concurrent users"),
    "go_live": ("本稼働予定日", "Go-live date"),
    "current_system": ("移行元システム", "Current system"),
    "service_points": ("窓口", "Service points"),
    "it_staff": ("情報システム担当職員数", "IT staff"),
}


# The unit printed after a number of a profile key specgen knows.
PROFILE_UNITS: dict[str, tuple[str, str]] = {
    "population": ("人", ""),
    "households": ("世帯", ""),
    "terminals": ("台", ""),
    "concurrent_users": ("人", ""),
    "it_staff": ("人", ""),
}


def labels_for(language: str) -> Mapping[str, str]:
    """The label catalog in `language` ("ja" or "en")."""
    index = 1 if language == "en" else 0
    return MappingProxyType({key: pair[index] for key, pair in _LABELS.items()})


def profile_label(key: str, language: str) -> str:
    """A profile key's label; unknown keys are shown as written."""
    pair = PROFILE_LABELS.get(key)
    return pair[1 if language == "en" else 0] if pair else key
