// userErrors by field, so each is shown next to its input; the rest at the top of the form.
import type { CombinedError } from "urql";

export type UserError = { field?: readonly string[] | null; code: string; message: string };

export class FieldErrors {
  constructor(
    private readonly byField: ReadonlyMap<string, UserError[]> = new Map(),
    readonly general: readonly UserError[] = [],
  ) {}

  static from(errors: readonly UserError[], knownFields: readonly string[]): FieldErrors {
    const byField = new Map<string, UserError[]>();
    const general: UserError[] = [];
    for (const error of errors) {
      const key = fieldKey(error.field);
      if (key && knownFields.includes(key)) byField.set(key, [...(byField.get(key) ?? []), error]);
      else general.push(error);
    }
    return new FieldErrors(byField, general);
  }

  for(field: string): UserError[] {
    return this.byField.get(field) ?? [];
  }

  get empty(): boolean {
    return this.byField.size === 0 && this.general.length === 0;
  }
}

/** `["customer", "registrationNumber"]` → `customer.registrationNumber` (an `input` prefix dropped). */
export function fieldKey(field: readonly string[] | null | undefined): string | null {
  if (!field || field.length === 0) return null;
  const parts = field[0] === "input" ? field.slice(1) : field;
  return parts.length ? parts.join(".") : null;
}

/** A request-level failure as a code the message catalogue knows. */
export function requestErrorCode(error: CombinedError): { code: string; message: string } {
  if ((error.response as Response | undefined)?.status === 401) return { code: "UNAUTHENTICATED", message: error.message };
  const graphQLError = error.graphQLErrors[0];
  if (graphQLError) {
    const code = graphQLError.extensions?.code;
    return { code: typeof code === "string" ? code : "INTERNAL_ERROR", message: graphQLError.message };
  }
  return { code: "NETWORK", message: error.message };
}
