"""The solver catalogue: every registered solver is documented in the Args/Returns convention."""

from __future__ import annotations

import inspect

import pytest

from grader.solvers import SolverError, get_solver, known_solvers
from grader.solvers.catalog import SolverDoc, describe_solver, describe_solvers, format_catalog, parse_docstring


@pytest.mark.parametrize("name", known_solvers())
def test_every_solver_has_summary_documented_args_and_returns(name):
    doc = describe_solver(name)
    params = list(inspect.signature(get_solver(name)).parameters)
    documented = [arg for arg, _ in doc.args]
    assert doc.summary, f"{name}: no summary line"
    assert sorted(documented) == sorted(params), f"{name}: Args documents {documented}, signature has {params}"
    assert all(text for _, text in doc.args), f"{name}: an argument without a description"
    assert doc.returns, f"{name}: no Returns section"


def test_describe_solver_fields():
    doc = describe_solver("layers.output_size")
    assert isinstance(doc, SolverDoc)
    assert doc.signature == "(*, n, kernel, stride=1, padding=0, dilation=1)"
    assert doc.summary.startswith("Output size along one axis")
    assert [arg for arg, _ in doc.args] == ["n", "kernel", "stride", "padding", "dilation"]
    assert doc.returns == "int, the output size."
    assert doc.module == "layers"
    # Existing positional solvers keep their signatures; annotations are not shown.
    assert describe_solver("conv.parameters").signature == "(kernel, in_channels, out_channels, bias=True)"


def test_describe_solvers_covers_the_registry_and_unknown_names_fail():
    assert tuple(doc.name for doc in describe_solvers()) == known_solvers()
    with pytest.raises(SolverError):
        describe_solver("nope.nothing")


def test_parse_docstring_continuation_lines_and_missing_sections():
    summary, args, returns = parse_docstring('''Do a thing.

        More prose.

        Args:
            a: first line
                continued.
            b: second.

        Returns:
            an int,
            always.
        ''')
    assert summary == "Do a thing."
    assert args == (("a", "first line continued."), ("b", "second."))
    assert returns == "an int, always."
    assert parse_docstring(None) == ("", (), "")
    assert parse_docstring("Only a summary.") == ("Only a summary.", (), "")


def test_format_catalog_groups_by_module():
    text = format_catalog(describe_solvers())
    modules = [line for line in text.splitlines() if line and not line.startswith((" ", "="))
               and "(" not in line]
    assert modules == sorted({name.split(".")[0] for name in known_solvers()})
    assert "layers.stack_table(*, input_shape, layers)\n    One row per layer" in text
    assert "    - pool_size: window size, an int or [k_h, k_w]." in text
    assert format_catalog([]) == ""
