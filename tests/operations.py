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

CONTRACT_FIELDS = """
  id status payoutDueBy collectedInstallments
  financing { financedAmount { amount } upfrontPayout { amount } leaserFees { amount } decisionMode
              decision { outcome reasons decidedBy } transmittedAt payoutDueBy waitingFor declined
              deliveryReport { installedAt signedBy } agreement { id } }
  documents { kind signedBy signedAt }
  timeline { status actor note }
  payouts { edges { node { id kind status amount { amount } installment dueBy paidAt slaMet failureReason
                           beneficiary { id name } } } }
"""

FINANCED_CONTRACT = "query($id: ID!) { contract(id: $id) {" + CONTRACT_FIELDS + "} }"

REQUEST_FINANCING = """
mutation($input: RequestFinancingInput!) {
  requestFinancing(input: $input) {
    contract { id status } decision { outcome reasons } userErrors { field code message }
  }
}"""

REVIEW_FINANCING = """
mutation($input: ReviewFinancingInput!) {
  reviewFinancing(input: $input) { contract { id status } userErrors { field code message } }
}"""

RECORD_SIGNATURE = """
mutation($input: RecordSignatureInput!) {
  recordSignature(input: $input) {
    contract { id status documents { kind signedBy } } userErrors { field code message }
  }
}"""

DECLINE_SIGNATURE = """
mutation($input: DeclineSignatureInput!) {
  declineSignature(input: $input) { contract { id status } userErrors { field code message } }
}"""

SUBMIT_DELIVERY_REPORT = """
mutation($input: SubmitDeliveryReportInput!) {
  submitDeliveryReport(input: $input) { contract { id status } userErrors { field code message } }
}"""

RECORD_INSTALLMENT = """
mutation($input: RecordInstallmentCollectedInput!) {
  recordInstallmentCollected(input: $input) {
    contract { id collectedInstallments }
    payout { id kind status amount { amount } installment beneficiary { id } }
    userErrors { field code message }
  }
}"""
