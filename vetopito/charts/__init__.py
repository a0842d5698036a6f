"""Charts: pure functions from a polars DataFrame to an Altair chart, in the user's locale.

`base` holds what every chart shares; `region` the director's charts; `team` the coach's.
"""
