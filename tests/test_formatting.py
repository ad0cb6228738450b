"""Numbers and words as the book shows them."""

from fmnist.analysis import formatting


def test_p_values_never_show_as_zero():
    assert formatting.p_value(0.0123) == "p = 0.012"
    assert formatting.p_value(0.00004) == "p < 0.001"
    assert formatting.p_number(0.00004) == "< 0.001"
    assert formatting.p_number(0.5) == "0.500"


def test_articles_follow_the_first_letter():
    assert formatting.with_article("AMD EPYC") == "an AMD EPYC"
    assert formatting.with_article("Intel Xeon") == "an Intel Xeon"
    assert formatting.with_article("Xeon") == "a Xeon"


def test_timestamps_read_to_the_minute_in_utc():
    assert formatting.minute_of("2026-11-25T05:38:51+00:00") == "2026-11-25 05:38 UTC"
    assert formatting.minute_of("2026-11-25T06:38:51+01:00") == "2026-11-25 05:38 UTC"


def test_booleans_read_yes_or_no():
    assert formatting.yes_no(True) == "yes" and formatting.yes_no(False) == "no"
