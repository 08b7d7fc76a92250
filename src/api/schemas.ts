import * as z from 'zod/mini';

// Every zod call at the top level is marked pure, nested ones too: bundlers that do not carry
// zod's own no-side-effects marks across modules (esbuild, which size-limit uses) would otherwise
// keep a schema nobody imports (the listing API's in a bundle that only sends).

/** An optional string field; `null` is accepted as "absent" (the listing API's JSON may carry it). */
const optionalText = /* @__PURE__ */ z.optional(z.nullable(z.string()));

/** `id` is the one required field: a string with at least one non-blank character. */
const recordId = /* @__PURE__ */ z.string().check(
  z.refine((value: string) => value.trim().length > 0, { message: 'must not be empty or blank' }),
);

/** The ten fields of the SDK model, as they may come in. */
const authorizationMailFields = /* @__PURE__ */ z.object({
  id: recordId,
  account: optionalText,
  account_auth_type: optionalText,
  account_auth_name: optionalText,
  app_group_id: optionalText,
  app_group_name: optionalText,
  mail_send_type: optionalText,
  mail_send_result: optionalText,
  error_msg: optionalText,
  send_at: optionalText,
});

/** An authorization email record as the library stores and sends it (the SDK model). */
export interface AuthorizationMail {
  /** Email record ID (required). */
  id: string;
  /** User (group). */
  account?: string;
  /** Authorization object type: `USER` or `USER_GROUP` in the SDK. */
  account_auth_type?: string;
  account_auth_name?: string;
  app_group_id?: string;
  app_group_name?: string;
  /** `ADD_GROUP_AUTHORIZATION`, `DEL_GROUP_AUTHORIZATION`, `…_SMS`; the docs' own example sends "1". */
  mail_send_type?: string;
  /** `SUCCESS` or `FAIL` (listing output). */
  mail_send_result?: string;
  /** Why the last send failed (listing output). */
  error_msg?: string;
  /** When it was last sent, date-time (listing output). */
  send_at?: string;
}

/** An authorization email record as callers may hand it in (`null` allowed for optional fields). */
export type AuthorizationMailInput = z.input<typeof authorizationMailFields>;

function dropAbsent(fields: z.output<typeof authorizationMailFields>): AuthorizationMail {
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') record[key] = value;
  return record as unknown as AuthorizationMail;
}

/**
 * One authorization email record (the SDK model `AuthorizationMail`, all ten fields).
 *
 * Values are not narrowed to enums: the service's own example sends `mail_send_type: "1"`, and
 * records copied from the listing API (`mail_send_result`, `error_msg`, `send_at`) are accepted
 * as they come. `null` fields and unknown keys are dropped, so only these ten fields, as
 * strings, are ever stored or sent.
 */
export const AuthorizationMailSchema = /* @__PURE__ */ z.pipe(authorizationMailFields, z.transform(dropAbsent));

/** Body of `POST /v1/{project_id}/mails/actions/send`. */
export const SendAuthorizationMailRequestSchema = /* @__PURE__ */ z.object({
  records: /* @__PURE__ */ z.array(AuthorizationMailSchema).check(/* @__PURE__ */ z.minLength(1, { message: 'must hold at least one record' })),
});
export type SendAuthorizationMailRequest = z.output<typeof SendAuthorizationMailRequestSchema>;

/** Values of the `X-Language` header. */
export const LanguageSchema = /* @__PURE__ */ z.enum(['zh-cn', 'en-us', 'fr-fr']);
export type Language = z.output<typeof LanguageSchema>;

/** Values the documentation lists for `mail_send_type` (the service also accepts others, e.g. "1"). */
export const MailSendTypeSchema = /* @__PURE__ */ z.enum([
  'ADD_GROUP_AUTHORIZATION',
  'DEL_GROUP_AUTHORIZATION',
  'ADD_GROUP_AUTHORIZATION_SMS',
  'DEL_GROUP_AUTHORIZATION_SMS',
]);
export type MailSendType = z.output<typeof MailSendTypeSchema>;

/** Filter values of the listing API's `mail_send_type` query parameter. */
export const ListMailSendTypeSchema = /* @__PURE__ */ z.enum(['ADD_GROUP_AUTHORIZATION', 'DEL_GROUP_AUTHORIZATION']);
export type ListMailSendType = z.output<typeof ListMailSendTypeSchema>;

/** Values of `mail_send_result` in the listing API. */
export const MailSendResultSchema = /* @__PURE__ */ z.enum(['SUCCESS', 'FAIL']);
export type MailSendResult = z.output<typeof MailSendResultSchema>;

/** Error body of every non-2xx answer: `{ error_code, error_msg }`. Extra keys are ignored. */
export const ApiErrorBodySchema = /* @__PURE__ */ z.object({
  error_code: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.string()),
  error_msg: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.string()),
});
export type ApiErrorBody = z.output<typeof ApiErrorBodySchema>;

/** Body of `GET /v1/{project_id}/mails`. */
export const ListAuthorizationMailsResponseSchema = /* @__PURE__ */ z.object({
  count: /* @__PURE__ */ z.number().check(/* @__PURE__ */ z.int(), /* @__PURE__ */ z.gte(0)),
  records: /* @__PURE__ */ z.array(AuthorizationMailSchema),
});
export type ListAuthorizationMailsResponse = z.output<typeof ListAuthorizationMailsResponseSchema>;
