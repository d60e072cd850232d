/**
 * TAP uploads (TAP 1.1 §3.3, DALI 1.1 §3.4.5): each upload is `UPLOAD=name,uri`; a local
 * table travels as a multipart part and is referenced as `param:name`. The multipart body is
 * assembled as a Blob of the parts, so table bytes are not copied again.
 */
import { writeVOTableBytes, type Table, type VOTableDocument } from '@vokit/votable';
import { DALOptionsError } from './errors.js';
import type { ParamMap } from './http.js';

/**
 * What can be uploaded: a URL the service fetches itself (http/https), VOTable bytes or
 * text, a Blob, or a parsed table/document (serialized as VOTable BINARY2 by default).
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

/** The bytes (or Blob) of one upload, or undefined when it is a URL for the service. */
function payloadOf(source: UploadSource, options: UploadOptions): Blob | Uint8Array | undefined {
  if (typeof source === 'string') {
    if (/^(https?|ftp):\/\//i.test(source)) return undefined;
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
 * local upload makes the body multipart/form-data with one part per local table.
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
    const data = payloadOf(source, options);
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
