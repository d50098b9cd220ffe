"""GraphQL types of publishers' partner programs (seed 001)."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.ids import to_global_id
from channelfin.api.core.money import Money
from channelfin.api.core.node import Node, present, presenter
from channelfin.api.core.node import partner as load_partner
from channelfin.api.core.refs import LedgerEntryRef, PartnerRef, PayoutRef
from channelfin.api.core.scalars import Decimal
from channelfin.domain import payouts as dpay
from channelfin.domain import programs as dprog
from channelfin.domain.ledger import LedgerStatement
from channelfin.domain.payouts import PayoutKind
from channelfin.domain.programs import Actor, PartnerTier, RewardKind
from channelfin.domain.relations import ConsentStatus


@strawberry.type(description="The rules of one tier in one program.")
class TierRules:
    tier: PartnerTier = strawberry.field(description="The tier.")
    onboarding_by: Actor = strawberry.field(description="Who does the onboarding work.")
    onboarding_invoiced_by: Actor = strawberry.field(description="Who invoices it.")
    contract_held_by: Actor = strawberry.field(description="Who holds the recurring contract with the end client.")
    support_by: Actor = strawberry.field(description="Who gives support (hotline).")
    evolutive_maintenance_by: Actor = strawberry.field(description="Always the publisher.")
    reward: RewardKind = strawberry.field(description="How the partner is rewarded.")
    rate: Decimal = strawberry.field(description="Of the first annuity (commission) or of each annual fee (charge).")
    from_sale: int = strawberry.field(description="The partner's sale number from which a commission is earned.")
    needs_technical_qualification: bool = strawberry.field(
        description="Whether the partner must be qualified before it onboards."
    )
    benefits: list[str] = strawberry.field(description="What else the tier gives, for people.")

    @classmethod
    def from_domain(cls, tier: dprog.PartnerTier, r: dprog.TierRules) -> "TierRules":
        return cls(
            tier=tier,
            onboarding_by=r.onboarding_by,
            onboarding_invoiced_by=r.onboarding_invoiced_by,
            contract_held_by=r.contract_held_by,
            support_by=r.support_by,
            evolutive_maintenance_by=r.evolutive_maintenance_by,
            reward=r.reward,
            rate=r.rate,
            from_sale=r.from_sale,
            needs_technical_qualification=r.needs_technical_qualification,
            benefits=list(r.benefits),
        )


@strawberry.type(description="A publisher's partner program.")
class PartnerProgram(Node):
    name: str = strawberry.field(description="A name for people.")
    entry_fee_rate: Decimal = strawberry.field(description="Affiliates' entry fee = segmentPotential × entryFeeRate.")
    affiliate_min_sales_per_year: int = strawberry.field(
        description="The sales an affiliate must make each year (affiliateCompliance)."
    )
    tiers: list[TierRules] = strawberry.field(description="The rules of each tier.")
    created_at: dt.datetime = strawberry.field(description="When it was created (UTC).")
    publisher_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, p: dprog.PartnerProgram) -> "PartnerProgram":
        return cls(
            id=strawberry.ID(to_global_id("PartnerProgram", p.id)),
            name=p.name,
            entry_fee_rate=p.entry_fee_rate,
            affiliate_min_sales_per_year=p.affiliate_min_sales_per_year,
            tiers=[TierRules.from_domain(t, r) for t, r in p.tiers.items()],
            created_at=p.created_at,
            publisher_id=p.publisher_id,
        )

    @strawberry.field(description="The publisher running it.")
    async def publisher(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.publisher_id)


@strawberry.type(
    description="A partner's enrolment in a program, with its tier's responsibilities and benefits: the "
    "publisher's offer, which counts once the enrolled partner's partner-admin accepts it (nothing is "
    "attributed to it, counted or charged before)."
)
class Enrollment(Node):
    status: ConsentStatus = strawberry.field(description="PENDING until the enrolled partner answers.")
    answered_at: dt.datetime | None = strawberry.field(description="When the enrolled partner answered.")
    answered_by: str | None = strawberry.field(description="The user who answered for the enrolled partner.")
    tier: PartnerTier = strawberry.field(description="The partner's tier in the program.")
    rules: TierRules = strawberry.field(description="What that tier does and earns.")
    entry_fee: Money | None = strawberry.field(
        description="Affiliates only: segmentPotential × entryFeeRate, charged when the affiliate accepts."
    )
    segment_potential: Money | None = strawberry.field(
        description="Its segment's potential, on which an affiliate's entry fee is computed."
    )
    technically_qualified: bool = strawberry.field(description="Integrators need it before contracts are attributed.")
    sales_count: int = strawberry.field(description="Standing sales: a cancelled sale stops counting.")
    enrolled_at: dt.datetime = strawberry.field(description="When it was enrolled (UTC).")
    partner_id: strawberry.Private[str]
    program_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, e: dprog.Enrollment) -> "Enrollment":
        return cls(
            id=strawberry.ID(to_global_id("Enrollment", e.id)),
            status=e.status,
            answered_at=e.answered_at,
            answered_by=e.answered_by,
            tier=e.tier,
            rules=TierRules.from_domain(e.tier, e.rules),
            entry_fee=Money.from_domain(e.entry_fee) if e.entry_fee else None,
            segment_potential=Money.from_domain(e.segment_potential) if e.segment_potential else None,
            technically_qualified=e.technically_qualified,
            sales_count=e.sales_count,
            enrolled_at=e.enrolled_at,
            partner_id=e.partner_id,
            program_id=e.program_id,
        )

    @strawberry.field(description="The enrolled partner.")
    async def partner(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.partner_id)

    @strawberry.field(description="The program.")
    def program(self, info: strawberry.Info[Context, None]) -> PartnerProgram | None:
        found = info.context.ports.programs.get_program(self.program_id)
        return PartnerProgram.from_domain(found) if found else None


@strawberry.type(description="What one kind of payout adds up to on a statement.")
class StatementTotal:
    kind: PayoutKind = strawberry.field(description="The payout kind.")
    amount: Money = strawberry.field(description="The total of that kind.")


@strawberry.type(
    description="A partner's statement for a period [from, to): its payouts both ways (`lines`; a cancelled one "
    "counts only for what was settled of it before) and, from the ledger, its position towards everyone it "
    "deals with at the start (`openingBalance`), the entries of the period and the position at the end "
    "(`closingBalance` = openingBalance + the entries' positionChange): positive when the partner is owed."
)
class PartnerStatement:
    start: dt.datetime = strawberry.field(description="Start of the period, included.")
    end: dt.datetime = strawberry.field(description="End of the period, excluded.")
    lines: list[PayoutRef] = strawberry.field(description="The payouts paid to or by the partner, by value date.")
    earned: Money = strawberry.field(description="Owed to the partner: every line it is paid.")
    earned_by_kind: list[StatementTotal] = strawberry.field(description="What it earned in the period, by payout kind.")
    charged: Money = strawberry.field(description="Owed by the partner: charges, entry fee, clawbacks it pays.")
    net: Money = strawberry.field(description="earned − charged.")
    opening_balance: Money = strawberry.field(description="The ledger position at `from`: owed to it − owed by it.")
    closing_balance: Money = strawberry.field(description="The ledger position at `to`.")
    ledger: strawberry.Private[LedgerStatement | None] = None

    @strawberry.field(description="The ledger entries of the partner's books in the period, oldest first.")
    def entries(self) -> list[LedgerEntryRef]:
        return [present("LedgerEntry", e) for e in self.ledger.entries] if self.ledger else []

    @classmethod
    def from_domain(cls, s: dpay.Statement, ledger: LedgerStatement | None = None) -> "PartnerStatement":
        zero = Money.from_domain(s.earned - s.earned)
        return cls(
            opening_balance=Money.from_domain(ledger.opening) if ledger else zero,
            closing_balance=Money.from_domain(ledger.closing) if ledger else zero,
            ledger=ledger,
            start=s.start,
            end=s.end,
            lines=[present("Payout", p) for p in s.lines],
            earned=Money.from_domain(s.earned),
            earned_by_kind=[StatementTotal(kind=k, amount=Money.from_domain(m)) for k, m in s.earned_by_kind],
            charged=Money.from_domain(s.charged),
            net=Money.from_domain(s.net),
        )


@strawberry.type(description="An affiliate's sales in a year against the program's minimum.")
class AffiliateCompliance:
    enrollment: Enrollment = strawberry.field(description="The affiliate's enrolment in the program.")
    sales: int = strawberry.field(description="Its sales counted in the year (cancelled contracts do not count).")
    meets_minimum: bool = strawberry.field(
        description="Whether the sales reach the program's affiliateMinSalesPerYear."
    )

    @strawberry.field(description="The affiliate.")
    async def partner(self, info: strawberry.Info[Context, None]) -> PartnerRef:
        return await load_partner(info, self.enrollment.partner_id)


presenter("Enrollment", Enrollment.from_domain)
