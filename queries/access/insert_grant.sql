-- Grants a role over a scope (nothing happens if the grant exists).
-- params: $email VARCHAR, $role VARCHAR, $scope_kind VARCHAR, $scope_value VARCHAR, $by VARCHAR
insert into role_grant (email, role, scope_kind, scope_value, granted_by)
values (lower(trim($email)), $role, $scope_kind, $scope_value, $by)
on conflict do nothing
