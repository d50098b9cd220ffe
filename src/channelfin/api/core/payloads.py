"""What every mutation does with its use case's answer: the changed object, or userErrors."""

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from channelfin.api.core.errors import UserError
from channelfin.api.core.node import present
from channelfin.api.core.refs import ContractRef
from channelfin.domain.errors import DomainError, PermissionDenied

T = TypeVar("T")
P = TypeVar("P")


def attempt(action: Callable[[], T]) -> tuple[T | None, list[UserError]]:
    """Run a use case; a business refusal becomes userErrors, an auth failure stays top-level."""
    try:
        return action(), []
    except PermissionDenied:
        raise
    except DomainError as error:
        return None, [UserError.from_domain(error)]


def object_payload(payload: Callable[..., P], name: str, to_node: Callable[[Any], Any], action: Callable[[], T]) -> P:
    """The payload of a mutation that changes one object: that object as `name`, or the userErrors."""
    value, errors = attempt(action)
    return payload(**{name: to_node(value) if value is not None else None}, user_errors=errors)


@strawberry.type(description="The answer of a mutation that changes one contract.")
class ContractPayload:
    contract: ContractRef | None = strawberry.field(description="The contract as it is now; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused, empty when done: a stable `code` each, with the input `field` concerned."
    )


def contract_payload(payload: Callable[..., P], action: Callable[[], Any]) -> P:
    return object_payload(payload, "contract", lambda contract: present("Contract", contract), action)
