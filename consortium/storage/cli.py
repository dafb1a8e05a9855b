"""``flask storage migrate --to database|local``, ``flask storage verify`` and ``flask storage sweep``.

A migration moves one file per transaction, locked, and only after the bytes it read matched the
recorded checksum and the copy it wrote reads back the same; the row then names the new backend and
the old copy is removed (folder: once that committed). Run it again after an interruption: files
already in the target are skipped, so it is idempotent and resumes where it stopped. The site keeps
serving meanwhile, since every read goes to the backend the row names.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from consortium import transaction
from consortium.db import db
from consortium.storage import sweep
from consortium.storage.backends import BACKENDS
from consortium.storage.files import checksum, full_chunks, is_intact
from consortium.storage.models import Backend, StoredFile

storage_cli = AppGroup("storage", help="Stored files: move them between backends, check them, sweep strays.")


class Corrupted(Exception):
    """The bytes read do not match the checksum recorded when the file was stored."""


def move(file_id: int, target: Backend) -> str:
    """Move one file to ``target``; returns "moved", "skipped" (already there), "corrupted" or "missing"."""
    try:
        with transaction.writing(), transaction.action():
            stored = transaction.lock(StoredFile, file_id)
            if stored.backend == target:
                return "skipped"
            source = BACKENDS[stored.backend]
            digest = hashlib.sha256()

            def verified() -> Iterator[bytes]:
                with source.reader(stored) as reader:
                    for chunk in full_chunks(reader):
                        digest.update(chunk)
                        yield chunk
                if digest.hexdigest() != stored.sha256:
                    raise Corrupted  # rolls back: the copy written so far is removed

            BACKENDS[target].write(stored, verified())
            if checksum(BACKENDS[target].reader(stored, in_transaction=True)) != (stored.size, stored.sha256):
                raise Corrupted
            source.discard(stored)
            stored.backend = target
    except Corrupted:
        return "corrupted"
    except OSError:  # the file or one of its chunks is gone
        return "missing"
    except sa.exc.NoResultFound:
        return "skipped"  # deleted meanwhile
    return "moved"


@storage_cli.command("migrate")
@click.option("--to", "target", type=click.Choice([b.value for b in Backend]), required=True)
def migrate_command(target: str):
    """Move every stored file into the TO backend, checking each one's checksum."""
    ids = db.session.scalars(sa.select(StoredFile.id).order_by(StoredFile.id)).all()
    transaction.rollback()  # end the read: each move is a transaction of its own
    counts: Counter[str] = Counter()
    for file_id in ids:
        outcome = move(file_id, Backend(target))
        counts[outcome] += 1
        if outcome in ("corrupted", "missing"):
            click.echo(f"stored file {file_id}: {outcome}, left where it was", err=True)
    click.echo(
        f"{counts['moved']} moved to {target}, {counts['skipped']} already there, "
        f"{counts['corrupted']} corrupted, {counts['missing']} missing"
    )
    if counts["corrupted"] or counts["missing"]:
        raise SystemExit(1)


@storage_cli.command("verify")
def verify_command():
    """Read every stored file and compare it with its recorded size and checksum."""
    bad = 0
    total = 0
    for stored in db.session.scalars(sa.select(StoredFile).order_by(StoredFile.id)):
        total += 1
        if not is_intact(stored):
            bad += 1
            click.echo(f"stored file {stored.id} ({stored.key}): damaged or missing", err=True)
    click.echo(f"{total - bad} of {total} stored files intact")
    if bad:
        raise SystemExit(1)


@storage_cli.command("sweep")
@click.option("--delete", "delete_them", is_flag=True, help="Delete what is found (otherwise only list it).")
def sweep_command(delete_them: bool):
    """List the stored bytes no row references, older than an hour; delete them with --delete."""
    strays = [*sweep.stray_rows(), *sweep.stray_files()]
    transaction.rollback()  # end the read: each deletion is a transaction of its own
    deleted = 0
    for stray in strays:
        click.echo(stray.label)
        if delete_them and sweep.delete_stray(stray):
            deleted += 1
    size = sum(stray.size for stray in strays)
    if delete_them:
        click.echo(f"{deleted} of {len(strays)} unreferenced ({size} bytes) deleted")
    else:
        click.echo(f"{len(strays)} unreferenced ({size} bytes); run with --delete to delete them")
