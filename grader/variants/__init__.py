"""Per-student variants: each student's own parameter values, derived from the assignment's
seed and their id, constrained by formulas, and filled into the problem's text.

- :mod:`grader.variants.derive` the values of a student (deterministic, rejection-sampled)
- :mod:`grader.variants.apply` the assignment as that student sees it (parameters and text)
- :mod:`grader.variants.check` load-time checks (paths, types, constraints, placeholders, self-check)
- :mod:`grader.variants.paths` dotted parameter paths and ``{{name}}`` placeholders
"""

from grader.variants.apply import apply_variant, shown_prompt
from grader.variants.derive import (VariantError, shown_variant, student_variant, values_of_key, values_of_shown,
                                    variant_key)

__all__ = ["VariantError", "apply_variant", "shown_prompt", "shown_variant", "student_variant", "values_of_key",
           "values_of_shown", "variant_key"]
