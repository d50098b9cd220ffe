"""Compiled dataclass methods, kept between processes the way Python keeps modules' bytecode.

`@dataclass` writes each class's `__init__`, `__repr__`, `__eq__` (and more when frozen) as
source text and compiles it, in every process. The GraphQL handler's cold path compiles 1,481
such functions (513 KB of source: Strawberry's types are dataclasses, and so are our domain's
and some libraries'), which took 85 ms of a 563 ms cold start. The same text compiles to the
same code, so the code objects are kept in a file beside the package's bytecode, keyed by their
exact source: a class whose text differs (another Python, another library version, an edited
field) is compiled as before. 15 interleaved fresh interpreters: 557.7 → 477.1 ms.

The file is written where it can be (like `__pycache__`): the first cold start of a checkout, or
infra/package.py for a Lambda zip, whose package is read-only once deployed.

Fenced, because it goes under a public API: `dataclasses` compiles with the builtin `exec`
looked up in its module's namespace (`_create_fn` up to Python 3.12, `_FuncBuilder` from 3.13),
and `install` puts a caching `exec` there. tests/unit/test_dataclass_code.py checks on the
running Python that the classes go through it and come out the same; tests/unit/test_packages.py
that the GraphQL zip's file covers its cold path on Lambda's Python.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

CACHE = Path(__file__).with_name("__pycache__") / f"dataclass-code.{sys.implementation.cache_tag}.bin"


class CompiledMethods:
    """The code objects of dataclass methods: those of `path`, and those compiled since."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path = path
        self.codes: dict[str, CodeType] = {}
        self.reused = 0
        self.compiled = 0  # this process: what `path` lacked
        self._unsaved = False
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):  # none yet, or unreadable
            loaded = marshal.loads(path.read_bytes())
            if isinstance(loaded, dict):
                self.codes = loaded

    def exec(self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None) -> None:
        """`exec` as `dataclasses` calls it, the compiling skipped when the source is known."""
        if isinstance(source, str):
            code = self.codes.get(source)
            if code is None:
                # dont_inherit: compiled as `dataclasses` would, without this module's __future__
                # import (which would turn the methods' annotations into strings)
                code = self.codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
                self.compiled += 1
                self._unsaved = True
            else:
                self.reused += 1
            source = code
        builtins.exec(source, globals, locals)

    def save(self) -> bool:
        """Write the file when methods were compiled since it was read, and bytecode may be written;
        False where it cannot be (Lambda's read-only package): the next process compiles them again."""
        if not self._unsaved or sys.dont_write_bytecode:
            return False
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(exist_ok=True)
            partial.write_bytes(marshal.dumps(self.codes))
            partial.replace(self.path)  # whole or not at all, whoever else writes it meanwhile
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            return False
        self._unsaved = False
        return True


def install(path: Path = CACHE) -> CompiledMethods:
    """From now on, dataclasses are made with the kept code where their source matches."""
    methods = CompiledMethods(path)
    dataclasses.exec = methods.exec  # type: ignore[attr-defined]
    return methods


def uninstall(methods: CompiledMethods) -> None:
    """Back to the builtin `exec`, the code objects let go (what init made is made)."""
    if vars(dataclasses).get("exec") == methods.exec:
        del dataclasses.exec  # type: ignore[attr-defined]
    methods.codes = {}
