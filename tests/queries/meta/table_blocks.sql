-- The data blocks of one table, most-used first (DuckDB's storage map), for tests that damage a copy.
-- params: $table_name VARCHAR
select
    block_id,
    count(*) as segments
from pragma_storage_info($table_name)
where block_id >= 0
group by block_id
order by segments desc, block_id
