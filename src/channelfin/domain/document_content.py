"""What the documents of a contract's file say, in French, independent of any PDF library.

`DocumentContent` is a title, the parties with their legal identifiers, paragraphs and
tables. Schedules add up to the cent (`rent_schedule`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from channelfin.domain.contracts import Contract
from channelfin.domain.financing import Periodicity
from channelfin.domain.financing_file import DeliveryReport, DocumentKind
from channelfin.domain.money import CENT, Money, round_cents
from channelfin.domain.partners import FinancingAgreement, Partner

# ---------------------------------------------------------------- what the documents say


@dataclass(frozen=True, slots=True)
class Party:
    role: str  # e.g. "Le bailleur", "Le client"
    name: str
    siren: str | None = None  # registration number, where known


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class DocumentContent:
    kind: DocumentKind
    title: str
    reference: str  # the contract's id, printed on every page
    parties: tuple[Party, ...]
    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...] = ()
    signature_lines: tuple[str, ...] = ()  # who signs (e.g. "Pour le client")
    issued_on: date | None = None


def rent_schedule(rent: Money, periods: int) -> list[Money]:
    """`periods` rents whose total is exactly `rent × periods` rounded to the cent.

    A rent on the cent (what a contract's fees are) gives `periods` equal rents; a rent with
    fractions of a cent is split so that the first rents carry the extra cents.
    """
    if periods <= 0:
        raise ValueError("a schedule has at least one period")
    return (rent * periods).split(periods)


# ---------------------------------------------------------------- the three documents, in French

NBSP = "\u00a0"  # between thousands, and before "€" or "%": a figure is never split across lines
NOT_PROVIDED = "non communiqué"
PERIODICITY_LABELS = {
    Periodicity.MONTHLY: "mensuelle",
    Periodicity.QUARTERLY: "trimestrielle",
    Periodicity.ANNUAL: "annuelle",
}


def format_amount(money: Money) -> str:
    """French style, rounded half-up to the cent: `1 000,00 €` (no-break spaces)."""
    value = round_cents(money.amount)
    sign = "-" if value < 0 else ""
    units, cents = divmod(int(abs(value).scaleb(2)), 100)
    symbol = "€" if money.currency == "EUR" else money.currency
    return f"{sign}{units:,}".replace(",", NBSP) + f",{cents:02d}{NBSP}{symbol}"


def format_rate(rate: Decimal) -> str:
    """A yearly fraction as a French percentage: 0.06 → `6,00 %`, 0.0525 → `5,25 %`, 0.05125 → `5,125 %`."""
    percent = rate * 100
    shown = percent.quantize(CENT) if percent == percent.quantize(CENT) else percent.normalize()
    return f"{shown:f}".replace(".", ",") + f"{NBSP}%"


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it is shorter (31/01 → 28/02)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(start: date, periodicity: Periodicity, periods: int) -> list[date]:
    """Rents are paid in advance (terme à échoir): the first on the start date, then one a period."""
    return [add_months(start, k * periodicity.months_per_period) for k in range(periods)]


def _party(role: str, partner: Partner) -> Party:
    return Party(role, partner.name, partner.registration_number)


def _customer(contract: Contract, role: str) -> Party:
    return Party(role, contract.customer.name, contract.customer.registration_number)


def _check(partner: Partner | None, expected_id: str | None, what: str) -> None:
    if (partner.id if partner is not None else None) != expected_id:
        raise ValueError(f"the {what} given is not the contract's ({expected_id})")


def _issued_on(contract: Contract) -> date:
    """The day the documents are due: financing approval, or the contract's creation when not financed."""
    if contract.financing is not None:
        return contract.financing.decision.decided_at.date()
    return contract.created_at.date()


def _term(contract: Contract) -> tuple[str, int]:
    return PERIODICITY_LABELS[contract.periodicity], contract.periods


def sale_contract_content(
    contract: Contract,
    owner: Partner,
    publisher: Partner,
    reseller: Partner | None,
    *,
    issued_on: date | None = None,
) -> DocumentContent:
    """Contrat de vente between the contract's owner (publisher or reseller) and the end client."""
    _check(owner, contract.owner_id, "owner")
    _check(publisher, contract.publisher_id, "publisher")
    _check(reseller, contract.reseller_id, "reseller")
    owned_by_publisher = owner.id == publisher.id
    label, n = _term(contract)
    software, support = contract.software_fee, contract.support_fee
    per_period = software + support

    parties = [_party("Le fournisseur", owner)]
    if not owned_by_publisher:
        parties.append(_party("L'éditeur", publisher))
    parties.append(_customer(contract, "Le client"))

    paragraphs = [
        f"Entre {owner.name}, ci-après « le fournisseur », et {contract.customer.name}, ci-après « le client », "
        "il est convenu ce qui suit."
    ]
    if owned_by_publisher:
        paragraphs.append(
            "Objet : le fournisseur, éditeur de la solution, donne accès au client, par abonnement, à sa solution "
            "logicielle en mode SaaS (logiciel en tant que service) et lui en assure l'assistance."
        )
        if reseller is not None:
            paragraphs.append(f"L'affaire a été présentée par {reseller.name}, apporteur d'affaires.")
    else:
        paragraphs.append(
            "Objet : le fournisseur revend au client, dans le cadre d'un achat-revente, l'abonnement à la solution "
            f"logicielle en mode SaaS (logiciel en tant que service) éditée par {publisher.name}, ainsi que "
            "l'assistance associée."
        )
    paragraphs += [
        f"Périodicité : {label}. Durée : {contract.term_months} mois, soit {n} échéances, "
        f"à compter du {format_date(contract.start_date)}.",
        f"Redevance par échéance, hors taxes : part logicielle {format_amount(software)}, "
        f"part assistance {format_amount(support)}, soit {format_amount(per_period)} HT.",
        f"Montant total sur la durée : {format_amount(per_period * n)} HT.",
    ]
    if contract.financing is not None:
        paragraphs.append(
            "Les redevances sont financées par un contrat de location conclu entre le client et le bailleur : "
            "le client règle ses loyers au bailleur."
        )
    paragraphs.append("Les montants s'entendent hors taxes ; la TVA applicable s'y ajoute.")

    fees = Table(
        headers=("Désignation", "Par échéance HT", f"Sur {n} échéances HT"),
        rows=(
            ("Abonnement logiciel (SaaS)", format_amount(software), format_amount(software * n)),
            ("Assistance", format_amount(support), format_amount(support * n)),
        ),
        total=("Total", format_amount(per_period), format_amount(per_period * n)),
    )
    return DocumentContent(
        kind=DocumentKind.SALE_CONTRACT,
        title="Contrat de vente",
        reference=contract.id,
        parties=tuple(parties),
        paragraphs=tuple(paragraphs),
        tables=(fees,),
        signature_lines=("Pour le client", f"Pour {owner.name}"),
        issued_on=issued_on or _issued_on(contract),
    )


def lease_schedule(contract: Contract) -> Table:
    """One row per rent (number, due date, software part, support part, rent) and a total row.

    The totals are the sums of the rows and, to the cent, `softwareFee × n`, `supportFee × n`
    and `(softwareFee + supportFee) × n`.
    """
    n = contract.periods
    software = rent_schedule(contract.software_fee, n)
    support = rent_schedule(contract.support_fee, n)
    dates = due_dates(contract.start_date, contract.periodicity, n)
    rows = tuple(
        (str(k), format_date(day), format_amount(s), format_amount(a), format_amount(s + a))
        for k, (day, s, a) in enumerate(zip(dates, software, support, strict=True), start=1)
    )
    software_total = sum(software, Money.zero(contract.software_fee.currency))
    support_total = sum(support, Money.zero(contract.support_fee.currency))
    return Table(
        headers=("N°", "Échéance", "Part logicielle HT", "Part assistance HT", "Loyer HT"),
        rows=rows,
        total=(
            "Total",
            "",
            format_amount(software_total),
            format_amount(support_total),
            format_amount(software_total + support_total),
        ),
    )


def lease_contract_content(
    contract: Contract,
    leaser: Partner,
    agreement: FinancingAgreement,
    *,
    issued_on: date | None = None,
) -> DocumentContent:
    """Contrat de location between the leaser and the end client, with its rent schedule.

    Every party of the contract may download it (an introducing reseller too): the leaser's
    terms with the owner (rate, file fee, leaser fees) are the financing agreement's, shown
    only to the owner and the leaser, never printed here.
    """
    financing = contract.financing
    if financing is None:
        raise ValueError(f"contract {contract.id} is not financed: it has no lease contract")
    if agreement.id != financing.agreement_id:
        raise ValueError(f"the agreement given is not the contract's ({financing.agreement_id})")
    _check(leaser, agreement.leaser_id, "leaser")
    label, n = _term(contract)
    rent_total = (contract.software_fee + contract.support_fee) * n

    paragraphs = (
        f"Entre {leaser.name}, ci-après « le bailleur », et {contract.customer.name}, ci-après « le locataire », "
        "il est convenu ce qui suit.",
        "Objet : le bailleur finance, par location, l'abonnement du locataire à la solution logicielle en mode SaaS "
        f"objet du contrat de vente de référence {contract.id}.",
        f"Montant financé : {format_amount(financing.financed_amount)}.",
        f"Périodicité : {label}. Durée : {contract.term_months} mois, soit {n} loyers payables d'avance "
        f"(terme à échoir), le premier le {format_date(contract.start_date)}.",
        "Chaque loyer comprend une part logicielle et une part assistance ; le bailleur reverse la part assistance "
        "à celui qui assure l'assistance, à mesure que les loyers sont encaissés.",
        f"Total des loyers sur la durée : {format_amount(rent_total)} HT.",
        "Les montants s'entendent hors taxes ; la TVA applicable s'y ajoute.",
    )
    return DocumentContent(
        kind=DocumentKind.LEASE_CONTRACT,
        title="Contrat de location",
        reference=contract.id,
        parties=(_party("Le bailleur", leaser), _customer(contract, "Le locataire")),
        paragraphs=paragraphs,
        tables=(lease_schedule(contract),),
        signature_lines=("Pour le locataire", f"Pour {leaser.name}"),
        issued_on=issued_on or _issued_on(contract),
    )


def delivery_report_content(
    contract: Contract,
    owner: Partner,
    report: DeliveryReport,
    reservations: str | None = None,
) -> DocumentContent:
    """Procès-verbal de livraison: the end client confirms the installation, with or without reservations."""
    _check(owner, contract.owner_id, "owner")
    reservations = " ".join((reservations or "").split()) or "Sans réserve"
    paragraphs = [
        f"Contrat de référence {contract.id}, conclu entre {owner.name}, ci-après « le fournisseur », "
        f"et {contract.customer.name}, ci-après « le client ».",
        "Le client déclare que la solution logicielle en mode SaaS objet du contrat a été installée et mise à sa "
        f"disposition le {format_date(report.installed_at)}.",
        f"Réserves : {reservations}",
        f"Signataire pour le client : {report.signed_by}.",
    ]
    if contract.financing is not None:
        paragraphs.append("Le présent procès-verbal complète le dossier de financement transmis au bailleur.")
    return DocumentContent(
        kind=DocumentKind.DELIVERY_REPORT,
        title="Procès-verbal de livraison",
        reference=contract.id,
        parties=(_party("Le fournisseur", owner), _customer(contract, "Le client")),
        paragraphs=tuple(paragraphs),
        signature_lines=(f"Pour le client : {report.signed_by}", f"Pour {owner.name}"),
        issued_on=report.submitted_at.date(),
    )
