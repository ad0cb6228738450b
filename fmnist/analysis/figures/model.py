"""The model diagram: its layers top to bottom with output shapes and parameter counts."""

from __future__ import annotations

import matplotlib.pyplot as plt



def model_diagram(layers: list[dict]) -> plt.Figure:
    """Draw the layers top to bottom with their output shapes and parameter counts (Fig. 2)."""
    box_height, gap = 0.7, 0.45
    figure, axis = plt.subplots(figsize=(6.5, (box_height + gap) * (len(layers) + 1)))
    rows = [{"layer": "input", "kind": "Input", "output_shape": layers[0].get("input_shape", (28, 28, 1)), "parameters": 0}]
    rows += layers
    for position, row in enumerate(rows):
        top = -position * (box_height + gap)
        axis.add_patch(
            plt.Rectangle((0, top - box_height), 1, box_height, facecolor="#e8eef7", edgecolor="#34558b")
        )
        axis.text(0.5, top - box_height * 0.35, f"{row['kind']}  ({row['layer']})", ha="center", va="center", fontsize=10, weight="bold")
        shape = "x".join(str(size) for size in row["output_shape"])
        axis.text(0.5, top - box_height * 0.72, f"output {shape}   parameters {row['parameters']:,}", ha="center", va="center", fontsize=9)
        if position:
            axis.annotate("", xy=(0.5, top), xytext=(0.5, top + gap), arrowprops={"arrowstyle": "->"})
    axis.set_xlim(-0.05, 1.05)
    axis.set_ylim(-(len(rows)) * (box_height + gap), 0.1)
    axis.axis("off")
    figure.tight_layout()
    return figure
