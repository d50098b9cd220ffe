"""Scalars: `Decimal` travels as a string ("33035.37") so no client ever rounds through a float;
a `DateTime` sent carries its UTC offset."""

import datetime
import decimal

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

MAX_DECIMAL_LENGTH = 32
# "1E+1000000" is 10 characters, and past what Python's default decimal context can even take the
# absolute value of (decimal.Overflow, an INTERNAL_ERROR, seen). Amounts and rates have their own,
# much smaller bounds, checked with a userError; this only keeps the arithmetic defined.
MAX_DECIMAL_EXPONENT = 1000


def _parse_decimal(value: object) -> decimal.Decimal:
    if not isinstance(value, str):
        raise GraphQLError('Decimal values are strings, e.g. "1000.00"')
    text = value.strip()
    try:
        if len(text) > MAX_DECIMAL_LENGTH:
            raise decimal.InvalidOperation
        parsed = decimal.Decimal(text)
        if not parsed.is_finite():
            raise decimal.InvalidOperation
    except decimal.InvalidOperation:
        raise GraphQLError(f"'{value[:40]}' is not a decimal number") from None
    if abs(parsed.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise GraphQLError(f"'{value[:40]}' is out of range")
    return parsed


def _parse_datetime(value: object) -> datetime.datetime:
    if not isinstance(value, str):
        raise GraphQLError('DateTime values are ISO 8601 strings with an offset, e.g. "2027-01-01T09:30:00Z"')
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise GraphQLError(f"'{value[:40]}' is not an ISO 8601 date and time") from None
    if parsed.utcoffset() is None:
        # Which instant a time without an offset means depends on where it was typed; stored as
        # it came, it then failed every comparison with the clock (INTERNAL_ERROR, seen).
        raise GraphQLError(f"'{value[:40]}' has no UTC offset: add one, e.g. Z or +01:00")
    try:
        parsed.astimezone(datetime.UTC)  # 0001-01-01T00:00:00+14:00 is before the calendar starts
    except OverflowError:
        raise GraphQLError(f"'{value[:40]}' is out of range once in UTC") from None
    return parsed


# Fields annotate with the standard Decimal; the schema maps it to this scalar instead of Strawberry's own,
# for the length bound and a message that says what is wrong. A malformed value is GRAPHQL_VALIDATION_FAILED,
# as a malformed Int, Date or enum value is (issue 18: one code per kind of mistake, whatever the scalar).
Decimal = decimal.Decimal

SCALAR_MAP: dict[object, ScalarDefinition] = {
    decimal.Decimal: strawberry.scalar(
        name="Decimal",
        description='An exact decimal number sent as a string, e.g. "33035.37".',
        serialize=str,
        parse_value=_parse_decimal,
    ),
    datetime.datetime: strawberry.scalar(
        name="DateTime",
        description='A date and time with its UTC offset (ISO 8601), e.g. "2027-01-01T09:30:00Z".',
        serialize=datetime.datetime.isoformat,
        parse_value=_parse_datetime,
    ),
}
