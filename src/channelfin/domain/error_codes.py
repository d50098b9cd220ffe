"""Every code a business refusal (a `userError`, or a query's error) can carry: one enum per area.

The codes are stable SCREAMING_SNAKE_CASE strings (DESIGN 4), what clients switch on; the
message beside them is for people. A `StrEnum` member is its string, so a code compares
and serialises as before. README's table of codes is printed from here
(`python -m channelfin.domain.error_codes`), and a test fails when the two differ or when
a code is written as a bare string.
"""

from __future__ import annotations

from enum import StrEnum


class CommonCode(StrEnum):
    """Kinds of mistake any area can make."""

    INVALID_INPUT = "INVALID_INPUT"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    INVALID_ID = "INVALID_ID"
    INVALID_PAGE_SIZE = "INVALID_PAGE_SIZE"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    INVALID_DECIMAL = "INVALID_DECIMAL"
    INVALID_CURRENCY = "INVALID_CURRENCY"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    INVALID_DATE = "INVALID_DATE"
    INVALID_PERIOD = "INVALID_PERIOD"
    INVALID_RATE = "INVALID_RATE"
    INVALID_SLA = "INVALID_SLA"
    TOO_LONG = "TOO_LONG"
    TOO_MANY = "TOO_MANY"
    SAME_PARTNER = "SAME_PARTNER"


class PartnerCode(StrEnum):
    """Partners, their roles and financing agreements."""

    INVALID_COUNTRY = "INVALID_COUNTRY"
    NOT_A_PUBLISHER_OR_RESELLER = "NOT_A_PUBLISHER_OR_RESELLER"
    NOT_A_LEASER = "NOT_A_LEASER"
    NOT_A_PUBLISHER = "NOT_A_PUBLISHER"
    NOT_A_RESELLER = "NOT_A_RESELLER"
    NOT_A_INTEGRATOR = "NOT_A_INTEGRATOR"
    NOT_A_AFFILIATE = "NOT_A_AFFILIATE"
    NOT_A_PRESCRIBER = "NOT_A_PRESCRIBER"
    NOT_A_DISTRIBUTOR = "NOT_A_DISTRIBUTOR"
    NOT_A_HOST = "NOT_A_HOST"
    NOT_A_SERVICES_FIRM = "NOT_A_SERVICES_FIRM"
    NO_ACTIVE_AGREEMENT = "NO_ACTIVE_AGREEMENT"
    AGREEMENT_TERMINATED = "AGREEMENT_TERMINATED"


class ContractCode(StrEnum):
    """Contracts with end clients."""

    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_SIREN = "INVALID_SIREN"
    SIREN_REQUIRED = "SIREN_REQUIRED"
    INVALID_DOCUMENT = "INVALID_DOCUMENT"
    INVALID_INSTALLMENT = "INVALID_INSTALLMENT"
    OWNER_NOT_A_PARTY = "OWNER_NOT_A_PARTY"
    SUPPORT_PROVIDER_NOT_A_PARTY = "SUPPORT_PROVIDER_NOT_A_PARTY"
    PARTNER_REQUIRED = "PARTNER_REQUIRED"
    NOT_A_DRAFT = "NOT_A_DRAFT"
    NOT_ACTIVE = "NOT_ACTIVE"
    FINANCED = "FINANCED"


class FinancingCode(StrEnum):
    """A contract's financing: the calculator, the decision, signatures, delivery."""

    EXACTLY_ONE_OF = "EXACTLY_ONE_OF"
    INVALID_TERM = "INVALID_TERM"
    NOT_FINANCED = "NOT_FINANCED"
    NOT_UNDER_REVIEW = "NOT_UNDER_REVIEW"
    NOT_AWAITING_SIGNATURES = "NOT_AWAITING_SIGNATURES"
    SIGNER_ADDRESS_REQUIRED = "SIGNER_ADDRESS_REQUIRED"
    SIGNATURES_MISSING = "SIGNATURES_MISSING"
    NOT_AWAITING_DELIVERY = "NOT_AWAITING_DELIVERY"
    STEP_CLOSED = "STEP_CLOSED"
    DELIVERY_REPORT_NOT_SUBMITTED = "DELIVERY_REPORT_NOT_SUBMITTED"
    DELIVERY_REPORT_NOT_SIGNED = "DELIVERY_REPORT_NOT_SIGNED"
    PAYOUT_NOT_HELD = "PAYOUT_NOT_HELD"


class DocumentCode(StrEnum):
    """The file's documents and the signature provider's events."""

    NOT_AWAITING_SIGNATURE = "NOT_AWAITING_SIGNATURE"
    DOCUMENT_HASH_MISMATCH = "DOCUMENT_HASH_MISMATCH"
    UNKNOWN_DOCUMENT = "UNKNOWN_DOCUMENT"
    UNKNOWN_REQUEST = "UNKNOWN_REQUEST"
    UNKNOWN_EVENT = "UNKNOWN_EVENT"
    OVERRIDE_REASON_REQUIRED = "OVERRIDE_REASON_REQUIRED"
    OVERRIDE_NOT_ALLOWED = "OVERRIDE_NOT_ALLOWED"


class ProgramCode(StrEnum):
    """Partner programs (seed 001)."""

    INVALID_MINIMUM = "INVALID_MINIMUM"
    INVALID_RULE = "INVALID_RULE"
    SEGMENT_POTENTIAL_REQUIRED = "SEGMENT_POTENTIAL_REQUIRED"
    NOT_TECHNICALLY_QUALIFIED = "NOT_TECHNICALLY_QUALIFIED"
    WRONG_PROGRAM = "WRONG_PROGRAM"
    RATE_ABOVE_BOUND = "RATE_ABOVE_BOUND"
    PARTNER_HOLDS_CONTRACT = "PARTNER_HOLDS_CONTRACT"


class ConsentCode(StrEnum):
    """Consent: enrolments and reseller links, answered by the partner they concern."""

    ALREADY_ANSWERED = "ALREADY_ANSWERED"
    ENROLLMENT_NOT_ACCEPTED = "ENROLLMENT_NOT_ACCEPTED"
    NO_ACCEPTED_RELATIONSHIP = "NO_ACCEPTED_RELATIONSHIP"
    LINK_EXISTS = "LINK_EXISTS"


class IncentiveCode(StrEnum):
    """Reseller support (seed 002): campaigns, credit lines, orders, rebates."""

    NOT_FOR_THIS_KIND = "NOT_FOR_THIS_KIND"
    INVALID_MULTIPLIER = "INVALID_MULTIPLIER"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    NOTHING_TO_ACCEPT = "NOTHING_TO_ACCEPT"
    CHANGE_PENDING = "CHANGE_PENDING"
    NO_PENDING_CHANGE = "NO_PENDING_CHANGE"
    CREDIT_LIMIT_EXCEEDED = "CREDIT_LIMIT_EXCEEDED"
    PAYMENT_EXCEEDS_OUTSTANDING = "PAYMENT_EXCEEDS_OUTSTANDING"
    NO_REBATE_IN_FORCE = "NO_REBATE_IN_FORCE"
    REFERENCE_USED = "REFERENCE_USED"


class PaymentCode(StrEnum):
    """Payment runs and the ledger."""

    UP_TO_TOO_FAR = "UP_TO_TOO_FAR"
    NOT_ACTING_FOR_PAYER = "NOT_ACTING_FOR_PAYER"


class EscrowCode(StrEnum):
    """Escrow agreements and the continuity they give."""

    NO_DECLARED_DEFAULT = "NO_DECLARED_DEFAULT"
    NOTHING_TO_CONFIRM = "NOTHING_TO_CONFIRM"
    NOT_CONFIRMED = "NOT_CONFIRMED"


class WebhookCode(StrEnum):
    """Webhook endpoints, their URLs and the events they receive."""

    INVALID_URL = "INVALID_URL"
    URL_SCHEME_NOT_ALLOWED = "URL_SCHEME_NOT_ALLOWED"
    URL_ADDRESS_NOT_ALLOWED = "URL_ADDRESS_NOT_ALLOWED"
    URL_NOT_RESOLVED = "URL_NOT_RESOLVED"
    UNKNOWN_EVENT_TYPE = "UNKNOWN_EVENT_TYPE"
    TOO_MANY_ENDPOINTS = "TOO_MANY_ENDPOINTS"
    ENDPOINT_DISABLED = "ENDPOINT_DISABLED"
    NOT_SUBSCRIBED = "NOT_SUBSCRIBED"


ErrorCode = (
    CommonCode
    | PartnerCode
    | ContractCode
    | FinancingCode
    | DocumentCode
    | ProgramCode
    | ConsentCode
    | IncentiveCode
    | PaymentCode
    | EscrowCode
    | WebhookCode
)
CATALOGUE: tuple[type[StrEnum], ...] = (
    CommonCode,
    PartnerCode,
    ContractCode,
    FinancingCode,
    DocumentCode,
    ProgramCode,
    ConsentCode,
    IncentiveCode,
    PaymentCode,
    EscrowCode,
    WebhookCode,
)


def markdown_table() -> str:
    """The README's table of codes."""
    rows = ["| area | codes |", "|---|---|"]
    for enum in CATALOGUE:
        area = enum.__name__.removesuffix("Code")
        rows.append(f"| {area}: {enum.__doc__} | {', '.join(f'`{code}`' for code in enum)} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
