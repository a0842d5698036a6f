-- Adds a user, or updates the display name of an existing one (a null name keeps the old one).
-- params: $email VARCHAR, $display_name VARCHAR, $by VARCHAR
merge into app_user as stored
using (
    select lower(trim($email)), $display_name, $by
) as given (email, display_name, created_by)
on stored.email = given.email
when matched then update set
    display_name = coalesce(given.display_name, stored.display_name)
when not matched then insert (email, display_name, created_by)
    values (given.email, given.display_name, given.created_by)
