import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A request body as received: its digest over every byte, and the bytes up to the size limit. */
export interface ReceivedBody {
  /** hex SHA-256 of all the bytes received (what an AK/SK signature covers). */
  readonly sha256: string;
  /** Total size in bytes. */
  readonly size: number;
  /** The bytes, or `undefined` when `size` exceeded the limit (they were hashed, not kept). */
  readonly bytes: Buffer | undefined;
}

/**
 * Reads the whole body, hashing as it goes and keeping at most `limit` bytes, so that a signature
 * can be checked before a 413 is answered without holding an oversized body in memory.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<ReceivedBody> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', () => {
      resolve({ sha256: hash.digest('hex'), size, bytes: size <= limit ? Buffer.concat(chunks) : undefined });
    });
    request.on('error', reject);
  });
}

/** The body parsed as JSON (UTF-8), or why it could not be (empty, not UTF-8, not JSON). */
export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

export function parseJson(bytes: Buffer): ParsedJson {
  if (bytes.length === 0) return { ok: false, problem: 'the body is empty' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: 'the body is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: 'the body is not valid JSON' };
  }
}

/** `true` when a `Content-Type` is `application/json`, with or without parameters such as charset. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a send body as the service does: `{ records: [...] }`, a non-empty array of objects,
 * each with a non-blank string `id` and every other field a string or null. Unknown fields are
 * accepted: the documentation's own example sends `error_msg`, copied from the listing API.
 * Returns the record ids, or which index and field is wrong.
 */
export function checkSendBody(body: unknown): { readonly ids: string[] } | { readonly problem: string } {
  if (!isObject(body)) return { problem: 'the body must be a JSON object { "records": [...] }' };
  const records = body['records'];
  if (records === undefined) return { problem: 'records is missing' };
  if (!Array.isArray(records)) return { problem: 'records must be an array' };
  if (records.length === 0) return { problem: 'records must not be empty' };
  const ids: string[] = [];
  for (const [index, record] of records.entries()) {
    if (!isObject(record)) return { problem: `records[${index}] must be an object` };
    const id = record['id'];
    if (typeof id !== 'string' || id.trim() === '') return { problem: `records[${index}].id must be a non-empty string` };
    for (const [field, value] of Object.entries(record)) {
      if (value !== null && typeof value !== 'string') return { problem: `records[${index}].${field} must be a string` };
    }
    ids.push(id);
  }
  return { ids };
}
