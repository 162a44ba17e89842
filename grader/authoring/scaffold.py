"""``grade new-problem NAME``: a commented problem file (and, on request, a local
solver module) that ``grade check`` accepts unchanged, added to its assignment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.problems.loader import ASSIGNMENT_FILE
from grader.yamlio import YamlError, load_yaml_text

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

_ASSIGNMENT = """\
# An assignment: its id, title and problem files (see docs/authoring.md).
id: {assignment_id}
title: {title}
show_reference: true          # student feedback shows the reference of wrong parts
ecf: {{enabled: true, credit: 1.0}}   # error carried forward between the steps of a computation
problems:
"""

_PROBLEM = """\
# Problem file written by `grade new-problem` — edit it, then run `grade check`.
# Every field is described in docs/authoring.md.
id: {name}
number: {number}
title: {title}
statement: >
  A convolution layer with a {{{{kernel}}}}×{{{{kernel}}}} kernel, padding {{{{padding}}}} and stride {{{{stride}}}}
  is applied to an {{{{n}}}}×{{{{n}}}} input with {{{{in_channels}}}} channels; it has {{{{out_channels}}}} filters.
parameters:                   # values the references are computed from ({{{{name}}}} in a prompt shows one)
  n: 28
  kernel: 3
  padding: 1
  stride: 2
  in_channels: 3
  out_channels: 8
parts:
  # 1. a literal reference: type the answer as you would write it
  - id: {number}a
    prompt: How many spatial dimensions does the input have?
    type: integer
    answer: 2
    examples:
      correct: ['2', '$2$']
      incorrect: ['3']
  # 2. a formula over the parameters, in the grader's own math language (floor, ceil, //, min, max)
  - id: {number}b
    prompt: What is the output size along one axis?
    type: integer
    formula: 'floor((n + 2*padding - kernel) / stride) + 1'
    misconceptions:
      - id: forgot-padding
        formula: 'floor((n - kernel) / stride) + 1'
        feedback: The padding adds 2p to the input size before the kernel is applied.
    examples:
      correct: ['14', '$\\lfloor (28 + 2 - 3)/2 \\rfloor + 1 = 14$']
      incorrect:
        - {{answer: '13', feedback_id: forgot-padding}}
  # 3. a built-in solver (`grade solvers` lists them with their arguments){solver_comment}
  - id: {number}c
    prompt: How many trainable parameters has the layer (with bias)?
    type: integer
    solver: {solver}
    args: {{kernel: $kernel, in_channels: $in_channels, {filters_arg}: $out_channels}}
    examples:
      correct: ['3*3*3*8 + 8', '224']
      incorrect: ['216']
"""

_SOLVERS = '''\
"""Solvers of this assignment (trusted instructor code, imported when the assignment loads).

Register a solver with @solver("name") and use it in a problem file as `solver: name`
with its keyword arguments in `args:`. Return plain values: int, float, lists, tuples.
"""

from grader.solvers import solver


@solver("{name}.conv_parameters")
def conv_parameters(*, kernel: int, in_channels: int, out_channels: int, bias: bool = True) -> int:
    """Trainable parameters of a square convolution kernel.

    Args:
        kernel: side of the kernel
        in_channels: input channels
        out_channels: number of filters
        bias: whether each filter has a bias
    Returns:
        the number of weights (and biases)
    """
    return kernel * kernel * in_channels * out_channels + (out_channels if bias else 0)
'''


class ScaffoldError(ValueError):
    pass


@dataclass(frozen=True)
class Scaffolded:
    written: tuple[Path, ...]
    assignment_dir: Path


def new_problem(*, name: str, problems_dir: Path, assignment_id: str, with_solver: bool = False) -> Scaffolded:
    if not re.fullmatch(NAME_PATTERN, name):
        raise ScaffoldError(f"problem name {name!r}: use lower-case letters, digits and dashes (e.g. conv-layer)")
    if not re.fullmatch(NAME_PATTERN, assignment_id):
        raise ScaffoldError(f"assignment id {assignment_id!r}: use lower-case letters, digits and dashes")
    folder = Path(problems_dir) / assignment_id
    manifest = folder / ASSIGNMENT_FILE
    target = folder / f"{name}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} exists already; choose another name")
    solver_file = folder / "solvers.py"
    if with_solver and solver_file.exists():
        raise ScaffoldError(f"{solver_file} exists already; add your solver there by hand")
    if manifest.exists():
        _add_to_manifest(manifest=manifest, file_name=target.name, dry_run=True)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if not manifest.exists():
        manifest.write_text(_ASSIGNMENT.format(assignment_id=assignment_id, title=assignment_id.replace("-", " ").capitalize()),
                            encoding="utf-8")
        written.append(manifest)
    number = _next_number(folder=folder, manifest=manifest)
    solver = f"{name}.conv_parameters" if with_solver else "layers.conv_params"
    comment = "\n  #    (here: the local one in solvers.py)" if with_solver else ""
    target.write_text(_PROBLEM.format(name=name, number=number, title=name.replace("-", " ").capitalize(),
                                      solver=solver, solver_comment=comment,
                                      filters_arg="out_channels" if with_solver else "filters"), encoding="utf-8")
    written.append(target)
    if with_solver:
        solver_file.write_text(_SOLVERS.format(name=name), encoding="utf-8")
        written.append(solver_file)
    _add_to_manifest(manifest=manifest, file_name=target.name)
    return Scaffolded(written=tuple(written), assignment_dir=folder)


def _next_number(*, folder: Path, manifest: Path) -> int:
    data = load_yaml_text(text=manifest.read_text(encoding="utf-8")) or {}
    numbers = [0]
    for file_name in data.get("problems") or []:
        path = folder / str(file_name)
        if path.is_file():
            problem = load_yaml_text(text=path.read_text(encoding="utf-8"))
            if isinstance(problem, dict) and isinstance(problem.get("number"), int):
                numbers.append(problem["number"])
    return max(numbers) + 1


def _add_to_manifest(*, manifest: Path, file_name: str, dry_run: bool = False) -> None:
    """Append the file to a block-style ``problems:`` list (the style the scaffold writes)."""
    text = manifest.read_text(encoding="utf-8")
    data = load_yaml_text(text=text) or {}
    listed = data.get("problems")
    if listed is None or (isinstance(listed, list) and not listed and re.search(r"^problems:\s*$", text, re.M)):
        text = text.rstrip("\n") + f"\n  - {file_name}\n"
    elif isinstance(listed, list) and re.search(r"^problems:\s*\n(?:\s+-.*\n?)+", text, re.M):
        text = text.rstrip("\n") + f"\n  - {file_name}\n"
    else:
        raise ScaffoldError(f"{manifest}: add '{file_name}' to its 'problems' list by hand (it is not a block list)")
    try:
        added = file_name in ((load_yaml_text(text=text) or {}).get("problems") or [])
    except YamlError:
        added = False
    if not added:
        raise ScaffoldError(f"{manifest}: could not add '{file_name}' to 'problems'; add it by hand")
    if not dry_run:
        manifest.write_text(text, encoding="utf-8")
