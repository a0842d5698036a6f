"""Development programmes and their follow-up (issue 13): what a programme is, read for one user,
and the status of each measure at a reporting round. Pure library code (no Streamlit); every
reader takes `query(name, **params)` (`ui.store.query` in the app, `vetopito.scoped.runner(con,
scope)` elsewhere), so the user's programme scope (`access.scope`) always applies: a programme the
user may not read comes back as None and its parts as empty frames.

API (for the pages, the report and the entry form)::

    model.programmes(query) -> pl.DataFrame                     # id, name, funder, period_start,
        # period_end, owner_email, description, is_demo, region_ids: the programmes the user reads
    model.read_programme(query, programme_id) -> Programme | None
        # Programme(info: dict, goals, subprojects, measures, targets, output_counts, rounds,
        #           entries, observations: pl.DataFrame)   — observations already suppressed, and
        #           an indicator measure's baseline value too (`baseline_hidden_reason`)
    model.subproject_measures(programme, subproject_id) -> pl.DataFrame
    model.measure_targets(programme, subproject_id, measure_id) -> pl.DataFrame  # target_date, value, text
    model.measure_series(programme, subproject_id, measure_id) -> pl.DataFrame
        # an indicator measure's observations (period_start, grain, value, is_hidden, hidden_reason)
    model.entry(programme, subproject_id, round_date) -> dict | None   # text, author_email, written_at

    status.milestone_status(due_date, done_date, on) -> "done" | "due" | "late"
    status.indicator_status(series, targets, direction, on) -> IndicatorStatus
        # status "on_target" | "off_target" | "no_target" | "no_data"; value, target, target_date,
        # signal (spc.latest_signal: improvement | concern | common_cause | None), baseline change
    status.output_status(counts, targets, on) -> OutputStatus
        # status "on_plan" | "behind" | "no_plan" | "no_data"; total (cumulative by `on`), planned
        # (by `on`, each planned count reached evenly from the one before: `planned_by`)
    status.measure_status(programme, measure: dict, on) -> MeasureStatus   # one board cell
        # kind, status (one of the above), label_key (i18n key `programme.status.<status>`), detail
    status.board(programme) -> pl.DataFrame
        # one row per goal × sub-project × measure × reporting round: goal_id, subproject_id,
        # measure_id, kind, round_date, status, signal, text (the round's entry of the sub-project)

Statuses are of the figures as they stood on the round's date: a milestone is `done` when its done
date is on or before it, `late` when its due date has passed by then, else `due`; an indicator is
on its interim target when its latest value by the round's date meets the target in effect (the
latest target due by then, else the next one) in the indicator's direction; an output count is
on plan when the outputs counted in periods ending by the round's date reach the count planned by
then (each planned count reached evenly from the one before, from zero at the first counted
period's start). Hidden (suppressed) values are gaps, never compared: a series whose every value is hidden
is `no_data`.
"""
