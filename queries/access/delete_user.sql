-- Removes one user (revoke their grants first).
-- params: $email VARCHAR
delete from app_user
where email = lower(trim($email))
