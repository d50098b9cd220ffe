// One contract: parties and terms, its financing, its documents (download, signing link, status),
// the delivery report, its payouts and its timeline. It refreshes itself while the file moves.
//
// The delivery report works both ways the API may take it: today the owner submits it
// (`financing.deliveryReport`); when the report is sent to the end client for e-signature instead,
// it appears among the documents as DELIVERY_REPORT with its status and signing link.
import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { ContractQuery, SubmitDeliveryReportMutation } from "../api/operations";
import { FieldErrors, requestErrorCode } from "../api/errors";
import type { ContractQuery as Result } from "../gql/graphql";
import { Alert, Field, Figures, Loading, RequestError, StatusBadge, Timeline, UserErrorList, ScrollArea } from "../components/ui";
import { useTitle } from "../components/useTitle";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";

type Contract = NonNullable<Result["contract"]>;

/** While in these states the workflow moves the file on its own: poll. */
const MOVING = new Set(["FINANCING_REQUESTED", "APPROVED", "AWAITING_SIGNATURES", "AWAITING_DELIVERY", "AWAITING_PAYMENT"]);
const POLL_MS = 2000;

export default function ContractPage({ id }: { id: string }) {
  const { t, label, money, date, dateTime } = useI18n();
  const [{ data, error, fetching }, refetch] = useQuery({ query: ContractQuery, variables: { id }, requestPolicy: "cache-and-network" });
  const contract = data?.contract;
  useTitle(contract ? t("contractTitle", { customer: contract.customer.name }) : t("contractsTitle"));
  const moving = contract ? MOVING.has(contract.status) : false;
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), POLL_MS);
    return () => clearInterval(timer);
  }, [moving, refetch]);

  if (error && !data) return <RequestError error={error} />;
  if (fetching && !data) return <Loading />;
  if (!contract) {
    return (
      <>
        <h1>{t("contractsTitle")}</h1>
        <Alert>{t("contractNotFound")}</Alert>
      </>
    );
  }
  const f = contract.financing;
  return (
    <>
      <h1>
        {t("contractTitle", { customer: contract.customer.name })} <StatusBadge status={contract.status} />
      </h1>
      {moving && <p className="hint">{t("refreshing")}</p>}
      <section aria-labelledby="terms">
        <h2 id="terms">{t("terms")}</h2>
        <Figures
          items={[
            [t("siren"), contract.customer.registrationNumber ?? "—"],
            [t("owner"), contract.owner.name],
            [t("publisher"), contract.publisher.name],
            [t("reseller"), contract.reseller ? `${contract.reseller.name} (${contract.resellerRole ?? ""})` : "—"],
            [t("supportProvider"), contract.supportProvider.name],
            [t("periodicity"), t(contract.periodicity)],
            [t("term"), t("months", { n: contract.termMonths })],
            [t("startDate"), date(contract.startDate)],
            [t("softwareFee"), money(contract.softwareFee)],
            [t("supportFee"), money(contract.supportFee)],
          ]}
        />
      </section>
      {f && (
        <section aria-labelledby="financing">
          <h2 id="financing">{t("financing")}</h2>
          <Figures
            items={[
              [t("financedAmount"), money(f.financedAmount), "financed-amount"],
              [t("upfrontPayout"), money(f.upfrontPayout), "upfront-payout"],
              [t("leaserFees"), money(f.leaserFees), "leaser-fees"],
              [t("decision"), f.decision ? label(f.decision.outcome) : t(f.decisionMode), "decision"],
              [t("waitingFor"), f.waitingFor ? label(f.waitingFor) : "—"],
              [t("payoutDueBy"), dateTime(contract.payoutDueBy)],
            ]}
          />
          {f.declined && <Alert>{`${t("declined")} : ${f.declined}`}</Alert>}
        </section>
      )}
      <Documents contract={contract} />
      <DeliveryReport contract={contract} onDone={() => refetch({ requestPolicy: "network-only" })} />
      <Payouts contract={contract} />
      <section aria-labelledby="history">
        <h2 id="history">{t("timeline")}</h2>
        <Timeline events={contract.timeline} />
      </section>
    </>
  );
}

function Documents({ contract }: { contract: Contract }) {
  const { t, label, dateTime } = useI18n();
  if (!contract.documents.length) return null;
  return (
    <section aria-labelledby="documents">
      <h2 id="documents">{t("documents")}</h2>
      <table className="table" data-testid="documents">
        <thead>
          <tr>
            <th scope="col">{t("document")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">{t("signedBy")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("download")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {contract.documents.map((d) => (
            <tr key={d.kind} data-kind={d.kind}>
              <th scope="row">{t(d.kind as MessageKey)}</th>
              <td data-testid={`document-status-${d.kind}`} data-status={d.status ?? ""}>
                {d.status ? label(d.status) : t("notProduced")}
                {d.declineReason ? ` — ${d.declineReason}` : ""}
              </td>
              <td>{d.signedBy ? `${d.signedBy}, ${dateTime(d.signedAt)}` : "—"}</td>
              <td className="actions">
                {d.downloadUrl && (
                  <a href={d.downloadUrl} target="_blank" rel="noopener noreferrer">
                    {t("download")}
                    <span className="visually-hidden"> {t(d.kind as MessageKey)}</span>
                  </a>
                )}
                {d.signingUrl && (
                  <a href={d.signingUrl} target="_blank" rel="noopener noreferrer" data-testid={`signing-link-${d.kind}`}>
                    {t("sign")}
                    <span className="visually-hidden"> {t(d.kind as MessageKey)}</span>
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const DELIVERY_FIELDS = ["installedAt", "signedBy"] as const;

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

function DeliveryReport({ contract, onDone }: { contract: Contract; onDone: () => void }) {
  const { t, label, date, dateTime } = useI18n();
  const [installedAt, setInstalledAt] = useState(today);
  const [signedBy, setSignedBy] = useState("");
  const [errors, setErrors] = useState(new FieldErrors());
  const [{ fetching }, submit] = useMutation(SubmitDeliveryReportMutation);
  const f = contract.financing;
  if (!f) return null;
  const report = f.deliveryReport;
  const document = contract.documents.find((d) => d.kind === "DELIVERY_REPORT" && d.status);
  const signaturesIn = ["SALE_CONTRACT", "LEASE_CONTRACT"].every((kind) =>
    contract.documents.some((d) => d.kind === kind && d.status === "SIGNED"),
  );
  const send = async (event: FormEvent) => {
    event.preventDefault();
    const result = await submit({ input: { contractId: contract.id, installedAt, signedBy } });
    if (result.error) {
      setErrors(FieldErrors.from([requestErrorCode(result.error)], DELIVERY_FIELDS));
      return;
    }
    const userErrors = result.data!.submitDeliveryReport.userErrors;
    setErrors(FieldErrors.from(userErrors, DELIVERY_FIELDS));
    if (!userErrors.length) onDone();
  };
  let body;
  const documentLine = document && (
    <p data-testid="delivery-document">{t("deliveryDocument", { status: label(document.status) })}</p>
  );
  if (report) {
    body = (
      <>
        <p data-testid="delivery-submitted">
          {t("deliverySubmitted", { date: dateTime(report.submittedAt), installed: date(report.installedAt), signer: report.signedBy })}
        </p>
        {document?.status === "SENT" && documentLine}
      </>
    );
  } else if (document) {
    body = documentLine;
  } else if (contract.status === "AWAITING_DELIVERY" && signaturesIn) {
    body = (
      <form onSubmit={(e) => void send(e)} noValidate className="form" data-testid="delivery-form">
        <p>{t("deliveryIntro")}</p>
        <div className="row">
          <Field label={t("installedAt")} errors={errors.for("installedAt")}>
            {(p) => <input {...p} type="date" name="installedAt" value={installedAt} onChange={(e) => setInstalledAt(e.currentTarget.value)} />}
          </Field>
          <Field label={t("deliverySigner")} errors={errors.for("signedBy")}>
            {(p) => <input {...p} name="signedBy" autoComplete="name" value={signedBy} onChange={(e) => setSignedBy(e.currentTarget.value)} />}
          </Field>
        </div>
        <UserErrorList errors={errors.general} />
        <button type="submit" disabled={fetching}>
          {t("submitDelivery")}
        </button>
      </form>
    );
  } else if (["APPROVED", "AWAITING_SIGNATURES"].includes(contract.status)) {
    body = <p>{t("deliveryWaitSignatures")}</p>;
  } else {
    return null;
  }
  return (
    <section aria-labelledby="delivery">
      <h2 id="delivery">{t("deliveryTitle")}</h2>
      {body}
    </section>
  );
}

function Payouts({ contract }: { contract: Contract }) {
  const { t, label, money, dateTime } = useI18n();
  const payouts = contract.payouts.nodes;
  return (
    <section aria-labelledby="payouts">
      <h2 id="payouts">{t("payouts")}</h2>
      {payouts.length === 0 ? (
        <p>{t("noPayouts")}</p>
      ) : (
        <ScrollArea label={t("payouts")}>
          <table className="table" data-testid="contract-payouts">
            <thead>
              <tr>
                <th scope="col">{t("kind")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col" className="num">
                  {t("amount")}
                </th>
                <th scope="col">{t("dueBy")}</th>
                <th scope="col">{t("paidAt")}</th>
                <th scope="col">{t("beneficiary")}</th>
              </tr>
            </thead>
            <tbody>
              {payouts.map((p) => (
                <tr key={p.id} data-kind={p.kind}>
                  <td>
                    {label(p.kind)}
                    {p.installment ? ` n°${p.installment}` : ""}
                  </td>
                  <td>{label(p.status)}</td>
                  <td className="num" data-testid={`payout-${p.kind}`}>
                    {money(p.amount)}
                  </td>
                  <td>{dateTime(p.dueBy)}</td>
                  <td>{dateTime(p.paidAt)}</td>
                  <td>{p.beneficiary.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </section>
  );
}
