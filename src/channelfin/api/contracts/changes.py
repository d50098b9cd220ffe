"""UpdateContractInput as the use case takes it: a field left out is KEEP, a null clears or is refused."""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry

from channelfin.api.contracts.inputs import UpdateContractInput
from channelfin.api.core.ids import local_id
from channelfin.domain.customers import Customer
from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.money import Money
from channelfin.services.contract_updates import KEEP, ContractChanges, Keep

T = TypeVar("T")


def _required(value: Any, name: str, convert: Callable[[Any], T]) -> T | Keep:
    if value is strawberry.UNSET:
        return KEEP
    if value is None:
        raise ValidationError(
            f"{name} cannot be cleared; leave it out to keep it", code=CommonCode.REQUIRED, field=[name]
        )
    return convert(value)


def _optional(value: Any, convert: Callable[[Any], T]) -> T | None | Keep:
    if value is strawberry.UNSET:
        return KEEP
    return None if value is None else convert(value)


def _partner(name: str) -> Callable[[Any], str]:
    return lambda value: local_id(value, "Partner", field=[name])


def contract_changes(
    input: Annotated[UpdateContractInput, strawberry.argument(description="What to do: see `UpdateContractInput`.")],
) -> ContractChanges:
    return ContractChanges(
        owner_id=_required(input.owner_id, "ownerId", _partner("ownerId")),
        publisher_id=_required(input.publisher_id, "publisherId", _partner("publisherId")),
        reseller_id=_optional(input.reseller_id, _partner("resellerId")),
        customer=_required(
            input.customer, "customer", lambda c: Customer.create(c.name, c.registration_number, c.email)
        ),
        periodicity=_required(input.periodicity, "periodicity", lambda p: p),
        term_months=_required(input.term_months, "termMonths", int),
        start_date=_required(input.start_date, "startDate", lambda d: d),
        software_fee=_required(input.software_fee, "softwareFee", Money),
        support_fee=_required(input.support_fee, "supportFee", Money),
        enrollment_id=_optional(input.enrollment_id, lambda e: local_id(e, "Enrollment", field=["enrollmentId"])),
        support_provider_id=_optional(input.support_provider_id, _partner("supportProviderId")),
    )
