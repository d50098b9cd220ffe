"""botocore's data files, parsed once and kept between processes, as Python keeps bytecode.

A process's first AWS client reads botocore's JSON data: it lists every service directory to
learn which exist (449 in a full install), then parses endpoints.json (1.25 MB), the service's
model and its endpoint rules, as ordered dicts. In the venv that is ~35 ms of a cold start
(listing 15, parsing 20, measured with the collector off as at init). The Lambda packages are
lighter (infra/package.py keeps five services and trims endpoints.json), and still parse
DynamoDB's model (~6 ms with its gzip).

So the session's data loader keeps:
- each file's parsed content, marshalled, keyed by a hash of the file's bytes (importlib's
  `source_hash`, as hash-checked bytecode): a file whose bytes differ is parsed again;
- each listing of the services, keyed by the search paths, botocore's version and the search
  directories' modification times (adding or removing a service directory changes them).

The file lives beside the package's bytecode and is written where bytecode may be; for a Lambda
zip, infra/package.py writes it (`prepare`), since a deployed package is read-only.

Through botocore's public extension points only: `Loader(file_loader=...)`, the loader's
`list_available_services`, and the session's `register_component`. A kept file comes back as
plain dicts where botocore's parser gives OrderedDicts (same keys in the same order; botocore
only reads them): tests/unit/test_botocore_models.py checks that clients built from kept files
have the same models as without.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import marshal
import os
from collections.abc import Callable
from importlib.util import source_hash
from pathlib import Path
from typing import Any

import botocore
import botocore.exceptions
from botocore.loaders import JSONFileLoader, Loader

from channelfin.store.kept_files import write_kept

CACHE = Path(__file__).with_name("__pycache__") / "botocore-models.bin"
# Files of another format or botocore version are ignored whole (a version's files never change).
HEADER = b"channelfin botocore models 1\n" + botocore.__version__.encode() + b"\n"
_EXTENSIONS = ((".json", False), (".json.gz", True))  # in botocore's order: plain first


def _plain(value: Any) -> Any:
    """An OrderedDict tree as dicts and lists, which marshal can write."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class KeptModels:
    """The parsed files and service listings of `path`, and those made since."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or CACHE
        self.files: dict[bytes, bytes] = {}  # source hash → marshalled content
        self.listings: dict[str, tuple[Any, list[str]]] = {}  # listing key → (stamp, services)
        self.reused = 0
        self.parsed = 0
        self._unsaved = False
        with contextlib.suppress(OSError):  # none yet, or unreadable: everything parsed
            self._read(self.path.read_bytes())

    def _read(self, data: bytes) -> None:
        if not data.startswith(HEADER):
            return
        with contextlib.suppress(EOFError, ValueError, TypeError):
            files, listings = marshal.loads(data[len(HEADER) :])
            if all(isinstance(k, bytes) and isinstance(v, bytes) for k, v in files.items()):
                self.files, self.listings = files, listings

    def content(self, raw: bytes, compressed: bool) -> Any:
        """The parsed JSON of a data file's bytes: kept, or parsed as botocore does and kept."""
        key = source_hash(raw)
        kept = self.files.get(key)
        if kept is not None:
            self.reused += 1
            return marshal.loads(kept)
        text = (gzip.decompress(raw) if compressed else raw).decode("utf-8")
        parsed = json.loads(text)  # dicts keep their order: the same as botocore's OrderedDicts
        self.files[key] = marshal.dumps(_plain(parsed))
        self.parsed += 1
        self._unsaved = True
        return parsed

    def listing(self, key: str, stamp: Any, list_them: Callable[[], list[str]]) -> list[str]:
        kept = self.listings.get(key)
        if kept is not None and kept[0] == stamp:
            self.reused += 1
            return list(kept[1])
        services = list_them()
        self.listings[key] = (stamp, list(services))
        self._unsaved = True
        return services

    def save(self) -> bool:
        """Write the file when something was parsed since it was read, and bytecode may be written;
        False where it cannot be (Lambda's read-only package)."""
        if not self._unsaved or not write_kept(self.path, HEADER + marshal.dumps((self.files, self.listings))):
            return False
        self._unsaved = False
        return True


class KeptFileLoader(JSONFileLoader):
    """botocore's JSON file loader, answering from the kept parses."""

    def __init__(self, kept: KeptModels) -> None:
        self.kept = kept

    def load_file(self, file_path: str) -> Any:
        for extension, compressed in _EXTENSIONS:
            try:
                with open(file_path + extension, "rb") as file:
                    raw = file.read()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                continue
            return self.kept.content(raw, compressed)
        return None


def _stamp(paths: list[str]) -> tuple[tuple[str, int], ...]:
    stamps = []
    for path in paths:
        with contextlib.suppress(OSError):
            stamps.append((path, os.stat(path).st_mtime_ns))
    return tuple(stamps)


class KeptModelsLoader(Loader):
    """botocore's data loader, its service listings and parsed files kept (`KeptModels`)."""

    def __init__(self, kept: KeptModels, search_paths: list[str] | None = None) -> None:
        super().__init__(extra_search_paths=search_paths, file_loader=KeptFileLoader(kept))
        self.kept = kept

    def list_available_services(self, type_name: str) -> list[str]:
        key = json.dumps([botocore.__version__, self.search_paths, type_name])
        stamp = _stamp(self.search_paths)  # read now: a path added later (boto3's) changes the key
        return self.kept.listing(key, stamp, lambda: Loader.list_available_services(self, type_name))


def kept_loader(data_path: str | None, kept: KeptModels | None = None) -> KeptModelsLoader:
    """As `botocore.loaders.create_loader(data_path)` (AWS_DATA_PATH's directories first), kept."""
    paths = [os.path.expanduser(os.path.expandvars(p)) for p in data_path.split(os.pathsep)] if data_path else None
    return KeptModelsLoader(kept or KeptModels(), paths)


def prepare(path: Path | None = None, services: tuple[str, ...] = ()) -> KeptModels:
    """Parse and keep what clients of `services` load (infra/package.py, for a read-only package)."""
    kept = KeptModels(path)
    loader = kept_loader(None, kept)
    for name in ("endpoints", "partitions", "sdk-default-configuration", "_retry"):
        loader.load_data(name)
    for service in services:
        for type_name in ("service-2", "endpoint-rule-set-1", "paginators-1", "waiters-2"):
            with contextlib.suppress(botocore.exceptions.DataNotFoundError, botocore.exceptions.UnknownServiceError):
                loader.load_service_model(service, type_name)
    kept.save()
    return kept
