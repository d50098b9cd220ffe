"""What a hostile or careless client meets before anything runs (DESIGN 4, OWASP's GraphQL cheat sheet).

Defaults after GraphQL Armor's: depth 8, aliases 15 (`__typename` exempt), tokens 2,000,
document 15,000 characters, cost 5,000, 10 operations per batched request, 1 MB body. The
cost counts 2 per object and 1 per scalar, and a connection multiplies what it selects by
its `first` (the page size it will really return), so nested lists are priced as they run.
Introspection fields are free. Errors say which limit was hit, with a stable code.

Tokens are counted by graphql-core's parser (`max_tokens`: it stops early); depth, aliases,
size and cost are checked here in one walk, once the document is parsed and validated, where
the operation's variables are known. Depth is measured by this walk, not by Strawberry's
QueryDepthLimiter: that one adds a validation rule class made anew per request, which
defeats the validation cache (a warm request then re-validated its document every time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)

from channelfin.api.http.limits import Limits
from channelfin.services.paging import DEFAULT_PAGE_SIZE


def _limit_error(code: str, message: str, **extra: object) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extra})


@dataclass
class _Walk:
    """One pass over the operation: cost, aliases and depth (root fields at depth 0, as graphql-depth-limit)."""

    schema: Any
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    aliases: int = 0
    depth: int = 0

    def cost(
        self, selections: SelectionSetNode | None, parent: GraphQLNamedType, seen: frozenset[str], level: int = 0
    ) -> int:
        """The cost of a selection set under `parent`, fragments expanded (a fragment cycle is invalid anyway)."""
        total = 0
        for node in selections.selections if selections else ():
            if isinstance(node, FieldNode):
                total += self._field(node, parent, seen, level)
            elif isinstance(node, InlineFragmentNode):
                inner = self.schema.get_type(node.type_condition.name.value) if node.type_condition else parent
                total += self.cost(node.selection_set, inner or parent, seen, level)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    inner = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.cost(fragment.selection_set, inner or parent, seen | {name}, level)
        return total

    def _field(self, node: FieldNode, parent: GraphQLNamedType, seen: frozenset[str], level: int) -> int:
        name = node.name.value
        if node.alias is not None and name != "__typename":
            self.aliases += 1
        if name.startswith("__"):
            return 0  # __typename and introspection are free, and do not count for depth
        self.depth = max(self.depth, level)
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return 0
        returned = get_named_type(definition.type)
        if is_leaf_type(returned):
            return 1
        inner = self.cost(node.selection_set, returned, seen, level + 1)
        if "first" in definition.args:
            return 2 + self._first(node) * inner
        return 2 + inner

    def _first(self, node: FieldNode) -> int:
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 0)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return max(given, 0) if isinstance(given, int) else DEFAULT_PAGE_SIZE
        return DEFAULT_PAGE_SIZE


def limit_error(
    schema: GraphQLSchema, document: DocumentNode, query: str, variables: Mapping[str, Any], limits: Limits
) -> GraphQLError | None:
    """Which limit a valid document breaks (size, depth, aliases, cost), given its variables; None if none."""
    if len(query) > limits.max_document_chars:
        return _limit_error(
            "DOCUMENT_TOO_LARGE",
            f"the document has {len(query)} characters; at most {limits.max_document_chars}",
        )
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema, fragments, variables)
    cost = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = schema.get_root_type(definition.operation)
        if root is not None:  # validation refused operations the schema has no root for
            cost += walk.cost(definition.selection_set, root, frozenset())
    if walk.depth > limits.max_depth:
        return _limit_error("QUERY_TOO_DEEP", f"the query is {walk.depth} levels deep; at most {limits.max_depth}")
    if walk.aliases > limits.max_aliases:
        return _limit_error(
            "TOO_MANY_ALIASES", f"{walk.aliases} aliases; at most {limits.max_aliases} (__typename is free)"
        )
    if cost > limits.max_cost:
        return _limit_error(
            "QUERY_TOO_COSTLY",
            f"the query costs {cost}; at most {limits.max_cost} (2 per object, 1 per scalar, "
            "connections × first): ask for smaller pages",
            cost=cost,
        )
    return None
