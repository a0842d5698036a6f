-- Inserts $per_region synthetic organisational units (<region id>$infix<n padded to $digits>, e.g. HVA01-bench-001) under every region; returns nothing.
-- params: $per_region INTEGER, $infix VARCHAR, $digits INTEGER
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
    id || $infix || lpad(n::varchar, $digits, '0') as id,
    'org_unit' as kind,
    id as parent_id,
    null as code,
    name_fi || ', yksikkö ' || n as name_fi,
    name_sv || ', enhet ' || n as name_sv,
    name_en || ', unit ' || n as name_en,
    'bench' as org_kind,
    1000 + n as sort_order
from numbered
where id || $infix || lpad(n::varchar, $digits, '0') not in (select id from unit)
