import { ApiError, failure, type ResponseOf } from './client';
import { filenameOf } from './endpoints';

/** The ledger import's calls: the template as a file, and uploads that report their progress. */

export type LedgerPreview = ResponseOf<'/api/imports/ledger/preview', 'post'>;
export type LedgerImportResult = ResponseOf<'/api/imports/ledger', 'post'>;

/** The template with the office's own lists: its bytes and the name the server gave it. */
export async function downloadLedgerTemplate(): Promise<{ blob: Blob; filename: string }> {
  let response: Response;
  try {
    response = await fetch('/api/imports/ledger/template');
  } catch (cause) {
    throw new ApiError(0, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw failure(response, body);
  }
  return { blob: await response.blob(), filename: filenameOf(response.headers.get('content-disposition')) ?? '整改台账导入模板.xlsx' };
}

/**
 * Posts the file as multipart (field `file`, and the confirmation of new inspections) with
 * XMLHttpRequest, which reports the upload's progress (0–100) to `progress`.
 */
function send<T>(path: string, file: File, fields: Record<string, string>, progress?: (percent: number) => void): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) progress?.(Math.round((100 * event.loaded) / event.total));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network error'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else {
        // the same error path as postForm's (client.ts): 401/403 go to the access handlers as for every other call
        reject(failure(new Response(null, { status: xhr.status, statusText: xhr.statusText }), body));
      }
    };
    xhr.send(form);
  });
}

export const previewLedger = (file: File, progress?: (percent: number) => void) => send<LedgerPreview>('/api/imports/ledger/preview', file, {}, progress);

export const importLedger = (file: File, confirmNewInspections: boolean, progress?: (percent: number) => void) =>
  send<LedgerImportResult>('/api/imports/ledger', file, { confirmNewInspections: String(confirmNewInspections) }, progress);
