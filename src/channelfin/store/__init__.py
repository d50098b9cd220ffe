"""DynamoDB persistence: PynamoDB records, key builders, mappers and repositories.

Three tables, each with a string partition key `pk`, sort key `sk` and generic global
secondary indexes `gsi1`..`gsi3` (keys `gsiNpk`/`gsiNsk`, projection ALL). Money is
stored as integer cents plus a currency code; rates as exact decimal strings.

partners
  PARTNER#<id>   / PROFILE            the partner        gsi1: PARTNERS / <name>#<id>
  PARTNER#<id>   / ROLE#<role>        one per role       gsi1: ROLE#<role> / <name>#<id>
  AGREEMENT#<id> / AGREEMENT          financing agreement gsi1: PARTNER#<partner>#AGREEMENTS / <signedAt>#<id>
  Access patterns: partner by id (GetItem), partners by id (BatchGetItem), all partners
  by name (Query gsi1 PARTNERS), partners with a role by name (Query gsi1 ROLE#r),
  agreement by id (GetItem), a partner's agreements newest first (Query gsi1).

contracts
  CONTRACT#<id>  / CONTRACT           the contract       gsi1: CONTRACTS / <createdAt>#<id>
                                                         gsi2: STATUS#<status> / <createdAt>#<id>
  CONTRACT#<id>  / PARTY#<partnerId>  a copy per party   gsi1: PARTY#<pid> / <createdAt>#<id>
                                                         gsi2: PARTY#<pid>#STATUS#<status> / <createdAt>#<id>
  The party copies carry the whole contract plus `partyRoles`, so a partner's list is one
  Query; every write puts the contract and its copies in one transaction, conditioned on
  the contract's `version`.
  Access patterns: contract by id (GetItem), contracts by id (BatchGetItem), all
  contracts newest first (Query gsi1 CONTRACTS), by status (Query gsi2 STATUS#s), a
  partner's contracts (Query gsi1 PARTY#p, role filtered on `partyRoles`), a partner's
  contracts in a status (Query gsi2).

payouts
  PAYOUT#<id>    / PAYOUT             the payout         gsi1: BENEFICIARY#<pid> / <createdAt>#<id>
                                                         gsi2: CONTRACT#<cid> / <createdAt>#<id>
                                                         gsi3: PAYOUTS / <createdAt>#<id>
  Access patterns: payout by id (GetItem), a beneficiary's payouts (Query gsi1), a
  contract's payouts (Query gsi2, beneficiary filtered for partners), all payouts (gsi3).

Programs, escrow agreements, incentive campaigns and credit lines live in the partners
table too (`ProgramRecord`, `DocumentRecord`); their keys and access patterns are in
`repositories.py` and `incentive_repository.py`.

No code path uses Scan.
"""
