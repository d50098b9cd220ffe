"""What each value of the API's enums means, shown by GraphiQL and generated clients (issue 18).

The enums are the domain's own classes (`api/core/enums.py`), which may not import Strawberry,
so their values are described here, once they are marked, by name.
"""

import dataclasses
import enum

VALUES: dict[str, dict[str, str]] = {
    "ContractStatus": {
        "DRAFT": "Created; its owner may still change it (updateContract) or ask for financing.",
        "FINANCING_REQUESTED": "Financing asked; the decision follows at once or after a credit review.",
        "UNDER_REVIEW": "At or above the agreement's immediate-decision limit: the leaser's analysts decide.",
        "APPROVED": "The leaser finances it; the documents go out for signature.",
        "REJECTED": "The leaser declined (the decision's reasons say why).",
        "AWAITING_SIGNATURES": "The sale and lease contracts are out for electronic signature.",
        "AWAITING_DELIVERY": "Signed; waiting for the end client's delivery report.",
        "AWAITING_PAYMENT": "The complete file went to the leaser; the payout SLA clock runs (payoutDueBy).",
        "ACTIVE": "The software part is paid; rents and support shares run.",
        "COMPLETED": "Every installment collected: the lease ended.",
        "CANCELLED": "Cancelled before financing (cancelContract); its unsettled commissions went with it.",
        "EXPIRED": "A step waited too long (credit review, signatures, delivery): the file lapsed.",
    },
    "AuditOutcome": {
        "DONE": "The operation was carried out.",
        "REFUSED": "Refused for a business reason (userErrors).",
        "DENIED": "Refused for want of rights (FORBIDDEN or UNAUTHENTICATED).",
    },
    "Periodicity": {
        "MONTHLY": "12 rents a year.",
        "QUARTERLY": "4 rents a year; the term is a whole number of quarters.",
        "ANNUAL": "1 rent a year; the term is a whole number of years.",
    },
    "DecisionOutcome": {
        "APPROVED": "Financed.",
        "REJECTED": "Not financed; the reasons say why.",
        "REFERRED": "Sent to the leaser's analysts for a credit review.",
    },
    "DocumentKind": {
        "SALE_CONTRACT": "The contract between the owner and the end client.",
        "LEASE_CONTRACT": "The lease between the leaser and the end client.",
        "DELIVERY_REPORT": "The end client's report that the service was delivered.",
    },
    "WaitStep": {
        "CREDIT_REVIEW": "An analyst's decision (reviewFinancing).",
        "SIGNATURES": "Both contracts signed (recordSignature).",
        "DELIVERY_REPORT": "The delivery report (submitDeliveryReport).",
        "DELIVERY_SIGNATURE": "The end client's signature of the submitted delivery report.",
        "PAYOUT_RELEASE": "A credit analyst's release of an upfront payout held for a publisher in default.",
    },
    "SignatureSource": {
        "PROVIDER": "The e-signature provider reported it (through the connector).",
        "OVERRIDE": "A leaser-admin recorded it, with a reason (audited).",
    },
    "PartnerRole": {
        "LEASER": "Finances contracts and pays the software part and support shares.",
        "PUBLISHER": "Publishes the software; owns contracts it sells itself.",
        "RESELLER": "Introduces deals (INTRODUCER) or buys and resells (BUY_RESELL); any may be named on a contract.",
        "INTEGRATOR": "Integrates the software for end clients (a partner program tier).",
        "AFFILIATE": "Holds and supports its own contracts in a publisher's program.",
        "PRESCRIBER": "Refers clients to a publisher (referrer).",
        "DISTRIBUTOR": "Grants resellers credit lines and runs incentive campaigns with vendors.",
        "HOST": "Hosts the software (hébergeur); party to escrow agreements.",
        "SERVICES_FIRM": "An IT services firm (SSII): sells and integrates software for end clients.",
    },
    "ResellerRole": {
        "INTRODUCER": "The reseller brought the deal; the publisher owns the contract.",
        "BUY_RESELL": "The reseller bought and resold: it owns the contract (achat-revente).",
    },
    "PartyRole": {
        "OWNER": "Holds the contract with the end client and receives the financing.",
        "PUBLISHER": "The software's publisher.",
        "RESELLER": "The reseller, introducer or buy-resell.",
        "PROGRAM_PARTNER": "The partner-program member the contract is attributed to (enrollmentId).",
        "SUPPORT_PROVIDER": "A continuity provider that took the contract over after an escrow trigger.",
    },
    "CampaignKind": {
        "CREDIT_GUARANTEE": "Adds `amount` of credit at the distributor for each reseller.",
        "ORDER_CREDIT": "Adds `amount` of credit per full `perOrderAmount` of firm orders, over the campaign.",
        "DISCOUNT": "`rate` off the listed product references under the licence program.",
        "REBATE": "A base back-margin `rate` on the product family's sales by the partner roles named.",
        "REBATE_MULTIPLIER": "Multiplies the REBATE on the product family for the partner roles, in the period.",
        "FINANCING_REFERRAL": "Pays a reseller that brings a client to the vendor's financing offer, within the SLA.",
    },
    "CreditChangeAction": {
        "OPENED": "The first limit of a line.",
        "APPLIED": "A raise or a moderate cut, in force at once.",
        "HELD": "A cut to zero or by more than half, waiting for a second user.",
        "CONFIRMED": "A held change was confirmed and took effect.",
        "WITHDRAWN": "A held change was withdrawn.",
    },
    "MovementKind": {
        "FIRM_ORDER": "A firm order: charges the line.",
        "RESELLER_PAYMENT": "A reseller's payment: repays the line.",
    },
    "DocumentStatus": {
        "GENERATED": "Produced, not yet sent.",
        "SENT": "Out for electronic signature.",
        "SIGNED": "Signed by everyone who must.",
        "DECLINED": "A signer refused.",
        "EXPIRED": "Not signed in time.",
    },
    "EscrowStatus": {
        "ACTIVE": "In force.",
        "DEFAULT_DECLARED": "A publisher default declared; waiting for another leaser-admin to confirm.",
        "TRIGGERED": "Confirmed: the continuity provider took the contracts over.",
        "DISMISSED": "A declared default was not confirmed; a new one may be declared.",
    },
    "DecisionMode": {
        "IMMEDIATE": "Below the agreement's limit: decided at once, automatically.",
        "CREDIT_REVIEW": "At or above the limit: the leaser's analysts decide.",
    },
    "AccountType": {
        "RECEIVABLE": "What a counterparty owes the holder.",
        "PAYABLE": "What the holder owes a counterparty.",
        "FAILED": "Owed after a transfer failed.",
        "INCOME": "What the holder earned.",
        "EXPENSE": "What the holder spent.",
        "BANK": "Money that left or reached the holder through a transfer.",
    },
    "AgreementStatus": {
        "ACTIVE": "In force: contracts may be financed under it.",
        "TERMINATED": "Ended: no new financing under it.",
    },
    "PayoutKind": {
        "SOFTWARE_UPFRONT": "The financed software part, paid by the leaser to the owner.",
        "SUPPORT_SHARE": "The support part of a collected rent, paid to the support provider.",
        "COMMISSION": "A program partner's commission on a sale, paid by the publisher.",
        "PARTNER_CHARGE": "What an affiliate owes the publisher each year for a contract it holds.",
        "REBATE": "A vendor's back-margin on a reseller's sales.",
        "REFERRAL": "A financing referral reward (FINANCING_REFERRAL campaigns).",
        "ENTRY_FEE": "A partner's fee on entering a publisher's program.",
        "CLAWBACK": "A paid commission owed back after its contract was cancelled.",
        "CHARGE_REFUND": "A settled partner charge given back to the affiliate after its contract was cancelled.",
    },
    "PayoutStatus": {
        "SCHEDULED": "Due, not paid yet.",
        "PAID": "Paid (by transfer or set off).",
        "FAILED": "The transfer failed; still owed.",
        "CANCELLED": "No longer owed.",
    },
    "RunStatus": {
        "RUNNING": "Paying its counterparties.",
        "DONE": "Every counterparty handled.",
        "FAILED": "The run broke; what it did not pay stays owed.",
    },
    "TransferStatus": {
        "PENDING": "Not sent yet.",
        "PAID": "Sent.",
        "NETTED": "Nothing to send: all set off.",
        "FAILED": "The transfer failed; still owed.",
    },
    "PartnerTier": {
        "AFFILIATE": "Holds and supports its contracts; pays the publisher a yearly charge per contract.",
        "INTEGRATOR_AFFILIATE": "Onboards as the publisher's subcontractor: 70% of the first annuity, 2nd sale on.",
        "INDEPENDENT_INTEGRATOR": "Onboards and invoices itself: 50% of the first annuity from its 2nd sale.",
        "PRESCRIBER": "Refers clients: 15% of the first annuity from its 1st sale.",
    },
    "ProgramActor": {
        "PARTNER": "The enrolled partner.",
        "PUBLISHER": "The program's publisher.",
    },
    "WebhookEndpointStatus": {
        "ENABLED": "Events are delivered to its URL.",
        "DISABLED": "Nothing is delivered any more; `disabledReason` says why (create a new endpoint to resume).",
    },
    "WebhookDeliveryStatus": {
        "PENDING": "Not yet answered with a 2xx; retried with backoff.",
        "SUCCEEDED": "The receiver answered with a 2xx.",
        "FAILED": "Every retry failed; `resendWebhookEvent` sends it again.",
    },
    "ConsentStatus": {
        "PENDING": "Asked; waiting for the other side's answer.",
        "ACCEPTED": "The other side agreed.",
        "DECLINED": "The other side refused.",
    },
    "RewardKind": {
        "COMMISSION": "Paid once per sale.",
        "RECURRING_CHARGE": "Charged each year to a partner holding the contract.",
    },
}


def describe_values(marked: list[type[enum.Enum]]) -> None:
    """Give each value of these Strawberry-marked enums its description from VALUES."""
    for cls in marked:
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        described = VALUES.get(definition.name, {})
        definition.values = [
            dataclasses.replace(value, description=described.get(value.name, value.description))
            for value in definition.values
        ]
