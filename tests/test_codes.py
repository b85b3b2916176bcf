"""全国地方公共団体コード: every official code passes its check digit; corruptions fail."""

from __future__ import annotations

import csv
import random
from importlib import resources

import pytest

from specgen.codes import check_digit, is_valid_code, official_name, official_names


def official_rows() -> list[dict[str, str]]:
    text = resources.files("specgen.data").joinpath("lg-codes.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_the_bundled_list_holds_all_1965_codes() -> None:
    rows = official_rows()
    assert len(rows) == 1965
    assert len(official_names()) == 1965


def test_every_official_code_passes_the_check_digit() -> None:
    failing = [row["code"] for row in official_rows() if not is_valid_code(row["code"])]
    assert failing == []


def weighted_residue(code: str) -> int:
    return sum(w * int(d) for w, d in zip((6, 5, 4, 3, 2), code[:5], strict=True)) % 11


def test_every_single_digit_corruption_of_a_sample_fails_but_the_formulas_blind_spot() -> None:
    """The contract's formula maps residues 0 and 10 to the same digit 1, so a corruption of
    the first five digits that moves the residue between them passes; every other fails."""
    sample = random.Random(20240101).sample([r["code"] for r in official_rows()], 200)
    passed_through = 0
    for code in sample:
        for position in range(6):
            for digit in "0123456789":
                if digit == code[position]:
                    continue
                corrupted = code[:position] + digit + code[position + 1 :]
                blind_spot = {weighted_residue(code), weighted_residue(corrupted)} == {0, 10}
                assert is_valid_code(corrupted) == blind_spot, (code, corrupted)
                passed_through += blind_spot
    assert passed_through < 0.03 * 200 * 54


@pytest.mark.parametrize(
    ("code", "name"),
    [("172049", "輪島市"), ("173614", "津幡町"), ("173843", "志賀町"), ("173860", "宝達志水町"),
     ("170003", "石川県")],
)  # fmt: skip
def test_the_noto_participants_resolve_to_their_official_names(code: str, name: str) -> None:
    assert is_valid_code(code)
    assert official_name(code) == name


@pytest.mark.parametrize("code", ["17204", "1720490", "17204a", "１７２０４９", ""])
def test_codes_of_the_wrong_form_are_rejected(code: str) -> None:
    assert not is_valid_code(code)


def test_check_digit_formula_of_the_contract() -> None:
    # (11 − (6·1 + 5·7 + 4·2 + 3·0 + 2·4) mod 11) mod 10 = (11 − 57 mod 11) mod 10 = 9
    assert check_digit("17204") == 9
