"""Bad solver arguments raise ValueError whose message starts with the argument's name."""

from __future__ import annotations

import pytest

from grader.solvers import get_solver

X = [[1, 2], [3, 4]]

CASES = [
    ("layers.output_size", dict(n=0, kernel=3), "n"),
    ("layers.output_size", dict(n=2.5, kernel=3), "n"),
    ("layers.output_size", dict(n=True, kernel=1), "n"),
    ("layers.output_size", dict(n=5, kernel=6), "kernel"),       # does not fit
    ("layers.output_size", dict(n=5, kernel=3, dilation=3), "kernel"),  # effective 7 > 5
    ("layers.output_size", dict(n=5, kernel=3, stride=0), "stride"),
    ("layers.output_size", dict(n=5, kernel=3, padding=-1), "padding"),
    ("layers.output_hw", dict(input_size=[5, 5], kernel=[3]), "kernel"),
    ("layers.output_hw", dict(input_size="5x5", kernel=3), "input_size"),
    ("layers.flatten_size", dict(shape=[]), "shape"),
    ("layers.conv_params", dict(kernel=3, in_channels=1, filters=0), "filters"),
    ("layers.conv_params", dict(kernel=3, in_channels=1, filters=2, bias="yes"), "bias"),
    ("layers.conv_multiplications", dict(input_shape=[28, 28], kernel=3, filters=2), "input_shape"),
    ("layers.fc_params", dict(inputs=0, units=3), "inputs"),
    ("layers.stack_table", dict(input_shape=[28, 28], layers=[{"type": "flatten"}]), "input_shape"),
    ("layers.stack_table", dict(input_shape=[28, 28, 1], layers=[]), "layers"),
    ("layers.stack_table", dict(input_shape=[28, 28, 1], layers=[{"type": "conv", "kernel": 3}]), "layers[0]"),
    ("layers.stack_table", dict(input_shape=[28, 28, 1], layers=[{"type": "dense", "units": 3}]), "layers[0].type"),
    ("layers.stack_table", dict(input_shape=[28, 28, 1], layers=[{"type": "pool", "kernel": 2, "size": 2}]),
     "layers[0]"),
    ("layers.stack_table", dict(input_shape=[28, 28, 1], layers=[{"type": "pool", "kernel": 2},
                                                                 {"type": "fc", "units": 3}]), "layers[1]"),
    ("layers.stack_table", dict(input_shape=[4, 4, 1], layers=[{"type": "conv", "kernel": 5, "filters": 1}]),
     "layers[0].kernel"),
    ("layers.stack_params", dict(input_shape=[4, 4, 1], layers=[{"type": "conv", "kernel": 3, "filters": 1,
                                                                 "stride": 0}]), "layers[0].stride"),
    ("layers.receptive_field", dict(layers=[]), "layers"),
    ("layers.receptive_field", dict(layers=[{"stride": 2}]), "layers[0]"),
    ("layers.receptive_field_stacked", dict(count=0), "count"),
    ("convolution.conv2d", dict(x=[[1, 2], [3]], kernel=[[1]]), "x"),
    ("convolution.conv2d", dict(x="image", kernel=[[1]]), "x"),
    ("convolution.conv2d", dict(x=X, kernel=[[[[[1]]]]]), "kernel"),
    ("convolution.conv2d", dict(x=X, kernel=[[1, 1, 1]]), "kernel"),  # 1 x 3 does not fit 2 wide
    ("convolution.conv2d", dict(x=[[[1, 2]]], kernel=[[1]]), "kernel"),  # 2 channels, no channel axis
    ("convolution.conv2d", dict(x=[[[1, 2]]], kernel=[[[1, 1, 1]]]), "kernel"),  # 3 input channels vs 2
    ("convolution.conv2d", dict(x=X, kernel=[[1]], stride=[1, 2, 3]), "stride"),
    ("convolution.conv2d", dict(x=X, kernel=[[1]], bias=[1, 2]), "bias"),
    ("convolution.conv2d", dict(x=X, kernel=[[1]], flip="yes"), "flip"),
    ("convolution.conv1d", dict(x=[1, float("nan")], kernel=[1]), "x"),
    ("convolution.conv_transpose1d", dict(x=[1, 2], kernel=[1, 1], stride=2, output_padding=2), "output_padding"),
    ("convolution.conv_transpose1d", dict(x=[1], kernel=[1], padding=1), "padding"),
    ("convolution.argmax_positions", dict(x=X, tolerance=-1), "tolerance"),
    ("pooling.max_pool2d", dict(x=X, pool_size=2, padding=2), "padding"),
    ("pooling.max_pool2d", dict(x=X, pool_size=3), "pool_size"),
    ("pooling.max_pool2d", dict(x=X, pool_size=0), "pool_size"),
    ("pooling.max_pool1d", dict(x=X, pool_size=2, stride=0), "stride"),
    ("pooling.avg_pool2d", dict(x=X, pool_size=2, count_include_pad=1), "count_include_pad"),
    ("pooling.max_pool2d_grad", dict(x=X, upstream=[[1, 2]], pool_size=1), "upstream"),
    ("pooling.max_pool2d_grad", dict(x=X, upstream=[[1]], pool_size=2, ties="middle"), "ties"),
    ("pooling.subsample1d", dict(x=[1, 2, 3], stride=1, offset=3), "offset"),
    ("pooling.subsample2d", dict(x=X, stride=0), "stride"),
    ("pooling.output_size", dict(n=1, pool_size=2), "pool_size"),
    ("tensors.image_batch", dict(batch=1, height=2, width=2, channels=3, layout="NHW"), "layout"),
    ("tensors.image_batch", dict(batch=1, height=2, width=2, channels=3, layout="NHHW"), "layout"),
    ("tensors.image_batch", dict(batch=0, height=2, width=2, channels=3), "batch"),
    ("tensors.video_batch", dict(batch=1, frames=-1, height=2, width=2, channels=3), "frames"),
    ("tensors.sequence_batch", dict(batch=1, length=2, features=3, layout="NLC"), "layout"),
    ("activations.relu", dict(x="abc"), "x"),
    ("activations.relu", dict(x=[]), "x"),
    ("activations.relu_grad", dict(x=[1, 2], upstream=[1]), "upstream"),
    ("activations.leaky_relu", dict(x=1, alpha=-1), "alpha"),
    ("activations.gelu", dict(x=1, approximate="erf"), "approximate"),
    ("activations.softmax", dict(x=1), "x"),
    ("activations.softmax_grad", dict(x=[[1, 2]]), "x"),
    ("activations.softmax_grad", dict(x=[1, 2], upstream=[1, 2, 3]), "upstream"),
]


@pytest.mark.parametrize(("name", "args", "argument"), CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_bad_argument_names_the_argument(name, args, argument):
    with pytest.raises(ValueError) as info:
        get_solver(name)(**args)
    assert str(info.value).startswith(argument), str(info.value)
