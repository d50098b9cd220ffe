"""The GraphQL documents the tests send, written once."""

REGISTER_PARTNER = """
mutation($input: RegisterPartnerInput!) {
  registerPartner(input: $input) { partner { id name roles } userErrors { field code message } }
}"""

SIGN_AGREEMENT = """
mutation($input: SignFinancingAgreementInput!) {
  signFinancingAgreement(input: $input) {
    agreement { id annualRate fileFee { amount currency } payoutSlaHours instantDecisionLimit { amount } }
    userErrors { field code message }
  }
}"""

CREATE_CONTRACT = """
mutation($input: CreateContractInput!) {
  createContract(input: $input) {
    contract { id status resellerRole owner { id } publisher { id } reseller { id }
               softwareFee { amount currency } timeline { status actor } }
    userErrors { field code message }
  }
}"""

LEASE_QUOTE = """
query($input: LeaseQuoteInput!) {
  leaseQuote(input: $input) {
    financedAmount { amount currency } rent { amount } upfrontPayout { amount } leaserFees { amount }
    decisionMode periods
  }
}"""

CONTRACT = "query($id: ID!) { contract(id: $id) { id status customer { name } owner { name } } }"

CONTRACTS = """
query($filter: ContractFilter, $first: Int, $after: String) {
  contracts(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id status } } pageInfo { hasNextPage endCursor }
  }
}"""
