import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../security/principal';

/** Who asked, as the light guard and logs name them: "rest <client name>". */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  return `rest ${request.principal?.name ?? 'anonymous'}`;
});
