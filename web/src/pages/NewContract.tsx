// A new contract and its financing request: `createContract`, then `requestFinancing` under the
// partner's agreement. The SIREN's check digit is verified as one types, and it is required (financing
// needs it: the API refuses the contract without it, SIREN_REQUIRED); every userError is shown next
// to its field (the API's field path), the others above the button.
import { useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { useMutation } from "urql";
import { CreateContractMutation, RequestFinancingMutation } from "../api/operations";
import { FieldErrors, requestErrorCode, type UserError } from "../api/errors";
import type { Periodicity } from "../gql/graphql";
import { checkSiren, normaliseSiren } from "../lib/siren";
import { Alert, Field, UserErrorList } from "../components/ui";
import { activeAgreements, usePartner } from "../components/viewer";
import { useTitle } from "../components/useTitle";
import { useI18n } from "../i18n/i18n";
import { decimalInput, PERIODICITIES } from "./Calculator";

const FIELDS = [
  "customer.name",
  "customer.registrationNumber",
  "customer.email",
  "ownerId",
  "publisherId",
  "resellerId",
  "periodicity",
  "termMonths",
  "startDate",
  "softwareFee",
  "supportFee",
  "agreementId",
] as const;

function firstOfNextMonth(today = new Date()): string {
  const next = new Date(today.getFullYear(), today.getMonth() + 1, 1);
  return `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}-01`;
}

export default function NewContract() {
  const { t, money, percent } = useI18n();
  const partner = usePartner();
  const agreements = activeAgreements(partner);
  const [, navigate] = useLocation();
  useTitle(t("newTitle"));
  const isPublisher = partner?.roles.includes("PUBLISHER") ?? false;
  const [form, setForm] = useState({
    name: "",
    siren: "",
    email: "",
    ownerRole: isPublisher ? "publisher" : "reseller",
    publisherId: "",
    resellerId: "",
    periodicity: "MONTHLY" as Periodicity,
    termMonths: "36",
    startDate: firstOfNextMonth(),
    softwareFee: "",
    supportFee: "",
    agreementId: agreements[0]?.id ?? "",
  });
  const [errors, setErrors] = useState(new FieldErrors());
  const [refused, setRefused] = useState<{ contractId: string; errors: UserError[] } | null>(null);
  const [, createContract] = useMutation(CreateContractMutation);
  const [, requestFinancing] = useMutation(RequestFinancingMutation);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value; // read now: the event is gone when the updater runs
    setForm((f) => ({ ...f, [key]: value }));
  };

  const siren = checkSiren(form.siren);
  const sirenCheck =
    siren === "invalid" ? { ok: false, text: t("sirenInvalid") } : siren === "valid" ? { ok: true, text: t("sirenValid") } : null;

  if (!partner) return <Alert tone="info">{t("noPartner")}</Alert>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (siren === "invalid") return; // already said next to the field; nothing is sent
    if (siren === "empty") {
      // Said as the API would say it (its code, so its message in the user's language), next to the field.
      const required = { field: ["customer", "registrationNumber"], code: "SIREN_REQUIRED", message: "financing needs the end client's SIREN" };
      setErrors(FieldErrors.from([required], FIELDS));
      return;
    }
    setBusy(true);
    setRefused(null);
    const asPublisher = form.ownerRole === "publisher";
    const created = await createContract({
      input: {
        ownerId: partner.id,
        publisherId: asPublisher ? partner.id : form.publisherId.trim(),
        resellerId: asPublisher ? form.resellerId.trim() || null : partner.id,
        customer: {
          name: form.name,
          registrationNumber: normaliseSiren(form.siren),
          email: form.email.trim() || null,
        },
        periodicity: form.periodicity,
        termMonths: Number.parseInt(form.termMonths, 10) || 0,
        startDate: form.startDate,
        softwareFee: decimalInput(form.softwareFee),
        supportFee: decimalInput(form.supportFee),
      },
    });
    if (created.error) {
      setBusy(false);
      const { code, message } = requestErrorCode(created.error);
      setErrors(FieldErrors.from([{ code, message }], FIELDS));
      return;
    }
    const payload = created.data!.createContract;
    if (payload.userErrors.length || !payload.contract) {
      setBusy(false);
      setErrors(FieldErrors.from(payload.userErrors, FIELDS));
      return;
    }
    setErrors(new FieldErrors());
    const contractId = payload.contract.id;
    const requested = await requestFinancing({ input: { contractId, agreementId: form.agreementId } });
    setBusy(false);
    const refusals: UserError[] = requested.error
      ? [requestErrorCode(requested.error)]
      : requested.data!.requestFinancing.userErrors;
    if (refusals.length) {
      setRefused({ contractId, errors: refusals });
      return;
    }
    navigate(`/contrats/${encodeURIComponent(contractId)}`);
  };

  return (
    <>
      <h1>{t("newTitle")}</h1>
      <p>{t("newIntro")}</p>
      {!agreements.length && <Alert tone="info">{t("noAgreement")}</Alert>}
      <form onSubmit={(e) => void submit(e)} noValidate className="form">
        <fieldset>
          <legend>{t("customer")}</legend>
          <Field label={t("customerName")} errors={errors.for("customer.name")}>
            {(p) => <input {...p} name="customerName" autoComplete="organization" value={form.name} onChange={set("name")} />}
          </Field>
          <Field label={t("siren")} hint={t("sirenHint")} errors={errors.for("customer.registrationNumber")} check={sirenCheck}>
            {(p) => <input {...p} name="siren" inputMode="numeric" required value={form.siren} onChange={set("siren")} />}
          </Field>
          <Field label={t("email")} errors={errors.for("customer.email")}>
            {(p) => <input {...p} name="email" type="email" autoComplete="email" value={form.email} onChange={set("email")} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t("parties")}</legend>
          <Field label={t("ownerRole")} errors={errors.for("ownerId")}>
            {(p) => (
              <select {...p} name="ownerRole" value={form.ownerRole} onChange={set("ownerRole")}>
                {partner.roles.includes("PUBLISHER") && <option value="publisher">{t("ownerPublisher")}</option>}
                {partner.roles.includes("RESELLER") && <option value="reseller">{t("ownerReseller")}</option>}
              </select>
            )}
          </Field>
          {form.ownerRole === "publisher" ? (
            <Field label={t("resellerId")} hint={t("partnerIdHint")} errors={errors.for("resellerId")}>
              {(p) => <input {...p} name="resellerId" value={form.resellerId} onChange={set("resellerId")} />}
            </Field>
          ) : (
            <Field label={t("publisherId")} hint={t("partnerIdHint")} errors={errors.for("publisherId")}>
              {(p) => <input {...p} name="publisherId" value={form.publisherId} onChange={set("publisherId")} />}
            </Field>
          )}
        </fieldset>
        <fieldset>
          <legend>{t("terms")}</legend>
          <div className="row">
            <Field label={t("periodicity")} errors={errors.for("periodicity")}>
              {(p) => (
                <select {...p} name="periodicity" value={form.periodicity} onChange={set("periodicity")}>
                  {PERIODICITIES.map((value) => (
                    <option key={value} value={value}>
                      {t(value)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("termMonths")} errors={errors.for("termMonths")}>
              {(p) => <input {...p} name="termMonths" inputMode="numeric" value={form.termMonths} onChange={set("termMonths")} />}
            </Field>
            <Field label={t("startDate")} errors={errors.for("startDate")}>
              {(p) => <input {...p} name="startDate" type="date" value={form.startDate} onChange={set("startDate")} />}
            </Field>
          </div>
          <div className="row">
            <Field label={t("softwareFee")} errors={errors.for("softwareFee")}>
              {(p) => <input {...p} name="softwareFee" inputMode="decimal" value={form.softwareFee} onChange={set("softwareFee")} />}
            </Field>
            <Field label={t("supportFee")} errors={errors.for("supportFee")}>
              {(p) => <input {...p} name="supportFee" inputMode="decimal" value={form.supportFee} onChange={set("supportFee")} />}
            </Field>
          </div>
          <Field label={t("agreement")} errors={errors.for("agreementId")}>
            {(p) => (
              <select {...p} name="agreementId" value={form.agreementId} onChange={set("agreementId")}>
                {agreements.map((a) => (
                  <option key={a.id} value={a.id}>
                    {t("agreementOption", { leaser: a.leaser.name, rate: percent(a.annualRate), fee: money(a.fileFee) })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        {!errors.empty && <Alert>{t("fixErrors")}</Alert>}
        <UserErrorList errors={errors.general} />
        {refused && (
          <Alert>
            <p>{t("createdNotFinanced")}</p>
            <UserErrorList errors={refused.errors} />
            <a href={`/contrats/${encodeURIComponent(refused.contractId)}`}>{t("openContract")}</a>
          </Alert>
        )}
        <button type="submit" disabled={busy || !agreements.length}>
          {busy ? t("sending") : t("requestFinancing")}
        </button>
      </form>
    </>
  );
}
