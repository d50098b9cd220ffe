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

TERMINATE_AGREEMENT = """
mutation($input: TerminateFinancingAgreementInput!) {
  terminateFinancingAgreement(input: $input) {
    agreement { id status terminatedAt terminationReason }
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
              decision { outcome reasons decidedBy } transmittedAt payoutDueBy waitingFor declined unconfirmedSigner
              deliveryReport { installedAt signedBy } agreement { id } }
  documents { kind signedBy signedAt }
  timeline { status actor note }
  supportProvider { id }
  payouts { edges { node { id kind status amount { amount } installment dueBy paidAt slaMet failureReason
                           settled { amount } beneficiary { id name } payer { id name } } } }
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

CONFIRM_SIGNATORY = """
mutation($input: ConfirmSignatoryInput!) {
  confirmSignatory(input: $input) {
    signatory { registrationNumber name email confirmedBy confirmedAt } userErrors { field code message }
  }
}"""

RELEASE_HELD_PAYOUT = """
mutation($input: ReleaseHeldPayoutInput!) {
  releaseHeldPayout(input: $input) { contract { id status } userErrors { field code message } }
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

CREATE_PROGRAM = """
mutation($input: CreatePartnerProgramInput!) {
  createPartnerProgram(input: $input) {
    program { id name entryFeeRate affiliateMinSalesPerYear
              tiers { tier rate fromSale reward contractHeldBy supportBy onboardingBy onboardingInvoicedBy
                      evolutiveMaintenanceBy needsTechnicalQualification benefits } }
    userErrors { field code message }
  }
}"""

ENROLL = """
mutation($input: EnrollPartnerInput!) {
  enrollPartner(input: $input) {
    enrollment { id status tier entryFee { amount } technicallyQualified salesCount
                 rules { reward rate fromSale benefits contractHeldBy } partner { id } }
    userErrors { field code message }
  }
}"""

ENROLLMENT_FIELDS = "id status answeredAt answeredBy tier entryFee { amount } salesCount partner { id }"

ACCEPT_ENROLLMENT = f"""
mutation($input: AcceptEnrollmentInput!) {{
  acceptEnrollment(input: $input) {{ enrollment {{ {ENROLLMENT_FIELDS} }} userErrors {{ field code message }} }}
}}"""

DECLINE_ENROLLMENT = f"""
mutation($input: DeclineEnrollmentInput!) {{
  declineEnrollment(input: $input) {{ enrollment {{ {ENROLLMENT_FIELDS} }} userErrors {{ field code message }} }}
}}"""

ENROLLMENTS = f"""
query($partnerId: ID!, $status: ConsentStatus, $first: Int, $after: String) {{
  enrollments(partnerId: $partnerId, status: $status, first: $first, after: $after) {{
    edges {{ node {{ {ENROLLMENT_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }}
  }}
}}"""

LINK_FIELDS = """id status requestedAt answeredAt publisher { id } reseller { id } requestedBy { id }
  answeredBy { id }"""

REQUEST_LINK = f"""
mutation($input: RequestResellerLinkInput!) {{
  requestResellerLink(input: $input) {{ link {{ {LINK_FIELDS} }} userErrors {{ field code message }} }}
}}"""

ACCEPT_LINK = f"""
mutation($input: AcceptResellerLinkInput!) {{
  acceptResellerLink(input: $input) {{ link {{ {LINK_FIELDS} }} userErrors {{ field code message }} }}
}}"""

DECLINE_LINK = f"""
mutation($input: DeclineResellerLinkInput!) {{
  declineResellerLink(input: $input) {{ link {{ {LINK_FIELDS} }} userErrors {{ field code message }} }}
}}"""

RESELLER_LINKS = f"""
query($partnerId: ID!, $asReseller: Boolean, $status: ConsentStatus, $first: Int, $after: String) {{
  resellerLinks(partnerId: $partnerId, asReseller: $asReseller, status: $status, first: $first, after: $after) {{
    edges {{ node {{ {LINK_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }}
  }}
}}"""

NAMEABLE_RESELLERS = """
query($publisherId: ID!, $first: Int, $after: String) {
  nameableResellers(publisherId: $publisherId, first: $first, after: $after) {
    edges { node { id name } } pageInfo { hasNextPage endCursor }
  }
}"""

QUALIFY = """
mutation($input: SetTechnicalQualificationInput!) {
  setTechnicalQualification(input: $input) { enrollment { id technicallyQualified } userErrors { code } }
}"""

SETTLE = """
mutation($input: SettleCommissionsInput!) {
  settleCommissions(input: $input) {
    settled { id kind status amount { amount } } total { amount } userErrors { field code message }
  }
}"""

CANCEL_CONTRACT = """
mutation($input: CancelContractInput!) {
  cancelContract(input: $input) { contract { id status } userErrors { field code message } }
}"""

STATEMENT = """
query($partnerId: ID!, $from: DateTime!, $to: DateTime!) {
  partnerStatement(partnerId: $partnerId, from: $from, to: $to) {
    lines { id kind status amount { amount } installment dueBy }
    earned { amount } charged { amount } net { amount } earnedByKind { kind amount { amount } }
  }
}"""

COMPLIANCE = """
query($programId: ID!, $year: Int!) {
  affiliateCompliance(programId: $programId, year: $year) { partner { id name } sales meetsMinimum }
}"""

ESCROW_FIELDS = """
  id status products depositStale defaultReason declaredBy confirmedBy depositReleasedAt
  history { step actor note } notifications { recipientId recipientKind subject }
  continuityProvider { id } contractsUnderContinuity { id underContinuity }
"""

SIGN_ESCROW = (
    """
mutation($input: SignEscrowAgreementInput!) {
  signEscrowAgreement(input: $input) { escrowAgreement {"""
    + ESCROW_FIELDS
    + """} userErrors { field code message } }
}"""
)

DECLARE_DEFAULT = """
mutation($input: DeclarePublisherDefaultInput!) {
  declarePublisherDefault(input: $input) { escrowAgreement { id status } userErrors { field code message } }
}"""

CONFIRM_TRIGGER = """
mutation($input: ConfirmEscrowTriggerInput!) {
  confirmEscrowTrigger(input: $input) { escrowAgreement { id status } userErrors { field code message } }
}"""

ESCROW = "query($id: ID!) { escrowAgreement(id: $id) {" + ESCROW_FIELDS + "} }"

CAMPAIGN_FIELDS = """id name kind startsAt endsAt partnerRoles productFamily productReferences licenceProgram
  amount { amount } perOrderAmount { amount } rate multiplier payoutSlaHours vendor { id } distributor { id }"""

CREATE_CAMPAIGN = f"""
mutation($input: CreateIncentiveCampaignInput!) {{
  createIncentiveCampaign(input: $input) {{ campaign {{ {CAMPAIGN_FIELDS} }} userErrors {{ field code message }} }}
}}"""

ACCEPT_CAMPAIGN = """
mutation($input: AcceptIncentiveCampaignInput!) {
  acceptIncentiveCampaign(input: $input) { campaign { id acceptedBy acceptedAt } userErrors { field code message } }
}"""

CREDIT_LINE_FIELDS = """id insuredLimit { amount currency } guarantees { amount } orderExtras { amount }
  outstanding { amount } available { amount } distributor { id } reseller { id }
  pendingChange { fromLimit { amount } toLimit { amount } requestedBy requestedAt }
  history { action at by fromLimit { amount } toLimit { amount } }"""

SET_CREDIT_LINE = f"""
mutation($input: SetCreditLineInput!) {{
  setCreditLine(input: $input) {{ creditLine {{ {CREDIT_LINE_FIELDS} }} userErrors {{ field code message }} }}
}}"""

CONFIRM_CREDIT_LINE_CHANGE = f"""
mutation($input: ConfirmCreditLineChangeInput!) {{
  confirmCreditLineChange(input: $input) {{ creditLine {{ {CREDIT_LINE_FIELDS} }} userErrors {{ field code message }} }}
}}"""

WITHDRAW_CREDIT_LINE_CHANGE = f"""
mutation($input: WithdrawCreditLineChangeInput!) {{
  withdrawCreditLineChange(input: $input) {{
    creditLine {{ {CREDIT_LINE_FIELDS} }} userErrors {{ field code message }}
  }}
}}"""

RECORD_FIRM_ORDER = f"""
mutation($input: RecordFirmOrderInput!) {{
  recordFirmOrder(input: $input) {{
    creditLine {{ {CREDIT_LINE_FIELDS} }} movement {{ kind amount {{ amount }} licenceProgram reference by }}
    userErrors {{ field code message }}
  }}
}}"""

RECORD_RESELLER_PAYMENT = f"""
mutation($input: RecordResellerPaymentInput!) {{
  recordResellerPayment(input: $input) {{
    creditLine {{ {CREDIT_LINE_FIELDS} }} movement {{ kind amount {{ amount }} }} userErrors {{ field code message }}
  }}
}}"""

CREDIT_LINE = f"""
query($id: ID, $distributorId: ID, $resellerId: ID) {{
  creditLine(id: $id, distributorId: $distributorId, resellerId: $resellerId) {{
    {CREDIT_LINE_FIELDS}
    movements(first: 50) {{ edges {{ node {{ kind amount {{ amount }} licenceProgram }} }} }}
  }}
}}"""

CREDIT_LINES = """
query($partnerId: ID!, $asReseller: Boolean, $first: Int, $after: String) {
  creditLines(partnerId: $partnerId, asReseller: $asReseller, first: $first, after: $after) {
    edges { node { id insuredLimit { amount } } } pageInfo { hasNextPage endCursor }
  }
}"""

INCENTIVE_CAMPAIGNS = """
query($vendorId: ID!, $kind: CampaignKind, $first: Int, $after: String) {
  incentiveCampaigns(vendorId: $vendorId, kind: $kind, first: $first, after: $after) {
    edges { node { id name kind } } pageInfo { hasNextPage endCursor }
  }
}"""

PRICE_QUOTE = """
query($input: PriceQuoteInput!) {
  priceQuote(input: $input) {
    at listTotal { amount } discountTotal { amount } netTotal { amount }
    lines { reference licenceProgram quantity listAmount { amount } discountRate discount { amount }
            netAmount { amount } campaign { name } }
  }
}"""

RECORD_LICENCE_SALE = """
mutation($input: RecordLicenceSaleInput!) {
  recordLicenceSale(input: $input) {
    payout { id kind status amount { amount currency } beneficiary { id } }
    rebate { baseRate multiplier baseCampaign { name } multiplierCampaign { name } }
    userErrors { field code message }
  }
}"""

RUN_PAYMENTS = """
mutation($input: RunPaymentsInput!) {
  runPayments(input: $input) {
    run { id status upTo paidCount paid { amount } failedCount netted { amount } payer { id }
          transfers { edges { node { status amount { amount } netted { amount } paidCount reference
                                     counterparty { id } payouts { id kind status } } } } }
    userErrors { field code message }
  }
}"""

TRIAL_BALANCE = """
query($at: DateTime) {
  ledgerTrialBalance(at: $at) {
    at balanced debits { amount } credits { amount }
    accounts(first: 100) { edges { node { account type kind debits { amount } credits { amount }
                                          balance { amount } holder { id } counterparty { id } } } }
  }
}"""

BALANCES = """
query($id: ID!) {
  partner(id: $id) { id balances { counterparty { id } owedToPartner { amount } owedByPartner { amount }
                                   net { amount } } }
}"""

LEDGER_STATEMENT = """
query($partnerId: ID!, $from: DateTime!, $to: DateTime!) {
  partnerStatement(partnerId: $partnerId, from: $from, to: $to) {
    openingBalance { amount } closingBalance { amount }
    entries { id description positionChange { amount } counterparty { id }
              lines { account type kind debit { amount } credit { amount } } }
    lines { id kind status amount { amount } payer { id } beneficiary { id } }
    earned { amount } charged { amount } net { amount }
  }
}"""

PAYOUTS_OF_PAYER = """
query($payer: ID!) {
  payouts(filter: {payerId: $payer}, first: 100) {
    edges { node { id kind status amount { amount } settled { amount } payer { id } beneficiary { id } } }
  }
}"""

# webhooks (issue 19)
CREATE_WEBHOOK_ENDPOINT = """mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
  webhookEndpoint { id url eventTypes status } secret userErrors { field code message } } }"""
ROTATE_WEBHOOK_SECRET = """mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) {
  webhookEndpoint { id previousSecretExpiresAt } secret userErrors { code } } }"""
DISABLE_WEBHOOK_ENDPOINT = """mutation($input: DisableWebhookEndpointInput!) { disableWebhookEndpoint(input: $input) {
  webhookEndpoint { id status disabledReason } userErrors { code } } }"""
RESEND_WEBHOOK_EVENT = """mutation($input: ResendWebhookEventInput!) { resendWebhookEvent(input: $input) {
  delivery { id eventId status } userErrors { field code } } }"""
WEBHOOK_ENDPOINTS = """query($p: ID!) { webhookEndpoints(partnerId: $p) {
  id url status disabledReason failedDeliveriesInARow } }"""
WEBHOOK_DELIVERIES = """query($e: ID!, $first: Int) { webhookDeliveries(endpointId: $e, first: $first) { edges { node {
  id eventId eventType status nextAttemptAt attempts { number statusCode durationMs responseBody error } } } } }"""
EVENTS = """query($p: ID, $since: DateTime, $types: [String!]) { events(partnerId: $p, since: $since, types: $types,
  first: 100) { edges { node { id type occurredAt subjectId payload } } } }"""
