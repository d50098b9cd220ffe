"""Inputs of payment runs (names binding per DESIGN 4)."""

import datetime as dt

import strawberry


@strawberry.input(description="Pay what a payer owes and is due up to a time (at most 7 days ahead).")
class RunPaymentsInput:
    payer_id: strawberry.ID = strawberry.field(description="The partner paying (its treasury or partner-admin).")
    up_to: dt.datetime = strawberry.field(description="Pay what is due up to this instant.")
