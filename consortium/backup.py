"""Backups: ``flask backup create`` writes an archive; ``flask backup restore`` loads it into an empty one.

An archive is a tar file with
- ``database.dump`` (PostgreSQL: ``pg_dump`` in its custom format) or ``database.sqlite`` (SQLite: a copy
  made with SQLite's online backup API), each consistent while the site keeps running;
- ``files/<key>``: the bytes of every stored file kept in the folder (``consortium.storage``'s local
  backend), checked against their recorded SHA-256 while they are archived; files kept in the database
  are in the dump already;
- ``manifest.json``: when and from which kind of database, each table's row count as the dump saw it, and
  every stored file's key and SHA-256, whichever backend holds it.
A restore refuses a database that already has tables, and before it says it is done checks every count
against the manifest and reads every stored file back (from the folder or the database) to compare its
checksum, so a backup is known to restore, not hoped to.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from consortium import transaction
from consortium.db import db, utcnow
from consortium.storage import Backend, StoredFile, is_intact

backup_cli = AppGroup("backup", help="Create and restore backups of the database and stored files.")


class BackupError(click.ClickException):
    pass


@dataclass
class Outcome:
    path: Path
    tables: int
    rows: int
    files: int
    seconds: float


def _libpq_url(url: sa.engine.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _table_counts(connection) -> dict[str, int]:
    names = sa.inspect(connection).get_table_names()
    return {
        name: connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
        for name in sorted(names)
    }


def _stored_files(connection) -> dict[str, tuple[str, str]]:
    """key -> (backend, SHA-256) of every stored file, as the dump's snapshot has them."""
    rows = connection.execute(sa.select(StoredFile.key, StoredFile.backend, StoredFile.sha256))
    return {key: (str(backend), sha256) for key, backend, sha256 in rows}


class _Hashing:
    """A file read by tarfile, hashed on the way."""

    def __init__(self, stream):
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size=-1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _archive_files(archive: tarfile.TarFile, folder: Path, files: dict[str, tuple[str, str]]) -> None:
    problems = []
    for key, (backend, sha256) in files.items():
        if backend != Backend.LOCAL:
            continue
        path = folder / key
        try:
            with path.open("rb") as stream:
                member = archive.gettarinfo(fileobj=stream, arcname=f"files/{key}")
                hashing = _Hashing(stream)
                archive.addfile(member, hashing)
        except FileNotFoundError:
            problems.append(f"{key}: missing")
            continue
        if hashing.digest.hexdigest() != sha256:
            problems.append(f"{key}: checksum differs")
    if problems:
        raise BackupError(
            "Stored files do not match their records (deleted meanwhile? run the backup again; "
            "`flask storage verify` checks them all): " + "; ".join(problems)
        )


def create(output: Path) -> Outcome:
    started = time.monotonic()
    url = db.engine.url
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        work_dir = Path(work)
        if url.get_backend_name() == "postgresql":
            dump = work_dir / "database.dump"
            counts, files = _dump_postgresql(url, dump)
        else:
            dump = work_dir / "database.sqlite"
            _copy_sqlite(Path(url.database), dump)
            engine = sa.create_engine(f"sqlite:///{dump}", poolclass=sa.pool.NullPool)
            with engine.connect() as connection:
                counts, files = _table_counts(connection), _stored_files(connection)
            engine.dispose()
        manifest = {
            "created_at": utcnow().isoformat(),
            "database": url.get_backend_name(),
            "tables": counts,
            "files": {key: sha256 for key, (_backend, sha256) in files.items()},
        }
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".part")
        try:
            with tarfile.open(partial, "w") as archive:
                archive.add(work_dir / "manifest.json", "manifest.json")
                archive.add(dump, dump.name)
                _archive_files(archive, folder, files)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(output)  # a half-written archive never carries the final name
    return Outcome(output, len(counts), sum(counts.values()), len(files), time.monotonic() - started)


def _dump_postgresql(url: sa.engine.URL, target: Path) -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
    """pg_dump, the row counts and the stored files, read from one exported snapshot: the same moment."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
        counts, files = _table_counts(connection), _stored_files(connection)
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", _libpq_url(url)])
    engine.dispose()
    return counts, files


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (fixed tools)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def restore(archive_path: Path) -> Outcome:
    started = time.monotonic()
    url = db.engine.url
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    with db.engine.connect() as connection:
        if sa.inspect(connection).get_table_names():
            raise BackupError("The database is not empty: restore into a new, empty database.")
    db.engine.dispose()
    with tempfile.TemporaryDirectory(prefix="restore-") as work, tarfile.open(archive_path) as archive:
        archive.extractall(work, filter="data")
        work_dir = Path(work)
        manifest = json.loads((work_dir / "manifest.json").read_text())
        if manifest["database"] != url.get_backend_name():
            raise BackupError(f"This backup is of a {manifest['database']} database.")
        if url.get_backend_name() == "postgresql":
            # --clean --if-exists: the empty target still has the public schema the dump creates.
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--clean",
                    "--if-exists",
                    f"--dbname={_libpq_url(url)}",
                    str(work_dir / "database.dump"),
                ]
            )
        else:
            _copy_sqlite(work_dir / "database.sqlite", Path(url.database))
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("files/"):
                destination = folder / member.name.removeprefix("files/")
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(work_dir / member.name, destination)
    with db.engine.connect() as connection:
        counts = _table_counts(connection)
    problems = [
        f"table {t}: {counts.get(t)} rows, expected {n}"
        for t, n in manifest["tables"].items()
        if counts.get(t) != n
    ]
    problems += _file_problems(manifest["files"])
    if problems:
        raise BackupError("The restored copy does not match the backup: " + "; ".join(problems))
    return Outcome(
        archive_path, len(counts), sum(counts.values()), len(manifest["files"]), time.monotonic() - started
    )


def _file_problems(expected: dict[str, str]) -> list[str]:
    """Every stored file read back from wherever the restored rows say it is, against the manifest."""
    problems = []
    found = {}
    for stored in db.session.scalars(sa.select(StoredFile)):
        found[stored.key] = stored.sha256
        if expected.get(stored.key) != stored.sha256 or not is_intact(stored):
            problems.append(f"file {stored.key}: checksum differs")
    problems += [f"file {key}: missing" for key in expected.keys() - found.keys()]
    transaction.rollback()  # end the read
    return problems


@backup_cli.command("create")
@click.option("--output", type=click.Path(path_type=Path), help="Defaults to instance/backups/<time>.tar")
def create_command(output: Path | None):
    """Write a consistent backup of the database and every stored file."""
    output = output or Path(current_app.instance_path) / "backups" / f"{utcnow():%Y%m%d-%H%M%S}.tar"
    outcome = create(output)
    click.echo(
        f"Backup {outcome.path}: {outcome.tables} tables, {outcome.rows} rows, "
        f"{outcome.files} files in {outcome.seconds:.1f} s"
    )


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(archive: Path):
    """Load a backup into the configured (empty) database and upload folder, and verify it."""
    outcome = restore(archive)
    click.echo(
        f"Restored and verified {outcome.tables} tables, {outcome.rows} rows, "
        f"{outcome.files} files in {outcome.seconds:.1f} s"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_cli)
