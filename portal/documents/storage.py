"""Files of document versions under instance/documents, named by a random key, never by the
name the person gave.

An upload is streamed to a temporary file in the same folder tree (hashing and counting as it
goes) and renamed into place only when it is accepted. A file kept in a transaction that then
rolls back is removed again, and files of purged versions are removed only once the purge has
committed, so the database and the folder never disagree about a half-stored upload."""

import hashlib
import logging
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from portal.core import after_commit

log = logging.getLogger(__name__)

KEY = re.compile(r"[0-9a-f]{40}")
NEW_FILES = "documents_new_files"
DOOMED_FILES = "documents_doomed_files"
CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The upload passed DOCUMENT_MAX_BYTES; nothing of it is kept."""


@dataclass
class Received:
    path: Path
    size: int
    sha256: str
    mime_type: str = ""  # set once the content is sniffed


def root() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "documents"


def path_of(key: str) -> Path:
    if not KEY.fullmatch(key):
        raise ValueError(f"not a storage key: {key!r}")
    return root() / key[:2] / key[2:]


def receive(stream, max_bytes: int) -> Received:
    """Copy the upload to a temporary file, with its size and sha256."""
    folder = root() / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix="upload-")
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Received(Path(name), size, digest.hexdigest())


def discard(received: Received) -> None:
    received.path.unlink(missing_ok=True)


def keep(session: Session, received: Received) -> str:
    """Move the file into place under a new key; removed again if the transaction rolls back."""
    key = secrets.token_hex(20)
    target = path_of(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(received.path, target)
    after_commit.remember(NEW_FILES, target, session=session)
    return key


def remove_after_commit(session: Session, keys) -> None:
    after_commit.remember(DOOMED_FILES, *(path_of(key) for key in keys), session=session)


def register_commit_hooks() -> None:
    """A file kept in a transaction stays if it commits and goes if it rolls back; a file to
    remove goes only once the transaction has committed (portal/core/after_commit.py)."""
    after_commit.on_commit(NEW_FILES, None, on_rollback=_unlink_all)
    after_commit.on_commit(DOOMED_FILES, _unlink_all)


def _unlink_all(session: Session, paths: list[Path]) -> None:
    for path in paths:
        _unlink(path)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("Could not remove document file %s: %s", path, error)
