-- Process changes marked on a team or on its parent unit (events of kind process_change), oldest first: each starts a new SPC phase of the team's measures from its period, for its indicator (null: every indicator).
-- params: $team_id VARCHAR, $scope_units VARCHAR[]
with own as (
    select
        u.id,
        u.parent_id
    from unit as u
    where u.id = $team_id
        and u.id in (select unnest($scope_units))
)
select
    e.unit_id,
    e.event_date,
    e.indicator_id,
    e.label
from event as e
join own as o on e.unit_id = o.id or e.unit_id = o.parent_id
where e.kind = 'process_change'
order by e.event_date, e.unit_id, e.label
