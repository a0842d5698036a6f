"""Who is here and how the app is set up: the sign-in and read-only settings (`st.secrets` and
the environment), the signed-in e-mail, the address the server listens on."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from vetopito import access


def _secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, KeyError, AttributeError):   # no secrets.toml at all
        return {}


def auth_settings() -> access.AuthSettings:
    """Sign-in, `auth.required` and read-only settings from `st.secrets` and the environment."""
    return access.settings_from(_secrets(), os.environ)


def signed_in_email() -> str:
    """The signed-in user's e-mail in lower case, or '' when nobody is signed in."""
    info = st.user
    if not info.get("is_logged_in"):
        return ""
    return str(info.get("email") or "").strip().lower()


def server_address() -> str | None:
    """The address Streamlit listens on (`server.address`; unset means every interface)."""
    return st.get_option("server.address")


def demo_refused(settings: access.AuthSettings) -> bool:
    try:
        access.check_exposure(settings, server_address())
    except access.AuthConfigError:
        return True
    return False
