"""layers.* and tensors.* against hand-computed values."""

from __future__ import annotations

import pytest

from grader.solvers import get_solver
from tests.solvers.checks import same

CNN = [{"type": "conv", "kernel": 3, "filters": 10, "stride": 1, "padding": 0, "bias": True},
       {"type": "pool", "kernel": 2, "stride": 2},
       {"type": "conv", "kernel": 3, "filters": 10},
       {"type": "pool", "kernel": 2, "stride": 2},
       {"type": "flatten"},
       {"type": "fc", "units": 3}]
# 28x28x1 -conv 3x3x10-> 26x26x10: params 3*3*1*10 + 10 = 100, mults 26*26*10 * 3*3*1 = 6760*9 = 60840
#         -pool 2/2->     13x13x10
#         -conv 3x3x10->  11x11x10: params 3*3*10*10 + 10 = 910, mults 11*11*10 * 3*3*10 = 1210*90 = 108900
#         -pool 2/2->     5x5x10 (floor((11 - 2)/2) + 1 = 5)
#         -flatten->      250
#         -fc 3->         3: params 250*3 + 3 = 753, mults 750
CNN_TABLE = [
    {"layer": "conv1", "output_shape": (26, 26, 10), "params": 100, "multiplications": 60840},
    {"layer": "pool1", "output_shape": (13, 13, 10), "params": 0, "multiplications": 0},
    {"layer": "conv2", "output_shape": (11, 11, 10), "params": 910, "multiplications": 108900},
    {"layer": "pool2", "output_shape": (5, 5, 10), "params": 0, "multiplications": 0},
    {"layer": "flatten", "output_shape": (250,), "params": 0, "multiplications": 0},
    {"layer": "fc1", "output_shape": (3,), "params": 753, "multiplications": 750},
]
MLP = [{"type": "fc", "units": 4, "name": "hidden"}, {"type": "fc", "units": 2, "bias": False}]


def conv3(count: int) -> list[dict]:
    return [{"kernel": 3}] * count


CASES = [
    # floor((5 + 2 - 3)/2) + 1 = 3; floor((224 + 6 - 7)/2) + 1 = 111 + 1 = 112; dilation 2: effective 5, 7 - 5 + 1 = 3.
    ("layers.output_size", dict(n=5, kernel=3, stride=2, padding=1), 3),
    ("layers.output_size", dict(n=224, kernel=7, stride=2, padding=3), 112),
    ("layers.output_size", dict(n=7, kernel=3, dilation=2), 3),
    ("layers.output_size", dict(n=28, kernel=3), 26),
    # H: floor((5 + 2 - 3)/2) + 1 = 3; W: floor((7 + 2 - 5)/1) + 1 = 5.
    ("layers.output_hw", dict(input_size=[5, 7], kernel=[3, 5], stride=[2, 1], padding=1), (3, 5)),
    ("layers.output_hw", dict(input_size=32, kernel=5), (28, 28)),
    ("layers.flatten_size", dict(shape=[5, 5, 10]), 250),
    ("layers.conv_params", dict(kernel=3, in_channels=1, filters=10), 100),
    # 3*5*2*4 = 120 weights, no bias.
    ("layers.conv_params", dict(kernel=[3, 5], in_channels=2, filters=4, bias=False), 120),
    ("layers.conv_multiplications", dict(input_shape=[28, 28, 1], kernel=3, filters=10), 60840),
    # 48x64x10, 3x3, 20 filters: 46*62*20 * 9*10 = 57040 * 90 = 5133600 (the dl-basics value of 2d).
    ("layers.conv_multiplications", dict(input_shape=[48, 64, 10], kernel=3, filters=20), 5_133_600),
    ("layers.fc_params", dict(inputs=250, units=3), 753),
    ("layers.fc_params", dict(inputs=250, units=3, bias=False), 750),
    ("layers.stack_table", dict(input_shape=[28, 28, 1], layers=CNN), CNN_TABLE),
    ("layers.stack_output_shape", dict(input_shape=[28, 28, 1], layers=CNN), (3,)),
    ("layers.stack_output_shape", dict(input_shape=[28, 28, 1], layers=CNN[:4]), (5, 5, 10)),
    # 100 + 910 + 753 = 1763; 60840 + 108900 + 750 = 170490.
    ("layers.stack_params", dict(input_shape=[28, 28, 1], layers=CNN), 1763),
    ("layers.stack_multiplications", dict(input_shape=[28, 28, 1], layers=CNN), 170490),
    # MLP 8 -> 4 -> 2: 8*4 + 4 = 36 and 4*2 = 8 params; the name overrides fc1, the next fc is still fc2.
    ("layers.stack_table", dict(input_shape=[8], layers=MLP),
     [{"layer": "hidden", "output_shape": (4,), "params": 36, "multiplications": 32},
      {"layer": "fc2", "output_shape": (2,), "params": 8, "multiplications": 8}]),
    # Non-square conv, padding [1, 2], then a 2x2 average pool and a second flatten-free shape.
    # H: 10 + 2 - 3 + 1 = 10, W: 10 + 4 - 5 + 1 = 10; params 3*5*3*4 + 4 = 184; mults 10*10*4 * 45 = 18000.
    ("layers.stack_table", dict(input_shape=[10, 10, 3],
                                layers=[{"type": "conv", "kernel": [3, 5], "filters": 4, "padding": [1, 2]},
                                        {"type": "pool", "kernel": 2, "mode": "avg"}]),
     [{"layer": "conv1", "output_shape": (10, 10, 4), "params": 184, "multiplications": 18000},
      {"layer": "pool1", "output_shape": (5, 5, 4), "params": 0, "multiplications": 0}]),
    # Receptive field of L stacked 3x3 stride-1 convs: 1 + 2L.
    *[("layers.receptive_field", dict(layers=conv3(L)), 2 * L + 1) for L in (1, 2, 3, 6)],
    *[("layers.receptive_field_stacked", dict(count=L), 2 * L + 1) for L in (1, 2, 3, 6)],
    # 5x5 twice: 1 + 2*4 = 9; one 3x3 with dilation 2: 1 + 2*2 = 5.
    ("layers.receptive_field_stacked", dict(kernel=5, count=2), 9),
    ("layers.receptive_field", dict(layers=[{"kernel": 3, "dilation": 2}]), 5),
    # conv 3 (field 3), pool 2 stride 2 (+1 -> 4, jump 2), conv 3 (+2*2 -> 8).
    ("layers.receptive_field", dict(layers=[{"kernel": 3}, {"kernel": 2, "stride": 2}, {"kernel": 3}]), 8),
    # The CNN's conv/pool layers (type keys are ignored): 3 -> 4 (jump 2) -> 4 + 2*2 = 8 -> 8 + 1*2 = 10.
    ("layers.receptive_field", dict(layers=CNN[:4]), 10),
    # Batch tensors.
    ("tensors.image_batch", dict(batch=32, height=28, width=24, channels=3), (32, 28, 24, 3)),
    ("tensors.image_batch", dict(batch=32, height=28, width=24, channels=3, layout="NCHW"), (32, 3, 28, 24)),
    ("tensors.video_batch", dict(batch=8, frames=16, height=112, width=96, channels=3), (8, 16, 112, 96, 3)),
    ("tensors.video_batch", dict(batch=8, frames=16, height=112, width=96, channels=3, layout="NCTHW"),
     (8, 3, 16, 112, 96)),
    ("tensors.video_batch", dict(batch=8, frames=16, height=112, width=96, channels=3, layout="NTCHW"),
     (8, 16, 3, 112, 96)),
    ("tensors.sequence_batch", dict(batch=4, length=50, features=300), (4, 50, 300)),
    ("tensors.sequence_batch", dict(batch=4, length=50, features=300, layout="TNF"), (50, 4, 300)),
    ("tensors.sequence_batch", dict(batch=4, length=50, features=300, layout="NFT"), (4, 300, 50)),
]


@pytest.mark.parametrize(("name", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layers_table(name, args, expected):
    got = get_solver(name)(**args)
    assert same(got, expected), got


def test_default_names_count_per_type_and_flatten_repeats_get_numbers():
    layers = [{"type": "flatten"}, {"type": "fc", "units": 2}, {"type": "flatten", "name": "again"},
              {"type": "flatten"}]
    rows = get_solver("layers.stack_table")(input_shape=[2, 2, 1], layers=layers)
    assert [row["layer"] for row in rows] == ["flatten", "fc1", "again", "flatten3"]
