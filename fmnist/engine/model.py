"""The paper's CNN (Section II-A, Fig. 2), with the Future Work knobs and the better CNN's choices.

At the default config the model is exactly the paper's: one convolution, max pooling
and three dense layers, trained by SGD with momentum. The other settings of
`CVConfig` (filters, padding, more convolution blocks, batch normalization, dropout,
augmentation and a cosine learning rate) each change one thing.
"""

from __future__ import annotations

from fmnist import paper
from fmnist.engine import backend, training
from fmnist.config import CVConfig
from fmnist.data.fashion_mnist import IMAGE_SIZE, NUM_CLASSES

keras = backend.keras

# Augmentation shifts a training image by up to this many whole pixels each way.
AUGMENT_SHIFT_PIXELS = 2


def augmentation_layers() -> list:
    """Return the layer that randomly shifts training images (it does nothing at inference).

    Nearest-pixel interpolation moves pixels without blurring them. Images are not
    mirrored: every shoe in Fashion-MNIST points the same way.
    """
    shift = AUGMENT_SHIFT_PIXELS / IMAGE_SIZE
    return [keras.layers.RandomTranslation(shift, shift, fill_mode="constant", interpolation="nearest", name="shift")]


def conv_block(config: CVConfig, block_index: int) -> list:
    """Return one convolution block: convolution (with batch normalization if chosen) and pooling."""
    suffix = "" if config.conv_blocks == 1 else f"_{block_index}"
    filters = config.filters * 2 ** (block_index - 1)
    conv_options = {"kernel_initializer": "glorot_normal", "padding": config.padding}
    if not config.batch_norm:
        return [
            keras.layers.Conv2D(filters, paper.KERNEL_SIZE, activation="relu", name=f"conv{suffix}", **conv_options),
            keras.layers.MaxPooling2D(name=f"pool{suffix}"),
        ]
    return [
        # Batch normalization has its own shift, so the convolution needs no bias.
        keras.layers.Conv2D(filters, paper.KERNEL_SIZE, use_bias=False, name=f"conv{suffix}", **conv_options),
        keras.layers.BatchNormalization(name=f"batch_norm{suffix}"),
        keras.layers.ReLU(name=f"relu{suffix}"),
        keras.layers.MaxPooling2D(name=f"pool{suffix}"),
    ]


def dense_head(config: CVConfig) -> list:
    """Return the paper's dense layers, with dropout before the first two if chosen."""
    layers = [keras.layers.Flatten(name="flatten")]
    for number, units in enumerate(paper.DENSE_UNITS, start=1):
        if config.dropout and number <= 2:
            layers.append(keras.layers.Dropout(config.dropout, name=f"dropout_{number}"))
        layers.append(keras.layers.Dense(units, activation="relu", name=f"dense_{number}"))
    layers.append(keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output"))
    return layers


def learning_rate(config: CVConfig, num_train: int):
    """Return the constant learning rate, or a cosine decay to zero over the whole training."""
    if config.lr_schedule == "constant":
        return config.learning_rate
    steps_per_epoch = training.num_batches(num_train, config.batch_size)
    return keras.optimizers.schedules.CosineDecay(config.learning_rate, config.epochs * steps_per_epoch)


def build_model(
    config: CVConfig | None = None,
    num_train: int | None = None,
    steps_per_execution: int = 1,
) -> keras.Model:
    """Build and compile the CNN a config describes; the default config is the paper's model."""
    config = config or CVConfig()
    num_train = num_train or config.num_images
    layers = [keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1))]
    if config.augment:
        layers += augmentation_layers()
    for block_index in range(1, config.conv_blocks + 1):
        layers += conv_block(config, block_index)
    layers += dense_head(config)
    name = "paper_cnn" if config.is_paper_model else "small_cnn"
    model = keras.Sequential(layers, name=name)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate(config, num_train), momentum=config.momentum),
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
