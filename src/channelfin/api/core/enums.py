"""The domain's enums as the API shows them, decorated once, before any area module is read.

`strawberry.enum` marks the domain's own enum classes, so every area annotates with the
domain enum itself. An annotation read before its enum is marked would make Strawberry
define a second enum of the same name, so `channelfin.api` imports this module first.
"""

import strawberry

from channelfin.api.core.enum_values import describe_values
from channelfin.domain import audit as daudit
from channelfin.domain import contract_status
from channelfin.domain import contracts as dc
from channelfin.domain import documents as ddoc
from channelfin.domain import escrow as de
from channelfin.domain import financing as df
from channelfin.domain import financing_file as dff
from channelfin.domain import ledger as dl
from channelfin.domain import partners as dp
from channelfin.domain import payment_runs as dpr
from channelfin.domain import payouts as dpay
from channelfin.domain import programs as dprog
from channelfin.domain import relations as drel
from channelfin.domain import webhook_deliveries as dwd
from channelfin.domain import webhooks as dwh
from channelfin.domain.incentives import campaigns as dcampaigns
from channelfin.domain.incentives import credit_lines as dcredit

# audit
strawberry.enum(daudit.AuditOutcome, description="DONE, REFUSED (userErrors) or DENIED.")

# contracts
strawberry.enum(contract_status.ContractStatus, description="Where a contract stands in its life.")
strawberry.enum(dc.ResellerRole, description="INTRODUCER or BUY_RESELL (achat-revente).")
strawberry.enum(dc.PartyRole, description="The part a partner plays on a contract.")

# documents
strawberry.enum(dff.DocumentKind, description="The signed documents of a financed contract's file.")
strawberry.enum(ddoc.DocumentStatus, description="GENERATED, SENT, SIGNED, DECLINED or EXPIRED.")

# escrow
strawberry.enum(de.EscrowStatus, description="ACTIVE, DEFAULT_DECLARED, TRIGGERED or DISMISSED.")

# financing
strawberry.enum(df.Periodicity, description="How often rents fall due (12, 4 or 1 a year).")
strawberry.enum(df.DecisionMode, description="IMMEDIATE below the agreement's limit.")
strawberry.enum(dff.DecisionOutcome, description="A financing decision.")
strawberry.enum(dff.WaitStep, description="What the financing workflow waits for.")
strawberry.enum(dff.SignatureSource, description="Who vouches for a signature: the provider, or a leaser-admin.")

# incentives
strawberry.enum(dcampaigns.CampaignKind, description="What an incentive campaign gives (DESIGN 4).")
strawberry.enum(
    dcredit.CreditChangeAction, description="OPENED, APPLIED, HELD (waits for a second user), CONFIRMED or WITHDRAWN."
)
strawberry.enum(dcredit.MovementKind, description="FIRM_ORDER charges the line; RESELLER_PAYMENT repays it.")

# partners
strawberry.enum(dp.PartnerRole, description="What a partner is to the platform.")
strawberry.enum(dp.AgreementStatus, description="Whether the agreement is in force.")

# payouts
strawberry.enum(dpay.PayoutKind, description="What a payout pays for.")
strawberry.enum(dpay.PayoutStatus, description="Where a payout stands.")

# consent (partners and programs)
strawberry.enum(
    drel.ConsentStatus,
    description="An enrolment or a reseller link: PENDING until the partner it concerns answers, "
    "then ACCEPTED or DECLINED (answered once).",
)

# programs
strawberry.enum(dprog.PartnerTier, description="The four tiers of a publisher's partner program.")
strawberry.enum(dprog.Actor, name="ProgramActor", description="Who does it: the partner or the publisher.")
strawberry.enum(
    dprog.RewardKind,
    description="COMMISSION paid once per sale, or RECURRING_CHARGE to a partner holding the contract.",
)

# ledger
strawberry.enum(
    dl.AccountType, description="RECEIVABLE, PAYABLE, FAILED (owed after a failed transfer), INCOME, EXPENSE, BANK."
)

# payments
strawberry.enum(dpr.RunStatus, description="RUNNING, DONE (every counterparty handled) or FAILED (the run broke).")
strawberry.enum(dpr.TransferStatus, description="PENDING, PAID, NETTED (all set off), FAILED (still owed).")

# webhooks
strawberry.enum(dwh.EndpointStatus, name="WebhookEndpointStatus", description="ENABLED, or DISABLED (see why).")
strawberry.enum(
    dwd.DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="PENDING (retried with backoff), SUCCEEDED (a 2xx answer) or FAILED (retries exhausted).",
)

describe_values(
    [
        daudit.AuditOutcome,
        contract_status.ContractStatus,
        dc.ResellerRole,
        dc.PartyRole,
        dff.DocumentKind,
        ddoc.DocumentStatus,
        de.EscrowStatus,
        df.Periodicity,
        df.DecisionMode,
        dff.DecisionOutcome,
        dff.WaitStep,
        dff.SignatureSource,
        dcampaigns.CampaignKind,
        dcredit.CreditChangeAction,
        dcredit.MovementKind,
        dp.PartnerRole,
        dp.AgreementStatus,
        dpay.PayoutKind,
        dpay.PayoutStatus,
        dprog.PartnerTier,
        dprog.Actor,
        dprog.RewardKind,
        dl.AccountType,
        dpr.RunStatus,
        dpr.TransferStatus,
        drel.ConsentStatus,
        dwh.EndpointStatus,
        dwd.DeliveryStatus,
    ]
)
