"""The validated settings of a run; the defaults are the paper's.

The first block of settings is the paper's experiment. The second block holds the
choices of the better small CNN (`fmnist.experiments.better_cnn`); at their defaults the model is
exactly the paper's, so a paper run and its ablation share one code path. The last
setting, `trainer`, says which training loop runs: the project's own, or one of the
plain `model.fit` loops that the noise study (`fmnist.analysis.noise`) sets beside it.
"""

from __future__ import annotations

import dataclasses
import math
import numbers

from fmnist import paper

NUM_TRAIN_IMAGES = 60_000
MAX_CONV_BLOCKS = 3
# constant: the paper's; cosine: decays to zero over the whole training; warmup-cosine: rises
# linearly from zero over the first epoch, then decays to zero as cosine does.
LR_SCHEDULES = ("constant", "cosine", "warmup-cosine")
HEADS = ("dense", "pooled")
# The training loops: the project's own (a new batch order every epoch, resumable epoch by
# epoch), Keras 3's plain `model.fit` on arrays, and Keras 2's (`tf_keras`), as the paper's
# notebook ran it. See `fmnist.engine.baselines`.
TRAINERS = ("fmnist", "keras3-fit", "keras2-fit")
DEFAULT_TRAINER = TRAINERS[0]
# The groups of settings, as the command line shows them.
EXPERIMENT = "the experiment (defaults: the paper's)"
BETTER_CNN = "the better small CNN's choices (defaults: the paper's model)"
ARITHMETIC = "how TensorFlow computes (defaults: the paper's reproduction; the numbers depend on them)"
# The most threads one op may be split into.
MAX_THREADS = 64


def setting(default: object, help: str, group: str = EXPERIMENT) -> dataclasses.Field:
    """Return a CVConfig field with its help text and group, from which the command line makes its option."""
    return dataclasses.field(default=default, metadata={"help": help, "group": group})


@dataclasses.dataclass(frozen=True)
class CVConfig:
    """Every setting that decides the numbers of a run (its folds and its official test).

    Each field's metadata holds its help text and group: the command line's options are
    made from them (`fmnist.cli.add_config_options`), and the notebooks' parameters cells
    use the same names.
    """

    folds: int = setting(paper.FOLDS, "number of folds k (>= 2)")
    epochs: int = setting(paper.EPOCHS, "training epochs per fold (>= 1)")
    batch_size: int = setting(paper.BATCH_SIZE, "training batch size (>= 1)")
    learning_rate: float = setting(paper.LEARNING_RATE, "SGD learning rate (> 0)")
    momentum: float = setting(paper.MOMENTUM, "SGD momentum (0 <= m < 1)")
    filters: int = setting(paper.FILTERS, "filters of the (first) convolution (>= 1)")
    padding: str = setting(paper.PADDING, f"convolution padding, one of {', '.join(paper.PADDINGS)}")
    seed: int = setting(0, "seed of the weights, the batch order, dropout and augmentation (>= 0)")
    split_seed: int = setting(paper.SPLIT_SEED, "random_state of the folds' KFold (>= 0)")
    subset: int | None = setting(None, "use only the first N training images, for quick runs")
    # The better small CNN's choices; these defaults give the paper's model.
    conv_blocks: int = setting(1, f"convolution blocks, each doubling the filters (1 to {MAX_CONV_BLOCKS})", BETTER_CNN)
    batch_norm: bool = setting(False, "batch normalization after each convolution", BETTER_CNN)
    dropout: float = setting(0.0, "dropout rate before the first two dense layers (0 <= rate < 1)", BETTER_CNN)
    augment: bool = setting(False, "shift training images at random by up to 2 pixels each way", BETTER_CNN)
    lr_schedule: str = setting("constant", f"learning rate schedule, one of {', '.join(LR_SCHEDULES)}", BETTER_CNN)
    flip: bool = setting(False, "mirror training images left to right at random, half of them", BETTER_CNN)
    label_smoothing: float = setting(0.0, "label smoothing of the cross-entropy (0 <= s < 1)", BETTER_CNN)
    nesterov: bool = setting(False, "Nesterov momentum instead of the paper's plain momentum", BETTER_CNN)
    weight_decay: float = setting(0.0, "SGD weight decay (>= 0)", BETTER_CNN)
    convs_per_block: int = setting(1, "convolutions in each block after the first (1 or 2)", BETTER_CNN)
    head: str = setting("dense", f"classifier head, one of {', '.join(HEADS)}: the paper's dense layers, or global average pooling into the softmax", BETTER_CNN)
    # How TensorFlow computes: the same model and data, other roundings and another speed.
    threads: int = setting(1, f"threads that split each TensorFlow op (1 to {MAX_THREADS})", ARITHMETIC)
    onednn: bool = setting(False, "use oneDNN's kernels (faster convolutions where TensorFlow leaves them off)", ARITHMETIC)
    # Which training loop runs (see TRAINERS); the others train the paper's model only.
    trainer: str = setting(
        DEFAULT_TRAINER,
        f"training loop, one of {', '.join(TRAINERS)}: the project's own, or plain model.fit of Keras 3 "
        "or of Keras 2 (the paper's library)",
    )

    def __post_init__(self) -> None:
        check_int("folds", self.folds, minimum=2)
        check_int("epochs", self.epochs, minimum=1)
        check_int("batch_size", self.batch_size, minimum=1)
        check_number("learning_rate", self.learning_rate, "a number > 0", lambda v: v > 0)
        check_number("momentum", self.momentum, "a number with 0 <= momentum < 1", lambda v: 0 <= v < 1)
        check_int("filters", self.filters, minimum=1)
        if self.padding not in paper.PADDINGS:
            raise ValueError(
                f"padding must be one of {', '.join(paper.PADDINGS)}, got {self.padding!r}"
            )
        check_int("seed", self.seed, minimum=0)
        check_int("split_seed", self.split_seed, minimum=0)
        if self.subset is not None:
            check_int("subset", self.subset, minimum=2 * self.folds, maximum=NUM_TRAIN_IMAGES)
        check_int("conv_blocks", self.conv_blocks, minimum=1, maximum=MAX_CONV_BLOCKS)
        check_bool("batch_norm", self.batch_norm)
        check_number("dropout", self.dropout, "a number with 0 <= dropout < 1", lambda v: 0 <= v < 1)
        check_bool("augment", self.augment)
        if self.lr_schedule not in LR_SCHEDULES:
            raise ValueError(
                f"lr_schedule must be one of {', '.join(LR_SCHEDULES)}, got {self.lr_schedule!r}"
            )
        check_bool("flip", self.flip)
        check_number("label_smoothing", self.label_smoothing, "a number with 0 <= label_smoothing < 1", lambda v: 0 <= v < 1)
        check_bool("nesterov", self.nesterov)
        check_number("weight_decay", self.weight_decay, "a number >= 0", lambda v: v >= 0)
        check_int("convs_per_block", self.convs_per_block, minimum=1, maximum=2)
        if self.head not in HEADS:
            raise ValueError(f"head must be one of {', '.join(HEADS)}, got {self.head!r}")
        check_int("threads", self.threads, minimum=1, maximum=MAX_THREADS)
        check_bool("onednn", self.onednn)
        if self.trainer not in TRAINERS:
            raise ValueError(f"trainer must be one of {', '.join(TRAINERS)}, got {self.trainer!r}")
        if self.trainer != DEFAULT_TRAINER and not (self.is_paper_model and self.is_default_arithmetic):
            raise ValueError(
                f"trainer {self.trainer!r} trains the paper's model only, as the paper's notebook did; "
                "drop the better CNN's choices and the arithmetic settings, or use trainer 'fmnist'"
            )

    @property
    def is_paper_model(self) -> bool:
        """Return whether the model and its training are the paper's (whatever its filters and padding)."""
        return (
            self.conv_blocks == 1
            and not self.batch_norm
            and self.dropout == 0
            and not self.augment
            and self.lr_schedule == "constant"
            and not self.flip
            and self.label_smoothing == 0
            and not self.nesterov
            and self.weight_decay == 0
            and self.convs_per_block == 1
            and self.head == "dense"
        )

    @property
    def is_default_arithmetic(self) -> bool:
        """Return whether TensorFlow computes as for the paper's reproduction (one thread per op, its own kernels)."""
        return self.threads == 1 and not self.onednn

    @property
    def saves_epochs(self) -> bool:
        """Return whether the trainer saves a fold's state after every epoch (only the project's own loop does)."""
        return self.trainer == DEFAULT_TRAINER

    @property
    def num_images(self) -> int:
        """Return how many training images the run uses."""
        return self.subset or NUM_TRAIN_IMAGES

    def to_dict(self) -> dict:
        """Return the settings as a plain dict (JSON-ready)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "CVConfig":
        """Build a config from a dict, refusing unknown names."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown setting(s) {', '.join(unknown)}; the settings are {', '.join(sorted(known))}"
            )
        return cls(**values)

    @classmethod
    def from_namespace(cls, namespace: dict) -> "CVConfig":
        """Build a config from the variables of the same names, such as a notebook's parameters."""
        names = [field.name for field in dataclasses.fields(cls)]
        return cls(**{name: namespace[name] for name in names if name in namespace})

    def label(self) -> str:
        """Return a short readable name of the settings that most often change."""
        parts = [f"k{self.folds}", f"e{self.epochs}", f"b{self.batch_size}", f"f{self.filters}", self.padding]
        if self.learning_rate != paper.LEARNING_RATE:
            parts.append(f"lr{self.learning_rate:g}")
        if self.conv_blocks != 1:
            parts.append(f"c{self.conv_blocks}")
        if self.batch_norm:
            parts.append("bn")
        if self.dropout:
            parts.append(f"d{self.dropout:g}")
        if self.augment:
            parts.append("aug")
        if self.lr_schedule != "constant":
            parts.append(self.lr_schedule)
        if self.convs_per_block != 1:
            parts.append(f"cb{self.convs_per_block}")
        if self.head != "dense":
            parts.append(self.head)
        if self.flip:
            parts.append("flip")
        if self.label_smoothing:
            parts.append(f"ls{self.label_smoothing:g}")
        if self.nesterov:
            parts.append("nesterov")
        if self.weight_decay:
            parts.append(f"wd{self.weight_decay:g}")
        if self.threads != 1:
            parts.append(f"t{self.threads}")
        if self.onednn:
            parts.append("onednn")
        if self.trainer != DEFAULT_TRAINER:
            parts.append(self.trainer)
        if self.seed:
            parts.append(f"s{self.seed}")
        if self.subset:
            parts.append(f"n{self.subset}")
        return "-".join(parts)


def num_batches(num_samples: int, batch_size: int) -> int:
    """Return how many batches an epoch of num_samples has, the last one possibly smaller."""
    return math.ceil(num_samples / batch_size)


def check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> None:
    """Raise ValueError unless value is an int within [minimum, maximum]."""
    allowed = f"an integer >= {minimum}" if maximum is None else f"an integer from {minimum} to {maximum}"
    is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not is_int or value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")


def check_bool(name: str, value: object) -> None:
    """Raise ValueError unless value is True or False."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")


def check_number(name: str, value: object, allowed: str, is_allowed) -> None:
    """Raise ValueError unless value is a real number that passes is_allowed."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not is_number or not is_allowed(value):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
