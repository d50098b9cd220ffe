"""Leaser staff confirm who signs for an end client; signature requests go to that signatory (issue 17)."""

from __future__ import annotations

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.contracts import Contract
from channelfin.domain.customers import checked_siren
from channelfin.domain.signatories import Signatory
from channelfin.services.ports import Ports


def confirm_signatory(
    ports: Ports, principal: Principal, *, registration_number: str, name: str, email: str
) -> Signatory:
    require(principal, Role.CREDIT_ANALYST, Role.LEASER_ADMIN, action="confirmSignatory")
    signatory = Signatory.confirm(siren=registration_number, name=name, email=email, by=principal.sub, at=ports.clock())
    ports.contracts.confirm_signatory(signatory)
    return signatory


def signatory_of(ports: Ports, principal: Principal, registration_number: str) -> Signatory | None:
    """The end client's confirmed signatory, for leaser staff (a partner does not read another's clients)."""
    require(principal, Role.CREDIT_ANALYST, Role.LEASER_ADMIN, Role.TREASURY, action="signatory")
    return ports.contracts.signatory(checked_siren(registration_number, field=["registrationNumber"]))


def signatory_for(ports: Ports, contract: Contract) -> Signatory | None:
    """Who the contract's signature requests go to, if an analyst confirmed the end client's signatory."""
    siren = contract.customer.registration_number
    return ports.contracts.signatory(siren) if siren else None
