"""Data a process builds from the package's own code, kept between processes like Python's bytecode.

The question reader's term index takes 40–60 ms to build, most of a one-shot ``nianbao ask`` after its
imports. It depends only on the package's source, so it is pickled next to the bytecode
(``core/__pycache__``) under a fingerprint of every source file it may depend on: any change to them, or
another Python, builds it anew. Where that directory cannot be written the data is simply built each time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
_LOADED_AT = time.time()  # about when this process read the package's modules


def fingerprint(sources: Iterable[Path]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(sources):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(name: str, sources: Iterable[Path], build: Callable[[], T], folder: Path = PACKAGE / "__pycache__") -> T:
    """``build()``, or what it returned in an earlier process when ``sources`` are unchanged."""
    key = fingerprint(sources)
    path = folder / f"{name}.pickle"
    try:
        with path.open("rb") as f:
            stored_key, value = pickle.load(f)
        if stored_key == key:
            return value
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        pass  # none yet, or written by other code: build it
    value = build()
    if _changed_since_loaded(sources):
        # this process built it from modules it read before they changed: kept, it would outlive them
        # under the new sources' fingerprint (a deploy while a bot runs, an edit during a test run)
        return value
    try:
        import tempfile  # only when writing: it costs a one-shot command 10 ms to import

        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as f:
            pickle.dump((key, value), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)  # as bytecode is: readable by whoever runs the package
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except OSError as e:
        log.debug("Not keeping %s: %s", name, e)
    return value


def _changed_since_loaded(sources: Iterable[Path]) -> bool:
    loaded = {
        Path(f).resolve()
        for m in list(sys.modules.values())
        if isinstance(f := getattr(m, "__file__", None), str)
    }
    return any(p.resolve() in loaded and p.stat().st_mtime > _LOADED_AT for p in sources)
