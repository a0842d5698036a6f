-- A units file may now rename a unit in place (its names, short names, kind, org_kind): the unit
-- CHECK that made DuckDB rewrite every update is gone. Keep the replaced short names too, so that
-- undo restores a rename exactly.

alter table unit_history add column short_fi varchar;
alter table unit_history add column short_sv varchar;
alter table unit_history add column short_en varchar;
