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

/**
 * Bound before FileInterceptor: gives multer's refusals (too large, unexpected field, a
 * malformed multipart body) the messages of the rest of the API, naming `file`.
 */
@Injectable()
export class UploadErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof PayloadTooLargeException) {
          return throwError(
            () => new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'file: 文件超过上传大小上限 the file is larger than the upload limit (MAX_UPLOAD_MB)'),
          );
        }
        // exactly BadRequestException: what FileInterceptor makes of multer's errors (not subclasses such as validation errors)
        if (error instanceof BadRequestException && error.constructor === BadRequestException) {
          const message = `上传格式有误，请以表单字段 file 上传一个 .xlsx 文件 the upload was refused (${error.message}); send one .xlsx as multipart field "file"`;
          return throwError(() => new AppError(HttpStatus.BAD_REQUEST, `file: ${message}`, [{ field: 'file', message }]));
        }
        return throwError(() => error);
      }),
    );
  }
}
