"""What the file's documents say (domain.documents) and their PDF (workflows.pdf)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelfin.adapters.pdf import PdfRenderer, printable
from channelfin.domain.contracts import Contract
from channelfin.domain.customers import Customer
from channelfin.domain.document_content import (
    NBSP,
    DocumentContent,
    add_months,
    delivery_report_content,
    format_amount,
    format_rate,
    lease_contract_content,
    rent_schedule,
    sale_contract_content,
)
from channelfin.domain.documents import sha256_of
from channelfin.domain.financing import LeaseTerms, Periodicity, quote
from channelfin.domain.financing_file import DeliveryReport, DocumentKind, decide, open_file
from channelfin.domain.money import Money
from channelfin.domain.partners import FinancingAgreement, Partner, PartnerRole

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LEASER_SIREN, PUBLISHER_SIREN, RESELLER_SIREN, CUSTOMER_SIREN = "552100554", "732829320", "443061841", "356000000"

LEASER = Partner.register(
    id="p-leaser", name="Leasecom", roles=[PartnerRole.LEASER], created_at=T0, registration_number=LEASER_SIREN
)
PUBLISHER = Partner.register(
    id="p-publisher",
    name="Éditions Logicielles",
    roles=[PartnerRole.PUBLISHER],
    created_at=T0,
    registration_number=PUBLISHER_SIREN,
)
RESELLER = Partner.register(
    id="p-reseller", name="Revendeur Ça Va", roles=[PartnerRole.RESELLER], created_at=T0, registration_number=None
)
CUSTOMER = Customer.create("Boulangerie Martin", registration_number=CUSTOMER_SIREN, email="compta@martin.fr")


def agreement_of(owner: Partner, **overrides) -> FinancingAgreement:
    values = dict(annual_rate=Decimal("0.06"), file_fee=Money.of("150.00"))
    values.update(overrides)
    return FinancingAgreement.sign(
        id=f"a-{owner.id}", partner=owner, leaser=LEASER, signed_at=T0, signed_by="admin", **values
    )


def contract_of(
    owner: Partner = PUBLISHER,
    reseller: Partner | None = None,
    *,
    periodicity: Periodicity = Periodicity.MONTHLY,
    term_months: int = 36,
    software: Money = Money.of("1000.00"),
    support: Money = Money.of("150.00"),
    start: date = date(2027, 1, 1),
) -> Contract:
    return Contract.create(
        id="c-000042",
        owner=owner,
        publisher=PUBLISHER,
        reseller=reseller,
        customer=CUSTOMER,
        periodicity=periodicity,
        term_months=term_months,
        start_date=start,
        software_fee=software,
        support_fee=support,
        created_at=T0,
        created_by="user",
    )


def financed(contract: Contract, agreement: FinancingAgreement) -> Contract:
    terms = LeaseTerms(contract.periodicity, contract.term_months, agreement.annual_rate)
    q = quote(
        terms,
        file_fee=agreement.file_fee,
        instant_decision_limit=agreement.instant_decision_limit,
        software_fee=contract.software_fee,
    )
    decision = decide(q, term_months=contract.term_months, customer_registration=CUSTOMER_SIREN, decided_at=T0)
    return replace(contract, financing=open_file(agreement, q, decision, at=T0, by="user"))


def cents(text: str) -> int:
    """Back from `1 234,56 €` to 123456."""
    digits = text.removesuffix(f"{NBSP}€").replace(NBSP, "").replace(",", "")
    return int(digits)


def lease_content(contract: Contract | None = None) -> DocumentContent:
    agreement = agreement_of(PUBLISHER)
    return lease_contract_content(financed(contract or contract_of(), agreement), LEASER, agreement)


# ---------------------------------------------------------------- formatting


def test_amounts_are_french_with_no_break_spaces():
    assert format_amount(Money.of("1000")) == f"1{NBSP}000,00{NBSP}€"
    assert format_amount(Money.of("1234567.895")) == f"1{NBSP}234{NBSP}567,90{NBSP}€"  # half-up
    assert format_amount(Money.of("0.5")) == f"0,50{NBSP}€"
    assert format_amount(Money.of("-12.3")) == f"-12,30{NBSP}€"
    assert format_amount(Money.of("12", "USD")) == f"12,00{NBSP}USD"


def test_rates_are_french_percentages():
    assert format_rate(Decimal("0.06")) == f"6,00{NBSP}%"
    assert format_rate(Decimal("0.0525")) == f"5,25{NBSP}%"
    assert format_rate(Decimal("0.05125")) == f"5,125{NBSP}%"


def test_a_due_date_past_the_end_of_a_short_month_is_its_last_day():
    start = date(2027, 1, 31)
    assert [add_months(start, k) for k in range(4)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


# ---------------------------------------------------------------- the rent schedule


@given(
    rent_thousandths=st.integers(min_value=0, max_value=10**9),
    periods=st.integers(min_value=1, max_value=120),
)
def test_rent_schedule_adds_up_to_the_cent(rent_thousandths, periods):
    rent = Money(Decimal(rent_thousandths).scaleb(-3))
    schedule = rent_schedule(rent, periods)
    assert len(schedule) == periods
    assert sum(schedule, Money.zero()) == (rent * periods).rounded()
    assert all(r.rounded() == r for r in schedule)
    assert max(schedule).to_cents() - min(schedule).to_cents() <= 1


def test_rent_schedule_needs_a_period():
    with pytest.raises(ValueError):
        rent_schedule(Money.of("10.00"), 0)


@given(
    software_cents=st.integers(min_value=1, max_value=10**8),
    support_cents=st.integers(min_value=0, max_value=10**7),
    periodicity=st.sampled_from(list(Periodicity)),
    periods=st.integers(min_value=1, max_value=120),
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
)
def test_lease_schedule_rows_add_up_to_the_cent(software_cents, support_cents, periodicity, periods, start):
    term = periods * periodicity.months_per_period
    if term > 120:
        periods, term = 120 // periodicity.months_per_period, 120
    software, support = Money.from_cents(software_cents), Money.from_cents(support_cents)
    content = lease_content(
        contract_of(periodicity=periodicity, term_months=term, software=software, support=support, start=start)
    )
    [schedule] = content.tables
    assert len(schedule.rows) == periods

    numbers = [int(row[0]) for row in schedule.rows]
    assert numbers == list(range(1, periods + 1))
    due = [datetime.strptime(row[1], "%d/%m/%Y").date() for row in schedule.rows]
    assert due[0] == start  # rents paid in advance: the first on the start date
    assert due == [add_months(start, k * periodicity.months_per_period) for k in range(periods)]
    assert due == sorted(set(due))

    for row in schedule.rows:
        assert cents(row[2]) + cents(row[3]) == cents(row[4])
    total = schedule.total
    assert total is not None and total[0] == "Total"
    for column in (2, 3, 4):
        assert sum(cents(row[column]) for row in schedule.rows) == cents(total[column])
    assert cents(total[2]) == software_cents * periods
    assert cents(total[3]) == support_cents * periods
    assert cents(total[4]) == (software_cents + support_cents) * periods


def test_quarterly_due_dates_are_three_months_apart():
    content = lease_content(contract_of(periodicity=Periodicity.QUARTERLY, term_months=12, start=date(2027, 1, 15)))
    assert [row[1] for row in content.tables[0].rows] == ["15/01/2027", "15/04/2027", "15/07/2027", "15/10/2027"]


# ---------------------------------------------------------------- the three documents


def test_sale_contract_owned_by_the_publisher():
    content = sale_contract_content(contract_of(PUBLISHER, RESELLER), PUBLISHER, PUBLISHER, RESELLER)
    assert content.kind is DocumentKind.SALE_CONTRACT
    assert content.title == "Contrat de vente"
    assert content.reference == "c-000042"
    assert [(p.role, p.name, p.siren) for p in content.parties] == [
        ("Le fournisseur", PUBLISHER.name, PUBLISHER_SIREN),
        ("Le client", CUSTOMER.name, CUSTOMER_SIREN),
    ]
    text = "\n".join(content.paragraphs)
    assert "Périodicité : mensuelle" in text
    assert "36 mois" in text and "01/01/2027" in text
    assert f"part logicielle 1{NBSP}000,00{NBSP}€" in text
    assert f"part assistance 150,00{NBSP}€" in text
    assert f"soit 1{NBSP}150,00{NBSP}€ HT" in text
    assert f"{RESELLER.name}, apporteur d'affaires" in text
    [fees] = content.tables
    assert fees.total == ("Total", format_amount(Money.of("1150.00")), format_amount(Money.of("41400.00")))
    assert content.signature_lines == ("Pour le client", f"Pour {PUBLISHER.name}")
    assert content.issued_on == T0.date()


def test_sale_contract_owned_by_the_reseller_names_the_publisher():
    content = sale_contract_content(
        contract_of(RESELLER, RESELLER, periodicity=Periodicity.ANNUAL, term_months=24), RESELLER, PUBLISHER, RESELLER
    )
    assert [(p.role, p.name, p.siren) for p in content.parties] == [
        ("Le fournisseur", RESELLER.name, None),
        ("L'éditeur", PUBLISHER.name, PUBLISHER_SIREN),
        ("Le client", CUSTOMER.name, CUSTOMER_SIREN),
    ]
    text = "\n".join(content.paragraphs)
    assert "achat-revente" in text and f"éditée par {PUBLISHER.name}" in text
    assert "Périodicité : annuelle" in text and "soit 2 échéances" in text
    assert content.signature_lines[-1] == f"Pour {RESELLER.name}"


def test_sale_contract_refuses_partners_that_are_not_the_contracts():
    contract = contract_of(PUBLISHER, RESELLER)
    with pytest.raises(ValueError):
        sale_contract_content(contract, RESELLER, PUBLISHER, RESELLER)
    with pytest.raises(ValueError):
        sale_contract_content(contract, PUBLISHER, PUBLISHER, None)


def test_lease_contract_states_the_financing():
    content = lease_content()
    assert content.kind is DocumentKind.LEASE_CONTRACT
    assert content.title == "Contrat de location"
    assert [(p.role, p.siren) for p in content.parties] == [
        ("Le bailleur", LEASER_SIREN),
        ("Le locataire", CUSTOMER_SIREN),
    ]
    text = "\n".join(content.paragraphs)
    # DESIGN 2's worked example: 1,000.00 a month, 36 months, 6%, file fee 150.00
    assert f"Montant financé : 33{NBSP}035,37{NBSP}€" in text
    # The agreement's terms are not the end client's nor an introducer's to read (issue 17).
    assert (
        "Taux" not in text and "6,00" not in text and "150,00" not in text and "3 114,63".replace(" ", NBSP) not in text
    )
    assert "terme à échoir" in text
    assert content.signature_lines == ("Pour le locataire", f"Pour {LEASER.name}")


def test_lease_contract_requires_financing():
    with pytest.raises(ValueError, match="not financed"):
        lease_contract_content(contract_of(), LEASER, agreement_of(PUBLISHER))


def test_lease_contract_refuses_another_agreement():
    contract = financed(contract_of(), agreement_of(PUBLISHER))
    other = replace(agreement_of(PUBLISHER), id="a-other")
    with pytest.raises(ValueError):
        lease_contract_content(contract, LEASER, other)


@pytest.mark.parametrize("reservations", [None, "", "   "])
def test_delivery_report_without_reservations(reservations):
    report = DeliveryReport(installed_at=date(2027, 1, 10), signed_by="Marie Martin", submitted_at=T0)
    content = delivery_report_content(contract_of(), PUBLISHER, report, reservations)
    assert content.kind is DocumentKind.DELIVERY_REPORT
    assert content.title == "Procès-verbal de livraison"
    text = "\n".join(content.paragraphs)
    assert "Réserves : Sans réserve" in text
    assert "10/01/2027" in text and "Marie Martin" in text
    assert [p.siren for p in content.parties] == [PUBLISHER_SIREN, CUSTOMER_SIREN]
    assert content.issued_on == T0.date()


def test_delivery_report_with_reservations():
    report = DeliveryReport(installed_at=date(2027, 1, 10), signed_by="Marie Martin", submitted_at=T0)
    content = delivery_report_content(contract_of(), PUBLISHER, report, "Module de caisse\nnon livré")
    text = "\n".join(content.paragraphs)
    assert "Réserves : Module de caisse non livré" in text
    assert "Sans réserve" not in text


# ---------------------------------------------------------------- the PDF


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def sample_pdf_sha256() -> str:
    """Called in fresh interpreters too: no state of this process may change the bytes."""
    return sha256_of(PdfRenderer().render(lease_content()))


def test_pdf_is_a_pdf_with_the_title_the_reference_on_every_page_and_euros():
    content = lease_content(contract_of(term_months=120))
    data = PdfRenderer().render(content)
    assert data.startswith(b"%PDF-")
    pages = pdf_text(data)
    assert len(pages) > 1  # 120 rents do not fit on one page
    assert "Contrat de location" in pages[0]
    assert all(content.reference in page for page in pages)
    everything = "\n".join(pages)
    assert content.tables[0].total[4] == f"138{NBSP}000,00{NBSP}€"
    # fpdf2 keeps a figure on one line and draws its no-break spaces as spaces; "€" is WinAnsi 0x80
    assert "138 000,00 €" in everything
    assert "Total" in everything and "Pour le locataire" in everything


def test_pdf_is_deterministic():
    renderer = PdfRenderer()
    content = lease_content()
    first, second = renderer.render(content), renderer.render(content)
    assert first == second
    assert sha256_of(first) == sha256_of(second)
    assert sha256_of(PdfRenderer().render(lease_content())) == sha256_of(first)


def test_pdf_is_the_same_in_another_process():
    script = "from tests.unit.test_documents import sample_pdf_sha256; print(sample_pdf_sha256())"
    shas = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": "Pacific/Auckland" if seed == "1" else "America/Lima"}
        out = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        shas.add(out.stdout.strip())
    assert shas == {sample_pdf_sha256()}


def test_pdf_changes_with_the_content():
    renderer = PdfRenderer()
    content = lease_content()
    assert renderer.render(content) != renderer.render(replace(content, issued_on=date(2027, 1, 2)))
    assert renderer.render(content) != renderer.render(replace(content, paragraphs=content.paragraphs[:-1]))


def test_pdf_draws_every_document_and_transliterates_what_the_font_cannot():
    foreign = replace(CUSTOMER, name="Kovács Őrs Łódź 株式会社")
    contract = replace(contract_of(PUBLISHER, RESELLER), customer=foreign)
    report = DeliveryReport(installed_at=date(2027, 1, 10), signed_by="Marie Martin", submitted_at=T0)
    renderer = PdfRenderer()
    for content in (
        sale_contract_content(contract, PUBLISHER, PUBLISHER, RESELLER),
        delivery_report_content(contract, PUBLISHER, report),
    ):
        pages = pdf_text(renderer.render(content))
        assert content.title in pages[0]
        assert "Kovács Ors Lódz ZhuShiHuiShe" in pages[0]  # ó is in Windows-1252: kept
    assert printable("Éé àç « » € Œ") == "Éé àç « » € Œ"
    assert printable("Őrs 株 Ромашка Łukasz") == "Ors Zhu Romashka Lukasz"
    assert printable("\U000f0000") == "?"  # a private-use character: nothing to write it with
    assert printable("Nguye\u0302\u0303n") == "Nguyen"  # decomposed accents, composed first
    assert printable("Müller\u200b GmbH\u200e") == "Müller GmbH"  # zero-width space, left-to-right mark
