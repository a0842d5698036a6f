-- Inserts or updates the team rows of the incoming changed teams (frame `incoming_changes`); returns nothing. Region and area are fixed once stored (foreign keys).
-- params: (none)
merge into team as stored
using (
    select
        team_id,
        region_id,
        work_unit,
        cohort_year,
        yta_id,
        theme,
        aim_text,
        size,
        started_on
    from incoming_changes
) as given (unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on)
on stored.unit_id = given.unit_id
when matched then update set
    work_unit = given.work_unit,
    cohort_year = given.cohort_year,
    theme = given.theme,
    aim_text = given.aim_text,
    size = given.size,
    started_on = given.started_on
when not matched then insert (unit_id, region_id, work_unit, cohort_year, yta_id, theme, aim_text, size, started_on)
    values (given.unit_id, given.region_id, given.work_unit, given.cohort_year, given.yta_id, given.theme, given.aim_text, given.size, given.started_on)
