"""The end client of a contract: its name, its SIREN (check digit verified), its e-mail.

Financing needs the end client identified by its SIREN (the automatic decision rejects a file
without one). So a contract created for financing must name it at once, and a SIREN once given
is never removed (`require_siren`); only a draft created with `forFinancing: false` waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from channelfin.domain.error_codes import ContractCode
from channelfin.domain.errors import ValidationError
from channelfin.domain.partners import clean_name


@dataclass(frozen=True, slots=True)
class Customer:
    name: str
    registration_number: str | None = None
    email: str | None = None

    @classmethod
    def create(cls, name: str, registration_number: str | None = None, email: str | None = None) -> Customer:
        if email is not None:
            email = checked_email(email, field=["customer", "email"])
        if registration_number is not None:
            registration_number = registration_number.replace(" ", "") or None
        if registration_number is not None:
            registration_number = checked_siren(registration_number, field=["customer", "registrationNumber"])
        return cls(clean_name(name, field=["customer", "name"]), registration_number, email)


def checked_email(email: str, *, field: list[str]) -> str:
    """The address without surrounding blanks; INVALID_EMAIL when it cannot be one.

    Strict where a signing link goes (issue 17): one `@`, no blank, control or invisible
    character anywhere (`moi@revendeur.example@client.example` or a right-to-left override reads
    as another address to an analyst), and a domain of non-empty dot-separated labels. The
    provider checks deliverability; what passes here at least cannot fail its syntax check."""
    email = email.strip()
    local, _, domain = email.partition("@")
    labels = domain.split(".")
    if (
        not local
        or "@" in domain
        or len(labels) < 2
        or not all(labels)
        or len(email) > MAX_EMAIL_LENGTH
        or not all(char.isprintable() and not char.isspace() for char in email)
    ):
        raise ValidationError("not an e-mail address", code=ContractCode.INVALID_EMAIL, field=field)
    return email


def checked_siren(value: str, *, field: list[str]) -> str:
    """The SIREN without spaces; INVALID_SIREN unless its 9 digits' check digit holds."""
    siren = value.replace(" ", "")
    if not is_siren(siren):
        raise ValidationError(
            "a SIREN is 9 digits whose check digit holds (Luhn)", code=ContractCode.INVALID_SIREN, field=field
        )
    return siren


MAX_EMAIL_LENGTH = 254  # RFC 5321's path limit


def require_siren(customer: Customer, message: str) -> None:
    """SIREN_REQUIRED, on the customer's registration number, when it has none."""
    if customer.registration_number is None:
        raise ValidationError(message, code=ContractCode.SIREN_REQUIRED, field=["customer", "registrationNumber"])


def is_siren(value: str) -> bool:
    """A French company number: 9 digits, the last a Luhn check digit (as INSEE issues them)."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(value)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0
