-- Sets one value in the meta table (a value already so is left alone: on a lake an update writes files).
-- params: $key VARCHAR, $value VARCHAR
merge into meta as stored
using (
    select $key, $value
) as given ("key", "value")
on stored."key" = given."key"
when matched and stored.value is distinct from given.value then update set
    value = given.value
when not matched then insert ("key", "value")
    values (given."key", given."value")
