-- Each indicator's seasonal flag as stored: indicator_id, seasonal, ordered by indicator.
-- params: (none)
select
    indicator_id,
    seasonal
from indicator_seasonality
order by indicator_id
