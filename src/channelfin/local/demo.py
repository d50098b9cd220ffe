"""A small realistic data set, created through the API of a running dev stack.

Going through GraphQL (rather than writing records) means the demo data obeys every
rule a user meets, and the command doubles as a smoke test of the running server. Consent
included: each enrolled partner's partner-admin accepts its enrolment, and each reseller named
on a contract, or whose sales a vendor reports, accepts its publisher's reseller link.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from channelfin.api.core.ids import from_global_id
from channelfin.local.tokens import issue


class DemoSeedError(Exception):
    pass


PARTNERS: list[dict[str, Any]] = [
    {"name": "Leasecom", "roles": ["LEASER"], "registrationNumber": "330345867", "country": "FR"},
    {"name": "all-in-web", "roles": ["PUBLISHER"], "registrationNumber": "449882137", "country": "FR"},
    {"name": "Microsoft France", "roles": ["PUBLISHER"], "registrationNumber": "327733184", "country": "FR"},
    {"name": "Bureau Conseil Lyon", "roles": ["RESELLER"], "registrationNumber": "512345678", "country": "FR"},
    {"name": "Logiciels du Sud", "roles": ["RESELLER"], "registrationNumber": "523456789", "country": "FR"},
    {"name": "Web Affilié Nantes", "roles": ["AFFILIATE", "RESELLER"], "country": "FR"},
    {"name": "Intégra Services", "roles": ["INTEGRATOR"], "country": "FR"},
    {"name": "Indé Intégration", "roles": ["INTEGRATOR"], "country": "FR"},
    {"name": "Prescripteur Conseil", "roles": ["PRESCRIBER"], "country": "FR"},
    {"name": "Actebis", "roles": ["DISTRIBUTOR"], "country": "FR"},
    {"name": "ETC", "roles": ["DISTRIBUTOR"], "country": "FR"},
    {"name": "OVH Hébergement", "roles": ["HOST"], "country": "FR"},
    {"name": "SSII Data Projets", "roles": ["SERVICES_FIRM", "RESELLER"], "country": "FR"},
]


class Client:
    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token

    def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                result = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise DemoSeedError(f"the API answered {exc.code}: {exc.read()[:300]!r}") from exc
        except urllib.error.URLError as exc:
            raise DemoSeedError(f"no dev API at {self.url} ({exc.reason}); start it with `channelfin dev`") from exc
        if result.get("errors"):
            raise DemoSeedError(f"GraphQL errors: {result['errors']}")
        data: dict[str, Any] = result["data"]
        for payload in data.values():
            if isinstance(payload, dict) and payload.get("userErrors"):
                raise DemoSeedError(f"refused: {payload['userErrors']}")
        return data


def _existing_partners(admin: Client) -> dict[str, str]:
    names: dict[str, str] = {}
    after = None
    while True:
        page = admin(
            "query($after: String) { partners(first: 100, after: $after) {"
            " edges { node { id name } } pageInfo { hasNextPage endCursor } } }",
            after=after,
        )["partners"]
        names.update({e["node"]["name"]: e["node"]["id"] for e in page["edges"]})
        if not page["pageInfo"]["hasNextPage"]:
            return names
        after = page["pageInfo"]["endCursor"]


def seed(url: str, secret: str, progress: Callable[[str], None] = print) -> dict[str, str]:
    admin = Client(url, issue(secret, role="leaser-admin", sub="demo-leaser-admin"))
    ids = _existing_partners(admin)
    if "Leasecom" in ids:
        progress("demo data already there; nothing to do")
        return ids
    for spec in PARTNERS:
        data = admin(
            "mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) {"
            " partner { id name } userErrors { code message } } }",
            input=spec,
        )
        ids[spec["name"]] = data["registerPartner"]["partner"]["id"]
        progress(f"partner {spec['name']} ({', '.join(spec['roles'])})")

    sign = (
        "mutation($input: SignFinancingAgreementInput!) { signFinancingAgreement(input: $input) {"
        " agreement { id } userErrors { code message } } }"
    )
    agreements = {}
    for owner in ("all-in-web", "Bureau Conseil Lyon"):
        data = admin(
            sign,
            input={"partnerId": ids[owner], "leaserId": ids["Leasecom"], "annualRate": "0.06", "fileFee": "150.00"},
        )
        agreements[owner] = data["signFinancingAgreement"]["agreement"]["id"]
        progress(f"financing agreement Leasecom ↔ {owner} (6 %/year, file fee 150.00, 72 h, limit 50,000.00)")

    # The leaser's analyst has confirmed who signs for the end client (by SIREN): its signature
    # requests go there, and its files' upfront payouts are not held for a check.
    admin(
        "mutation($input: ConfirmSignatoryInput!) { confirmSignatory(input: $input) {"
        " signatory { email } userErrors { code message } } }",
        input={"registrationNumber": "552100554", "name": "Claire Martin", "email": "claire.martin@client.example"},
    )
    progress("signatory of the end clients (SIREN 552 100 554) confirmed by the leaser: Claire Martin")

    def admin_of(name: str) -> Client:
        return Client(url, issue(secret, role="partner-admin", partner_id=from_global_id(ids[name])[1]))

    _reseller_links(admin_of, ids, progress)
    enrollments = _partner_program(admin_of, ids, progress)

    create = (
        "mutation($input: CreateContractInput!) { createContract(input: $input) {"
        " contract { id resellerRole } userErrors { code message } } }"
    )
    contracts = [
        ("all-in-web", "all-in-web", "Logiciels du Sud", "Boulangerie Martin", "1000.00", "150.00", 36, None),
        ("all-in-web", "all-in-web", None, "Cabinet Durand Avocats", "500.00", "80.00", 24, "PRESCRIBER"),
        ("Bureau Conseil Lyon", "all-in-web", "Bureau Conseil Lyon", "Transports Rhône", "1500.00", "200.00", 48, None),
    ]
    created = {}
    for owner, publisher_name, reseller, customer, fee, support, term, tier in contracts:
        # The owner's own partner-admin creates its contracts, as the rules require.
        owner_local = from_global_id(ids[owner])[1]
        client = Client(url, issue(secret, role="partner-admin", partner_id=owner_local))
        data = client(
            create,
            input={
                "ownerId": ids[owner],
                "publisherId": ids[publisher_name],
                "resellerId": ids[reseller] if reseller else None,
                "customer": {"name": customer, "registrationNumber": "552100554"},
                "periodicity": "MONTHLY",
                "termMonths": term,
                "startDate": "2027-01-01",
                "softwareFee": fee,
                "supportFee": support,
                "enrollmentId": enrollments[tier] if tier else None,
            },
        )
        created[customer] = data["createContract"]["contract"]["id"]
        role = data["createContract"]["contract"]["resellerRole"]
        progress(f"contract {customer}: {fee}/month over {term} months, owner {owner} ({role or 'direct'})")
    _contracts_in_motion(url, secret, ids, created, agreements["all-in-web"], progress)
    _reseller_support(url, secret, ids, progress)
    progress("done: try `channelfin token --role partner-admin --partner <id>` with one of the ids above")
    for name, global_id in ids.items():
        progress(f"  {name}: {global_id}")
    return ids


LINKS = [  # (publisher or vendor, reseller): the reseller may be named on its contracts, its sales reported
    ("all-in-web", "Logiciels du Sud"),
    ("all-in-web", "Bureau Conseil Lyon"),
    ("Microsoft France", "Logiciels du Sud"),
    ("Microsoft France", "SSII Data Projets"),
]


def _reseller_links(admin_of: Callable[[str], Client], ids: dict[str, str], progress: Callable[[str], None]) -> None:
    """Each link asked for by the publisher's partner-admin and accepted by the reseller's."""
    for publisher, reseller in LINKS:
        link = admin_of(publisher)(
            "mutation($input: RequestResellerLinkInput!) { requestResellerLink(input: $input) {"
            " link { id } userErrors { code message } } }",
            input={"publisherId": ids[publisher], "resellerId": ids[reseller]},
        )["requestResellerLink"]["link"]["id"]
        admin_of(reseller)(
            "mutation($input: AcceptResellerLinkInput!) { acceptResellerLink(input: $input) {"
            " link { status } userErrors { code message } } }",
            input={"linkId": link},
        )
        progress(f"reseller link {publisher} ↔ {reseller}, accepted by {reseller}")


def _partner_program(
    admin_of: Callable[[str], Client], ids: dict[str, str], progress: Callable[[str], None]
) -> dict[str, str]:
    """all-in-web's program with one partner in each tier of seed 001, each enrolment accepted by its partner."""
    publisher = admin_of("all-in-web")
    program = publisher(
        "mutation($input: CreatePartnerProgramInput!) { createPartnerProgram(input: $input) {"
        " program { id } userErrors { code message } } }",
        input={"publisherId": ids["all-in-web"], "name": "Programme partenaires all-in-web", "entryFeeRate": "0.03"},
    )["createPartnerProgram"]["program"]["id"]
    progress("partner program of all-in-web (entry fee 3% of the segment potential, affiliates: 15 sales a year)")
    enrollments = {}
    for name, tier, potential in (
        ("Web Affilié Nantes", "AFFILIATE", "200000.00"),
        ("Intégra Services", "INTEGRATOR_AFFILIATE", None),
        ("Indé Intégration", "INDEPENDENT_INTEGRATOR", None),
        ("Prescripteur Conseil", "PRESCRIBER", None),
    ):
        enrollment = publisher(
            "mutation($input: EnrollPartnerInput!) { enrollPartner(input: $input) {"
            " enrollment { id entryFee { amount } } userErrors { code message } } }",
            input={"programId": program, "partnerId": ids[name], "tier": tier, "segmentPotential": potential},
        )["enrollPartner"]["enrollment"]
        enrollments[tier] = enrollment["id"]
        if "INTEGRATOR" in tier:
            publisher(
                "mutation($input: SetTechnicalQualificationInput!) { setTechnicalQualification(input: $input) {"
                " enrollment { id } userErrors { code message } } }",
                input={"enrollmentId": enrollment["id"], "qualified": True},
            )
        admin_of(name)(
            "mutation($input: AcceptEnrollmentInput!) { acceptEnrollment(input: $input) {"
            " enrollment { status } userErrors { code message } } }",
            input={"enrollmentId": enrollment["id"]},
        )
        fee = f", entry fee {enrollment['entryFee']['amount']} charged" if enrollment["entryFee"] else ""
        progress(f"  {name} enrolled as {tier}, accepted{fee}")
    return enrollments


def _contracts_in_motion(
    url: str,
    secret: str,
    ids: dict[str, str],
    contracts: dict[str, str],
    agreement: str,
    progress: Callable[[str], None],
) -> None:
    """One financed file waiting for signatures, one sale signed without financing (earning a commission)."""
    owner = Client(url, issue(secret, role="partner-admin", partner_id=from_global_id(ids["all-in-web"])[1]))
    owner(
        "mutation($input: RequestFinancingInput!) { requestFinancing(input: $input) {"
        " decision { outcome } userErrors { code message } } }",
        input={"contractId": contracts["Boulangerie Martin"], "agreementId": agreement},
    )
    progress("financing requested for Boulangerie Martin: approved, the workflow waits for the signatures")
    connector = Client(url, issue(secret, role="integration", sub="demo-esign-connector"))
    connector(
        "mutation($input: RecordSignatureInput!) { recordSignature(input: $input) {"
        " contract { status } userErrors { code message } } }",
        input={"contractId": contracts["Cabinet Durand Avocats"], "document": "SALE_CONTRACT", "signedBy": "M. Durand"},
    )
    progress("sale contract of Cabinet Durand Avocats signed: ACTIVE, a commission for Prescripteur Conseil")


CAMPAIGNS: list[tuple[str, dict[str, Any]]] = [
    # (vendor, campaign): seed 002's plan, and all-in-web paying its resellers' referrals within 48 hours.
    (
        "Microsoft France",
        {"kind": "CREDIT_GUARANTEE", "name": "Encours garanti Actebis", "distributor": "Actebis", "amount": "5000.00"},
    ),
    (
        "Microsoft France",
        {
            "kind": "ORDER_CREDIT",
            "name": "Encours OEM ETC",
            "distributor": "ETC",
            "amount": "5000.00",
            "perOrderAmount": "1000.00",
            "licenceProgram": "OEM",
        },
    ),
    (
        "Microsoft France",
        {
            "kind": "DISCOUNT",
            "name": "Licences Open -10 %",
            "rate": "0.10",
            "licenceProgram": "Open",
            "productReferences": ["W11-PRO-OPEN", "OFFICE-STD-OPEN", "WINSRV-STD-OPEN"],
            "endsAt": "2027-07-01T00:00:00+02:00",
        },
    ),
    (
        "Microsoft France",
        {"kind": "REBATE", "name": "Marges arrière revendeurs", "rate": "0.03", "partnerRoles": ["RESELLER"]},
    ),
    (
        "Microsoft France",
        {
            "kind": "REBATE_MULTIPLIER",
            "name": "Doublement des marges arrière",
            "multiplier": "2",
            "partnerRoles": ["RESELLER"],
            "endsAt": "2027-07-01T00:00:00+02:00",
        },
    ),
    (
        "Microsoft France",
        {
            "kind": "REBATE",
            "name": "Projets détectés par les SSII",
            "rate": "0.02",
            "partnerRoles": ["SERVICES_FIRM"],
            "productFamily": "SQL Server",
        },
    ),
    (
        "Microsoft France",
        {
            "kind": "REBATE_MULTIPLIER",
            "name": "SQL Server compte double en mars",
            "multiplier": "2",
            "partnerRoles": ["SERVICES_FIRM"],
            "productFamily": "SQL Server",
            "startsAt": "2027-03-01T00:00:00+01:00",
            "endsAt": "2027-04-01T00:00:00+02:00",
        },
    ),
    (
        "all-in-web",
        {
            "kind": "FINANCING_REFERRAL",
            "name": "Apport au financement payé sous 48 h",
            "rate": "0.01",
            "partnerRoles": ["RESELLER"],
            "payoutSlaHours": 48,
        },
    ),
]


def _reseller_support(url: str, secret: str, ids: dict[str, str], progress: Callable[[str], None]) -> None:
    """Seed 002: the vendor's campaigns, two distributors' credit lines and a firm OEM order."""
    create = (
        "mutation($input: CreateIncentiveCampaignInput!) { createIncentiveCampaign(input: $input) {"
        " campaign { id } userErrors { code message } } }"
    )
    for vendor, spec in CAMPAIGNS:
        client = Client(url, issue(secret, role="partner-admin", partner_id=from_global_id(ids[vendor])[1]))
        fields = {k: v for k, v in spec.items() if k != "distributor"}
        if "distributor" in spec:
            fields["distributorId"] = ids[spec["distributor"]]
        created = client(
            create,
            input={
                "vendorId": ids[vendor],
                "startsAt": "2026-09-01T00:00:00+02:00",
                "endsAt": "2027-12-31T00:00:00+01:00",
                **fields,
            },
        )
        progress(f"campaign of {vendor}: {spec['name']} ({spec['kind']})")
        if "distributor" in spec:  # credit at a distributor counts once that distributor accepts it
            accepting = Client(
                url, issue(secret, role="partner-admin", partner_id=from_global_id(ids[spec["distributor"]])[1])
            )
            accepting(
                "mutation($input: AcceptIncentiveCampaignInput!) { acceptIncentiveCampaign(input: $input) {"
                " campaign { id } userErrors { code message } } }",
                input={"campaignId": created["createIncentiveCampaign"]["campaign"]["id"]},
            )
            progress(f"  accepted by {spec['distributor']}")
    for distributor, reseller, limit in (
        ("ETC", "Logiciels du Sud", "20000.00"),
        ("Actebis", "Bureau Conseil Lyon", "15000.00"),
    ):
        client = Client(
            url,
            issue(
                secret,
                role="partner-admin",
                partner_id=from_global_id(ids[distributor])[1],
                sub=f"demo-{distributor.lower()}-admin",
            ),
        )
        client(
            "mutation($input: SetCreditLineInput!) { setCreditLine(input: $input) {"
            " creditLine { id } userErrors { code message } } }",
            input={"distributorId": ids[distributor], "resellerId": ids[reseller], "insuredLimit": limit},
        )
        progress(f"credit line {distributor} → {reseller}: insured limit {limit}")
    etc = Client(url, issue(secret, role="partner-user", partner_id=from_global_id(ids["ETC"])[1]))
    line = etc(
        "mutation($input: RecordFirmOrderInput!) { recordFirmOrder(input: $input) {"
        " creditLine { orderExtras { amount } available { amount } } userErrors { code message } } }",
        input={
            "resellerId": ids["Logiciels du Sud"],
            "distributorId": ids["ETC"],
            "amount": "2500.00",
            "licenceProgram": "OEM",
            "reference": "CMD-OEM-0001",
        },
    )["recordFirmOrder"]["creditLine"]
    progress(
        f"firm OEM order of 2,500.00 at ETC: extras {line['orderExtras']['amount']}, "
        f"available {line['available']['amount']}"
    )
