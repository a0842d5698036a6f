-- Records one change in the audit log under the id `$id` (vetopito.db.next_ids).
-- params: $id INTEGER, $user_name VARCHAR, $action VARCHAR, $target VARCHAR, $detail VARCHAR
insert into audit_event (id, user_name, action, target, detail)
values ($id, $user_name, $action, $target, $detail)
