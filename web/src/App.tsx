// Routes; every page but the home page is its own chunk, so the first page loads little.
import { lazy, Suspense } from "react";
import { Route, Switch } from "wouter";
import { Layout } from "./components/Layout";
import { Loading } from "./components/ui";
import { ViewerProvider } from "./components/viewer";
import { useI18n } from "./i18n/i18n";
import { Home } from "./pages/Home";

const Calculator = lazy(() => import("./pages/Calculator"));
const NewContract = lazy(() => import("./pages/NewContract"));
const Contracts = lazy(() => import("./pages/Contracts"));
const ContractPage = lazy(() => import("./pages/ContractPage"));
const Payments = lazy(() => import("./pages/Payments"));
const Enrolments = lazy(() => import("./pages/Enrolments"));
const CreditLines = lazy(() => import("./pages/CreditLines"));

function NotFound() {
  const { t } = useI18n();
  return <h1>{t("notFoundTitle")}</h1>;
}

export function App({ onSignOut }: { onSignOut: () => void }) {
  return (
    <ViewerProvider>
      <Layout onSignOut={onSignOut}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={Home} />
            <Route path="/calculateur" component={Calculator} />
            <Route path="/contrats/nouveau" component={NewContract} />
            <Route path="/contrats/:id">{(params) => <ContractPage id={decodeURIComponent(params.id)} />}</Route>
            <Route path="/contrats" component={Contracts} />
            <Route path="/paiements" component={Payments} />
            <Route path="/programme/:id">{(params) => <Enrolments id={decodeURIComponent(params.id)} />}</Route>
            <Route path="/programme">{() => <Enrolments />}</Route>
            <Route path="/encours" component={CreditLines} />
            <Route component={NotFound} />
          </Switch>
        </Suspense>
      </Layout>
    </ViewerProvider>
  );
}
