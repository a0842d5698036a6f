-- Three indicators of the auth test tree: a national one, region HVA12's own and team T2024-01's own (test only).
-- params: (none)
insert into indicator (id, name_fi, name_sv, name_en, theme, unit, direction, decimals, aggregation, source)
values
    ('kansallinen', 'Kansallinen', 'Nationell', 'National', 'access', 'pct', 'higher', 1, 'ratio', 'test'),
    ('hva12_oma', 'Alueen oma', 'Områdets egen', 'Region own', 'access', 'pct', 'higher', 1, 'none', 'test'),
    ('t2024_01_oma', 'Tiimin oma', 'Teamets egen', 'Team own', 'development', 'pct', 'higher', 0, 'none', 'test');
insert into indicator_scope (indicator_id, scope_kind, scope_value)
values ('kansallinen', 'national', ''), ('hva12_oma', 'region', 'HVA12'), ('t2024_01_oma', 'team', 'T2024-01');
