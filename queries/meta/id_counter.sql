-- Returns the last id the counter $counter has given (last_id), as this transaction sees it.
-- params: $counter VARCHAR
select last_id
from id_counter
where name = $counter
