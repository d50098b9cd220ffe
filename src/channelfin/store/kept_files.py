"""Files a cold start reuses, kept beside the package's bytecode and written as Python writes it.

The kept dataclass methods (handlers/dataclass_code.py) and botocore's parsed data
(store/botocore_models.py): written where bytecode may be written (not under
PYTHONDONTWRITEBYTECODE, nor in Lambda's read-only package), whole or not at all, readable as
the modules are.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def kept_content(data: bytes, header: bytes) -> Any:
    """What a kept file holds (marshalled after `header`); None for another format's, or an
    unreadable one. Callers check the shape: nothing read is ever run."""
    if not data.startswith(header):
        return None
    with contextlib.suppress(EOFError, ValueError, TypeError):
        return marshal.loads(data[len(header) :])
    return None


def write_kept(path: Path, data: bytes) -> bool:
    """Replace `path` with `data`; False where it cannot be written (the next process does the work again)."""
    if sys.dont_write_bytecode:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".partial")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(partial, Path(__file__).stat().st_mode & 0o666)  # readable as the module is, as a .pyc
        os.replace(partial, path)  # whole or not at all, whoever else writes it meanwhile
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        return False
    return True
