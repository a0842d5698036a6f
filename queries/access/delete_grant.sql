-- Revokes one grant.
-- params: $email VARCHAR, $role VARCHAR, $scope_kind VARCHAR, $scope_value VARCHAR
delete from role_grant
where email = lower(trim($email))
    and role = $role
    and scope_kind = $scope_kind
    and scope_value = $scope_value
