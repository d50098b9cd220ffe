"""The ports the use cases talk to; `store` implements them on DynamoDB, tests with fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from ..domain.contracts import Contract, ContractStatus, PartyRole
from ..domain.partners import FinancingAgreement, Partner, PartnerRole
from ..domain.payouts import Payout

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int = DEFAULT_PAGE_SIZE
    after: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str] = field(default_factory=list)  # one opaque cursor per item
    has_next_page: bool = False

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


class InvalidCursor(ValueError):
    """A cursor that this store did not issue (or that does not fit the query)."""


class PartnerRepository(Protocol):
    def add(self, partner: Partner) -> None: ...
    def get(self, partner_id: str) -> Partner | None: ...
    def get_many(self, partner_ids: Iterable[str]) -> dict[str, Partner]: ...
    def list(self, *, role: PartnerRole | None, page: PageRequest) -> Page[Partner]: ...
    def add_agreement(self, agreement: FinancingAgreement) -> None: ...
    def get_agreement(self, agreement_id: str) -> FinancingAgreement | None: ...
    def agreements_of(self, partner_id: str) -> list[FinancingAgreement]: ...


class ContractRepository(Protocol):
    def add(self, contract: Contract) -> None: ...
    def get(self, contract_id: str) -> Contract | None: ...
    def get_many(self, contract_ids: Iterable[str]) -> dict[str, Contract]: ...
    def list(
        self,
        *,
        party_id: str | None,
        role: PartyRole | None,
        status: ContractStatus | None,
        page: PageRequest,
    ) -> Page[Contract]: ...


class PayoutRepository(Protocol):
    def get(self, payout_id: str) -> Payout | None: ...
    def list(self, *, contract_id: str | None, beneficiary_id: str | None, page: PageRequest) -> Page[Payout]: ...


@dataclass(frozen=True)
class Ports:
    partners: PartnerRepository
    contracts: ContractRepository
    payouts: PayoutRepository
    clock: Callable[[], datetime]
    new_id: Callable[[], str]
