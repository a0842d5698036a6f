"""The charts of a programme's follow-up (vetopito.followup.charts): the data they draw."""

from __future__ import annotations

import datetime as dt

import polars as pl

from vetopito.followup.charts import running_count


def test_an_output_chart_counts_up_from_zero_at_the_programmes_start():
    d = dt.date
    counts = pl.DataFrame({"period_start": [d(2023, 1, 1)], "period_end": [d(2023, 12, 31)], "value": [13]})
    one = running_count(counts, d(2021, 1, 1))
    assert one.rows() == [(d(2021, 1, 1), 0.0), (d(2023, 12, 31), 13.0)]   # a step, not a lone dot
    two = pl.DataFrame({"period_start": [d(2020, 6, 1), d(2021, 1, 1)], "period_end": [d(2020, 12, 31), d(2021, 6, 30)],
                        "value": [2, 3]})
    assert running_count(two, d(2021, 1, 1)).rows() == [
        (d(2020, 6, 1), 0.0), (d(2020, 12, 31), 2.0), (d(2021, 6, 30), 5.0)]   # a period before the start
    empty = two.clear()
    assert running_count(empty, None).is_empty()
    assert running_count(empty, d(2021, 1, 1)).rows() == [(d(2021, 1, 1), 0.0)]
