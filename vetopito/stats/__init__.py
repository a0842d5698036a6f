"""Statistics for the charts: pure functions, numpy and polars only.

One module per job, each naming the rule set its charts use:

* :mod:`vetopito.stats.spc`: NHS England's "Making Data Count" XmR rules (``RULESET_SPC``,
  as the R package NHSRplotthedots 0.2.2), phases, signals and assurance against a target.
* :mod:`vetopito.stats.pchart`: p and Laney p′ charts for proportions with known denominators.
* :mod:`vetopito.stats.season`: deseasonalised values for indicators with a yearly pattern.
* :mod:`vetopito.stats.runchart`: IHI run-chart rules (``RULESET_RUN``: Perla, Provost &
  Murray, BMJ Qual Saf 2011;20:46-51), per point as in the R package runchart 0.2.0, runs
  counted as in qicharts2 0.8.1.
* :mod:`vetopito.stats.funnel`: over-dispersion between units for funnel plots
  (Spiegelhalter 2005).

The reference outputs these functions are tested against live in ``tests/fixtures/stats/``
(see its README). Nothing here imports Streamlit or touches the database.
"""
