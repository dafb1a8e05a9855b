"""Two server processes saving and reading different files at the same moment, on either backend."""

from __future__ import annotations

import hashlib
import io
import random

import sqlalchemy as sa

from consortium import storage, transaction
from consortium.storage import CHUNK, StoredFile
from tests.race import process_context

ROUNDS = 6
TIMEOUT = 120


def _work(overrides: dict, index: int, shared_id: int, barrier, results) -> None:
    from consortium.app import create_app
    from consortium.db import db
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, **overrides})
    try:
        with app.app_context():
            rng = random.Random(index)
            saved = []
            barrier.wait(timeout=TIMEOUT)
            for round_ in range(ROUNDS):
                data = rng.randbytes(CHUNK + 1000 * index + round_)
                with transaction.writing(), transaction.action():
                    stored = storage.save(io.BytesIO(data), f"p{index}-{round_}.bin", "application/pdf")
                saved.append((stored.id, hashlib.sha256(data).hexdigest()))
                # read the file everyone shares while the other process writes its own
                assert storage.is_intact(db.session.get(StoredFile, shared_id))
                db.session.rollback()
            for file_id, digest in saved:
                stored = db.session.get(StoredFile, file_id)
                assert storage.checksum(storage.open(stored))[1] == digest
            db.session.rollback()
            db.engine.dispose()
        results.put(saved)
    except Exception as error:
        results.put(repr(error))


def test_two_processes_save_and_read_different_files_at_once(app, db, backend, store):
    shared = store(random.Random(9).randbytes(3 * CHUNK), "shared.pdf")
    overrides = {
        key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER", "STORAGE_BACKEND")
    }
    db.session.commit()
    context = process_context()
    barrier, results = context.Barrier(2), context.Queue()
    processes = [
        context.Process(target=_work, args=(overrides, index, shared.id, barrier, results))
        for index in range(2)
    ]
    for process in processes:
        process.start()
    answers = [results.get(timeout=TIMEOUT) for _ in processes]
    for process in processes:
        process.join(timeout=TIMEOUT)
    assert all(isinstance(answer, list) for answer in answers), answers
    expected = dict(pair for answer in answers for pair in answer)
    db.session.rollback()  # read what the processes committed, not this test's older snapshot
    rows = db.session.scalars(sa.select(StoredFile).where(StoredFile.id != shared.id)).all()
    assert {row.id: row.sha256 for row in rows} == expected and len(expected) == 2 * ROUNDS
    assert all(storage.is_intact(row) for row in rows)
