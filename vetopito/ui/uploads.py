"""The upload page's check and load of a file, held in the session while nothing changes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

from vetopito import access, i18n
from vetopito.ui.database import connection
from vetopito.ui.store import clear_caches, data_version, scope_digest


def checked_upload(upload, options, scope: access.Scope, progress) -> tuple[Any, Any]:
    """The loader's check of an uploaded file (`st.file_uploader`'s) and its table of changes, kept
    in the session while the upload, the options, the user's scope, the language and the data
    stay the same: choosing a filter reruns the page, and a large file (1 000 000 rows) should not
    be copied, read and planned again each time. `progress(fraction, text)` is called only when
    the check runs."""
    from vetopito import ingest
    from vetopito.ingest import report_view as present
    from vetopito.ingest.result import empty_changes

    key = _upload_key(upload, options, scope, data_version())
    held = st.session_state.get("_upload_checked")
    if held is None or held[0] != key:
        report = ingest.check(connection(), upload.getvalue(), file_name=upload.name, options=options, scope=scope,
                              progress=progress, surface="page")
        view = present.changes_view(report, con=connection()) if report.ok() and not report.already_loaded else None
        # the page shows the view, not the plan it was made from: the session keeps one of them
        # (for 1 000 000 rows the plan is 74 MB, the view 88 MB)
        report = replace(report, changes=empty_changes())
        held = st.session_state["_upload_checked"] = (key, report, view)
    else:
        progress(1.0, i18n.t("ingest.progress.done"))
    return held[1], held[2]


def may_commit(scope: access.Scope, report) -> bool:
    """Whether the page offers to save a checked file: a loader's, or a coach's aims file of their
    own team (its rows were checked against `Scope.measure_team_ids`: `ingest.teams.parse_aims`)."""
    return scope.can_load or (report.detected.get("format") == "aims" and bool(scope.measure_team_ids))


def _upload_key(upload, options, scope: access.Scope, version: int) -> tuple:
    return (upload.file_id, upload.name, repr(options), scope_digest(scope), scope.can_load, i18n.get_language(),
            version)


def load_upload(upload, options, scope: access.Scope, progress) -> Any:
    """Load the uploaded file (the loader checks it again, under its write lock) and return its report.

    Memory: the held check and its table of changes are let go first (the load makes its own), and
    after a commit the page does not check the file a second time to learn that every value is now
    stored (for 1 000 000 rows that check joins the file to the million values just written, the
    largest step of an upload): the held check becomes what that check would say, keyed by the
    data version the commit made (read in its transaction), so that any later write, by this
    process or another on a lake, makes the page check the file again."""
    from vetopito import ingest
    from vetopito.ingest.cycle import WRITE_LOCK
    from vetopito.ingest.result import empty_changes

    forget_upload(mappings=False)
    st.session_state.pop("catalog_form_back", None)  # the way back is walked: the file is being loaded
    with WRITE_LOCK:
        done = ingest.load(connection(), upload.getvalue(), file_name=upload.name, options=options,
                           user=scope.user or "app", scope=scope, progress=progress, surface="page")
        version = done.data_version if done.committed else None   # the commit's own, even on a lake
    if version is not None:
        clear_caches()
        counts = dict(done.counts)
        stored = counts["new"] + counts["changed"] + counts["unchanged"]
        counts.update(new=0, changed=0, unchanged=stored)
        same = i18n.t("ingest.note.same_file", load_id=done.load_id, file=upload.name)
        report = replace(done, counts=counts, changes=empty_changes(), load_id=None, committed=False,
                         already_loaded=True, notes=[*done.notes, same])
        st.session_state["_upload_checked"] = (_upload_key(upload, options, scope, version), report, None)
    return done


def forget_upload(*, mappings: bool = True) -> None:
    """Drop the held check when the file is removed from the uploader (a large one holds its plan),
    and the names mapped for it (kept by a load: the page then checks the same file, mapped)."""
    st.session_state.pop("_upload_checked", None)
    if mappings:
        st.session_state.pop("_upload_mappings", None)


def upload_mappings(upload, options):
    """`options` with the indicator names the user mapped for this uploaded file on the page
    (`remember_mappings`); a new file starts with none."""
    held = st.session_state.get("_upload_mappings")
    if held is None or held[0] != upload.file_id:
        st.session_state.pop("_upload_mappings", None)
        return options
    return replace(options, map_indicator=tuple(held[1].items()))


def remember_mappings(upload, unknown: list[dict]) -> None:
    """Keep the indicator chosen in each select `upload_map_<n>` for the unknown names of
    `unknown` (`Report.unknown_indicators`, in the order the page drew them), beside the names
    mapped before, for this uploaded file."""
    held = st.session_state.get("_upload_mappings")
    pairs = dict(held[1]) if held is not None and held[0] == upload.file_id else {}
    for number, name in enumerate(u["name"] for u in unknown):
        chosen = st.session_state.get(f"upload_map_{number}")
        if chosen:
            pairs[name] = chosen
    st.session_state["_upload_mappings"] = (upload.file_id, pairs)


@dataclass(frozen=True)
class HeldFile:
    """An uploaded file the session keeps while its user adds, on the catalogue page, the indicator
    one of its names needs (the uploader forgets its file when the page is left): the upload page
    goes on with it, as `st.file_uploader`'s file (`name`, `file_id`, `getvalue`)."""

    name: str
    file_id: str
    data: bytes = field(repr=False)
    unknown: tuple[str, ...] = ()

    def getvalue(self) -> bytes:
        return self.data


def hold_for_new_indicator(upload, unknown: list[dict]) -> None:
    """Keep `upload` (a file with names no indicator has: `Report.unknown_indicators`) for the way
    back from the catalogue page's "new indicator" link."""
    held = st.session_state.get("_upload_pending")
    names = tuple(u["name"] for u in unknown)
    if held is None or held.file_id != upload.file_id or held.unknown != names:
        st.session_state["_upload_pending"] = HeldFile(upload.name, upload.file_id, upload.getvalue(), names)


def pending_upload() -> HeldFile | None:
    """The file held for the way back (`hold_for_new_indicator`), if any."""
    return st.session_state.get("_upload_pending")


def drop_pending() -> None:
    st.session_state.pop("_upload_pending", None)
    st.session_state.pop("_upload_resume", None)
    st.session_state.pop("catalog_form_back", None)  # the catalogue page's way back goes with it


def resumed_upload() -> HeldFile | None:
    """The held file when the uploader is empty because its user went to the catalogue page's new
    indicator form (`mark_resume`) and came back; otherwise the uploader was emptied on the upload
    page itself, and the held file goes too."""
    held = pending_upload()
    if held is not None and st.session_state.get("_upload_resume") == held.file_id:
        return held
    drop_pending()
    return None


def uploaded_again() -> None:
    """A file in the uploader: the way back ends (the held one, if the same, is held again)."""
    st.session_state.pop("_upload_resume", None)


def mark_resume(held: HeldFile) -> None:
    """The catalogue page opened for the held file's unknown name: the upload page, reached again,
    goes on with the held file."""
    st.session_state["_upload_resume"] = held.file_id


def pending_for(name: str | None) -> HeldFile | None:
    """The held file when it has the unknown name `name` (the catalogue page's `?new_indicator=`)."""
    held = pending_upload()
    return held if held is not None and name is not None and name in held.unknown else None


def map_pending(name: str, indicator_id: str) -> None:
    """After the catalogue page saved `indicator_id` for the held file's unknown `name`: the upload
    page checks the file with `name` mapped to it (`upload_mappings`), nothing to choose again."""
    held = pending_for(name)
    if held is None:
        return
    mapped = st.session_state.get("_upload_mappings")
    pairs = dict(mapped[1]) if mapped is not None and mapped[0] == held.file_id else {}
    pairs[name] = indicator_id
    st.session_state["_upload_mappings"] = (held.file_id, pairs)
