-- Inserts or updates team measures from the frame `incoming_changes`; returns nothing.
-- params: (none)
merge into team_measure as stored
using (
    select
        team_id,
        indicator_id,
        baseline_value,
        baseline_period,
        aim_value,
        aim_date
    from incoming_changes
) as given (team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date)
on stored.team_id = given.team_id
    and stored.indicator_id = given.indicator_id
when matched then update set
    baseline_value = given.baseline_value,
    baseline_period = given.baseline_period,
    aim_value = given.aim_value,
    aim_date = given.aim_date
when not matched then insert (team_id, indicator_id, baseline_value, baseline_period, aim_value, aim_date)
    values (given.team_id, given.indicator_id, given.baseline_value, given.baseline_period, given.aim_value, given.aim_date)
