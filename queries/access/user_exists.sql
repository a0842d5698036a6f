-- How many users have this e-mail (0 or 1).
-- params: $email VARCHAR
select count(*)::integer as n
from app_user
where email = lower(trim($email))
