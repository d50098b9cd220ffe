"""What a hostile or careless client meets before anything runs (DESIGN 4, OWASP's GraphQL cheat sheet).

Defaults after GraphQL Armor's: depth 8, aliases 15 (`__typename` exempt), tokens 2,000,
document 15,000 characters, cost 5,000, 10 operations per batched request, 1 MB body, and
list inputs of at most 100 items and strings of at most 1,000 characters (every text field
of the domain has a tighter bound of its own), and one response name at most 10 times in a selection
(validation compares every pair of them: 490 copies of `viewer { sub }` took 1.9 s).
The cost counts 2 per object and 1 per scalar, and a connection multiplies what it selects
by its `first` or `last` (the page size it will really return), a lookup by `ids` by their
number, so nested lists are priced as they run. Introspection fields are free. Errors say
which limit was hit, with a stable code.

Tokens are counted by graphql-core's parser (`max_tokens`: it stops early). Everything
else is checked here, after parsing and BEFORE validation: validation's overlapping-fields
rule is quadratic in the fields of a selection, and coercing a 15,000-item list input takes
seconds, so both must only ever see documents already within bounds. The walk is linear in
the document: each fragment is summed once and its summary reused wherever it is spread (a
fragment spreading the next one twice, 19 levels deep, is 2^19 expansions otherwise), and
a fragment cycle (invalid, refused by validation next) counts for nothing. `first` is read
(as `last` and `ids` are) as execution will read it: the literal, the variable or the variable's default, coerced by
graphql-core, whatever its spelling (`100`, `100.0`, `$n` with `= 100`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    get_named_type,
    get_variable_values,
    is_leaf_type,
    value_from_ast,
)

from channelfin.api.http.limits import Limits
from channelfin.services.paging import DEFAULT_PAGE_SIZE

PAGE_SIZE_ARGUMENTS = ("first", "last")  # a connection returns at most this many nodes
CAP = 10**15  # sums stop growing here: an exploding document is refused, not computed to the last digit


def _limit_error(code: str, message: str, **extra: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extra})


@dataclass(frozen=True, slots=True)
class _Summary:
    """A selection set's cost, the depth of its deepest field (0: fields right here; -1: none) and its aliases."""

    cost: int = 0
    depth: int = -1
    aliases: int = 0
    repeats: int = 0  # the most fields of one response name in one selection set

    def plus(self, other: _Summary, *, deeper: int = 0, times: int = 1) -> _Summary:
        return _Summary(
            cost=min(self.cost + times * other.cost, CAP),
            depth=max(self.depth, other.depth + deeper if other.depth >= 0 else self.depth),
            aliases=min(self.aliases + other.aliases, CAP),
            repeats=max(self.repeats, other.repeats),
        )


NOTHING = _Summary()


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    done: dict[str, _Summary] = field(default_factory=dict)
    visiting: set[str] = field(default_factory=set)

    def selection(self, selections: SelectionSetNode | None, parent: GraphQLNamedType | None) -> _Summary:
        total = NOTHING
        names: Counter[str] = Counter()
        pending = list(selections.selections) if selections else []
        while pending:
            node = pending.pop()
            if isinstance(node, FieldNode):
                names[(node.alias or node.name).value] += 1
                total = total.plus(self._field(node, parent))
            elif isinstance(node, InlineFragmentNode):
                inner = self._type(node.type_condition.name.value) if node.type_condition else parent
                if inner is parent:  # same level, same type: its fields merge with these
                    pending.extend(node.selection_set.selections)
                else:
                    total = total.plus(self.selection(node.selection_set, inner))
            elif isinstance(node, FragmentSpreadNode):
                total = total.plus(self._fragment(node.name.value))
        repeats = max(names.values(), default=0)
        return total if repeats <= total.repeats else replace(total, repeats=repeats)

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.schema.get_type(name)

    def _fragment(self, name: str) -> _Summary:
        if name in self.done:
            return self.done[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:
            return NOTHING  # unknown or cyclic: invalid, validation says so next
        self.visiting.add(name)
        summary = self.selection(fragment.selection_set, self._type(fragment.type_condition.name.value))
        self.visiting.discard(name)
        self.done[name] = summary
        return summary

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None) -> _Summary:
        name = node.name.value
        aliases = 1 if node.alias is not None and name != "__typename" else 0
        if name.startswith("__"):
            return _Summary(aliases=aliases)  # __typename and introspection are free, and do not count for depth
        here = _Summary(depth=0, aliases=aliases)
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return here  # unknown: validation refuses it next
        returned = get_named_type(definition.type)
        if is_leaf_type(returned):
            return _Summary(cost=1, depth=0, aliases=aliases)
        inner = self.selection(node.selection_set, returned)
        return _Summary(cost=2, depth=0, aliases=aliases).plus(inner, deeper=1, times=self._times(node, definition))

    def _times(self, node: FieldNode, definition: Any) -> int:
        """How many objects a field returns at most: a connection's page (`first` or `last`, the
        default page size when neither is given), a lookup's number of `ids`, otherwise one."""
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        pages = [name for name in PAGE_SIZE_ARGUMENTS if name in definition.args]
        if pages:
            sizes = [self._value(given[name], definition.args[name].type) for name in pages if name in given]
            return max((s if isinstance(s, int) else DEFAULT_PAGE_SIZE for s in sizes), default=DEFAULT_PAGE_SIZE)
        if "ids" in definition.args and "ids" in given:
            ids = self._value(given["ids"], definition.args["ids"].type)
            return len(ids) if isinstance(ids, list) else 1
        return 1

    def _value(self, value: ValueNode, type_: Any) -> Any:
        """An argument as execution will read it (Undefined when invalid: validation refuses it next)."""
        found = value_from_ast(value, type_, self.variables)
        return max(found, 0) if isinstance(found, int) else found


@dataclass(slots=True)
class _Sizes:
    """The longest list and the longest string a request's inputs hold."""

    list: int = 0
    string: int = 0

    def add_json(self, value: Any) -> None:
        """The variables as sent, walked without recursion."""
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self.string = max(self.string, len(item))
            elif isinstance(item, list):
                self.list = max(self.list, len(item))
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.values())
                stack.extend(item.keys())

    def add_literal(self, node: ValueNode) -> None:
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, StringValueNode):
                self.string = max(self.string, len(item.value))
            elif isinstance(item, ListValueNode):
                self.list = max(self.list, len(item.values))
                stack.extend(item.values)
            elif isinstance(item, ObjectValueNode):
                stack.extend(f.value for f in item.fields)

    def add_document(self, document: DocumentNode) -> None:
        stack: list[Any] = list(document.definitions)
        while stack:
            node = stack.pop()
            for argument in getattr(node, "arguments", None) or ():
                self.add_literal(argument.value)
            for definition in getattr(node, "variable_definitions", None) or ():
                if definition.default_value is not None:
                    self.add_literal(definition.default_value)
            selection_set = getattr(node, "selection_set", None)
            if selection_set is not None:
                stack.extend(selection_set.selections)


def _coerced(schema: GraphQLSchema, operation: OperationDefinitionNode, given: Mapping[str, Any]) -> dict[str, Any]:
    """The operation's variables as execution will see them (defaults applied); {} when they do not coerce."""
    values = get_variable_values(schema, operation.variable_definitions or (), dict(given), max_errors=1)
    if isinstance(values, list):  # coercion errors: execution refuses the request anyway
        return {}
    return dict(cast(Any, values).coerced)  # graphql-core 3.3 wraps them in VariableValues


def limit_error(
    schema: GraphQLSchema, document: DocumentNode, query: str, variables: Mapping[str, Any], limits: Limits
) -> GraphQLError | None:
    """Which limit a parsed document breaks (size, lists, depth, aliases, cost); None if none.

    Every operation of the document counts (validation reads them all), each with the
    variables as given.
    """
    if len(query) > limits.max_document_chars:
        return _limit_error(
            "DOCUMENT_TOO_LARGE",
            f"the document has {len(query)} characters; at most {limits.max_document_chars}",
        )
    sizes = _Sizes()
    sizes.add_json(dict(variables))
    sizes.add_document(document)
    if sizes.list > limits.max_list_input:
        return _limit_error(
            "INPUT_LIST_TOO_LONG", f"an input list has {sizes.list} items; at most {limits.max_list_input}"
        )
    if sizes.string > limits.max_string_input:
        return _limit_error(
            "INPUT_TOO_LONG", f"an input string has {sizes.string} characters; at most {limits.max_string_input}"
        )
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    summary = NOTHING
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        walk = _Walk(schema, fragments, _coerced(schema, operation, variables))
        summary = summary.plus(walk.selection(operation.selection_set, schema.get_root_type(operation.operation)))
    depth = max(summary.depth, 0)
    if depth > limits.max_depth:
        return _limit_error("QUERY_TOO_DEEP", f"the query is {depth} levels deep; at most {limits.max_depth}")
    if summary.aliases > limits.max_aliases:
        return _limit_error(
            "TOO_MANY_ALIASES", f"{summary.aliases} aliases; at most {limits.max_aliases} (__typename is free)"
        )
    if summary.repeats > limits.max_repeated_fields:
        return _limit_error(
            "TOO_MANY_REPEATED_FIELDS",
            f"a field is asked {summary.repeats} times in one selection; at most {limits.max_repeated_fields}",
        )
    if summary.cost > limits.max_cost:
        return _limit_error(
            "QUERY_TOO_COSTLY",
            f"the query costs {summary.cost}; at most {limits.max_cost} (2 per object, 1 per scalar, "
            "connections × first or last): ask for smaller pages",
            cost=summary.cost,
        )
    return None
