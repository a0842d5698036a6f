-- Returns every key, CHECK and sequence of the current database (table_name, what): none after the
-- keyless migration, so a new lake can be made from the schema (vetopito.db._make_lake).
-- params: (none)
select
    table_name,
    constraint_type as what
from duckdb_constraints()
where database_name = current_database()
    and constraint_type <> 'NOT NULL'
union all
select
    sequence_name as table_name,
    'SEQUENCE' as what
from duckdb_sequences()
where database_name = current_database()
order by table_name, what
