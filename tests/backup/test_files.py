"""The pieces without a database: the libpq connection string, file kinds, sizes."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from mediation.backup import postgres
from mediation.backup.files import file_kind, human_size


def test_the_password_goes_to_the_environment_never_to_the_command_line():
    url = make_url("postgresql+psycopg://med:pa ss'wd@db.example:6543/mediation?sslmode=require")
    info = postgres.conninfo(url)
    assert "pa ss" not in info
    assert info == "dbname='mediation' host='db.example' port='6543' user='med' sslmode='require'"
    assert postgres.environment(url)["PGPASSWORD"] == "pa ss'wd"


def test_a_unix_socket_url_passes_its_host_through():
    info = postgres.conninfo(make_url("postgresql+psycopg:///mediation?host=/run/postgresql"))
    assert info == "dbname='mediation' host='/run/postgresql'"


def test_file_kinds_by_their_first_bytes(tmp_path):
    (tmp_path / "a").write_bytes(b"SQLite format 3\x00" + bytes(84))
    (tmp_path / "b").write_bytes(b"PGDMP\x01\x0e\x00")
    (tmp_path / "c").write_bytes(b"")
    assert [file_kind(tmp_path / name) for name in "abc"] == ["sqlite", "postgresql", None]


def test_human_sizes():
    assert [human_size(n) for n in (12, 2048, 5 * 1024 * 1024)] == ["12 bytes", "2.0 KiB", "5.0 MiB"]
