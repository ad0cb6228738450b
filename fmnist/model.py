"""The paper's CNN (Section II-A, Fig. 2), with the Future Work knobs as arguments."""

from __future__ import annotations

from fmnist import backend, paper
from fmnist.data import IMAGE_SIZE, NUM_CLASSES

keras = backend.keras


def build_model(
    filters: int = paper.FILTERS,
    padding: str = paper.PADDING,
    learning_rate: float = paper.LEARNING_RATE,
    momentum: float = paper.MOMENTUM,
    steps_per_execution: int = 1,
) -> keras.Model:
    """Build and compile the paper's CNN; the defaults are the paper's."""
    if padding not in paper.PADDINGS:
        raise ValueError(f"padding must be one of {paper.PADDINGS}, got {padding!r}")
    model = keras.Sequential(
        [
            keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1)),
            keras.layers.Conv2D(
                filters,
                paper.KERNEL_SIZE,
                activation="relu",
                kernel_initializer="glorot_normal",
                padding=padding,
                name="conv",
            ),
            keras.layers.MaxPooling2D(name="pool"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(paper.DENSE_UNITS[0], activation="relu", name="dense_1"),
            keras.layers.Dense(paper.DENSE_UNITS[1], activation="relu", name="dense_2"),
            keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output"),
        ],
        name="paper_cnn",
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution,
    )
    return model


def layer_table(model: keras.Model) -> list[dict]:
    """Return each layer's name, kind, output shape and parameter count."""
    return [
        {
            "layer": layer.name,
            "kind": type(layer).__name__,
            "output_shape": tuple(layer.output.shape[1:]),
            "parameters": layer.count_params(),
        }
        for layer in model.layers
    ]
