-- A team's events (workshops, interventions, notes) in date order, for chart markers.
-- params: $team_id VARCHAR, $scope_units VARCHAR[]
select
    e.unit_id as team_id,
    e.event_date,
    e.kind,
    e.label
from event as e
where e.unit_id = $team_id
    and e.unit_id in (select unnest($scope_units))
order by e.event_date, e.kind, e.label
