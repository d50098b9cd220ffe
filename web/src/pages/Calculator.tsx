// The calculator (`leaseQuote`): rent → financed amount, or financed amount → rent, with the fees,
// the upfront payout and whether the decision would be immediate.
import { useState, type FormEvent } from "react";
import { useClient } from "urql";
import { LeaseQuoteQuery } from "../api/operations";
import { requestErrorCode } from "../api/errors";
import type { LeaseQuoteQuery as Quote, Periodicity } from "../gql/graphql";
import { Alert, Field, Figures } from "../components/ui";
import { activeAgreements, usePartner } from "../components/viewer";
import { useTitle } from "../components/useTitle";
import { useI18n } from "../i18n/i18n";

export const PERIODICITIES: Periodicity[] = ["MONTHLY", "QUARTERLY", "ANNUAL"];

/** "1 000,50" or "1,000.50" as typed → "1000.50" for the API's Decimal. */
export function decimalInput(value: string): string {
  const compact = value.replace(/[\s\u00a0\u202f€]/g, "");
  if (/^\d+(,\d+)?$/.test(compact)) return compact.replace(",", ".");
  return compact.replace(/,/g, "");
}

export default function Calculator() {
  const { t, money, percent, error } = useI18n();
  const client = useClient();
  const agreements = activeAgreements(usePartner());
  useTitle(t("calcTitle"));
  const [agreementId, setAgreementId] = useState(agreements[0]?.id ?? "");
  const [periodicity, setPeriodicity] = useState<Periodicity>("MONTHLY");
  const [termMonths, setTermMonths] = useState("36");
  const [mode, setMode] = useState<"rent" | "amount">("rent");
  const [value, setValue] = useState("");
  const [quote, setQuote] = useState<Quote["leaseQuote"] | null>(null);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const amount = decimalInput(value);
    const result = await client
      .query(LeaseQuoteQuery, {
        input: {
          agreementId,
          periodicity,
          termMonths: Number.parseInt(termMonths, 10) || 0,
          ...(mode === "rent" ? { softwareFee: amount } : { financedAmount: amount }),
        },
      }, { requestPolicy: "network-only" })
      .toPromise();
    setBusy(false);
    if (result.error) {
      setQuote(null);
      setFailure(requestErrorCode(result.error));
    } else if (result.data) {
      setFailure(null);
      setQuote(result.data.leaseQuote);
    }
  };

  if (!agreements.length) {
    return (
      <>
        <h1>{t("calcTitle")}</h1>
        <Alert tone="info">{t("noAgreement")}</Alert>
      </>
    );
  }
  return (
    <>
      <h1>{t("calcTitle")}</h1>
      <p>{t("calcIntro")}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <Field label={t("agreement")}>
          {(props) => (
            <select {...props} value={agreementId} onChange={(e) => setAgreementId(e.currentTarget.value)}>
              {agreements.map((a) => (
                <option key={a.id} value={a.id}>
                  {t("agreementOption", { leaser: a.leaser.name, rate: percent(a.annualRate), fee: money(a.fileFee) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="row">
          <Field label={t("periodicity")}>
            {(props) => (
              <select {...props} name="periodicity" value={periodicity} onChange={(e) => setPeriodicity(e.currentTarget.value as Periodicity)}>
                {PERIODICITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("termMonths")}>
            {(props) => <input {...props} name="termMonths" inputMode="numeric" value={termMonths} onChange={(e) => setTermMonths(e.currentTarget.value)} />}
          </Field>
        </div>
        <fieldset>
          <legend>{t("calcMode")}</legend>
          <label className="choice">
            <input type="radio" name="mode" value="rent" checked={mode === "rent"} onChange={() => setMode("rent")} /> {t("calcFromRent")}
          </label>
          <label className="choice">
            <input type="radio" name="mode" value="amount" checked={mode === "amount"} onChange={() => setMode("amount")} /> {t("calcFromAmount")}
          </label>
        </fieldset>
        <Field label={mode === "rent" ? t("rentPerPeriod") : t("financedAmountWanted")}>
          {(props) => <input {...props} name="amount" inputMode="decimal" value={value} onChange={(e) => setValue(e.currentTarget.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {t("compute")}
        </button>
      </form>
      {failure && (
        <Alert>
          <span data-code={failure.code}>{error(failure.code, failure.message)}</span>
        </Alert>
      )}
      {quote && (
        <section aria-live="polite" className="result" data-testid="quote">
          <Figures
            items={[
              [t("financedAmount"), money(quote.financedAmount), "financed-amount"],
              [t("rent"), money(quote.rent), "rent"],
              [t("periods"), String(quote.periods), "periods"],
              [t("upfrontPayout"), money(quote.upfrontPayout), "upfront-payout"],
              [t("leaserFees"), money(quote.leaserFees), "leaser-fees"],
              [t("decision"), t(quote.decisionMode), "decision-mode"],
            ]}
          />
        </section>
      )}
    </>
  );
}
