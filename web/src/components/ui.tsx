// Small accessible building blocks: a labelled field with its hint and errors, alerts, tables.
import { useId, type ReactNode } from "react";
import type { CombinedError } from "urql";
import { requestErrorCode, type UserError } from "../api/errors";
import { useI18n } from "../i18n/i18n";

type FieldProps = {
  label: string;
  hint?: string;
  errors?: readonly UserError[];
  /** A message of our own (e.g. the SIREN check), shown like an error or, when ok, as a status. */
  check?: { ok: boolean; text: string } | null;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
};

export function Field({ label, hint, errors = [], check, children }: FieldProps) {
  const { error } = useI18n();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length || (check && !check.ok) ? `${id}-error` : undefined;
  const checkId = check?.ok ? `${id}-check` : undefined;
  const describedBy = [hintId, errorId, checkId].filter(Boolean).join(" ") || undefined;
  const invalid = errors.length > 0 || (check ? !check.ok : false);
  return (
    <div className={`field${invalid ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, "aria-describedby": describedBy, "aria-invalid": invalid || undefined })}
      {errorId && (
        <p className="error" id={errorId} data-testid="field-error">
          {check && !check.ok && <span>{check.text} </span>}
          {errors.map((e) => (
            <span key={e.code} data-code={e.code}>
              {error(e.code, e.message)}{" "}
            </span>
          ))}
        </p>
      )}
      {checkId && (
        <p className="ok" id={checkId}>
          {check?.text}
        </p>
      )}
    </div>
  );
}

export function Alert({ children, tone = "error" }: { children: ReactNode; tone?: "error" | "info" }) {
  return (
    <div className={`alert ${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function UserErrorList({ errors }: { errors: readonly UserError[] }) {
  const { error } = useI18n();
  if (!errors.length) return null;
  return (
    <Alert>
      <ul>
        {errors.map((e, i) => (
          <li key={i} data-code={e.code}>
            {error(e.code, e.message)}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

export function RequestError({ error: failure }: { error: CombinedError }) {
  const { error } = useI18n();
  const { code, message } = requestErrorCode(failure);
  return (
    <Alert>
      <span data-code={code}>{error(code, message)}</span>
    </Alert>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <p role="status">{t("loading")}</p>;
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  const { label } = useI18n();
  return (
    <span className={`badge status-${(status ?? "none").toLowerCase()}`} data-status={status ?? ""}>
      {label(status)}
    </span>
  );
}

export function Figures({ items }: { items: [label: string, value: ReactNode, testId?: string][] }) {
  return (
    <dl className="figures">
      {items.map(([label, value, testId]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Timeline({ events }: { events: readonly { status: string; at: string; note?: string | null }[] }) {
  const { label, dateTime } = useI18n();
  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li key={i}>
          <span className="when">{dateTime(e.at)}</span> <span className="what">{label(e.status)}</span>
          {e.note ? <span className="note"> — {e.note}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/** A table wider than a phone scrolls sideways; focusable and named so a keyboard can scroll it too. */
export function ScrollArea({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
