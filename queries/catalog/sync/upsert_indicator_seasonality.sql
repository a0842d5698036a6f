-- Inserts or updates each catalogue indicator's seasonal flag (`yes`/`no`) from the registered frame ref_indicator; returns nothing.
-- params: (none)
merge into indicator_seasonality as stored
using (
    select
        id,
        coalesce(seasonal = 'yes', false)
    from ref_indicator
) as given (indicator_id, seasonal)
on stored.indicator_id = given.indicator_id
when matched then update set
    seasonal = given.seasonal
when not matched then insert (indicator_id, seasonal)
    values (given.indicator_id, given.seasonal)
