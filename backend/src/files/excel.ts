import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded at the first workbook the process writes rather than at start. It holds
 * about 20 MB once loaded (its code and the libraries it brings), which a process that makes
 * no workbook does not need: the uploads read .xlsx with records/xlsx-reader.ts instead.
 */
let loading: Promise<typeof ExcelJS> | undefined;

export function loadExcel(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((module) => module.default);
  return loading;
}
