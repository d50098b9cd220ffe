"""The per-request context: the caller, the ports and this request's DataLoaders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from ..domain.access import Principal
from ..domain.contracts import Contract
from ..domain.partners import FinancingAgreement, Partner
from ..domain.payouts import Payout
from ..services.ports import Ports
from .errors import NotAuthenticated


@dataclass
class Loaders:
    """Batch by id within one request, so a list never turns into one read per row."""

    partner_by_id: DataLoader[str, Partner | None]
    contract_by_id: DataLoader[str, Contract | None]
    payout_by_id: DataLoader[str, Payout | None]
    agreement_by_id: DataLoader[str, FinancingAgreement | None]

    @classmethod
    def for_request(cls, ports: Ports) -> Loaders:
        def batched(fetch: Any) -> Any:
            async def load(keys: Iterable[str]) -> list[Any]:
                keys = list(keys)
                found = fetch(keys)
                return [found.get(k) for k in keys]

            return load

        return cls(
            partner_by_id=DataLoader(load_fn=batched(ports.partners.get_many)),
            contract_by_id=DataLoader(load_fn=batched(ports.contracts.get_many)),
            payout_by_id=DataLoader(load_fn=batched(ports.payouts.get_many)),
            agreement_by_id=DataLoader(load_fn=batched(ports.partners.get_agreements)),
        )


@dataclass
class Context:
    ports: Ports
    principal_or_none: Principal | None
    loaders: Loaders
    request: Any = None
    response: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, ports: Ports, principal: Principal | None, request: Any = None, response: Any = None) -> Context:
        return cls(
            ports=ports,
            principal_or_none=principal,
            loaders=Loaders.for_request(ports),
            request=request,
            response=response,
        )

    @property
    def principal(self) -> Principal:
        if self.principal_or_none is None:
            raise NotAuthenticated()
        return self.principal_or_none
