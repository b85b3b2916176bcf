"""和暦 in the documents, ISO everywhere else."""

from __future__ import annotations

import pytest

from specgen.render.dates import document_date, wareki


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2026-11-26", "令和8年11月26日"),
        ("2019-05-01", "令和元年5月1日"),
        ("2019-04-30", "平成31年4月30日"),
        ("1989-01-08", "平成元年1月8日"),
        ("1989-01-07", "昭和64年1月7日"),
        ("2032-03-31", "令和14年3月31日"),
    ],
)
def test_an_iso_date_in_the_era_of_its_day(iso: str, shown: str) -> None:
    assert wareki(iso) == shown


@pytest.mark.parametrize("text", ["2026-02-30", "2026/11/26", "令和8年", "", "1900-01-01"])
def test_what_is_not_a_date_of_an_era_is_left_as_written(text: str) -> None:
    assert wareki(text) is None
    assert document_date(text, "ja") == text


def test_english_documents_keep_iso() -> None:
    assert document_date("2026-11-26", "en") == "2026-11-26"
