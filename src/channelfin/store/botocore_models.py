"""botocore's data files, parsed once and kept between processes, as Python keeps bytecode.

A process's first AWS client reads botocore's JSON data: it lists every service directory to
learn which exist (449 in a full install), then parses endpoints.json (1.25 MB), the service's
model and its endpoint rules, as ordered dicts. In the venv that is ~35 ms of a cold start
(listing 15, parsing 20, measured with the collector off as at init). The Lambda packages are
lighter (infra/package.py keeps five services and trims endpoints.json), and still parse
DynamoDB's model (~6 ms with its gzip).

So the session's data loader keeps, in a folder per botocore version beside the package's
bytecode, one small file per thing it worked out, read only when that thing is needed:
- each data file's parsed content, marshalled, named by a hash of the file's bytes (importlib's
  `source_hash`, as hash-checked bytecode): a file whose bytes differ is parsed again;
- each listing of the services, named by the model type and boto3's version, only where every
  search directory that exists is botocore's or boto3's own (a version's files never change);
  with a data directory of the user's (~/.aws/models, AWS_DATA_PATH), services are listed anew.

Written where bytecode may be (kept_files.py); for a Lambda zip, infra/package.py writes them
(`prepare`), since a deployed package is read-only. Their names hold no path, so the zips stay
reproducible and the package's listings serve in /var/task.

Through botocore's public extension points: `Loader(file_loader=...)`, the loader's
`list_available_services` (answered by a fresh loader of the same search paths, so botocore's
own per-loader cache cannot answer for other paths), and the session's `register_component`. A kept
file comes back as plain dicts where botocore's parser gives OrderedDicts (same keys in the same
order; botocore only reads them): tests/unit/test_botocore_models.py checks that clients built
from kept files have the same models as without.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import marshal
import os
import shutil
from importlib.util import source_hash
from pathlib import Path
from typing import Any

import boto3
import botocore
import botocore.exceptions
from botocore.loaders import JSONFileLoader, Loader

from channelfin.store.kept_files import kept_content, write_kept

FOLDER = Path(__file__).with_name("__pycache__") / f"botocore-{botocore.__version__}"
HEADER = b"channelfin botocore data 2\n"  # a file of another format is ignored
_EXTENSIONS = ((".json", False), (".json.gz", True))  # in botocore's order: plain first
# The data directories of the libraries themselves: their content is their version's.
_OWN_DATA = {Loader.BUILTIN_DATA_PATH: "botocore", str(Path(boto3.__file__).parent / "data"): "boto3"}


def _plain(value: Any) -> Any:
    """An OrderedDict tree as dicts and lists, which marshal can write."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class KeptModels:
    """The parses and listings kept in `folder`, and those made since (written by `save`)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or FOLDER
        self.reused = 0
        self.parsed = 0
        self._new: dict[str, bytes] = {}  # file name → its marshalled content, to be written

    def _kept(self, name: str) -> Any:
        try:
            return kept_content((self.folder / name).read_bytes(), HEADER)
        except OSError:  # none yet, or unreadable
            return None

    def content(self, raw: bytes, compressed: bool) -> Any:
        """The parsed JSON of a data file's bytes: kept, or parsed as botocore does and kept."""
        name = source_hash(raw).hex() + ".bin"
        kept = self._kept(name)
        if isinstance(kept, dict):
            self.reused += 1
            return kept
        parsed = json.loads((gzip.decompress(raw) if compressed else raw).decode("utf-8"))
        # Marshalled now, before botocore merges its extras into what it loaded.
        self._new[name] = marshal.dumps(_plain(parsed))
        self.parsed += 1
        return parsed

    def listing(self, key: str, list_them: Any) -> list[str]:
        name = "services-" + hashlib.sha256(key.encode()).hexdigest()[:32] + ".bin"
        kept = self._kept(name)
        if isinstance(kept, list) and all(isinstance(s, str) for s in kept):
            self.reused += 1
            return kept
        services: list[str] = list_them()
        self._new[name] = marshal.dumps(list(services))
        return services

    def save(self) -> bool:
        """Write what was worked out since the folder was read, where bytecode may be written (not
        in Lambda's read-only package); a new folder replaces those of other botocore versions."""
        if not self._new:
            return False
        first = not self.folder.exists()
        for name, data in list(self._new.items()):
            if not write_kept(self.folder / name, HEADER + data):
                return False
            del self._new[name]
        if first:
            for other in self.folder.parent.glob("botocore-*"):
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)
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


def _list_services(search_paths: list[str], type_name: str) -> list[str]:
    """botocore's own listing for these search paths, by a loader of its own: a loader caches its
    listings per type whatever its paths were then (a boto3 session adds one after)."""
    loader = Loader(extra_search_paths=list(search_paths), include_default_search_paths=False)
    return list(loader.list_available_services(type_name))


class KeptModelsLoader(Loader):
    """botocore's data loader, its service listings and parsed files kept (`KeptModels`)."""

    def __init__(self, kept: KeptModels, search_paths: list[str] | None = None) -> None:
        super().__init__(extra_search_paths=search_paths, file_loader=KeptFileLoader(kept))
        self.kept = kept

    def list_available_services(self, type_name: str) -> list[str]:
        existing = [p for p in self.search_paths if os.path.isdir(p)]
        if not all(p in _OWN_DATA for p in existing):
            return _list_services(self.search_paths, type_name)  # a data directory of the user's: listed anew
        key = json.dumps([type_name, boto3.__version__, [_OWN_DATA[p] for p in existing]])
        return self.kept.listing(key, lambda: _list_services(self.search_paths, type_name))


def kept_loader(data_path: str | None, kept: KeptModels | None = None) -> KeptModelsLoader:
    """As `botocore.loaders.create_loader(data_path)` (AWS_DATA_PATH's directories first), kept."""
    paths = [os.path.expanduser(os.path.expandvars(p)) for p in data_path.split(os.pathsep)] if data_path else None
    return KeptModelsLoader(kept or KeptModels(), paths)


def prepare(folder: Path | None = None, services: tuple[str, ...] = ()) -> KeptModels:
    """Parse and keep what clients of `services` load (infra/package.py, for a read-only package)."""
    kept = KeptModels(folder)
    loader = kept_loader(None, kept)
    loader.search_paths.append(str(Path(boto3.__file__).parent / "data"))  # as a boto3 session adds it
    for name in ("endpoints", "partitions", "sdk-default-configuration", "_retry"):
        loader.load_data(name)
    for service in services:
        for type_name in ("service-2", "endpoint-rule-set-1", "paginators-1", "waiters-2"):
            with contextlib.suppress(botocore.exceptions.DataNotFoundError, botocore.exceptions.UnknownServiceError):
                loader.load_service_model(service, type_name)
    kept.save()
    return kept
