-- Makes each new team's own indicator in the registered frame ref_team_measure (team_id, indicator_id) a measure of its team, with no baseline or aim yet; returns nothing.
-- params: (none)
insert into team_measure (team_id, indicator_id)
select
    r.team_id,
    r.indicator_id
from ref_team_measure as r
where not exists (
    select 1
    from team_measure as m
    where m.team_id = r.team_id
        and m.indicator_id = r.indicator_id
)
