"""``results.json``: the machine-readable results other tools read.

Deterministic: same inputs, same bytes (no timestamps, stable ordering)."""

from __future__ import annotations

import json

from grader.results import RunResult


def results_json(*, run: RunResult) -> str:
    data = {
        "assignment": run.assignment,
        "title": run.title,
        "max": run.max,
        "part_ids": list(run.part_ids),
        "submissions": [submission.model_dump(mode="json", by_alias=True) for submission in run.submissions],
        "groups": {pid: [group.model_dump(mode="json") for group in groups] for pid, groups in run.groups.items()},
        "stale_overrides": [stale.model_dump(mode="json") for stale in run.stale_overrides],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
