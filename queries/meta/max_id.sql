-- Returns the largest id stored of counter $counter ('load', 'event', 'audit_event'; max_id, 0 when
-- none): ids of a database before the counters' migration (vetopito.db.next_ids).
-- params: $counter VARCHAR
select coalesce(max(id), 0) as max_id
from (
    select id from "load" where $counter = 'load'
    union all
    select id from "event" where $counter = 'event'
    union all
    select id from audit_event where $counter = 'audit_event'
)
