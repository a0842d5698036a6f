-- Removes the given indicators' rows of region_series, those from $first to $last (period start; null: no bound), for load/derived/insert_series to rebuild them; returns nothing.
-- params: $indicator_ids VARCHAR[], $first DATE, $last DATE
delete from region_series
where indicator_id in (select unnest($indicator_ids))
    and period_start between coalesce($first::date, date '0001-01-01') and coalesce($last::date, date '9999-12-31')
