"""The method page's table of the model's layers, from `fmnist.engine.model.layer_table`."""

from __future__ import annotations

import pandas as pd


def layer_frame(layers: list[dict]) -> pd.DataFrame:
    """Return the model's layers as a table with a total row."""
    frame = pd.DataFrame(layers).set_index("layer")
    frame["output_shape"] = frame["output_shape"].map(lambda shape: " x ".join(map(str, shape)))
    frame.loc["total"] = ["", "", frame["parameters"].sum()]
    frame["parameters"] = frame["parameters"].map("{:,}".format)
    return frame.rename(columns={"output_shape": "output shape"})
