-- Later loads that changed targets written by load `$load_id` (they block its undo).
-- params: $load_id INTEGER
select distinct
    replaced_by_load as load_id
from target_history
where load_id = $load_id
order by 1
