"""Lambda entry points of the escrow-trigger state machine (infra/escrow.asl.json), one per Task.

serverless.yml points each function at `channelfin.handlers.escrow_steps.<name>`.
"""

from __future__ import annotations

from channelfin.handlers.workflow_task import task

validate_claim = task("ValidateClaim")
await_confirmation = task("AwaitConfirmation")
notify_host = task("NotifyHost")
notify_end_clients = task("NotifyEndClients")
release_deposit = task("ReleaseDeposit")
list_affected_contracts = task("ListAffectedContracts")
take_over_contract = task("TakeOverContract")
mark_triggered = task("MarkTriggered")
dismiss_unconfirmed = task("DismissUnconfirmed")
