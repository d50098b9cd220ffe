"""The operations partner front-ends and integrators send most, as they send them.

The GraphQL Lambda parses and validates these before its SnapStart snapshot
(`handlers/graphql.py`, `warm_up.py`): the executor's caches are keyed by the document's text,
so a restored copy answers these documents without parsing or validating them again, and any
other document finds graphql-core's and Strawberry's lazy structures already built.
`tests/unit/test_warm_up.py` checks that each one is valid against the schema.
"""

from __future__ import annotations

KNOWN_OPERATIONS: tuple[str, ...] = (
    "query Contract($id: ID!) { contract(id: $id) { id status customer { name } owner { name } } }",
    """query Contracts($filter: ContractFilter, $first: Int, $after: String) {
  contracts(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id status } } pageInfo { hasNextPage endCursor }
  }
}""",
    """query LeaseQuote($input: LeaseQuoteInput!) {
  leaseQuote(input: $input) {
    financedAmount { amount currency } rent { amount } upfrontPayout { amount } leaserFees { amount }
    decisionMode periods
  }
}""",
    """mutation CreateContract($input: CreateContractInput!) {
  createContract(input: $input) { contract { id status } userErrors { field code message } }
}""",
    """mutation RequestFinancing($input: RequestFinancingInput!) {
  requestFinancing(input: $input) {
    contract { id status } decision { outcome reasons } userErrors { field code message }
  }
}""",
    """mutation SubmitDeliveryReport($input: SubmitDeliveryReportInput!) {
  submitDeliveryReport(input: $input) { contract { id status } userErrors { field code message } }
}""",
    """mutation RecordSignature($input: RecordSignatureInput!) {
  recordSignature(input: $input) { contract { id status } userErrors { field code message } }
}""",
    """mutation RecordInstallmentCollected($input: RecordInstallmentCollectedInput!) {
  recordInstallmentCollected(input: $input) {
    contract { id collectedInstallments } payout { id kind status amount { amount } }
    userErrors { field code message }
  }
}""",
)
