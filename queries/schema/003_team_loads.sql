-- Which load created which team, team measure or operating model row, so that undo can remove it.
-- (Team units themselves are recorded in unit_load of 002.)

create table team_load_row (
    table_name varchar not null check (table_name in ('team', 'team_measure', 'operating_model')),
    row_key varchar not null,
    load_id integer not null,
    primary key (table_name, row_key)
);
