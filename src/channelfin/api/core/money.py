"""The `Money` type every area shows amounts with."""

import strawberry

from channelfin.api.core.scalars import Decimal
from channelfin.domain.money import Money as DomainMoney


@strawberry.type(description="An amount of money; `amount` is an exact decimal string.")
class Money:
    amount: Decimal = strawberry.field(description='Exact amount, e.g. "33035.37".')
    currency: str = strawberry.field(description="ISO 4217 code, e.g. EUR.")

    @classmethod
    def from_domain(cls, money: DomainMoney) -> "Money":
        return cls(amount=money.rounded().amount, currency=money.currency)  # shown: to the cent

    @classmethod
    def optional(cls, money: DomainMoney | None) -> "Money | None":
        return None if money is None else cls.from_domain(money)
