import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * Who is writing, as TaskEvent.actor records it. There are no accounts yet, so every write
 * is the system's; when sign-in arrives, this is the one place to read the user from the
 * request.
 */
export function actorOf(_request: Request): string {
  return 'system';
}

/** The writing actor as a route parameter: `@Actor() actor: string`. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => actorOf(context.switchToHttp().getRequest<Request>()));
