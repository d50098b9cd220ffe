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
import importlib.util
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from channelfin.store.kept_files import kept_content, write_kept

CACHE = Path(__file__).with_name("__pycache__") / f"dataclass-code.{sys.implementation.cache_tag}.bin"
# What the file starts with: the interpreter's bytecode version, as a .pyc does, then this format's.
HEADER = importlib.util.MAGIC_NUMBER + b"dcc1"


def _loaded(data: bytes) -> dict[str, CodeType]:
    """The file's code objects; {} unless it is this interpreter's and holds only source → code."""
    loaded = kept_content(data, HEADER)
    if isinstance(loaded, dict) and all(isinstance(k, str) and isinstance(v, CodeType) for k, v in loaded.items()):
        return loaded
    return {}


def _copy(code: CodeType) -> CodeType:
    """The same code as a new object, its functions' code too: two classes of the same source get
    their own, as without the cache (the interpreter specialises each code object for what it
    meets, and a shared one would be specialised back and forth between the classes)."""
    return code.replace(co_consts=tuple(_copy(c) if isinstance(c, CodeType) else c for c in code.co_consts))


class CompiledMethods:
    """The code objects of dataclass methods: those of `path`, and those compiled since."""

    def __init__(self, path: Path = CACHE) -> None:
        self.path = path
        self.codes: dict[str, CodeType] = {}
        self.reused = 0
        self.compiled = 0  # this process: what `path` lacked
        self._unsaved = False
        self._used: set[str] = set()
        with contextlib.suppress(OSError):  # none yet, or unreadable: every method compiled
            self.codes = _loaded(path.read_bytes())

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
                if source in self._used:
                    code = _copy(code)
            self._used.add(source)
            source = code
        builtins.exec(source, globals, locals)

    def save(self) -> bool:
        """Write the file when methods were compiled since it was read, and bytecode may be written;
        False where it cannot be (Lambda's read-only package): the next process compiles them again.
        Only the methods this process used are kept: those of classes edited since drop out."""
        if not self._unsaved:
            return False
        used = {source: code for source, code in self.codes.items() if source in self._used}
        if not write_kept(self.path, HEADER + marshal.dumps(used)):
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
