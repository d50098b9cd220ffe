"""A description on every type, field, argument and enum value (issue 18), as graphql-schema-linter's
`types-have-descriptions`, `fields-have-descriptions`, `arguments-have-descriptions`,
`enum-values-have-descriptions` and `input-object-values-have-descriptions` rules check them.

They are what GraphiQL and generated TypeScript show a developer. The committed schema.graphql
is checked (tests/unit/test_schema_file.py keeps it the one the code exports). To list what
lacks one: `PYTHONPATH=src:. python -m tests.unit.test_schema_descriptions`.
"""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undocumented(schema: GraphQLSchema) -> list[str]:
    missing = []
    for name, kind in sorted(schema.type_map.items()):
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in kind.values.items() if not v.description]
    return missing


def _committed_schema() -> GraphQLSchema:
    return build_schema((ROOT / "schema.graphql").read_text())


def test_every_type_field_argument_and_enum_value_has_a_description():
    missing = undocumented(_committed_schema())
    assert missing == [], (
        f"describe these (strawberry description=..., enum values in api/core/enum_values.py): {missing}"
    )


def test_the_check_finds_what_is_missing():
    sample = build_schema('"A type." type Query { "A field." a(x: Int): E b: Int } enum E { "One." ONE TWO }')
    assert undocumented(sample) == ["E", "E.TWO", "Query.a(x)", "Query.b"]


if __name__ == "__main__":
    print("\n".join(undocumented(_committed_schema())))
