"""botocore's data, parsed once and kept between processes (store/botocore_models.py).

Fenced: the loader is botocore's own, given a file loader (`Loader(file_loader=...)`) and its
service listing overridden; these tests fail when a botocore release stops going through them,
or when what comes back differs from what botocore parses itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import botocore.session
import pytest
from botocore.loaders import Loader

from channelfin.store import botocore_models
from channelfin.store.botocore_models import KeptModels, kept_loader

SERVICES = ("dynamodb", "s3", "stepfunctions", "lambda", "secretsmanager")


@pytest.fixture(autouse=True)
def bytecode_may_be_written(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as on a developer's machine, not the suite's


def test_kept_files_are_what_botocore_parses_in_the_same_order(tmp_path):
    path = tmp_path / "models.bin"
    first = kept_loader(None, KeptModels(path))
    for service in SERVICES:
        first.load_service_model(service, "service-2")
    first.load_data("endpoints")
    assert first.kept.parsed >= len(SERVICES) + 1 and first.kept.save()

    again = kept_loader(None, KeptModels(path))
    botocores = Loader()
    for service in SERVICES:
        for type_name in ("service-2", "endpoint-rule-set-1"):
            kept = again.load_service_model(service, type_name)
            # json.dumps walks dicts in their order: the same text is the same content and order
            assert json.dumps(kept) == json.dumps(botocores.load_service_model(service, type_name))
    assert json.dumps(again.load_data("endpoints")) == json.dumps(botocores.load_data("endpoints"))
    assert again.kept.parsed == len(SERVICES)  # the rule sets, not kept by the first loader
    assert again.kept.reused >= len(SERVICES) + 1


def test_each_load_is_a_new_object_as_botocore_mutates_what_it_loads(tmp_path):
    kept = KeptModels(tmp_path / "models.bin")
    one, two = (kept_loader(None, kept).load_service_model("dynamodb", "service-2") for _ in range(2))
    assert one == two and one is not two and one["shapes"] is not two["shapes"]


def test_clients_from_the_sessions_use_the_kept_loader_and_resolve_as_botocore_does(monkeypatch):
    from channelfin.store import sessions

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "unit")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "unit")
    sessions.forget_sessions()
    plain = botocore.session.get_session()
    for service in SERVICES:
        for region in ("eu-west-3", "us-east-1", "cn-north-1"):
            ours = sessions.client(service, region_name=region)
            theirs = plain.create_client(service, region_name=region)
            assert ours.meta.endpoint_url == theirs.meta.endpoint_url
            assert ours.meta.service_model.operation_names == theirs.meta.service_model.operation_names
    loader = sessions.session().get_component("data_loader")
    assert isinstance(loader, botocore_models.KeptModelsLoader)
    assert loader is sessions._loader and loader.kept.parsed + loader.kept.reused > 0


def fake_service(root: Path, name: str, version: str = "2020-01-01", operations: int = 1) -> Path:
    folder = root / name / version
    folder.mkdir(parents=True)
    model = {"metadata": {"endpointPrefix": name}, "operations": {f"Op{i}": {} for i in range(operations)}}
    (folder / "service-2.json").write_text(json.dumps(model))
    return folder / "service-2.json"


def test_a_changed_file_or_a_new_service_is_read_again(tmp_path):
    extra = tmp_path / "data"
    model = fake_service(extra, "fakeone")
    path = tmp_path / "models.bin"
    first = kept_loader(str(extra), KeptModels(path))
    assert "fakeone" in first.list_available_services("service-2")
    assert first.load_service_model("fakeone", "service-2")["operations"] == {"Op0": {}}
    first.kept.save()

    model.write_text(json.dumps({"metadata": {}, "operations": {"Changed": {}}}))
    fake_service(extra, "faketwo")  # a new directory: the search path's modification time moves
    os.utime(extra, ns=(os.stat(extra).st_atime_ns, os.stat(extra).st_mtime_ns + 1_000_000_000))
    again = kept_loader(str(extra), KeptModels(path))
    listed = again.list_available_services("service-2")
    assert {"fakeone", "faketwo", "dynamodb"} <= set(listed)
    assert listed == Loader(extra_search_paths=[str(extra)]).list_available_services("service-2")
    assert again.load_service_model("fakeone", "service-2")["operations"] == {"Changed": {}}


def test_an_unchanged_listing_is_kept_and_a_foreign_file_ignored(tmp_path):
    path = tmp_path / "models.bin"
    first = kept_loader(None, KeptModels(path))
    listed = first.list_available_services("service-2")
    first.kept.save()
    again = kept_loader(None, KeptModels(path))
    assert again.list_available_services("service-2") == listed and again.kept.reused == 1

    path.write_bytes(botocore_models.HEADER.replace(b"models 1", b"models 0") + path.read_bytes())
    assert KeptModels(path).listings == {}
    path.write_bytes(botocore_models.HEADER + b"not marshal")
    assert KeptModels(path).files == {}


def test_nothing_is_written_without_news_or_where_bytecode_may_not_be(tmp_path, monkeypatch):
    path = tmp_path / "models.bin"
    kept = KeptModels(path)
    assert not kept.save() and not path.exists()
    kept_loader(None, kept).load_data("partitions")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert not kept.save() and not path.exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert kept.save() and path.exists() and not kept.save()
    assert [p.name for p in tmp_path.iterdir()] == ["models.bin"]


def test_a_fresh_process_creates_its_first_client_from_the_kept_file(tmp_path):
    """As a cold start: the process before it wrote the file (at exit), this one parses nothing."""
    code = f"""
import os, sys
from pathlib import Path
from channelfin.store import botocore_models, sessions
botocore_models.CACHE = Path({str(tmp_path / "models.bin")!r})
sessions.client("dynamodb", region_name="eu-west-3")
print(sessions._loader.kept.parsed, sessions._loader.kept.reused)
"""
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "unit", "AWS_SECRET_ACCESS_KEY": "unit"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr[-2000:]
    (parsed, _), (parsed_again, reused) = (map(int, r.stdout.split()) for r in runs)
    assert parsed >= 3 and parsed_again == 0 and reused >= 3


def test_the_botocore_interfaces_it_builds_on_are_there():
    import inspect

    from botocore.loaders import JSONFileLoader

    assert "file_loader" in inspect.signature(Loader).parameters
    assert {"exists", "load_file"} <= set(vars(JSONFileLoader))
    assert callable(botocore.session.Session.register_component)
    assert callable(Loader.list_available_services) and callable(Loader.load_service_model)
