-- Grants a role over a scope (nothing happens if the grant exists).
-- params: $email VARCHAR, $role VARCHAR, $scope_kind VARCHAR, $scope_value VARCHAR, $by VARCHAR
merge into role_grant as stored
using (
    select distinct lower(trim($email)), $role, $scope_kind, $scope_value, $by
) as given (email, "role", scope_kind, scope_value, granted_by)
on stored.email = given.email
    and stored."role" = given."role"
    and stored.scope_kind = given.scope_kind
    and stored.scope_value = given.scope_value
when not matched then insert (email, "role", scope_kind, scope_value, granted_by)
    values (given.email, given."role", given.scope_kind, given.scope_value, given.granted_by)
