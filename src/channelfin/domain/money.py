"""Money as Decimal with its currency.

Floats are refused at the door: a binary fraction cannot hold 0.10 EUR. Amounts keep
full precision through calculations and are rounded half-up to the cent only at the
named points where a figure is shown or paid (`rounded()`), and splits add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from channelfin.domain.error_codes import CommonCode
from channelfin.domain.errors import ValidationError

CENT = Decimal("0.01")
DEFAULT_CURRENCY = "EUR"
# Far above any contract, far below where Decimal's 28 digits would round a cent away.
MAX_AMOUNT = Decimal(10) ** 13


def to_decimal(value: Decimal | int | str, *, field: list[str] | None = None) -> Decimal:
    """Parse a Decimal from an exact representation; floats are a programming error."""
    if isinstance(value, bool | float):
        raise TypeError("money and rates are never floats; pass a Decimal, an int or a string")
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(
                f"'{value}' is not a decimal number", code=CommonCode.INVALID_DECIMAL, field=field
            ) from None
    if not result.is_finite():
        raise ValidationError(f"'{value}' is not a finite decimal number", code=CommonCode.INVALID_DECIMAL, field=field)
    return result


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        if abs(self.amount) >= MAX_AMOUNT:
            raise ValidationError(
                f"amounts stay below {MAX_AMOUNT:,.0f} {self.currency}", code=CommonCode.INVALID_AMOUNT
            )
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValidationError(
                f"'{self.currency}' is not an ISO 4217 currency code", code=CommonCode.INVALID_CURRENCY
            )

    @classmethod
    def of(cls, value: Decimal | int | str, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(to_decimal(value), currency)

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_cents(cls, cents: int, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(int(cents)).scaleb(-2), currency)

    def to_cents(self) -> int:
        """Integer cents for storage; only a figure already on the cent may be stored."""
        rounded = round_cents(self.amount)
        if rounded != self.amount:
            raise ValueError(f"{self.amount} is not a whole number of cents; round it first")
        return int(rounded.scaleb(2))

    def rounded(self) -> Money:
        return Money(round_cents(self.amount), self.currency)

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValidationError(
                f"cannot combine {self.currency} with {other.currency}", code=CommonCode.CURRENCY_MISMATCH
            )

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount >= other.amount

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    def split(self, parts: int) -> list[Money]:
        """Split into `parts` cent amounts that add up exactly to the rounded total."""
        if parts <= 0:
            raise ValueError("parts must be positive")
        total_cents = self.rounded().to_cents()
        base, remainder = divmod(total_cents, parts)
        return [Money.from_cents(base + (1 if k < remainder else 0), self.currency) for k in range(parts)]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
