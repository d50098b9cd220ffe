"""requestFinancing where the e-signature provider mails its requests (Yousign): a file whose end
client it could not reach is refused before it starts, not left APPROVED with nowhere to send."""

from __future__ import annotations

import pytest

from tests import operations as ops
from tests.financing_flow import ANALYST, FinancingFlow
from tests.unit.test_financing_api import codes

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local


@pytest.fixture
def flow(world):
    return FinancingFlow(world)


def _by_mail(flow, monkeypatch):
    """The signature provider of AWS: its requests reach the end client by e-mail (Yousign)."""
    monkeypatch.setattr(flow.world.ports.signatures, "needs_signer_email", True)


def test_with_a_provider_that_mails_a_file_without_the_clients_address_is_refused_before_it_starts(flow, monkeypatch):
    _by_mail(flow, monkeypatch)
    # no e-mail, and a client whose signatory no analyst confirmed (the world's usual client has one)
    contract = flow.new_contract(customer={"name": "Client Inconnu", "registrationNumber": "552 100 554"})
    payload = flow.request(contract)
    assert codes(payload) == ["SIGNER_ADDRESS_REQUIRED"]
    assert payload["userErrors"][0]["field"] == ["input", "contractId"]
    assert flow.read(contract)["status"] == "DRAFT" and flow.read(contract)["financing"] is None
    assert flow.world.ports.workflows.started == {}  # no file approved that could never be sent


def test_the_clients_address_or_a_confirmed_signatory_lets_the_request_through(flow, monkeypatch):
    _by_mail(flow, monkeypatch)
    with_address = flow.new_contract(
        customer={"name": "Client Signataire", "registrationNumber": "552 100 554", "email": "compta@client.example"}
    )
    assert codes(flow.request(with_address)) == []
    confirmed = flow.world.run(
        ANALYST,
        ops.CONFIRM_SIGNATORY,
        input={"registrationNumber": "552 100 554", "name": "Jeanne Dubois", "email": "jeanne@client.example"},
    )
    assert confirmed.errors == [] and confirmed.data["confirmSignatory"]["userErrors"] == []
    signatory_known = flow.new_contract(customer={"name": "Client Signataire", "registrationNumber": "552 100 554"})
    payload = flow.request(signatory_known)
    # the same client's second file: reviewed with the first (beyond the immediate limit together)
    assert codes(payload) == [] and payload["contract"]["status"] == "UNDER_REVIEW"


def test_a_provider_that_needs_no_address_takes_a_file_without_one(flow):
    """The local signer (tests/unit/test_deploy_wiring.py checks which providers need one)."""
    assert flow.world.ports.signatures.needs_signer_email is False
    contract = flow.new_contract(customer={"name": "Client Inconnu", "registrationNumber": "552 100 554"})
    assert codes(flow.request(contract)) == []


def test_the_address_is_checked_again_on_the_draft_as_it_is_written(flow, monkeypatch):
    """An updateContract removing the e-mail between the request's read and its write."""
    from dataclasses import replace

    from channelfin.domain.customers import Customer
    from channelfin.services import financing

    _by_mail(flow, monkeypatch)
    contract = flow.new_contract(customer={"name": "Client Inconnu", "registrationNumber": "552 100 554"})
    read = financing.contract_for

    def read_before_the_update(*args, **kwargs):
        found = read(*args, **kwargs)
        customer = found.customer
        return replace(found, customer=Customer(customer.name, customer.registration_number, "old@client.example"))

    monkeypatch.setattr(financing, "contract_for", read_before_the_update)
    payload = flow.request(contract)
    assert codes(payload) == ["SIGNER_ADDRESS_REQUIRED"]
    assert flow.read(contract)["financing"] is None and flow.world.ports.workflows.started == {}
