/**
 * TAP uploads (TAP 1.1 §3.3, DALI 1.1 §3.4.5): each upload is `UPLOAD=name,uri`; a local
 * table travels as a multipart part and is referenced as `param:name`. The multipart body is
 * assembled as a Blob of the parts, so table bytes are not copied again, and a local file
 * (Node) is a file-backed Blob, read while the request is sent.
 */
import { writeVOTableBytes, type Table, type VOTableDocument } from '@vokit/votable';
import { openUploadFile } from '#upload-file';
import { DALOptionsError } from './errors.js';
import type { ParamMap } from './http.js';

/**
 * What can be uploaded: a URL the service fetches itself (http/https/ftp), VOTable bytes or
 * text, a Blob (a browser `File` too), a parsed table/document (serialized as VOTable BINARY2
 * by default), or, in Node, a local file as a `file:` URL or a path.
 *
 * A string is VOTable text when it starts with `<` (after white space and a byte-order
 * mark), a service URL when it starts with `http:`, `https:` or `ftp:`, a file URL when it
 * starts with `file:`, and a local path otherwise.
 */
export type UploadSource = string | URL | Uint8Array | ArrayBuffer | Blob | Table | VOTableDocument;

/** Upload options. */
export interface UploadOptions {
  /** Serialization for tables and documents; default BINARY2 (compact, null flags). */
  serialization?: 'TABLEDATA' | 'BINARY' | 'BINARY2';
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && 'fields' in value && 'columns' in value && !('resources' in value);
}

function isDocument(value: unknown): value is VOTableDocument {
  return typeof value === 'object' && value !== null && 'resources' in value && 'version' in value;
}

/** Wraps a single table in a minimal VOTable document for upload. */
export function documentOf(table: Table): VOTableDocument {
  return {
    version: '1.3',
    attributes: {},
    infos: [],
    coosys: [],
    timesys: [],
    groups: [],
    params: [],
    infosAfter: [],
    resources: [
      {
        attributes: {},
        type: 'results',
        infos: [],
        coosys: [],
        timesys: [],
        groups: [],
        params: [],
        links: [],
        tables: [table],
        resources: [],
        infosAfter: [],
      },
    ],
  };
}

const SERVICE_URL = /^(https?|ftp):\/\//i;
const XML_TEXT = /^\uFEFF?\s*</;

/**
 * True when `source` names a local file (a `file:` URL, or a string that is neither VOTable
 * text nor a service URL): {@link resolveUploads} reads those.
 */
export function isFileSource(source: UploadSource): source is string | URL {
  if (source instanceof URL) return source.protocol === 'file:';
  return typeof source === 'string' && !SERVICE_URL.test(source) && !XML_TEXT.test(source);
}

/**
 * Replaces the local-file uploads (paths and `file:` URLs) by file-backed Blobs, checking
 * that each file can be read; other sources pass unchanged. TAP calls do this themselves;
 * call it before {@link prepareUploads} when you build requests by hand. Outside Node a file
 * source throws {@link DALOptionsError}.
 */
export async function resolveUploads(
  uploads: { [name: string]: UploadSource } | undefined,
): Promise<{ [name: string]: UploadSource } | undefined> {
  if (!uploads) return uploads;
  const entries = await Promise.all(
    Object.entries(uploads).map(async ([name, source]): Promise<[string, UploadSource]> => {
      if (!isFileSource(source)) return [name, source];
      if (source === '') throw new DALOptionsError(`upload "${name}" is an empty string; give VOTable text, a URL or a file path`);
      return [name, await openUploadFile(name, source)];
    }),
  );
  return Object.fromEntries(entries);
}

/** The bytes (or Blob) of one upload, or undefined when it is a URL for the service. */
function payloadOf(name: string, source: UploadSource, options: UploadOptions): Blob | Uint8Array | undefined {
  if (isFileSource(source)) {
    throw new DALOptionsError(
      `upload "${name}": ${JSON.stringify(String(source))} is a local file (neither VOTable text nor a service URL); read it with resolveUploads() first`,
    );
  }
  if (typeof source === 'string') {
    if (SERVICE_URL.test(source)) return undefined;
    return new TextEncoder().encode(source);
  }
  if (source instanceof URL) return undefined;
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return source;
  const serialization = options.serialization ?? 'BINARY2';
  if (isDocument(source)) return writeVOTableBytes(source, { serialization });
  if (isTable(source)) return writeVOTableBytes(documentOf(source), { serialization });
  throw new DALOptionsError('an upload must be a URL, VOTable bytes or text, a Blob, a Table or a VOTableDocument');
}

/** A request body ready for fetch. */
export interface PreparedBody {
  body?: BodyInit;
  contentType?: string;
  /** Parameters to send (with UPLOAD set). When `body` is set they are inside it. */
  params: ParamMap;
}

function escapeQuoted(value: string): string {
  return value.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));
}

/**
 * Builds the request for `params` plus `uploads`: URL uploads go into `UPLOAD` only; any
 * local upload makes the body multipart/form-data with one part per local table. Local files
 * must have gone through {@link resolveUploads} first (this function does no I/O).
 */
export function prepareUploads(
  params: ParamMap,
  uploads: { [name: string]: UploadSource } | undefined,
  options: UploadOptions = {},
): PreparedBody {
  if (!uploads || Object.keys(uploads).length === 0) return { params };
  const uploadParam: string[] = [];
  const files: { name: string; data: Blob | Uint8Array }[] = [];
  for (const [name, source] of Object.entries(uploads)) {
    if (!NAME.test(name)) {
      throw new DALOptionsError(`upload name "${name}" must be a regular ADQL identifier (letters, digits, _; a letter first)`);
    }
    const data = payloadOf(name, source, options);
    if (data === undefined) uploadParam.push(`${name},${String(source)}`);
    else {
      uploadParam.push(`${name},param:${name}`);
      files.push({ name, data });
    }
  }
  const withUpload: ParamMap = { ...params, UPLOAD: uploadParam.join(';') };
  if (files.length === 0) return { params: withUpload };

  const boundary = `----vokit-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const parts: (string | Blob | Uint8Array)[] = [];
  for (const [key, value] of Object.entries(withUpload)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(key)}"\r\n\r\n${String(v)}\r\n`);
    }
  }
  for (const file of files) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.name}.xml"\r\n` +
        'Content-Type: application/x-votable+xml\r\n\r\n',
    );
    parts.push(file.data);
    parts.push('\r\n');
  }
  parts.push(`--${boundary}--\r\n`);
  return {
    params: withUpload,
    body: new Blob(parts as BlobPart[]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
