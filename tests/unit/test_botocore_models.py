"""botocore's data, parsed once and kept between processes (store/botocore_models.py).

Fenced: the loader is botocore's own, given a file loader (`Loader(file_loader=...)`) and its
service listing overridden; these tests fail when a botocore release stops going through them,
or when what comes back differs from what botocore parses itself.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import botocore.session
import pytest
from botocore.loaders import JSONFileLoader, Loader

from channelfin.store import botocore_models
from channelfin.store.botocore_models import KeptModels, kept_loader

SERVICES = ("dynamodb", "s3", "stepfunctions", "lambda", "secretsmanager")
BOTO3_DATA = str(Path(boto3.__file__).parent / "data")


@pytest.fixture(autouse=True)
def bytecode_may_be_written(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as on a developer's machine, not the suite's


def loader_as_sessions_make_it(folder: Path, data_path: str | None = None):
    loader = kept_loader(data_path, KeptModels(folder))
    loader.search_paths.append(BOTO3_DATA)  # what a boto3 session adds
    return loader


def test_kept_files_are_what_botocore_parses_in_the_same_order(tmp_path):
    first = loader_as_sessions_make_it(tmp_path)
    for service in SERVICES:
        first.load_service_model(service, "service-2")
    first.load_data("endpoints")
    assert first.kept.parsed >= len(SERVICES) + 1 and first.kept.save()  # their sdk extras too

    again = loader_as_sessions_make_it(tmp_path)
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
    kept = KeptModels(tmp_path)
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


def fake_service(root: Path, name: str, version: str = "2020-01-01", type_name: str = "service-2") -> Path:
    folder = root / name / version
    folder.mkdir(parents=True, exist_ok=True)
    model = {"metadata": {"endpointPrefix": name}, "operations": {"Op0": {}}}
    (folder / f"{type_name}.json").write_text(json.dumps(model))
    return folder / f"{type_name}.json"


def test_a_changed_file_is_parsed_again(tmp_path):
    extra = tmp_path / "data"
    model = fake_service(extra, "fakeone")
    first = loader_as_sessions_make_it(tmp_path / "kept", str(extra))
    assert first.load_service_model("fakeone", "service-2")["operations"] == {"Op0": {}}
    first.kept.save()
    model.write_text(json.dumps({"metadata": {}, "operations": {"Changed": {}}}))  # the same size or not
    again = loader_as_sessions_make_it(tmp_path / "kept", str(extra))
    assert again.load_service_model("fakeone", "service-2")["operations"] == {"Changed": {}}


def test_services_are_listed_anew_where_a_data_directory_of_the_users_exists(tmp_path):
    # A model type added inside an existing service directory changes no directory's time: a
    # listing kept for such a search path would hide it, in this process and the next.
    extra = tmp_path / "data"
    fake_service(extra, "fakeone")
    first = loader_as_sessions_make_it(tmp_path / "kept", str(extra))
    assert "fakeone" not in first.list_available_services("paginators-1")
    first.kept.save()
    fake_service(extra, "fakeone", type_name="paginators-1")
    again = loader_as_sessions_make_it(tmp_path / "kept", str(extra))
    listed = again.list_available_services("paginators-1")
    assert "fakeone" in listed
    assert listed == Loader(extra_search_paths=[str(extra), BOTO3_DATA]).list_available_services("paginators-1")


def test_the_libraries_listings_are_kept_under_no_path_and_follow_their_search_paths(tmp_path):
    first = loader_as_sessions_make_it(tmp_path)
    listed = first.list_available_services("service-2")
    resources = first.list_available_services("resources-1")
    assert first.kept.save()
    assert not any(str(tmp_path) in p.read_bytes().decode("latin-1") for p in tmp_path.iterdir())
    again = loader_as_sessions_make_it(tmp_path)
    assert again.list_available_services("service-2") == listed
    assert again.list_available_services("resources-1") == resources and again.kept.reused == 2
    assert "dynamodb" in resources  # boto3's resources: listed with boto3's data path

    # A listing made before boto3's path was added is not the one for the paths after it.
    early = kept_loader(None, KeptModels(tmp_path / "early"))
    assert early.list_available_services("resources-1") == []
    early.search_paths.append(BOTO3_DATA)
    assert early.list_available_services("resources-1") == resources


def test_an_unreadable_or_foreign_entry_only_means_parsing(tmp_path):
    first = loader_as_sessions_make_it(tmp_path)
    first.load_data("partitions")
    first.kept.save()
    (entry,) = tmp_path.iterdir()
    for content in (b"", b"not ours", botocore_models.HEADER + b"not marshal", botocore_models.HEADER + b"\x00"):
        entry.write_bytes(content)
        again = loader_as_sessions_make_it(tmp_path)
        assert again.load_data("partitions")["partitions"] and again.kept.parsed == 1


def test_nothing_is_written_without_news_or_where_bytecode_may_not_be(tmp_path, monkeypatch):
    kept = KeptModels(tmp_path / "kept")
    assert not kept.save() and not (tmp_path / "kept").exists()
    kept_loader(None, kept).load_data("partitions")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert not kept.save() and not (tmp_path / "kept").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert kept.save() and not kept.save()
    assert len(list((tmp_path / "kept").iterdir())) == 1


def test_a_new_botocore_version_replaces_the_folders_of_the_others(tmp_path):
    (tmp_path / "botocore-0.0.1").mkdir()
    (tmp_path / "botocore-models.bin").write_bytes(b"an older layout")
    kept = KeptModels(tmp_path / f"botocore-{botocore.__version__}")
    kept_loader(None, kept).load_data("partitions")
    assert kept.save()
    assert [p.name for p in tmp_path.iterdir()] == [f"botocore-{botocore.__version__}"]


def test_a_fresh_process_creates_its_first_client_from_the_kept_files(tmp_path):
    """As a cold start: the process before it wrote them (at exit), this one parses nothing."""
    code = f"""
from pathlib import Path
from channelfin.store import botocore_models, sessions
botocore_models.FOLDER = Path({str(tmp_path / "kept")!r})
sessions.client("dynamodb", region_name="eu-west-3")
print(sessions._loader.kept.parsed, sessions._loader.kept.reused)
"""
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "unit", "AWS_SECRET_ACCESS_KEY": "unit", "HOME": str(tmp_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr[-2000:]
    (parsed, _), (parsed_again, reused) = (map(int, r.stdout.split()) for r in runs)
    assert parsed >= 3 and parsed_again == 0 and reused >= 4  # the files, and the listings


def test_the_botocore_interfaces_it_builds_on_are_there():
    assert "file_loader" in inspect.signature(Loader).parameters
    assert {"exists", "load_file"} <= set(vars(JSONFileLoader))
    assert callable(botocore.session.Session.register_component)
    assert "include_default_search_paths" in inspect.signature(Loader).parameters
    assert str(Path(boto3.__file__).parent / "data") == os.path.join(os.path.dirname(boto3.session.__file__), "data")
