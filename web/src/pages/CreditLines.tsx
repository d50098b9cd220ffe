// Seed 002: a reseller's credit at each distributor — insured limit, vendor guarantees, order
// extras, outstanding and what is available, and a cut awaiting its second confirmation.
import { useQuery } from "urql";
import { CreditLinesQuery } from "../api/operations";
import { Alert, Loading, RequestError, ScrollArea } from "../components/ui";
import { usePartner } from "../components/viewer";
import { useTitle } from "../components/useTitle";
import { useI18n } from "../i18n/i18n";

export default function CreditLines() {
  const { t, money } = useI18n();
  const partner = usePartner();
  useTitle(t("creditTitle"));
  const [{ data, error, fetching }] = useQuery({
    query: CreditLinesQuery,
    variables: { partnerId: partner?.id ?? "" },
    pause: !partner,
  });
  if (!partner) return <Alert tone="info">{t("noPartner")}</Alert>;
  const lines = data?.creditLines.nodes ?? [];
  return (
    <>
      <h1>{t("creditTitle")}</h1>
      {error && <RequestError error={error} />}
      {fetching && !data && <Loading />}
      {data && lines.length === 0 && <p>{t("noCreditLines")}</p>}
      {lines.length > 0 && (
        <ScrollArea label={t("creditTitle")}>
          <table className="table" data-testid="credit-lines">
            <thead>
              <tr>
                <th scope="col">{t("distributor")}</th>
                <th scope="col" className="num">{t("insuredLimit")}</th>
                <th scope="col" className="num">{t("guarantees")}</th>
                <th scope="col" className="num">{t("orderExtras")}</th>
                <th scope="col" className="num">{t("outstanding")}</th>
                <th scope="col" className="num">{t("available")}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.id}>
                  <th scope="row">
                    {line.distributor.name}
                    {line.pendingChange && (
                      <p className="hint">
                        {t("pendingChange", { from: money(line.pendingChange.fromLimit), to: money(line.pendingChange.toLimit) })}
                      </p>
                    )}
                  </th>
                  <td className="num">{money(line.insuredLimit)}</td>
                  <td className="num">{money(line.guarantees)}</td>
                  <td className="num">{money(line.orderExtras)}</td>
                  <td className="num">{money(line.outstanding)}</td>
                  <td className="num">
                    <strong>{money(line.available)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </>
  );
}
