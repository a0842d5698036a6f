-- Every unit id with its kind: the widest scope (local demo mode, admins).
-- params: (none)
select
    id,
    kind
from unit
order by id
