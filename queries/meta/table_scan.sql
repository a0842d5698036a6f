-- One table read through: its row count and a hash over every column of every row, so each data
-- block of the table is read (and its checksum verified); counts alone come from metadata.
-- params: $table_name VARCHAR
select
    count(*) as row_count,
    sum(hash(scanned)) as digest
from query_table($table_name) as scanned
