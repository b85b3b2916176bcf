"""`specgen score` as named stages: validate the project, build the joint model, derive the
form it writes, then read and score each returned form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from specgen.collector import collector_paused
from specgen.errors import InvalidInput, Location
from specgen.joint import build_joint
from specgen.render.response_form import HEADERS
from specgen.scoring.forms import read_form
from specgen.scoring.score import (
    Expected,
    FormScore,
    evaluation_problems,
    expected_form,
    score_form,
)
from specgen.validate import validate_project
from specgen.writer import report_problems

__all__ = ["Scored", "score_forms"]


@dataclass(frozen=True, slots=True)
class Scored:
    expected: Expected
    scores: tuple[FormScore, ...]
    date: str  # the project's date: the comparison workbook's timestamp

    @property
    def valid(self) -> bool:
        return all(score.valid for score in self.scores)


def score_forms(root: Path, forms: Sequence[Path], *, out: Path | None = None) -> Scored:
    """Score every returned form in `forms` against the joint specification of `root`; the
    report file `out`, when given, is checked first to stay off the project and the forms."""
    validation = validate_project(root, remember=True)  # the next score reads the cache
    if not validation.ok:
        raise InvalidInput([d for d in validation.diagnostics if d.is_error])
    if out is not None:
        inputs = [*validation.input.paths(), *forms]
        if problems := report_problems(out, inputs, Location("--out")):
            raise InvalidInput(problems)
    project = validation.input.project
    assert project is not None  # a project that validates has loaded its specgen.yaml
    with collector_paused():
        joint = build_joint(
            project, validation.input.catalog, validation.effective, validation.shared
        )
        expected = expected_form(joint)
    if problems := evaluation_problems(expected):
        raise InvalidInput(problems)
    # 達成値 (column F of 非機能要件) may be a number Excel shows as a percentage.
    names = HEADERS[expected.language]["sheets"]
    percent = {names[2]: 6}
    scores = tuple(
        score_form(expected, read_form(path, str(path), percent, names)) for path in forms
    )
    return Scored(expected, scores, project.date)
