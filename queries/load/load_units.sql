-- Every (load, unit) pair a load wrote or replaced: which loads a user with a load scope may see.
-- params: (none)
select
    load_id,
    unit_id
from load_unit
order by load_id, unit_id
