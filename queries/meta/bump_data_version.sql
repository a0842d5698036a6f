-- Increments the data version (run inside the transaction of a load or an undo).
-- params: (none)
merge into meta as stored
using (
    select 'data_version', '1'
) as given ("key", "value")
on stored."key" = given."key"
when matched then update set
    value = cast(cast(stored.value as bigint) + 1 as varchar)
when not matched then insert ("key", "value")
    values (given."key", given."value")
