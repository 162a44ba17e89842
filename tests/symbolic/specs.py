"""The six dl-basics part specs (the same blocks live in problems/dl-basics/*.yaml;
tests load the YAML when present and fall back to these)."""

from __future__ import annotations

from pathlib import Path

import yaml

PART_FILES = {"1a": "softmax.yaml", "1b": "softmax.yaml", "2e": "conv-shapes.yaml", "3a": "dropout.yaml",
              "5a": "matrix-calculus.yaml", "5b": "matrix-calculus.yaml"}

SPECS: dict[str, dict] = {
    "1a": {
        "reference": r"\hat y_i(\delta_{ij} - \hat y_j)",
        "truth": "softmax_jacobian",
        "dims": {"C": [3, 2, 5, 4]},
        "symbols": {
            "z": {"kind": "vector", "dim": "C"},
            "y_hat": {"kind": "vector", "dim": "C", "value": r"\operatorname{softmax}(z)", "aliases": ["a", "p", "s"]},
            "i": {"kind": "index", "dim": "C"},
            "j": {"kind": "index", "dim": "C"},
        },
        "result": {"indices": ["i", "j"], "shape": ["C", "C"]},
        "layout": "transpose_ok",
        "misconceptions": [
            {"id": "softmax-no-delta-one-minus", "expr": r"\hat y_i(1 - \hat y_j)",
             "feedback": "For i ≠ j the derivative has no '1 -' term: the 1 comes from δ_ij, which is 0 off the diagonal."},
            {"id": "softmax-missing-delta", "expr": r"-\hat y_i \hat y_j",
             "feedback": "You dropped the diagonal term: for i = j there is an extra ŷ_i (from δ_ij ŷ_i)."},
            {"id": "softmax-sign-flipped", "expr": r"\hat y_i(\hat y_j - \delta_{ij})",
             "feedback": "The sign is flipped: ∂ŷ_i/∂z_i = ŷ_i(1 − ŷ_i) is positive."},
            {"id": "softmax-diagonal-only", "expr": r"\delta_{ij}\hat y_i(1 - \hat y_i)",
             "feedback": "Only the diagonal is right: for i ≠ j the derivative is −ŷ_i ŷ_j, not 0."},
        ],
    },
    "1b": {
        "reference": r"\hat y - y",
        "truth": "cross_entropy_grad",
        "dims": {"C": [3, 2, 5, 4]},
        "symbols": {
            "z": {"kind": "vector", "dim": "C"},
            "y": {"kind": "vector", "dim": "C", "sample": "onehot"},
            "y_hat": {"kind": "vector", "dim": "C", "value": r"\operatorname{softmax}(z)", "aliases": ["a", "p"]},
            "i": {"kind": "index", "dim": "C"},
        },
        "result": {"indices": ["i"], "shape": ["C"]},
        "layout": "transpose_ok",
        "misconceptions": [
            {"id": "ce-sign-flipped", "expr": r"y - \hat y",
             "feedback": "Sign error: ∂L/∂z = ŷ − y (the loss decreases when ŷ moves towards y)."},
            {"id": "ce-missing-label", "expr": r"\hat y",
             "feedback": "The −y term from the log-likelihood of the true class is missing."},
        ],
    },
    "2e": {
        "reference": "2L + 1",
        "truth": "receptive_field_3x3",
        "symbols": {"L": {"kind": "scalar", "sample": {"integers": [1, 30]}}},
        "misconceptions": [
            {"id": "rf-missing-one", "expr": "2L",
             "feedback": "Off by one: a single 3×3 layer already sees 3 pixels, so the field is 2L + 1."},
            {"id": "rf-kernel-times-layers", "expr": "3L",
             "feedback": "Stacked layers overlap: each extra 3×3 layer adds kernel − 1 = 2 pixels, not 3."},
            {"id": "rf-minus-one", "expr": "2L - 1",
             "feedback": "Check L = 1: one 3×3 convolution sees 3 pixels, so it is 2L + 1."},
        ],
    },
    "3a": {
        "reference": r"\frac{m_i}{1 - p}",
        "truth": "dropout_local_grad",
        "dims": {"n": [4, 3, 6]},
        "symbols": {
            "m": {"kind": "vector", "dim": "n", "sample": "bernoulli", "aliases": ["mask"]},
            "a": {"kind": "vector", "dim": "n"},
            "p": {"kind": "scalar", "sample": {"uniform": [0.1, 0.9]}},
            "i": {"kind": "index", "dim": "n"},
        },
        "result": {"indices": ["i"], "shape": ["n"], "accept_diagonal": True},
        "layout": "transpose_ok",
        "misconceptions": [
            {"id": "dropout-sign", "expr": r"\frac{m_i}{p - 1}",
             "feedback": "Sign error: inverted dropout divides by the keep probability 1 − p, not p − 1."},
            {"id": "dropout-p-not-keep", "expr": r"\frac{m_i}{p}",
             "feedback": "Divide by the keep probability 1 − p, not by the drop probability p."},
            {"id": "dropout-missing-mask", "expr": r"\frac{1}{1 - p}",
             "feedback": "Dropped units get gradient 0: the mask m_i must multiply the derivative."},
            {"id": "dropout-missing-scale", "expr": "m_i",
             "feedback": "The 1/(1 − p) scaling of inverted dropout is part of the derivative."},
        ],
    },
    "5a": {
        "reference": r"(A + A^T) w",
        "truth": "quadratic_form_grad",
        "dims": {"n": [3, 4, 2, 5]},
        "symbols": {
            "w": {"kind": "vector", "dim": "n"},
            "A": {"kind": "matrix", "dims": ["n", "n"]},
        },
        "layout": "transpose_ok",
        "rtol": 1e-6,
        "atol": 1e-7,
        "misconceptions": [
            {"id": "quadform-assumes-symmetric", "expr": "2 A w",
             "feedback": "2Aw holds only for symmetric A; in general ∇_w(wᵀAw) = (A + Aᵀ)w."},
            {"id": "quadform-only-a", "expr": "A w",
             "feedback": "w appears twice in wᵀAw: both terms contribute, giving (A + Aᵀ)w."},
            {"id": "quadform-only-at", "expr": "A^T w",
             "feedback": "w appears twice in wᵀAw: both terms contribute, giving (A + Aᵀ)w."},
        ],
    },
    "5b": {
        "reference": r"(g \odot y \odot (1 - y)) x^T",
        "truth": "sigmoid_layer_weight_grad",
        "dims": {"m": [3, 2, 4], "n": [2, 4, 5]},
        "symbols": {
            "W": {"kind": "matrix", "dims": ["m", "n"]},
            "x": {"kind": "vector", "dim": "n"},
            "g": {"kind": "vector", "dim": "m", "aliases": [r"\delta", r"\frac{\partial L}{\partial y}"]},
            "y": {"kind": "vector", "dim": "m", "value": r"\sigma(W x)"},
        },
        "layout": "strict",
        "rtol": 1e-6,
        "atol": 1e-8,
        "misconceptions": [
            {"id": "sigmoid-missing-derivative", "expr": r"g x^T",
             "feedback": "The sigmoid's derivative σ'(Wx) = y ⊙ (1 − y) is missing."},
            {"id": "sigmoid-missing-one-minus", "expr": r"(g \odot y) x^T",
             "feedback": "σ'(u) = σ(u)(1 − σ(u)): the (1 − y) factor is missing."},
            {"id": "sigmoid-missing-x", "expr": r"g \odot y \odot (1 - y)",
             "feedback": "That is ∂L/∂(Wx); ∂L/∂W needs the outer product with x: (…) xᵀ."},
            {"id": "sigmoid-wrong-order", "expr": r"x^T (g \odot y \odot (1 - y))",
             "feedback": "Wrong order: ∂L/∂W has the shape of W (m×n), so it is (g ⊙ y ⊙ (1 − y)) xᵀ."},
            {"id": "sigmoid-transposed", "expr": r"x (g \odot y \odot (1 - y))^T", "credit": 0.5,
             "feedback": "That is the transpose (n×m); ∂L/∂W has the shape of W: (g ⊙ y ⊙ (1 − y)) xᵀ."},
        ],
    },
}


def load_spec_blocks() -> dict[str, dict]:
    """The symbolic blocks from problems/dl-basics when they are full specs, else SPECS."""
    root = Path(__file__).resolve().parents[2] / "problems" / "dl-basics"
    out = dict(SPECS)
    for part_id, fname in PART_FILES.items():
        path = root / fname
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for part in data.get("parts", []):
            block = part.get("symbolic")
            if part.get("id") == part_id and isinstance(block, dict) and "symbols" in block:
                out[part_id] = block
    return out
