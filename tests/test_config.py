"""The validated settings of a run."""

import pytest

from fmnist.config import CVConfig


def test_defaults_are_the_papers():
    config = CVConfig()
    assert (config.folds, config.epochs, config.batch_size) == (5, 10, 32)
    assert (config.learning_rate, config.momentum) == (0.01, 0.9)
    assert (config.filters, config.padding, config.split_seed) == (32, "valid", 1)
    assert config.num_images == 60_000


@pytest.mark.parametrize(
    "field, value",
    [
        ("folds", 1),
        ("folds", 2.5),
        ("epochs", 0),
        ("epochs", "10"),
        ("batch_size", 0),
        ("batch_size", True),
        ("learning_rate", 0),
        ("learning_rate", -0.1),
        ("learning_rate", "fast"),
        ("momentum", 1.0),
        ("momentum", -0.1),
        ("filters", 0),
        ("padding", "full"),
        ("seed", -1),
        ("subset", 5),
        ("subset", 60_001),
        ("conv_blocks", 0),
        ("conv_blocks", 4),
        ("batch_norm", "yes"),
        ("batch_norm", 1),
        ("dropout", 1.0),
        ("dropout", -0.1),
        ("augment", None),
        ("lr_schedule", "step"),
        ("flip", "no"),
        ("label_smoothing", 1.0),
        ("label_smoothing", -0.1),
        ("nesterov", 0),
        ("weight_decay", -1e-4),
        ("convs_per_block", 3),
        ("head", "flat"),
        ("threads", 0),
        ("threads", 65),
        ("onednn", "1"),
    ],
)
def test_bad_values_name_the_field(field, value):
    with pytest.raises(ValueError, match=field) as caught:
        CVConfig(**{field: value})
    assert repr(value) in str(caught.value)


def test_round_trips_through_a_dict():
    config = CVConfig(epochs=2, subset=600)
    assert CVConfig.from_dict(config.to_dict()) == config


def test_unknown_setting_is_refused():
    with pytest.raises(ValueError, match="num_epochs"):
        CVConfig.from_dict({"num_epochs": 3})


def test_from_namespace_takes_the_settings_it_knows():
    namespace = {"epochs": 2, "subset": 600, "results_dir": "elsewhere", "CVConfig": CVConfig}
    assert CVConfig.from_namespace(namespace) == CVConfig(epochs=2, subset=600)


def test_label_names_every_choice_away_from_the_paper():
    assert CVConfig().label() == "k5-e10-b32-f32-valid"
    assert CVConfig().is_paper_model
    better = CVConfig(padding="same", conv_blocks=2, batch_norm=True, dropout=0.3, augment=True, lr_schedule="cosine")
    assert better.label() == "k5-e10-b32-f32-same-c2-bn-d0.3-aug-cosine"
    assert not better.is_paper_model
    assert CVConfig(filters=64, padding="same").is_paper_model


def test_a_saved_config_without_the_newer_settings_still_loads():
    saved = CVConfig().to_dict()
    for name in ("conv_blocks", "batch_norm", "dropout", "augment", "lr_schedule"):
        del saved[name]
    assert CVConfig.from_dict(saved) == CVConfig()


def test_the_better_cnns_new_choices_leave_the_papers_model_and_name_themselves():
    chosen = CVConfig(
        learning_rate=0.1, flip=True, label_smoothing=0.1, nesterov=True, weight_decay=5e-4,
        convs_per_block=2, head="pooled", lr_schedule="warmup-cosine",
    )
    assert not chosen.is_paper_model
    assert chosen.label() == "k5-e10-b32-f32-valid-lr0.1-warmup-cosine-cb2-pooled-flip-ls0.1-nesterov-wd0.0005"


def test_the_arithmetic_settings_keep_the_papers_model_but_not_the_plain_fit_loops():
    fast = CVConfig(threads=2, onednn=True)
    assert fast.is_paper_model and not fast.is_default_arithmetic
    assert fast.label().endswith("-t2-onednn")
    with pytest.raises(ValueError, match="arithmetic settings"):
        CVConfig(threads=2, trainer="keras2-fit")
