-- The process changes marked for one region (events of kind process_change on the region unit),
-- per indicator in date order: SPC rebase points of the region chart.
-- params: $unit_id VARCHAR, $scope_units VARCHAR[]
select
    e.indicator_id,
    e.event_date as valid_from,
    e.label
from event as e
where e.unit_id = $unit_id
    and e.unit_id in (select unnest($scope_units))
    and e.kind = 'process_change'
    and e.indicator_id is not null
order by e.indicator_id, e.event_date, e.label
