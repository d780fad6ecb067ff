"""The file kept between preview and confirmation: stored by hash, read back only intact, purged when stale."""

from __future__ import annotations

import os
import time

import pytest

from samverkan.indicators import uploads
from samverkan.indicators.polisen import ImportFileError


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_stored_bytes_come_back_by_their_hash():
    sha = uploads.store(b"kommun;period;varde\n2418;2024;1\n")
    assert uploads.path(sha).read_bytes() == b"kommun;period;varde\n2418;2024;1\n"
    uploads.forget(sha)
    with pytest.raises(ImportFileError, match="finns inte längre"):
        uploads.path(sha)


@pytest.mark.parametrize("bad", ["../secret_key", "0" * 64 + "\n", "A" * 64, ""])
def test_a_malformed_hash_is_refused(bad):
    with pytest.raises(ImportFileError):
        uploads.path(bad)


def test_an_altered_file_is_refused():
    sha = uploads.store(b"a,b\n1,2\n")
    (uploads.uploads_dir() / sha).write_bytes(b"a,b\n1,3\n")
    with pytest.raises(ImportFileError):
        uploads.path(sha)


def test_an_abandoned_upload_is_removed_when_the_next_is_stored():
    old = uploads.store(b"old\n")
    day_ago = time.time() - uploads.KEEP_FOR.total_seconds() - 60
    os.utime(uploads.uploads_dir() / old, (day_ago, day_ago))
    recent = uploads.store(b"recent\n")
    assert not (uploads.uploads_dir() / old).exists()
    assert uploads.path(recent).read_bytes() == b"recent\n"
