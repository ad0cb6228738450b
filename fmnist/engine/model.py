"""The paper's CNN (Section II-A, Fig. 2), with the Future Work knobs and the better CNN's choices.

At the default config the model is exactly the paper's: one convolution, max pooling
and three dense layers, trained by SGD with momentum. The other settings of
`CVConfig` (filters, padding, more convolution blocks and convolutions per block, batch
normalization, dropout, a pooled head, shifted and mirrored training images, label
smoothing, Nesterov momentum, weight decay and the learning rate's schedule) each change
one thing.
"""

from __future__ import annotations

from fmnist import paper
from fmnist.engine import backend
from fmnist.config import CVConfig, num_batches
from fmnist.data.fashion_mnist import IMAGE_SIZE, NUM_CLASSES

keras = backend.keras

# Augmentation shifts a training image by up to this many whole pixels each way.
AUGMENT_SHIFT_PIXELS = 2
# The warm-up-cosine schedule rises from zero to the learning rate over this many epochs.
WARMUP_EPOCHS = 1


def augmentation_layers(config: CVConfig) -> list:
    """Return the layers that randomly mirror and shift training images (they do nothing at inference).

    Nearest-pixel interpolation moves pixels without blurring them. Mirroring is a
    choice of its own: every shoe in Fashion-MNIST points the same way, so a mirrored
    shoe is an image the test set never shows.
    """
    layers = []
    if config.flip:
        layers.append(keras.layers.RandomFlip("horizontal", name="flip"))
    if config.augment:
        shift = AUGMENT_SHIFT_PIXELS / IMAGE_SIZE
        layers.append(
            keras.layers.RandomTranslation(shift, shift, fill_mode="constant", interpolation="nearest", name="shift")
        )
    return layers


def conv_block(config: CVConfig, block_index: int) -> list:
    """Return one convolution block: its convolutions (with batch normalization if chosen), then pooling.

    The first block has one convolution, the later ones `config.convs_per_block`.
    """
    suffix = "" if config.conv_blocks == 1 else f"_{block_index}"
    filters = config.filters * 2 ** (block_index - 1)
    num_convs = 1 if block_index == 1 else config.convs_per_block
    layers = []
    for conv_index in range(1, num_convs + 1):
        conv_suffix = suffix if num_convs == 1 else f"{suffix}{'abc'[conv_index - 1]}"
        layers += convolution(config, filters, conv_suffix)
    return layers + [keras.layers.MaxPooling2D(name=f"pool{suffix}")]


def convolution(config: CVConfig, filters: int, suffix: str) -> list:
    """Return one convolution and its ReLU, with batch normalization between them if chosen."""
    conv_options = {"kernel_initializer": "glorot_normal", "padding": config.padding}
    if not config.batch_norm:
        return [keras.layers.Conv2D(filters, paper.KERNEL_SIZE, activation="relu", name=f"conv{suffix}", **conv_options)]
    return [
        # Batch normalization has its own shift, so the convolution needs no bias.
        keras.layers.Conv2D(filters, paper.KERNEL_SIZE, use_bias=False, name=f"conv{suffix}", **conv_options),
        keras.layers.BatchNormalization(name=f"batch_norm{suffix}"),
        keras.layers.ReLU(name=f"relu{suffix}"),
    ]


def head(config: CVConfig) -> list:
    """Return the classifier: the paper's dense layers, or global average pooling into the softmax."""
    if config.head == "dense":
        return dense_head(config)
    layers = [keras.layers.GlobalAveragePooling2D(name="average_pool")]
    if config.dropout:
        layers.append(keras.layers.Dropout(config.dropout, name="dropout"))
    return layers + [keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output")]


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
    """Return the constant learning rate, or a cosine decay to zero over the whole training (after a warm-up, if chosen)."""
    if config.lr_schedule == "constant":
        return config.learning_rate
    steps_per_epoch = num_batches(num_train, config.batch_size)
    total_steps = config.epochs * steps_per_epoch
    if config.lr_schedule == "cosine":
        return keras.optimizers.schedules.CosineDecay(config.learning_rate, total_steps)
    warmup_steps = min(WARMUP_EPOCHS * steps_per_epoch, total_steps - 1)
    return keras.optimizers.schedules.CosineDecay(
        0.0, total_steps - warmup_steps, warmup_target=config.learning_rate, warmup_steps=warmup_steps
    )


def optimizer(config: CVConfig, num_train: int) -> keras.optimizers.Optimizer:
    """Return SGD with the config's momentum (Nesterov's if chosen), learning rate and weight decay."""
    options = {"nesterov": True} if config.nesterov else {}
    if config.weight_decay:
        options["weight_decay"] = config.weight_decay
    return keras.optimizers.SGD(learning_rate=learning_rate(config, num_train), momentum=config.momentum, **options)


def loss(config: CVConfig):
    """Return the cross-entropy, with label smoothing if chosen."""
    if not config.label_smoothing:
        return "categorical_crossentropy"
    return keras.losses.CategoricalCrossentropy(label_smoothing=config.label_smoothing)


def build_model(
    config: CVConfig | None = None,
    num_train: int | None = None,
    steps_per_execution: int = 1,
) -> keras.Model:
    """Build and compile the CNN a config describes; the default config is the paper's model."""
    config = config or CVConfig()
    num_train = num_train or config.num_images
    layers = [keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 1))]
    layers += augmentation_layers(config)
    for block_index in range(1, config.conv_blocks + 1):
        layers += conv_block(config, block_index)
    layers += head(config)
    name = "paper_cnn" if config.is_paper_model else "small_cnn"
    model = keras.Sequential(layers, name=name)
    model.compile(
        optimizer=optimizer(config, num_train),
        loss=loss(config),
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
