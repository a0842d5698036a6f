-- Sets one value in the meta table.
-- params: $key VARCHAR, $value VARCHAR
merge into meta as stored
using (
    select $key, $value
) as given ("key", "value")
on stored."key" = given."key"
when matched then update set
    value = given.value
when not matched then insert ("key", "value")
    values (given."key", given."value")
