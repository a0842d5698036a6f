-- Revokes every grant of one user.
-- params: $email VARCHAR
delete from role_grant
where email = lower(trim($email))
