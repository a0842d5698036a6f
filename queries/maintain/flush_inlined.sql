-- Writes the rows DuckLake keeps inlined in the catalog (small commits: a data version, a load's row) to Parquet files; one row per table flushed.
-- params: $catalog VARCHAR
select
    table_name,
    rows_flushed::bigint as n
from ducklake_flush_inlined_data($catalog)
