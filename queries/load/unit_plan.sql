-- Each incoming unit (frame `incoming`) beside the stored one: new, changed or unchanged.
-- params: (none)
select
    i.*,
    u.name_fi as old_name_fi,
    u.name_sv as old_name_sv,
    u.name_en as old_name_en,
    u.short_fi as old_short_fi,
    u.short_sv as old_short_sv,
    u.short_en as old_short_en,
    u.parent_id as old_parent_id,
    u.kind as old_kind,
    u.org_kind as old_org_kind,
    case
        when u.id is null then 'new'
        when i.name_fi = u.name_fi
            and i.name_sv = u.name_sv
            and i.name_en = u.name_en
            and i.short_fi is not distinct from u.short_fi
            and i.short_sv is not distinct from u.short_sv
            and i.short_en is not distinct from u.short_en
            and i.parent_id is not distinct from u.parent_id
            and i.kind = u.kind
            and i.org_kind is not distinct from u.org_kind then 'unchanged'
        else 'changed'
    end as status
from incoming as i
left join unit as u
    on u.id = i.id
order by i.row_number
