// The API's error codes (src/channelfin/domain/error_codes.py, README's table, and the request-level
// codes of api/http) as a partner reads them, in French and English. A unit test checks that every
// code of the catalogue is here; an unknown code falls back to the API's own (English) message.
export type Lang = "fr" | "en";

type Pair = readonly [fr: string, en: string];

export const ERROR_MESSAGES: Record<string, Pair> = {
  // Common
  INVALID_INPUT: ["Valeur invalide.", "Invalid value."],
  REQUIRED: ["Ce champ est obligatoire.", "This field is required."],
  NOT_FOUND: ["Introuvable, ou vous n'y avez pas accès.", "Not found, or not yours to see."],
  FORBIDDEN: ["Votre rôle ne permet pas cette action.", "Your role does not allow this."],
  CONFLICT: ["Modifié entre-temps par quelqu'un d'autre : rechargez la page.", "Changed by someone else meanwhile: reload the page."],
  INVALID_TRANSITION: ["Impossible dans l'état actuel du dossier.", "Not possible in the file's current state."],
  INVALID_ID: ["Identifiant invalide.", "Invalid identifier."],
  INVALID_PAGE_SIZE: ["Taille de page invalide.", "Invalid page size."],
  INVALID_AMOUNT: ["Montant invalide.", "Invalid amount."],
  INVALID_DECIMAL: ["Nombre invalide (ex. 1000.00).", "Invalid number (e.g. 1000.00)."],
  INVALID_CURRENCY: ["Devise invalide.", "Invalid currency."],
  CURRENCY_MISMATCH: ["Les devises ne correspondent pas.", "Currencies do not match."],
  INVALID_DATE: ["Date invalide.", "Invalid date."],
  INVALID_PERIOD: ["Période invalide.", "Invalid period."],
  INVALID_RATE: ["Taux invalide.", "Invalid rate."],
  INVALID_SLA: ["Délai de paiement invalide.", "Invalid payout deadline."],
  TOO_LONG: ["Texte trop long.", "Text too long."],
  TOO_MANY: ["Trop d'éléments.", "Too many items."],
  SAME_PARTNER: ["Les deux partenaires doivent être différents.", "The two partners must differ."],
  // Partner
  INVALID_COUNTRY: ["Code pays invalide.", "Invalid country code."],
  NOT_A_PUBLISHER_OR_RESELLER: ["Ce partenaire n'est ni éditeur ni revendeur.", "This partner is neither a publisher nor a reseller."],
  NOT_A_LEASER: ["Ce partenaire n'est pas un bailleur.", "This partner is not a leaser."],
  NOT_A_PUBLISHER: ["Ce partenaire n'est pas un éditeur.", "This partner is not a publisher."],
  NOT_A_RESELLER: ["Ce partenaire n'est pas un revendeur.", "This partner is not a reseller."],
  NOT_A_INTEGRATOR: ["Ce partenaire n'est pas un intégrateur.", "This partner is not an integrator."],
  NOT_A_AFFILIATE: ["Ce partenaire n'est pas un affilié.", "This partner is not an affiliate."],
  NOT_A_PRESCRIBER: ["Ce partenaire n'est pas un prescripteur.", "This partner is not a referrer."],
  NOT_A_DISTRIBUTOR: ["Ce partenaire n'est pas un distributeur.", "This partner is not a distributor."],
  NOT_A_HOST: ["Ce partenaire n'est pas un hébergeur.", "This partner is not a host."],
  NOT_A_SERVICES_FIRM: ["Ce partenaire n'est pas une ESN.", "This partner is not an IT services firm."],
  NO_ACTIVE_AGREEMENT: ["Aucune convention d'agrément en vigueur avec le bailleur.", "No financing agreement in force with the leaser."],
  AGREEMENT_TERMINATED: ["Le bailleur a résilié cette convention : plus de nouvelle demande.", "The leaser terminated this agreement: no new request under it."],
  // Contract
  INVALID_EMAIL: ["Adresse e-mail invalide.", "Invalid e-mail address."],
  INVALID_SIREN: ["SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle.", "Invalid SIREN: 9 digits, the last a check digit."],
  INVALID_DOCUMENT: ["Document invalide pour cette action.", "Invalid document for this action."],
  INVALID_INSTALLMENT: ["Numéro d'échéance invalide.", "Invalid installment number."],
  OWNER_NOT_A_PARTY: ["Le porteur du contrat doit être l'éditeur ou le revendeur.", "The owner must be the publisher or the reseller."],
  SUPPORT_PROVIDER_NOT_A_PARTY: ["Le prestataire de support doit être partie au contrat.", "The support provider must be a party to the contract."],
  PARTNER_REQUIRED: ["Un partenaire est requis.", "A partner is required."],
  NOT_A_DRAFT: ["Le contrat n'est plus un brouillon.", "The contract is no longer a draft."],
  NOT_ACTIVE: ["Le contrat n'est pas actif.", "The contract is not active."],
  FINANCED: ["Le contrat est financé : action impossible.", "The contract is financed: not possible."],
  // Financing
  EXACTLY_ONE_OF: ["Indiquez soit le loyer, soit le montant financé.", "Give either the rent or the financed amount."],
  INVALID_TERM: ["Durée invalide : au moins une période, et un nombre entier de périodes.", "Invalid term: at least one period, a whole number of periods."],
  NOT_FINANCED: ["Le contrat n'est pas financé.", "The contract is not financed."],
  NOT_UNDER_REVIEW: ["Le dossier n'est pas en étude de crédit.", "The file is not under credit review."],
  NOT_AWAITING_SIGNATURES: ["Le dossier n'attend pas de signatures.", "The file is not awaiting signatures."],
  SIGNATURES_MISSING: ["Les contrats de vente et de location doivent d'abord être signés.", "The sale and lease contracts must be signed first."],
  NOT_AWAITING_DELIVERY: ["Le dossier n'attend pas le procès-verbal de livraison.", "The file is not awaiting the delivery report."],
  STEP_CLOSED: ["Cette étape est déjà close.", "This step is already closed."],
  DELIVERY_REPORT_NOT_SUBMITTED: ["Le procès-verbal de livraison n'a pas encore été envoyé.", "The delivery report has not been submitted yet."],
  DELIVERY_REPORT_NOT_SIGNED: ["Le client n'a pas encore signé le procès-verbal de livraison.", "The end client has not signed the delivery report yet."],
  PAYOUT_NOT_HELD: ["Aucun versement de ce dossier n'est retenu.", "No payout of this file is held."],
  // Document
  NOT_AWAITING_SIGNATURE: ["Le document n'attend pas de signature.", "The document is not awaiting a signature."],
  DOCUMENT_HASH_MISMATCH: ["Le document signé ne correspond pas à celui envoyé.", "The signed document differs from the one sent."],
  UNKNOWN_DOCUMENT: ["Document inconnu.", "Unknown document."],
  UNKNOWN_REQUEST: ["Demande de signature inconnue.", "Unknown signing request."],
  UNKNOWN_EVENT: ["Événement de signature inconnu.", "Unknown signing event."],
  OVERRIDE_REASON_REQUIRED: ["Indiquez pourquoi vous enregistrez cette signature à la place du prestataire.", "Say why you record this signature instead of the provider."],
  OVERRIDE_NOT_ALLOWED: ["Le connecteur de signature ne peut pas forcer une signature.", "The signature connector cannot override."],
  // Program
  INVALID_MINIMUM: ["Minimum de ventes invalide.", "Invalid sales minimum."],
  INVALID_RULE: ["Règle de palier invalide.", "Invalid tier rule."],
  SEGMENT_POTENTIAL_REQUIRED: ["Le potentiel du segment est requis pour un affilié.", "An affiliate needs the segment potential."],
  NOT_TECHNICALLY_QUALIFIED: ["Le partenaire n'a pas encore sa qualification technique.", "The partner is not technically qualified yet."],
  WRONG_PROGRAM: ["Cette adhésion relève d'un autre programme.", "This enrolment belongs to another program."],
  // Incentive
  NOT_FOR_THIS_KIND: ["Sans objet pour ce type de campagne.", "Not for this kind of campaign."],
  INVALID_MULTIPLIER: ["Multiplicateur invalide.", "Invalid multiplier."],
  INVALID_QUANTITY: ["Quantité invalide.", "Invalid quantity."],
  NOTHING_TO_ACCEPT: ["Rien à accepter.", "Nothing to accept."],
  CHANGE_PENDING: ["Une modification attend déjà confirmation.", "A change is already awaiting confirmation."],
  NO_PENDING_CHANGE: ["Aucune modification en attente.", "No pending change."],
  CREDIT_LIMIT_EXCEEDED: ["Encours disponible insuffisant.", "Not enough credit available."],
  PAYMENT_EXCEEDS_OUTSTANDING: ["Le paiement dépasse l'encours.", "The payment exceeds the outstanding."],
  NO_REBATE_IN_FORCE: ["Aucune remise arrière en vigueur.", "No rebate in force."],
  // Payment
  UP_TO_TOO_FAR: ["Date trop lointaine (7 jours au plus).", "Date too far ahead (7 days at most)."],
  NOT_ACTING_FOR_PAYER: ["Vous n'agissez pas pour ce payeur.", "You do not act for this payer."],
  // Escrow
  NO_DECLARED_DEFAULT: ["Aucune défaillance déclarée.", "No default declared."],
  NOTHING_TO_CONFIRM: ["Rien à confirmer.", "Nothing to confirm."],
  NOT_CONFIRMED: ["Non confirmé.", "Not confirmed."],
  // Request-level (api/http): what a front-end meets outside userErrors
  UNAUTHENTICATED: ["Session expirée ou jeton invalide : reconnectez-vous.", "Session expired or invalid token: sign in again."],
  INTERNAL_ERROR: ["Erreur inattendue du service ; réessayez plus tard.", "Unexpected service error; try again later."],
  BAD_REQUEST: ["Requête refusée par le service.", "The service refused the request."],
  GRAPHQL_VALIDATION_FAILED: ["Requête invalide (valeur d'un champ incorrecte ?).", "Invalid request (a field's value?)."],
  GRAPHQL_PARSE_FAILED: ["Requête illisible par le service.", "The service could not read the request."],
  INVALID_CURSOR: ["Page périmée : revenez à la première page.", "Stale page: go back to the first page."],
  QUERY_TOO_COSTLY: ["Demande trop volumineuse : réduisez la taille de page.", "Request too large: use a smaller page."],
  QUERY_TOO_DEEP: ["Demande trop imbriquée.", "Request nested too deeply."],
  REQUEST_TOO_LARGE: ["Demande trop volumineuse.", "Request too large."],
  INPUT_TOO_LONG: ["Texte trop long.", "Text too long."],
  INPUT_LIST_TOO_LONG: ["Liste trop longue.", "List too long."],
  IDEMPOTENCY_IN_PROGRESS: ["Cette demande est déjà en cours de traitement.", "This request is already being processed."],
  NETWORK: ["Le service ne répond pas : vérifiez la connexion.", "The service does not answer: check the connection."],
};

export function errorMessage(code: string, lang: Lang, fallback?: string): string {
  const pair = ERROR_MESSAGES[code];
  if (pair) return lang === "fr" ? pair[0] : pair[1];
  return fallback || code;
}
