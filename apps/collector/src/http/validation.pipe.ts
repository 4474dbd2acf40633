import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { validationMessages } from '@driftwatch/scans';

/** Unknown fields rejected, types converted, and every problem named by its full field path. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new BadRequestException(validationMessages(errors).join('; ')),
  });
}
