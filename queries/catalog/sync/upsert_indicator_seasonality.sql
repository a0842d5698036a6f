-- Inserts or updates each catalogue indicator's seasonal flag (`yes`/`no`) from the registered frame ref_indicator; returns nothing.
-- params: (none)
insert into indicator_seasonality (indicator_id, seasonal)
select
    id,
    coalesce(seasonal = 'yes', false)
from ref_indicator
on conflict (indicator_id) do update set
    seasonal = excluded.seasonal
