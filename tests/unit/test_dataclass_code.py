"""The kept dataclass methods (channelfin/handlers/dataclass_code.py): the fence around `dataclasses`.

The cache goes under `dataclasses`' public API: it relies on the module compiling its methods
with `exec` looked up in its own namespace. These tests fail on a Python where that stops being
true (the classes would no longer go through the cache), and check that a class made from kept
code is the class `dataclasses` makes.
"""

from __future__ import annotations

import dataclasses
import inspect
import marshal
import sys
import types
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from channelfin.handlers import dataclass_code

# The private functions whose `exec` call the cache takes over, by Python version.
if sys.version_info >= (3, 13):
    from dataclasses import _FuncBuilder  # type: ignore[attr-defined]

    COMPILING = _FuncBuilder.add_fns_to_class
else:
    from dataclasses import _create_fn  # type: ignore[attr-defined]

    COMPILING = _create_fn

# No `from __future__ import annotations` here: the generated methods' annotations are then types,
# and would turn into strings if the cache compiled them under this test module's own future import.
SOURCE = """
import dataclasses
from decimal import Decimal

@dataclasses.dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "EUR"

@dataclasses.dataclass(kw_only=True, order=True)
class Line:
    label: str
    amounts: list[Money] = dataclasses.field(default_factory=list)
    note: str | None = None
"""


def make_classes() -> dict[str, type]:
    """The classes of SOURCE, made afresh (as a new process would)."""
    module = types.ModuleType("kept_classes")  # dataclasses reads string annotations in their module
    sys.modules[module.__name__] = module
    try:
        exec(compile(SOURCE, "kept_classes.py", "exec", dont_inherit=True), vars(module))
    finally:
        del sys.modules[module.__name__]
    return {"Money": module.Money, "Line": module.Line}


@pytest.fixture
def installed(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as a checkout's first cold start
    made = []

    def install(path: Path) -> dataclass_code.CompiledMethods:
        methods = dataclass_code.install(path)
        made.append(methods)
        return methods

    yield install
    for methods in made:
        dataclass_code.uninstall(methods)


def written(installed, cache: Path) -> dataclass_code.CompiledMethods:
    """A process that made SOURCE's classes and wrote the file (the cache uninstalled after it)."""
    methods = installed(cache)
    make_classes()
    assert methods.save()
    dataclass_code.uninstall(methods)
    return methods


def describe(classes: dict[str, type]) -> dict:
    """What a class's generated methods do, comparable between two makings of it."""
    Money, Line = classes["Money"], classes["Line"]
    from decimal import Decimal

    one, other = Money(Decimal("1.10")), Money(Decimal("1.10"), "EUR")
    line = Line(label="a", amounts=[one])
    with pytest.raises(FrozenInstanceError):
        one.amount = Decimal(0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Line("positional")  # type: ignore[misc]
    return {
        "repr": (repr(one), repr(line)),
        "eq": (one == other, hash(one) == hash(other), line == Line(label="a", amounts=[other])),
        "order": Line(label="a") < Line(label="b"),
        "default_factory_fresh": Line(label="x").amounts is not Line(label="x").amounts,
        "signatures": (str(inspect.signature(Money)), str(inspect.signature(Line))),
        "init_annotations": [{k: repr(v) for k, v in c.__init__.__annotations__.items()} for c in (Money, Line)],
    }


def test_dataclasses_compiles_with_the_exec_of_its_own_namespace():
    """The one thing relied on, on this Python: if it changes, the cache is never used."""
    assert "exec" in COMPILING.__code__.co_names
    assert "exec" not in vars(dataclasses)  # nothing installed: the builtin is what it finds


def test_a_class_made_from_kept_code_is_the_class_dataclasses_makes(installed, tmp_path):
    plain = describe(make_classes())
    cache = tmp_path / "kept.bin"

    first = installed(cache)
    assert describe(make_classes()) == plain
    assert first.compiled > 0 and first.reused == 0  # every method went through the cache
    assert first.save() and cache.exists()
    dataclass_code.uninstall(first)

    second = installed(cache)  # another process, reading the file
    from_kept = make_classes()
    assert second.compiled == 0 and second.reused == first.compiled
    assert describe(from_kept) == plain
    assert not any(isinstance(a, str) for a in from_kept["Money"].__init__.__annotations__.values())
    assert not second.save()  # nothing new: nothing written


def test_a_class_whose_source_changed_is_compiled_again(installed, tmp_path):
    cache = tmp_path / "kept.bin"
    written(installed, cache)

    second = installed(cache)

    @dataclasses.dataclass
    class Changed:
        renamed_field: int

    assert second.compiled > 0
    assert Changed(renamed_field=2) == Changed(2)
    assert repr(Changed(2)).endswith(".<locals>.Changed(renamed_field=2)")


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x00\x00", bytes([0xFB]) + b"\x00" * 4])
def test_an_unreadable_file_only_means_compiling(installed, tmp_path, content):
    cache = tmp_path / "kept.bin"
    cache.write_bytes(content)
    methods = installed(cache)
    assert describe(make_classes()) == describe_plain()
    assert methods.compiled > 0 and methods.reused == 0


def describe_plain() -> dict:
    saved = vars(dataclasses).pop("exec", None)
    try:
        return describe(make_classes())
    finally:
        if saved is not None:
            dataclasses.exec = saved  # type: ignore[attr-defined]


def test_a_folder_in_place_of_the_file_is_left_as_it_is(installed, tmp_path):
    """What cannot be written is not (Lambda's read-only package; here a folder in the way, which
    stops root too)."""
    cache = tmp_path / "kept.bin"
    cache.mkdir()
    methods = installed(cache)
    make_classes()
    assert methods.save() is False
    assert cache.is_dir() and list(tmp_path.iterdir()) == [cache]


def test_nothing_is_written_when_bytecode_may_not_be(installed, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    cache = tmp_path / "kept.bin"
    methods = installed(cache)
    make_classes()
    assert methods.compiled > 0 and methods.save() is False and not cache.exists()


def test_uninstalling_gives_dataclasses_its_builtin_exec_back(tmp_path):
    methods = dataclass_code.install(tmp_path / "kept.bin")
    assert vars(dataclasses)["exec"] == methods.exec
    dataclass_code.uninstall(methods)
    assert "exec" not in vars(dataclasses) and methods.codes == {}
    make_classes()
    assert methods.compiled == 0  # no longer through the cache


def test_a_file_whose_entries_are_not_code_is_ignored_not_run(installed, tmp_path, capsys):
    """marshal can hold text as well as code: text in place of a method is never executed."""
    cache = tmp_path / "kept.bin"
    written(installed, cache)
    planted = {
        source: "print('RUN FROM THE FILE')"
        for source in marshal.loads(cache.read_bytes()[len(dataclass_code.HEADER) :])
    }
    cache.write_bytes(dataclass_code.HEADER + marshal.dumps(planted))
    second = installed(cache)
    assert describe(make_classes()) == describe_plain()
    assert second.reused == 0 and second.compiled > 0 and "RUN FROM THE FILE" not in capsys.readouterr().out


def test_a_file_written_by_another_python_is_ignored(installed, tmp_path):
    cache = tmp_path / "kept.bin"
    first = written(installed, cache)
    data = cache.read_bytes()
    cache.write_bytes(b"\x00\x00" + data[2:])  # another bytecode version in the header
    second = installed(cache)
    make_classes()
    assert second.reused == 0 and second.compiled == first.compiled


def test_two_classes_of_the_same_source_get_code_objects_of_their_own(installed, tmp_path):
    """As without the cache: the interpreter specialises each code object for the class it meets."""
    cache = tmp_path / "kept.bin"
    written(installed, cache)
    installed(cache)
    one, two = make_classes(), make_classes()
    for name in ("Money", "Line"):
        assert one[name].__init__.__code__ is not two[name].__init__.__code__
        assert one[name].__init__.__code__ == two[name].__init__.__code__  # the same code all the same


def test_the_file_keeps_only_what_its_last_writer_used(installed, tmp_path):
    # A checkout's file does not grow with every edited class: a save keeps the methods the
    # process used (the handler's import makes the same classes each time) and drops the rest.
    cache = tmp_path / "kept.bin"
    written(installed, cache)
    kept_before = set(dataclass_code._loaded(cache.read_bytes()))
    assert kept_before

    second = installed(cache)
    make_classes()

    @dataclasses.dataclass
    class Edited:
        edited_field: int

    assert second.compiled > 0 and second.save()
    kept_after = set(dataclass_code._loaded(cache.read_bytes()))
    assert kept_before < kept_after  # SOURCE's classes, used again, and the new one

    third = installed(cache)
    make_classes()
    assert third.compiled == 0
    third._unsaved = True  # as after compiling anything: a save happens
    assert third.save()
    assert set(dataclass_code._loaded(cache.read_bytes())) == kept_before  # Edited's methods dropped
