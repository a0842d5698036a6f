-- Returns nothing: copies the registered pandas frame `frame` into table t (the ingest benchmark's naive load).
-- params: (none)
create table t as
select
    *
from frame
