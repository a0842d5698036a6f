-- The role grants of one user (role, scope kind, scope value), empty for an unknown user.
-- params: $email VARCHAR
select
    role,
    scope_kind,
    scope_value
from role_grant
where email = lower(trim($email))
order by role, scope_kind, scope_value
