"""The sign-in gate app.py runs before navigation: unsafe settings stop the app with a message,
a visitor gets the sign-in screen, a user without grants "no access", the demo mode its banner."""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time

import streamlit as st

from vetopito import access, i18n
from vetopito.ui.database import connection, stop_before_pages
from vetopito.ui.markup import md, t_md
from vetopito.ui.session import auth_settings, server_address, signed_in_email
from vetopito.ui.store import current_scope


@functools.cache
def _warn_demo_open(address: str) -> None:
    """Once per process, in the server log: the open demo mode is reachable from the network."""
    logging.getLogger("vetopito").warning(
        "OPEN DEMO MODE ON %s: no sign-in, every visitor gets every role (upload, undo, admin); "
        "started with %s=1 / --demo-open", address, access.ENV_DEMO_OPEN)


_SIGN_IN_WAIT_S = 15 * 60


@st.cache_resource(show_spinner=False)
def _sign_ins() -> tuple[threading.Lock, dict[str, float]]:
    """Browsers sent to the identity provider and not yet back signed in: browser key → when."""
    return threading.Lock(), {}


def _browser_key() -> str | None:
    """A key for this browser that survives the round trip to the identity provider (a new
    session): a digest of the token in Streamlit's XSRF cookie (kept across requests; on by
    force when sign-in is configured). None when there is none; then no failure is told."""
    raw = st.context.cookies.get("_streamlit_xsrf")
    if not raw:
        return None
    try:
        from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

        token, _ = decode_xsrf_token_string(raw)
    except Exception:   # an internal of Streamlit moved: sign-in works, only the failure note is lost
        return None
    return hashlib.blake2b(token, digest_size=16).hexdigest() if token else None


def _sign_in_starts() -> None:
    key = _browser_key()
    if key is None:
        return
    lock, started = _sign_ins()
    now = time.monotonic()
    with lock:
        for old in [k for k, at in started.items() if now - at > _SIGN_IN_WAIT_S or len(started) > 10_000]:
            del started[old]
        started[key] = now


def _sign_in_started(*, forget: bool) -> bool:
    """Did this browser leave for the identity provider in the last 15 minutes? Streamlit sends
    a failed sign-in (the provider refused, an answer for another client id, a denied consent)
    back to the start page as a visitor and only logs why; this lets the page say so."""
    key = _browser_key()
    if key is None:
        return False
    lock, started = _sign_ins()
    with lock:
        at = started.pop(key, None) if forget else started.get(key)
    return at is not None and time.monotonic() - at <= _SIGN_IN_WAIT_S


def auth_gate() -> access.Scope:
    """Run from app.py before navigation: stop with a clear message on unsafe settings (a switch
    with an unknown value, sign-in required without a provider, the demo mode on a non-loopback
    address without the override), show the sign-in screen to a visitor, "no access" to a user
    without grants, and the demo-mode banner."""
    address = server_address()
    try:
        settings = access.check_startup(auth_settings())
        exposed = access.check_exposure(settings, address)
    except access.AuthConfigError as exc:
        fields = {k: md(str(v)) for k, v in exc.fields.items()}
        st.error(i18n.t(exc.key, **fields), icon=":material/lock:")
        stop_before_pages()
    if settings.read_only:
        st.info(i18n.t("auth.read_only_banner"), icon=":material/lock:")
    if settings.demo_mode:
        if exposed:
            _warn_demo_open(str(address or "*"))
            st.error(i18n.t("auth.demo_open_banner", address=md(str(address or "*")),
                            override=access.ENV_DEMO_OPEN), icon=":material/warning:")
        st.warning(i18n.t("auth.demo_mode_banner"), icon=":material/lock_open:")
        return current_scope()
    if not st.user.get("is_logged_in"):
        st.title(i18n.t("auth.sign_in.title"))
        if _sign_in_started(forget=True):   # back from the provider, but not signed in
            st.error(i18n.t("auth.sign_in.failed"), icon=":material/error:")
        st.write(i18n.t("auth.sign_in.intro"))
        for provider in settings.providers:
            label = (i18n.t("auth.sign_in.button_named", provider=provider.capitalize()) if provider
                     else i18n.t("auth.sign_in.button"))
            if st.button(label, key=f"w_login_{provider or 'default'}", type="primary"):
                _sign_in_starts()
                st.login(provider or None)
        stop_before_pages()
    _sign_in_started(forget=True)
    email = signed_in_email()
    name = st.user.get("name") or email
    st.sidebar.caption(t_md("auth.signed_in_as", name=name))
    if st.sidebar.button(i18n.t("auth.sign_out"), key="w_logout"):
        st.logout()
    if not email:
        st.error(i18n.t("auth.no_email"))
        stop_before_pages()
    scope = current_scope()
    if not settings.read_only and st.session_state.get("s_auth_recorded") != email:
        with connection().cursor() as cur:
            access.record_sign_in(cur, email, scope.roles)
        st.session_state["s_auth_recorded"] = email
    if not scope.roles:
        st.error(t_md("auth.no_access", email=email), icon=":material/block:")
        stop_before_pages()
    st.sidebar.caption(i18n.t("auth.roles_line", roles=", ".join(
        i18n.t(f"auth.role.{r}") for r in access.ROLES if r in scope.roles)))
    return scope
