-- Inserts synthetic benchmark indicators (bench_01, …) until the catalogue holds $n_indicators; returns nothing.
-- params: $n_indicators INTEGER
insert into indicator (
    id, name_fi, name_sv, name_en, theme, unit, direction, decimals, aggregation,
    source, licence, sort_order
)
with existing as (
    select
        count(*) as n_existing,
        coalesce(max(sort_order), 0) as last_sort_order
    from indicator
),
wanted as (
    select
        range as i
    from range(1, $n_indicators + 1)
),
numbered as (
    select
        wanted.i,
        existing.last_sort_order
    from wanted, existing
    where wanted.i <= $n_indicators - existing.n_existing
      and printf('bench_%02d', wanted.i) not in (select id from indicator)
)
select
    printf('bench_%02d', i) as id,
    'Vertailumittari ' || i as name_fi,
    'Jämförelseindikator ' || i as name_sv,
    'Benchmark indicator ' || i as name_en,
    ['access', 'wellbeing', 'retention', 'development'][i % 4 + 1] as theme,
    case when i % 2 = 1 then 'pct' else 'days' end as unit,
    case when i % 3 = 0 then 'lower' else 'higher' end as direction,
    1 as decimals,
    case when i % 2 = 1 then 'ratio' else 'mean' end as aggregation,
    'vetopito bench (synthetic)' as source,
    'synthetic' as licence,
    last_sort_order + i as sort_order
from numbered
