// The partner's contracts, newest first, filtered by status, a page at a time, each with its timeline.
import { useState } from "react";
import { Link } from "wouter";
import { useQuery } from "urql";
import { ContractsQuery } from "../api/operations";
import type { ContractStatus } from "../gql/graphql";
import { Loading, RequestError, StatusBadge, Timeline } from "../components/ui";
import { useTitle } from "../components/useTitle";
import { useI18n } from "../i18n/i18n";

export const STATUSES: ContractStatus[] = [
  "DRAFT",
  "FINANCING_REQUESTED",
  "UNDER_REVIEW",
  "APPROVED",
  "REJECTED",
  "AWAITING_SIGNATURES",
  "AWAITING_DELIVERY",
  "AWAITING_PAYMENT",
  "ACTIVE",
  "COMPLETED",
  "CANCELLED",
  "EXPIRED",
];
const PAGE_SIZE = 20;

export default function Contracts() {
  const { t, label, money, date } = useI18n();
  useTitle(t("contractsTitle"));
  const [status, setStatus] = useState<ContractStatus | "">("");
  // The cursors of the pages already seen, so "previous" goes back without a backward cursor.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, error, fetching }] = useQuery({
    query: ContractsQuery,
    variables: { filter: status ? { status } : null, first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
  });
  const page = data?.contracts;
  return (
    <>
      <h1>{t("contractsTitle")}</h1>
      <div className="toolbar">
        <label>
          {t("status")}{" "}
          <select
            name="status"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as ContractStatus | "");
              setCursors([null]);
            }}
          >
            <option value="">{t("allStatuses")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <RequestError error={error} />}
      {fetching && !page && <Loading />}
      {page && page.nodes.length === 0 && <p>{t("noContracts")}</p>}
      {page && page.nodes.length > 0 && (
        <ul className="contracts" data-testid="contracts">
          {page.nodes.map((c) => (
            <li key={c.id} className="contract-row" data-contract-id={c.id}>
              <div className="line">
                <Link href={`/contrats/${encodeURIComponent(c.id)}`} className="customer">
                  {c.customer.name}
                </Link>
                <StatusBadge status={c.status} />
              </div>
              <div className="meta">
                <span>{c.financing ? money(c.financing.financedAmount) : money(c.softwareFee)}</span>
                <span>{t("months", { n: c.termMonths })}</span>
                <span>
                  {t("createdAt")} {date(c.createdAt)}
                </span>
              </div>
              <details>
                <summary>{t("timeline")}</summary>
                <Timeline events={c.timeline} />
              </details>
            </li>
          ))}
        </ul>
      )}
      <div className="pager">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((cs) => cs.slice(0, -1))}>
          {t("previous")}
        </button>
        <button
          type="button"
          disabled={!page?.pageInfo.hasNextPage}
          onClick={() => page?.pageInfo.endCursor && setCursors((cs) => [...cs, page.pageInfo.endCursor ?? null])}
        >
          {t("next")}
        </button>
      </div>
    </>
  );
}
