// The signed-in user and partner (the `viewer` query), asked once and shared by every page.
import { createContext, useContext, type ReactNode } from "react";
import { useQuery } from "urql";
import { ViewerQuery } from "../api/operations";
import type { ViewerQuery as ViewerResult } from "../gql/graphql";
import { RequestError } from "./ui";
import { useI18n } from "../i18n/i18n";

export type Viewer = ViewerResult["viewer"];
export type ViewerPartner = NonNullable<Viewer["partner"]>;

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [{ data, error, fetching }] = useQuery({ query: ViewerQuery, requestPolicy: "cache-first" });
  if (fetching && !data) return <p role="status">{t("loading")}</p>;
  if (error) return <RequestError error={error} />;
  if (!data) return null;
  return <ViewerContext.Provider value={data.viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer outside ViewerProvider");
  return viewer;
}

/** The partner the user acts for; the pages that need one show a notice without it. */
export function usePartner(): ViewerPartner | null {
  return useViewer().partner ?? null;
}

export function activeAgreements(partner: ViewerPartner | null) {
  return (partner?.financingAgreements ?? []).filter((a) => a.status === "ACTIVE");
}
