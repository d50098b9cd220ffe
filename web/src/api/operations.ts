// Every operation the extranet sends. Types come from `npm run codegen` (schema.graphql): after a
// schema change, re-run it and let the type checker point at what moved.
import { graphql } from "../gql";

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      sub
      roles
      partner {
        id
        name
        roles
        financingAgreements {
          id
          status
          annualRate
          fileFee { amount currency }
          instantDecisionLimit { amount currency }
          leaser { id name }
        }
      }
    }
  }
`);

export const LeaseQuoteQuery = graphql(`
  query LeaseQuote($input: LeaseQuoteInput!) {
    leaseQuote(input: $input) {
      financedAmount { amount currency }
      rent { amount currency }
      upfrontPayout { amount currency }
      leaserFees { amount currency }
      decisionMode
      periods
    }
  }
`);

export const CreateContractMutation = graphql(`
  mutation CreateContract($input: CreateContractInput!) {
    createContract(input: $input) {
      contract { id status }
      userErrors { field code message }
    }
  }
`);

export const RequestFinancingMutation = graphql(`
  mutation RequestFinancing($input: RequestFinancingInput!) {
    requestFinancing(input: $input) {
      contract { id status }
      decision { outcome reasons }
      userErrors { field code message }
    }
  }
`);

export const ContractsQuery = graphql(`
  query Contracts($filter: ContractFilter, $first: Int, $after: String) {
    contracts(filter: $filter, first: $first, after: $after) {
      nodes {
        id
        status
        createdAt
        customer { name }
        owner { id name }
        softwareFee { amount currency }
        periodicity
        termMonths
        financing { financedAmount { amount currency } }
        timeline { status at }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const ContractQuery = graphql(`
  query Contract($id: ID!) {
    contract(id: $id) {
      id
      status
      createdAt
      startDate
      periodicity
      termMonths
      resellerRole
      customer { name registrationNumber email }
      owner { id name }
      publisher { id name }
      reseller { id name }
      supportProvider { id name }
      softwareFee { amount currency }
      supportFee { amount currency }
      payoutDueBy
      financing {
        financedAmount { amount currency }
        upfrontPayout { amount currency }
        leaserFees { amount currency }
        decisionMode
        decision { outcome reasons decidedAt }
        requestedAt
        transmittedAt
        waitingFor
        declined
        deliveryReport { installedAt signedBy submittedAt }
      }
      documents { kind status signingUrl downloadUrl signedBy signedAt declineReason }
      timeline { status at actor note }
      payouts(first: 50) {
        nodes {
          id
          kind
          status
          amount { amount currency }
          installment
          dueBy
          paidAt
          beneficiary { id name }
        }
      }
    }
  }
`);

export const SubmitDeliveryReportMutation = graphql(`
  mutation SubmitDeliveryReport($input: SubmitDeliveryReportInput!) {
    submitDeliveryReport(input: $input) {
      contract { id status }
      userErrors { field code message }
    }
  }
`);

export const PayoutLineFragment = graphql(`
  fragment PayoutLine on Payout {
    id
    kind
    status
    amount { amount currency }
    installment
    dueBy
    paidAt
    beneficiary { id name }
    payer { id name }
    contract { id customer { name } }
  }
`);

export const PayoutsQuery = graphql(`
  query Payouts($filter: PayoutFilter, $first: Int, $after: String) {
    payouts(filter: $filter, first: $first, after: $after) {
      nodes { ...PayoutLine }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const StatementQuery = graphql(`
  query Statement($partnerId: ID!, $from: DateTime!, $to: DateTime!) {
    partnerStatement(partnerId: $partnerId, from: $from, to: $to) {
      start
      end
      earned { amount currency }
      charged { amount currency }
      net { amount currency }
      openingBalance { amount currency }
      closingBalance { amount currency }
      lines { ...PayoutLine }
    }
  }
`);

export const EnrollmentQuery = graphql(`
  query Enrollment($id: ID!) {
    enrollment(id: $id) {
      id
      tier
      salesCount
      enrolledAt
      technicallyQualified
      entryFee { amount currency }
      rules { reward rate fromSale needsTechnicalQualification benefits }
      partner { id name }
      program { id name affiliateMinSalesPerYear publisher { id name } }
    }
  }
`);

export const ProgramContractsQuery = graphql(`
  query ProgramContracts($partnerId: ID!) {
    contracts(filter: { partnerId: $partnerId, role: PROGRAM_PARTNER }, first: 100) {
      nodes {
        id
        status
        createdAt
        customer { name }
        timeline { status at }
        enrollment { id tier program { id name } }
      }
    }
  }
`);

export const CreditLinesQuery = graphql(`
  query CreditLines($partnerId: ID!) {
    creditLines(partnerId: $partnerId, asReseller: true, first: 100) {
      nodes {
        id
        distributor { id name }
        insuredLimit { amount currency }
        guarantees { amount currency }
        orderExtras { amount currency }
        outstanding { amount currency }
        available { amount currency }
        pendingChange { fromLimit { amount currency } toLimit { amount currency } requestedAt }
      }
    }
  }
`);
