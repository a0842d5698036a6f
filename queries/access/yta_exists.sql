-- How many collaborative areas have this id (0 or 1).
-- params: $yta_id VARCHAR
select count(*)::integer as n
from unit
where kind = 'yta'
    and id = $yta_id
