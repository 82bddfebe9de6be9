import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { SignedRequest } from './principal';

/** Who is writing, as TaskEvent.actor records it: the signed-in user's username. */
export function actorOf(request: SignedRequest): string {
  return request.principal?.username ?? 'system';
}

/** The writing actor as a route parameter: `@Actor() actor: string`. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => actorOf(context.switchToHttp().getRequest<SignedRequest>()));
