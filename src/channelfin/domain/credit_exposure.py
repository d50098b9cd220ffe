"""What a leaser has outstanding on one end client: the total the instant decision is bounded by.

Seed 000 decides at once below 50,000.00 of financed amount so that the leaser never risks
more than that on an end client without a credit analyst. Measured per contract, two files
of 49,999.99 for the same SIREN were both approved (issue 17); so the limit applies to the
end client's total: every open file (requested, under review, approved, awaiting signatures,
delivery or payment, active) that leaser finances for that SIREN, this one included. A file
stops counting when it closes: rejected, cancelled, expired or completed.

One `CreditExposure` per (leaser, SIREN) lists those files. It is written in the same
transaction as the contract whose file enters or leaves it, conditioned on the version read,
so of two concurrent requests for the same end client the second reads the first's file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from channelfin.domain.contracts import Contract
from channelfin.domain.financing_file import DecisionOutcome
from channelfin.domain.money import Money


@dataclass(frozen=True, slots=True)
class ExposureKey:
    leaser_id: str
    siren: str


@dataclass(frozen=True, slots=True)
class CreditExposure:
    key: ExposureKey
    files: tuple[tuple[str, Money], ...] = ()  # (contract id, financed amount), by contract id
    version: int = 0  # 0: never stored

    def outstanding(self, currency: str, *, excluding: str | None = None) -> Money:
        """The financed amount of the open files in that currency (amounts in another are not comparable)."""
        total = Money.zero(currency)
        for contract_id, amount in self.files:
            if contract_id != excluding and amount.currency == currency:
                total += amount
        return total

    def amount_of(self, contract_id: str) -> Money | None:
        return next((amount for cid, amount in self.files if cid == contract_id), None)

    def with_file(self, contract_id: str, amount: Money | None) -> CreditExposure:
        """The exposure with that contract's open amount (None: the file no longer counts)."""
        if self.amount_of(contract_id) == amount:
            return self
        others = tuple((cid, a) for cid, a in self.files if cid != contract_id)
        files = others if amount is None else (*others, (contract_id, amount))
        return replace(self, files=tuple(sorted(files, key=lambda f: f[0])))


def open_amount(contract: Contract) -> Money | None:
    """What the contract's file counts in its end client's exposure: its financed amount while it is open."""
    file = contract.financing
    if file is None or contract.is_closed or file.decision.outcome is DecisionOutcome.REJECTED:
        return None
    return file.financed_amount


def key_of(leaser_id: str, contract: Contract) -> ExposureKey | None:
    """Files are counted per end client by SIREN; a client without one is never decided at once anyway."""
    siren = contract.customer.registration_number
    return ExposureKey(leaser_id, siren) if siren and leaser_id else None
