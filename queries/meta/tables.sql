-- Every table of the open database's main schema, for the deep check (`db.check_tables`). Read from
-- duckdb_columns() less the views, as meta/has_table (duckdb_tables() asks a lake for every size).
-- params: (none)
select distinct c.table_name
from duckdb_columns() as c
where c.database_name = current_database()
    and c.schema_name = 'main'
    and not exists (
        select 1
        from duckdb_views() as v
        where v.database_name = c.database_name
            and v.schema_name = c.schema_name
            and v.view_name = c.table_name
    )
order by c.table_name
