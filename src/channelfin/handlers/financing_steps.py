"""Lambda entry points of the financing state machine (infra/financing.asl.json), one per Task.

serverless.yml points each function at `channelfin.handlers.financing_steps.<name>`.
"""

from __future__ import annotations

from channelfin.handlers.workflow_task import task

await_credit_review = task("AwaitCreditReview")
send_for_signature = task("SendForSignature")
await_delivery_report = task("AwaitDeliveryReport")
send_delivery_report = task("SendDeliveryReport")
transmit_file = task("TransmitFile")
create_upfront_payout = task("CreateUpfrontPayout")
hold_upfront_payout = task("HoldUpfrontPayout")
disburse = task("Disburse")
mark_payout_failed = task("MarkPayoutFailed")
activate = task("Activate")
create_referral_payout = task("CreateReferralPayout")
expire = task("Expire")
cancel = task("Cancel")
