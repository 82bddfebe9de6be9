import {
  BadRequestException,
  HttpStatus,
  Injectable,
  PayloadTooLargeException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { AppError } from '../common/http-exception.filter';

/** Bound before FilesInterceptor: multer's refusals of evidence uploads as 400/413 naming `files`. */
@Injectable()
export class EvidenceErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof PayloadTooLargeException) {
          const message = '佐证材料单个文件超过大小上限（EVIDENCE_MAX_MB） an evidence file is larger than the limit (EVIDENCE_MAX_MB)';
          return throwError(() => new AppError(HttpStatus.PAYLOAD_TOO_LARGE, `files: ${message}`, [{ field: 'files', message }]));
        }
        if (error instanceof BadRequestException && error.constructor === BadRequestException) {
          const message = `上传有误（文件过多或格式不对），请以表单字段 files 上传佐证材料 the upload was refused (${error.message}); send the files as multipart field "files"`;
          return throwError(() => new AppError(HttpStatus.BAD_REQUEST, `files: ${message}`, [{ field: 'files', message }]));
        }
        return throwError(() => error);
      }),
    );
  }
}
