"""The Läpimurto teams as the coach sees them, computed without Streamlit.

`progress` (a team's facts, measures with suppressed values and run charts, plain-language
summaries), `cohorts` (the cohort board and its totals) and `charts` (a measure's run chart
and SPC view, Altair). Loading team files is `vetopito.ingest.teams`.
"""
