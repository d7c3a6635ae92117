"""Keyed pseudonyms for personal data (a staff member's name in LinkedIn's `Posted by`).

A pseudonym is HMAC-SHA-256(key, normalised text), as 64 lowercase hex digits. Unlike
a plain hash, nobody can recompute it from the staff list without the key, and the
same name gets the same pseudonym under one key, so posts still group by author.

The key is, in this order:
1. `SOCIAL_WAREHOUSE_PSEUDONYM_KEY` (at least 32 characters), or
2. the key file `SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE` (default
   `$XDG_CONFIG_HOME/social-warehouse/pseudonym.key`, i.e. outside the repository),
   created by `social-warehouse key init` with owner-only permissions (0600).

There is no built-in key: without one, the ingest refuses to run (`MissingKey`), and
`social-warehouse run` exits with EX_CONFIG (78), saying how to create one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from social_warehouse import settings

MIN_KEY_CHARS = 32
EXIT_NO_KEY = 78  # EX_CONFIG (sysexits.h): a configuration error


class MissingKey(Exception):
    """No usable pseudonym key; the message says how to create one."""


def default_key_file() -> Path:
    """`SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE`, else the per-user configuration folder."""
    chosen = settings.text("SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE")
    if chosen:
        return Path(chosen).expanduser()
    config = settings.text("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "social-warehouse" / "pseudonym.key"


HOW_TO = (
    "create one with `social-warehouse key init` (writes {file} with owner-only "
    "permissions), or set SOCIAL_WAREHOUSE_PSEUDONYM_KEY to a secret of at least "
    f"{MIN_KEY_CHARS} characters. Keep the same key for every run: a new key gives every "
    "person a new pseudonym."
)


def load_key() -> bytes:
    """The key as bytes; MissingKey when none is set, too short, or readable by others."""
    from_env = settings.text("SOCIAL_WAREHOUSE_PSEUDONYM_KEY")
    file = default_key_file()
    if from_env:
        if len(from_env.strip()) < MIN_KEY_CHARS:
            raise MissingKey(
                f"SOCIAL_WAREHOUSE_PSEUDONYM_KEY is shorter than {MIN_KEY_CHARS} characters; "
                + HOW_TO.format(file=file)
            )
        return from_env.strip().encode("utf-8")
    if not file.is_file():
        raise MissingKey(
            "no pseudonym key: personal data (staff names) cannot be pseudonymised; "
            + HOW_TO.format(file=file)
        )
    mode = stat.S_IMODE(file.stat().st_mode)
    if mode & 0o077:
        raise MissingKey(
            f"the pseudonym key file {file} can be read by others (mode {mode:o}); "
            f"run `chmod 600 {file}`"
        )
    key = file.read_text(encoding="utf-8").strip()
    if len(key) < MIN_KEY_CHARS:
        raise MissingKey(
            f"the pseudonym key in {file} is shorter than {MIN_KEY_CHARS} characters; "
            + HOW_TO.format(file=file)
        )
    return key.encode("utf-8")


def create_key(file: Path | None = None) -> tuple[Path, bool]:
    """Write a new random key to `file` (default: default_key_file()) unless one exists.

    Returns (path, created). The folder is created 0700 and the file 0600, opened with
    O_EXCL so an existing key is never overwritten."""
    file = file or default_key_file()
    if file.exists():
        return file, False
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    os.chmod(file, 0o600)  # whatever the umask
    return file, True


def normalise(text: str) -> str:
    """The same person written with other spaces or case is the same person."""
    return " ".join(str(text).split()).casefold()


class Pseudonymiser:
    """Replaces personal values by their keyed pseudonym; blank stays blank."""

    def __init__(self, key: bytes):
        self._key = key
        # an identifier of the key that reveals nothing about it: raw data written
        # under another key is read again (its pseudonyms would not match)
        self.key_id = hmac.new(key, b"social-warehouse key id", hashlib.sha256).hexdigest()[:16]

    def __call__(self, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return value
        return hmac.new(self._key, normalise(value).encode("utf-8"), hashlib.sha256).hexdigest()

    def __reduce__(self):  # sent to ingest worker processes
        return (Pseudonymiser, (self._key,))

    def __repr__(self) -> str:  # never the key itself
        return f"Pseudonymiser(key_id={self.key_id})"


def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(load_key())
