-- Returns the id of the newest benchmark load (column id).
-- params: (none)
select
    max(id) as id
from load
where format = 'bench'
