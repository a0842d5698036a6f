-- Inserts $per_region organisational units with short ids (<region id>-bNN) under every region, for the ingest benchmark; returns nothing.
-- params: $per_region INTEGER
insert into unit (id, kind, parent_id, code, name_fi, name_sv, name_en, org_kind, sort_order)
with regions as (
    select
        id,
        name_fi,
        name_sv,
        name_en
    from unit
    where kind = 'region'
),
numbered as (
    select
        regions.*,
        n.range as n
    from regions, range(1, $per_region + 1) as n
)
select
    id || '-b' || lpad(n::varchar, 2, '0') as id,
    'org_unit' as kind,
    id as parent_id,
    null as code,
    name_fi || ', yksikkö ' || n as name_fi,
    name_sv || ', enhet ' || n as name_sv,
    name_en || ', unit ' || n as name_en,
    'bench' as org_kind,
    1000 + n as sort_order
from numbered
where id || '-b' || lpad(n::varchar, 2, '0') not in (select id from unit)
