-- Records one change in the audit log.
-- params: $user_name VARCHAR, $action VARCHAR, $target VARCHAR, $detail VARCHAR
insert into audit_event (user_name, action, target, detail)
values ($user_name, $action, $target, $detail)
