"""core.build_cache: data built from the package's source is kept between processes and built anew when
any source changes; a cache that cannot be kept or read is no error."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from core import build_cache
from core.qa import lexicon


class Builder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"built": self.calls}


def test_kept_until_a_source_changes(tmp_path: Path) -> None:
    source = tmp_path / "words.py"
    source.write_text("WORDS = ('申请',)\n")
    build = Builder()
    assert build_cache.cached("words", [source], build, tmp_path) == {"built": 1}
    assert build_cache.cached("words", [source], build, tmp_path) == {"built": 1}
    assert build.calls == 1
    source.write_text("WORDS = ('申请', '复议')\n")
    assert build_cache.cached("words", [source], build, tmp_path) == {"built": 2}
    assert build_cache.cached("words", [source], build, tmp_path) == {"built": 2}


def test_a_damaged_cache_is_built_again(tmp_path: Path) -> None:
    source = tmp_path / "words.py"
    source.write_text("x = 1\n")
    build = Builder()
    build_cache.cached("words", [source], build, tmp_path)
    (tmp_path / "words.pickle").write_bytes(b"\x80\x05not a pickle")
    assert build_cache.cached("words", [source], build, tmp_path) == {"built": 2}


def test_a_folder_that_cannot_be_written_only_costs_the_build(tmp_path: Path) -> None:
    source = tmp_path / "words.py"
    source.write_text("x = 1\n")
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    build = Builder()
    assert build_cache.cached("words", [source], build, blocked / "cache") == {"built": 1}
    assert build_cache.cached("words", [source], build, blocked / "cache") == {"built": 2}


def test_the_kept_term_index_is_the_one_built_from_the_source() -> None:
    lexicon.index.cache_clear()
    kept = lexicon.index()
    assert kept == lexicon._build_index()
    assert ("予", "以", "公", "开") in kept.exact


def test_not_kept_when_a_loaded_module_changed_since(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process whose modules changed on disk after it read them (a deploy while the bot runs) builds from
    the old code: what it built is not kept under the new code's fingerprint."""
    source = tmp_path / "loaded_words.py"
    source.write_text("WORDS = ('申请',)\n")
    module = types.ModuleType("loaded_words")
    module.__file__ = str(source)
    monkeypatch.setitem(sys.modules, "loaded_words", module)
    monkeypatch.setattr(build_cache, "_LOADED_AT", source.stat().st_mtime - 1)
    build = Builder()
    build_cache.cached("words", [source], build, tmp_path)
    assert not (tmp_path / "words.pickle").exists()
    monkeypatch.setattr(build_cache, "_LOADED_AT", source.stat().st_mtime + 1)
    build_cache.cached("words", [source], build, tmp_path)
    assert (tmp_path / "words.pickle").exists()
