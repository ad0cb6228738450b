"""The verdict on each of the paper's claims follows from the numbers that decide it."""

import pandas as pd
import pytest

from fmnist.analysis import claims


def arm_row(consistent: bool, equivalent: bool) -> pd.Series:
    """Return a made-up row of `noise.arm_table`."""
    return pd.Series({"consistent": consistent, "equivalent": equivalent, "margin": 0.33, "smallest margin": 0.39})


@pytest.mark.parametrize(
    "consistent, equivalent, verdict",
    [(True, True, claims.REPRODUCED), (True, False, claims.PARTLY), (False, False, claims.NOT_REPRODUCED)],
)
def test_a_table_one_number_is_judged_by_consistency_and_equivalence(consistent, equivalent, verdict):
    judged = claims.agreement_claim(arm_row(consistent, equivalent), "mean held-out accuracy")
    assert judged["verdict"] == verdict
    assert "the paper's mean held-out accuracy lies" in judged["why"]


def test_a_partial_agreement_says_at_what_margin_equivalence_would_hold():
    assert "±0.39" in claims.agreement_claim(arm_row(True, False), "x")["why"]


def test_overfitting_is_judged_by_where_the_held_out_loss_is_lowest():
    assert claims.fitting_claim(9.4, 10, 4.7)["verdict"] == claims.REPRODUCED
    partly = claims.fitting_claim(4.2, 10, 4.7)
    assert partly["verdict"] == claims.PARTLY and "epoch 4.2 of 10" in partly["why"]


def test_the_kaggle_range_includes_its_ends():
    assert claims.range_claim(90.0)["verdict"] == claims.REPRODUCED
    assert claims.range_claim(92.0)["verdict"] == claims.REPRODUCED
    assert claims.range_claim(89.99)["verdict"] == claims.NOT_REPRODUCED
    assert "not rerun" in claims.range_claim(91.0)["why"]


def test_the_conjecture_needs_a_gain_on_every_question():
    assert claims.conjecture_claim({"more filters": True, "padding": True})["verdict"] == claims.REPRODUCED
    assert claims.conjecture_claim({"more filters": False, "padding": True})["verdict"] == claims.PARTLY
    assert claims.conjecture_claim({"more filters": False, "padding": False})["verdict"] == claims.NOT_REPRODUCED
    assert claims.conjecture_claim({})["verdict"] == claims.NOT_TESTED
    assert claims.conjecture_claim({"more filters": False, "padding": False})["why"] == "no gain is established for more filters or padding"
    assert claims.conjecture_claim({"more filters": False, "padding": True})["why"] == "a gain is established for padding, none for more filters"


def test_a_claim_is_glued_as_its_verdict_and_its_reason_and_nothing_else():
    judged = claims.range_claim(91.0)
    assert claims.glue_names("claim_kaggle", judged) == {"claim_kaggle_verdict": judged["verdict"], "claim_kaggle_why": judged["why"]}
    with pytest.raises(ValueError, match="unknown verdict"):
        claims.claim("probably", "no reason")
