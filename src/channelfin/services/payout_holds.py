"""A credit analyst releases the upfront payout of a held file (issue 17).

The financing workflow stops before the transfer of the software part
(`financing_workflow.hold_upfront_payout`) when the publisher is in default (a confirmed escrow
trigger) or when the documents went to an address no analyst confirmed as the end client's
signatory: the payout stays SCHEDULED and unpaid until an analyst has looked at the file, and
so does the commission of its sale. Not releasing it keeps both held.
"""

from __future__ import annotations

from dataclasses import replace

from channelfin.domain.access import Principal, Role, require
from channelfin.domain.contracts import Contract
from channelfin.domain.error_codes import CommonCode, FinancingCode
from channelfin.domain.errors import InvalidTransition, ValidationError
from channelfin.domain.financing_file import WaitStep
from channelfin.domain.partners import MAX_REASON_LENGTH
from channelfin.services.contracts import contract_for, update_contract
from channelfin.services.ports import Ports
from channelfin.services.programs import register_sale
from channelfin.services.signatures import resume


def release_held_payout(ports: Ports, principal: Principal, *, contract_id: str, comment: str | None) -> Contract:
    require(principal, Role.CREDIT_ANALYST, action="releaseHeldPayout")
    text = " ".join((comment or "").split())
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError(f"at most {MAX_REASON_LENGTH} characters", code=CommonCode.TOO_LONG, field=["comment"])
    contract_for(ports, principal, contract_id)  # NotFound as for any contract
    token: str | None = None

    def record(current: Contract) -> Contract:
        nonlocal token
        token = None
        file = current.financing
        if file is not None and file.payout_released_by is not None:
            return current  # released already: a repeated call changes nothing
        if file is None or file.waiting_for is not WaitStep.PAYOUT_RELEASE:
            raise InvalidTransition(
                "no upfront payout of this file is held for an analyst", code=FinancingCode.PAYOUT_NOT_HELD
            )
        token = file.task_token
        released = replace(
            current.done_waiting(),
            financing=replace(file, payout_released_by=principal.sub, waiting_for=None, task_token=None),
        )
        note = "upfront payout released by a credit analyst" + (f": {text}" if text else "")
        return released.noted(note, at=ports.clock(), actor=principal.sub)

    contract = update_contract(ports, contract_id, record)
    register_sale(ports, contract)  # the commission held with the file, scheduled now (idempotent)
    resume(ports, token, {"released": True})
    return contract
