"""The page layer: the only part of the library that imports Streamlit, one module per job.
Pages import the module whose job they need (`from vetopito.ui import store, urls`) and call
`store.query(...)`, `urls.url_choice(...)`; the library below (`regions`, `teams`, `ingest`, …)
never imports this package.

- `markup` — texts from data or a user escaped for every element that renders markdown;
- `session` — the sign-in and read-only settings, the signed-in e-mail, the server's address;
- `database` — the one connection, `database_gate` and `database_guard` (database trouble → its page);
- `store` — cached reads for the current user: data version, scope, `query`, `cached_build`;
- `urls` — checked URL parameters and the filter state that survives page switches;
- `widgets` — the language switch, Streamlit's own texts translated, contrast CSS, chart text
  alternatives, region and YTA picker labels;
- `signin` — the sign-in gate app.py runs before navigation;
- `frame` — the demo banner, the sidebar navigation, links and buttons between pages, alias pages,
  presentation notes;
- `team_views` — the coach's cached team reports, charts and slides;
- `uploads` — the upload page's check and load, held in the session.
"""
