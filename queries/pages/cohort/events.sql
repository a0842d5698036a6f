-- Events (workshops, interventions) of every team of a cohort year, in date order.
-- params: $cohort_year INTEGER, $scope_units VARCHAR[]
select
    e.unit_id as team_id,
    e.event_date,
    e.kind,
    e.label
from event as e
join team as t on t.unit_id = e.unit_id
where t.cohort_year = $cohort_year
    and e.unit_id in (select unnest($scope_units))
order by e.unit_id, e.event_date, e.kind, e.label
