-- Process changes an analyst marked on the given units (events of kind process_change), oldest first: each starts a new SPC phase from its period, for its indicator (null: every indicator of the unit).
-- params: $unit_ids VARCHAR[], $scope_units VARCHAR[]
select
    e.unit_id,
    e.event_date,
    e.indicator_id,
    e.label
from event as e
where e.kind = 'process_change'
    and e.unit_id in (select unnest($unit_ids))
    and e.unit_id in (select unnest($scope_units))
order by e.unit_id, e.event_date, e.label
