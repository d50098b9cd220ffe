// Seed 001: the partner's enrolment in a publisher's program — tier and its rules, sales counted (in
// all and this year, against an affiliate's yearly minimum), commissions received.
//
// The API has no list of a partner's enrolments yet: they are found through the contracts attributed
// to the partner (role PROGRAM_PARTNER), and any enrolment opens by its id (/programme/<id>).
import { useState, type FormEvent } from "react";
import { Link, useLocation } from "wouter";
import { useQuery } from "urql";
import { EnrollmentQuery, PayoutsQuery, ProgramContractsQuery } from "../api/operations";
import type { ProgramContractsQuery as ContractsResult } from "../gql/graphql";
import { Alert, Field, Figures, Loading, RequestError } from "../components/ui";
import { usePartner } from "../components/viewer";
import { useTitle } from "../components/useTitle";
import { useI18n } from "../i18n/i18n";

type ProgramContract = ContractsResult["contracts"]["nodes"][number];

/** A sale counts when the sale contract is signed: the file leaves AWAITING_SIGNATURES (or DRAFT → ACTIVE). */
export function saleYear(contract: Pick<ProgramContract, "status" | "timeline">): number | null {
  if (contract.status === "CANCELLED") return null;
  const sold = contract.timeline.find((e) => e.status === "AWAITING_DELIVERY" || e.status === "ACTIVE");
  return sold ? new Date(sold.at).getUTCFullYear() : null;
}

export default function Enrolments({ id }: { id?: string }) {
  const { t } = useI18n();
  const partner = usePartner();
  const [, navigate] = useLocation();
  const [lookup, setLookup] = useState(id ?? "");
  useTitle(t("enrolmentTitle"));
  const [contracts] = useQuery({ query: ProgramContractsQuery, variables: { partnerId: partner?.id ?? "" }, pause: !partner });
  if (!partner) return <Alert tone="info">{t("noPartner")}</Alert>;
  const nodes = contracts.data?.contracts.nodes ?? [];
  const found = new Map<string, NonNullable<ProgramContract["enrollment"]>>();
  for (const c of nodes) if (c.enrollment) found.set(c.enrollment.id, c.enrollment);
  const open = (event: FormEvent) => {
    event.preventDefault();
    if (lookup.trim()) navigate(`/programme/${encodeURIComponent(lookup.trim())}`);
  };
  return (
    <>
      <h1>{t("enrolmentTitle")}</h1>
      <p>{t("enrolmentIntro")}</p>
      {contracts.error && <RequestError error={contracts.error} />}
      {contracts.fetching && !contracts.data && <Loading />}
      {found.size > 0 ? (
        <ul className="chips">
          {[...found.values()].map((e) => (
            <li key={e.id}>
              <Link href={`/programme/${encodeURIComponent(e.id)}`} aria-current={e.id === id ? "page" : undefined}>
                {e.program?.name ?? e.id} — {t(e.tier)}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        contracts.data && !id && <p>{t("noEnrolment")}</p>
      )}
      <form onSubmit={open} className="toolbar" noValidate>
        <Field label={t("enrolmentLookup")}>
          {(p) => <input {...p} name="enrollmentId" value={lookup} onChange={(e) => setLookup(e.currentTarget.value)} />}
        </Field>
        <button type="submit">{t("open")}</button>
      </form>
      {id && <EnrolmentDetail id={id} partnerId={partner.id} contracts={nodes} />}
    </>
  );
}

function EnrolmentDetail({ id, partnerId, contracts }: { id: string; partnerId: string; contracts: readonly ProgramContract[] }) {
  const { t, label, money, date, percent } = useI18n();
  const [{ data, error, fetching }] = useQuery({ query: EnrollmentQuery, variables: { id } });
  const [payouts] = useQuery({ query: PayoutsQuery, variables: { filter: { beneficiaryId: partnerId }, first: 100 } });
  if (error) return <RequestError error={error} />;
  if (fetching && !data) return <Loading />;
  const e = data?.enrollment;
  if (!e) return <Alert>{t("contractNotFound")}</Alert>;
  const mine = contracts.filter((c) => c.enrollment?.id === e.id);
  const year = new Date().getUTCFullYear();
  const thisYear = mine.filter((c) => saleYear(c) === year).length;
  const minimum = e.tier === "AFFILIATE" ? e.program?.affiliateMinSalesPerYear : undefined;
  const ids = new Set(mine.map((c) => c.id));
  const commissions = (payouts.data?.payouts.nodes ?? []).filter((p) => p.kind === "COMMISSION" && p.contract && ids.has(p.contract.id));
  return (
    <section aria-labelledby="enrolment" data-testid="enrolment">
      <h2 id="enrolment">
        {e.program?.name ?? t("program")} — {t(e.tier)}
      </h2>
      <Figures
        items={[
          [t("publisher"), e.program?.publisher.name ?? "—"],
          [t("tier"), t(e.tier), "tier"],
          [t("salesCount"), String(e.salesCount), "sales-count"],
          [
            t("salesThisYear"),
            minimum != null ? `${thisYear} / ${minimum} (${thisYear >= minimum ? t("meetsMinimum") : t("belowMinimum")})` : String(thisYear),
            "sales-this-year",
          ],
          [t("reward"), t(e.rules.reward)],
          [t("rate"), percent(e.rules.rate)],
          [t("fromSale"), String(e.rules.fromSale)],
          [t("entryFee"), money(e.entryFee)],
          [t("createdAt"), date(e.enrolledAt)],
        ]}
      />
      {e.rules.benefits.length > 0 && (
        <>
          <h3>{t("benefits")}</h3>
          <ul>
            {e.rules.benefits.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </>
      )}
      <h3>{t("commissions")}</h3>
      {commissions.length === 0 ? (
        <p>{t("noPayouts")}</p>
      ) : (
        <ul>
          {commissions.map((p) => (
            <li key={p.id}>
              {money(p.amount)} — {label(p.status)} — {p.contract?.customer.name}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
