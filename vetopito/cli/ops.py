"""`vetopito maintain`: the store's upkeep, for the operator of a shared lake (docs/deploy.md)."""

from __future__ import annotations

import json

import click

from vetopito import db, maintain
from vetopito.cli.common import Command, db_option, json_option


@click.command("maintain", cls=Command,
               help="the store's upkeep, step by step with what each did and cost: on a lake flush inlined "
                    "rows, expire old snapshots, rewrite thinned files, merge small files, delete files no "
                    "snapshot needs; on the embedded file a checkpoint",
               short_help="expire old snapshots and merge small files of a lake (a file: checkpoint)")
@db_option
@click.option("--keep-days", type=int, default=maintain.KEEP_DAYS, show_default=True,
              help="keep the snapshots of the last this many days (time travel, undo needs none)")
@click.option("--grace-hours", type=int, default=maintain.GRACE_HOURS, show_default=True,
              help="delete a file only this long after it was let go (a running query may still read it)")
@json_option("say what each step did as one JSON object")
def maintain_command(db_path: str | None, keep_days: int, grace_hours: int, as_json: bool) -> int:
    con = db.connect(db_path, create=False)
    try:
        result = maintain.maintain(con, keep_days=keep_days, grace_hours=grace_hours)
    finally:
        con.close()
    print(json.dumps({"ok": True, **result.as_dict()}, ensure_ascii=False) if as_json
          else maintain.format_maintenance(result))
    return 0
