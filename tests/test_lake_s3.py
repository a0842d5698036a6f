"""The lake's data path on S3 (issue 12): an S3-compatible server on loopback (moto in server mode,
a pinned test dependency), once through the whole cycle: init, a load, the page showing it, the
undo, the page showing it gone. On the lake only (`make test-lake`)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.apptest_helpers import app_test, tile_value
from vetopito import db, ingest

BUCKET = "vetovoima-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3(backend, tmp_path):
    """moto's S3 server on a free loopback port with one bucket: its endpoint URL."""
    if backend != "lake":
        pytest.skip("on the lake only: make test-lake")
    import boto3

    port = _free_port()
    log = (tmp_path / "moto.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((tmp_path / "moto.log").read_text()) from None
                time.sleep(0.1)
        boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                     region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _objects(endpoint: str) -> list[str]:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                          region_name="us-east-1")
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


VALUES = "indicator,unit,period,value\n" + "".join(
    f"t3_laakari,HVA15,2026-{m:02d},{20 + m}\n" for m in range(1, 11))


def test_load_page_and_undo_with_the_data_on_s3(s3, pg_cluster, app_env, monkeypatch):
    from vetopito import backend as store

    monkeypatch.setenv(store.DATA_PATH_VAR, f"s3://{BUCKET}/lake")
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", s3)):
        monkeypatch.setenv(name, value)
    lake = pg_cluster.lake(pg_cluster.create_database(pg_cluster.new_name("s3")))
    con = db.connect(lake)   # makes the lake: schema and reference data, its files on S3
    try:
        report = ingest.load(con, VALUES.encode(), file_name="t3.csv", user="analyst")
        assert report.committed, report.errors
    finally:
        con.close()
    assert any(key.startswith("lake/") and key.endswith(".parquet") for key in _objects(s3))

    app_env(lake)
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"}, timeout=900)  # S3 on a busy machine
    assert not at.exception
    assert tile_value(at) == "30 pv 10/2026"

    con = db.connect(lake)
    try:
        ingest.undo(con, report.load_id, user="analyst")
        assert db.key_problems(con).is_empty()
    finally:
        con.close()
    time.sleep(1.2)   # the app reads the data version at most once a second
    at.run()
    assert not at.exception
    assert tile_value(at) != "30 pv 10/2026"
