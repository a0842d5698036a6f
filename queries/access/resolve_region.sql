-- The region a scope value names: its id (HVA15), official code (15) or a name or alias.
-- params: $value VARCHAR
with wanted as (
    select lower(trim($value)) as v
)
select distinct
    u.id
from unit as u
cross join wanted
left join unit_alias as a
    on a.unit_id = u.id
where u.kind = 'region'
    and (
        lower(u.id) = wanted.v
        or u.code = wanted.v
        or lower(u.name_fi) = wanted.v
        or lower(u.short_fi) = wanted.v
        or a.alias_norm = wanted.v
    )
order by u.id
