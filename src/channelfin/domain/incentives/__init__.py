"""A vendor's reseller-support plan (seed 002): incentive campaigns and distributor credit lines.

A campaign is in force from `starts_at` (included) to `ends_at` (excluded) and applies to
what falls in its scope: partner roles, distributor, product family or references,
licence program; a scope left empty matches everything.

Overlapping campaigns compose as follows (the README repeats it; tests pin it):
Credit campaigns (CREDIT_GUARANTEE, ORDER_CREDIT) name a distributor and count only once
that distributor accepted them: a vendor cannot raise the credit a distributor extends.

- CREDIT_GUARANTEE: every guarantee in force at the distributor adds up.
- ORDER_CREDIT: each campaign counts its own firm orders (its licence program, placed
  within its period) and adds `amount` per full `per_order_amount`; campaigns add up.
- DISCOUNT: the best rate in force for a line applies; discounts never stack.
- REBATE: the highest base rate in force for the seller's role and product family.
- REBATE_MULTIPLIER: the highest multiplier in force applies; multipliers do not compound
  (a doubled back-margin and a family that counts double make ×2, not ×4).
- FINANCING_REFERRAL: the highest rate in force; one REFERRAL payout per contract.
"""
