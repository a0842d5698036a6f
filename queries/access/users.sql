-- Every user with each of their grants (one row per grant; a user with none has one row of nulls).
-- params: (none)
select
    u.email,
    u.display_name,
    g.role,
    g.scope_kind,
    g.scope_value,
    g.granted_at,
    g.granted_by
from app_user as u
left join role_grant as g
    on g.email = u.email
order by u.email, g.role, g.scope_kind, g.scope_value
