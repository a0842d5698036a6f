-- National (FI) and every YTA's figure per indicator and period for the given indicators: a reported figure where loaded, else aggregated over the regions (method ratio = ratio of sums, sum, mean = mean of regions, none). Reads region_series, rebuilt for the touched indicators by every load and undo.
-- params: $indicator_ids VARCHAR[], $scope_units VARCHAR[], $scope_indicators VARCHAR[]
with reference_units as (
    select u.id
    from unit as u
    where u.kind in ('country', 'yta')
        and u.id in (select unnest($scope_units))
)
select
    s.unit_id,
    s.indicator_id,
    s.period_start,
    s.grain,
    s.value,
    s.method,
    s.numerator,
    s.denominator,
    s.n_regions
from region_series as s
join reference_units as r on r.id = s.unit_id
where s.indicator_id in (select unnest($indicator_ids))
    and s.indicator_id in (select unnest($scope_indicators))
order by s.unit_id, s.indicator_id, s.grain, s.period_start
