-- Adds a user, or updates the display name of an existing one (a null name keeps the old one).
-- params: $email VARCHAR, $display_name VARCHAR, $by VARCHAR
insert into app_user (email, display_name, created_by)
values (lower(trim($email)), $display_name, $by)
on conflict (email) do update
set display_name = coalesce(excluded.display_name, app_user.display_name)
