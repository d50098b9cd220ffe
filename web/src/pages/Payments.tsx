// The partner's payouts, and its statement for a period with the ledger's opening and closing
// balances, both exportable as CSV.
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { useQuery } from "urql";
import { PayoutsQuery, StatementQuery } from "../api/operations";
import type { PayoutLineFragment as Line } from "../gql/graphql";
import { downloadCsv, toCsv } from "../lib/csv";
import { plainDecimal } from "../i18n/format";
import { Alert, Figures, Loading, RequestError, ScrollArea } from "../components/ui";
import { usePartner } from "../components/viewer";
import { useTitle } from "../components/useTitle";
import { useI18n, type I18n } from "../i18n/i18n";

function monthStart(offset = 0, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() + offset, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-01`;
}

/** The CSV of payout lines: raw dates (ISO) and amounts without grouping, in the chosen language. */
export function payoutsCsv(lines: readonly Line[], i18n: Pick<I18n, "t" | "label" | "lang">): string {
  const { t, label, lang } = i18n;
  return toCsv(
    [t("kind"), t("status"), t("amount"), "currency", t("dueBy"), t("paidAt"), t("payer"), t("beneficiary"), t("contract")],
    lines.map((p) => [
      label(p.kind),
      label(p.status),
      plainDecimal(p.amount.amount, lang),
      p.amount.currency,
      p.dueBy ?? "",
      p.paidAt ?? "",
      p.payer?.name ?? "",
      p.beneficiary.name,
      p.contract?.customer.name ?? "",
    ]),
    lang,
  );
}

function PayoutTable({ lines, testId }: { lines: readonly Line[]; testId: string }) {
  const { t, label, money, date } = useI18n();
  if (!lines.length) return <p>{t("noPayouts")}</p>;
  return (
    <ScrollArea label={testId === "payouts" ? t("myPayouts") : t("statement")}>
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t("kind")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col" className="num">
              {t("amount")}
            </th>
            <th scope="col">{t("dueBy")}</th>
            <th scope="col">{t("paidAt")}</th>
            <th scope="col">{t("payer")}</th>
            <th scope="col">{t("contract")}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((p) => (
            <tr key={p.id}>
              <td>{label(p.kind)}</td>
              <td>{label(p.status)}</td>
              <td className="num">{money(p.amount)}</td>
              <td>{date(p.dueBy)}</td>
              <td>{date(p.paidAt)}</td>
              <td>{p.payer?.name ?? "—"}</td>
              <td>{p.contract ? <Link href={`/contrats/${encodeURIComponent(p.contract.id)}`}>{p.contract.customer.name}</Link> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}

export default function Payments() {
  const i18n = useI18n();
  const { t, money } = i18n;
  const partner = usePartner();
  useTitle(t("paymentsTitle"));
  const [period, setPeriod] = useState({ from: monthStart(-2), to: monthStart(1) });
  const [draft, setDraft] = useState(period);
  const [payouts] = useQuery({
    query: PayoutsQuery,
    variables: { filter: partner ? { beneficiaryId: partner.id } : null, first: 100 },
    pause: !partner,
  });
  const [statement] = useQuery({
    query: StatementQuery,
    variables: { partnerId: partner?.id ?? "", from: `${period.from}T00:00:00Z`, to: `${period.to}T00:00:00Z` },
    pause: !partner,
  });
  if (!partner) return <Alert tone="info">{t("noPartner")}</Alert>;
  const s = statement.data?.partnerStatement;
  const show = (event: FormEvent) => {
    event.preventDefault();
    setPeriod(draft);
  };
  return (
    <>
      <h1>{t("paymentsTitle")}</h1>
      <section aria-labelledby="statement">
        <h2 id="statement">{t("statement")}</h2>
        <form className="toolbar" onSubmit={show}>
          <label>
            {t("from")} <input type="date" name="from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
          </label>
          <label>
            {t("to")} <input type="date" name="to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
          </label>
          <button type="submit">{t("show")}</button>
        </form>
        {statement.error && <RequestError error={statement.error} />}
        {statement.fetching && !s && <Loading />}
        {s && (
          <>
            <Figures
              items={[
                [t("openingBalance"), money(s.openingBalance), "opening-balance"],
                [t("earned"), money(s.earned), "earned"],
                [t("charged"), money(s.charged), "charged"],
                [t("net"), money(s.net), "net"],
                [t("closingBalance"), money(s.closingBalance), "closing-balance"],
              ]}
            />
            <button
              type="button"
              onClick={() => downloadCsv(`releve-${period.from}-${period.to}.csv`, payoutsCsv(s.lines, i18n))}
              data-testid="export-statement"
            >
              {t("exportCsv")}
            </button>
            <PayoutTable lines={s.lines} testId="statement-lines" />
          </>
        )}
      </section>
      <section aria-labelledby="received">
        <h2 id="received">{t("myPayouts")}</h2>
        {payouts.error && <RequestError error={payouts.error} />}
        {payouts.fetching && !payouts.data && <Loading />}
        {payouts.data && (
          <>
            <button
              type="button"
              onClick={() => downloadCsv("paiements.csv", payoutsCsv(payouts.data!.payouts.nodes, i18n))}
              data-testid="export-payouts"
            >
              {t("exportCsv")}
            </button>
            <PayoutTable lines={payouts.data.payouts.nodes} testId="payouts" />
          </>
        )}
      </section>
    </>
  );
}
