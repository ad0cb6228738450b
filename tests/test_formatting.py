"""Numbers and words as the book shows them."""

import pandas as pd

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


def test_counts_agree_in_number_with_one_and_with_many():
    assert formatting.count(1, "fold") == "1 fold"
    assert formatting.count(2, "fold") == "2 folds"
    assert formatting.count(1, "class", "classes") == "1 class"
    assert formatting.count(60000, "image") == "60,000 images"


def test_the_operating_system_keeps_system_and_architecture_and_drops_the_host_kernel():
    assert formatting.operating_system("Linux-6.18.44-fc-v1272-x86_64-with-glibc2.36") == "Linux x86_64"
    assert formatting.operating_system("macOS-14.5-arm64-arm-64bit") == "macOS arm64"


def test_provenance_columns_say_once_what_every_row_shares_and_join_where_rows_differ():
    table = pd.DataFrame(
        {"gain": [0.1, 0.2], "timed on": ["AMD EPYC", "AMD EPYC"], "timing": ["quiet", "under load"], "source": ["recorded", "computed"]},
        index=["a", "b"],
    )
    shown, phrase = formatting.split_runs(table)
    assert list(shown.columns) == ["gain", "run"]
    assert list(shown["run"]) == ["recorded, AMD EPYC, quiet", "computed, AMD EPYC, under load"]
    same = table.assign(timing="quiet", source="recorded")
    shown, phrase = formatting.split_runs(same)
    assert list(shown.columns) == ["gain"] and phrase == "Every row: recorded, AMD EPYC, quiet"
    assert formatting.split_runs(table[["gain"]])[0].equals(table[["gain"]])


def test_a_table_turned_on_its_side_formats_each_quantity_in_its_own_way():
    table = pd.DataFrame({"difference": [0.123, -0.5], "significant": [True, False], "images per s": [5298.57, 12000.0]}, index=["x", "y"])
    shown = formatting.as_rows(table, {"difference": "{:+.2f}", "significant": formatting.yes_no, "images per s": "{:,.0f}"})
    assert list(shown.columns) == ["x", "y"]
    assert list(shown.loc["difference"]) == ["+0.12", "-0.50"]
    assert list(shown.loc["significant"]) == ["yes", "no"]
    assert list(shown.loc["images per s"]) == ["5,299", "12,000"]


def test_a_styled_table_formats_the_columns_it_has_and_skips_the_others():
    table = pd.DataFrame({"gain": [0.123, None], "kept": [True, False]}, index=["a", "b"])
    html = formatting.styled(table, {"gain": "{:+.2f}", "kept": formatting.yes_no, "absent": "{:d}"}, na_rep="-").to_html()
    assert "+0.12" in html and ">-<" in html and ">yes<" in html and ">no<" in html
    assert formatting.yes_no_or_dash(None) == "-" and formatting.yes_no_or_dash(True) == "yes"
