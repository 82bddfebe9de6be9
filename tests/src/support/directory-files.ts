import ExcelJS from 'exceljs';

/** Builds .xlsx uploads of the master-data imports (region list, unit directory) with exceljs. */

export const REGION_HEADER = ['区划代码', '区划名称', '层级', '上级区划代码'];
export const UNIT_HEADER = ['单位代码', '单位名称', '单位类别', '所在区划', '管辖党委', '上级单位代码', '设立日期', '撤销日期'];

export async function workbook(sheetName: string, header: string[], rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const regionFile = (rows: unknown[][]) => workbook('行政区划', REGION_HEADER, rows);
export const unitFile = (rows: unknown[][]) => workbook('被巡察单位名录', UNIT_HEADER, rows);

/** Uploads `content` as multipart field `file` with a session cookie. */
export async function upload(url: string, cookie: string, content: Buffer, name = 'list.xlsx') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const response = await fetch(url, { method: 'POST', body: form, headers: { cookie } });
  return { status: response.status, body: (await response.json()) as { message: string; details?: { field: string; message: string }[]; imported?: number } };
}
