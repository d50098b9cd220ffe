"""The per-request context: the caller, the ports and this request's DataLoaders."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader

from channelfin.api.core.cursors import CursorSigner, secret_keys
from channelfin.api.core.errors import NotAuthenticated
from channelfin.domain.access import Principal
from channelfin.domain.contracts import Contract
from channelfin.domain.partners import FinancingAgreement, Partner
from channelfin.domain.payouts import Payout
from channelfin.services.ports import Ports


def _batched(fetch: Callable[[list[str]], Mapping[str, Any]]) -> DataLoader[str, Any]:
    async def load(keys: Iterable[str]) -> list[Any]:
        keys = list(keys)
        found = fetch(keys)
        return [found.get(k) for k in keys]

    return DataLoader(load_fn=load)


class Loaders:
    """Batch by id within one request, so a list never turns into one read per row.

    Each loader is made the first time the request asks for it: most requests need none
    or one, and a loader (with its cache) never outlives its request.
    """

    def __init__(self, ports: Ports) -> None:
        self._ports = ports

    @classmethod
    def for_request(cls, ports: Ports) -> "Loaders":
        return cls(ports)

    @cached_property
    def partner_by_id(self) -> DataLoader[str, Partner | None]:
        return _batched(self._ports.partners.get_many)

    @cached_property
    def contract_by_id(self) -> DataLoader[str, Contract | None]:
        return _batched(self._ports.contracts.get_many)

    @cached_property
    def payout_by_id(self) -> DataLoader[str, Payout | None]:
        return _batched(self._ports.payouts.get_many)

    @cached_property
    def agreement_by_id(self) -> DataLoader[str, FinancingAgreement | None]:
        return _batched(self._ports.partners.get_agreements)


@dataclass
class Context:
    ports: Ports
    principal_or_none: Principal | None
    loaders: Loaders
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, ports: Ports, principal: Principal | None) -> "Context":
        return cls(ports=ports, principal_or_none=principal, loaders=Loaders.for_request(ports))

    @cached_property
    def cursor_signer(self) -> CursorSigner:
        return CursorSigner(secret_keys(self.ports.cursor_secret))

    @property
    def principal(self) -> Principal:
        if self.principal_or_none is None:
            raise NotAuthenticated()
        return self.principal_or_none
