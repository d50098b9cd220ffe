"""Relay global ids: base64 of `<TypeName>:<id>`, so `node(id:)` knows which type to load."""

import base64
import binascii

from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError

NODE_TYPES = (
    "Partner",
    "FinancingAgreement",
    "ResellerLink",
    "Contract",
    "Payout",
    "PartnerProgram",
    "Enrollment",
    "EscrowAgreement",
    "CreditLine",
    "IncentiveCampaign",
    "PaymentRun",
    "WebhookEndpoint",
)


def to_global_id(type_name: str, local_id: str) -> str:
    return base64.b64encode(f"{type_name}:{local_id}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, str]:
    """(type name, local id); raises ValidationError on anything we did not issue."""
    try:
        text = base64.b64decode(global_id.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    type_name, _, local_id = text.partition(":")
    if type_name not in NODE_TYPES or not local_id or len(local_id) > 100:
        raise ValidationError(f"'{global_id[:80]}' is not an id of this API", code=CommonCode.INVALID_ID)
    return type_name, local_id


def local_id(global_id: str, expected_type: str, *, field: list[str]) -> str:
    try:
        type_name, value = from_global_id(global_id)
    except ValidationError as exc:
        raise ValidationError(exc.message, code=CommonCode.INVALID_ID, field=field) from None
    if type_name != expected_type:
        raise ValidationError(f"expected the id of a {expected_type}", code=CommonCode.INVALID_ID, field=field)
    return value


def optional_local_id(global_id: str | None, expected_type: str, *, field: list[str]) -> str | None:
    return local_id(global_id, expected_type, field=field) if global_id else None


def contract_id(global_id: str) -> str:
    """The `contractId` of a mutation's input."""
    return local_id(global_id, "Contract", field=["contractId"])
