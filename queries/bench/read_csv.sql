-- Returns nothing: DuckDB's own read_csv of the file at $path into table t (the ingest benchmark's yardstick).
-- params: $path VARCHAR
create table t as
select
    *
from read_csv($path)
