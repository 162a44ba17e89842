"""The one base of the grader's pydantic models: frozen, and a field the model does not know is an error.

Problem files (grader.problems.models), the ``symbolic:`` block (grader.symbolic.spec), structured submissions
(grader.submissions.structured), overrides.yaml (grader.review.overrides), the run options (grader.api.options)
and the results of a run (grader.results) all build on it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
