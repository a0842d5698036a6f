-- Returns the size of the benchmark database: observations, units and indicators (one row).
-- params: (none)
select
    (select count(*) from observation) as observations,
    (select count(*) from unit) as units,
    (select count(*) from indicator) as indicators
