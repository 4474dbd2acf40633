import 'reflect-metadata';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { DomainError, DomainErrorCode } from './errors';

/** Flattens class-validator errors into messages that name the full field path ("auth.type …"). */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  const out: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      const named = message.startsWith(`${error.property} `) ? path + message.slice(error.property.length) : `${path}: ${message}`;
      out.push(named);
    }
    out.push(...validationMessages(error.children ?? [], path));
  }
  return out;
}

/**
 * Validates untrusted input (a REST body or CLI options) into a class instance the way the
 * API's ValidationPipe does: unknown fields are rejected, types converted, every problem named.
 */
export function validateInput<T extends object>(cls: ClassConstructor<T>, plain: unknown): T {
  if (!plain || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new DomainError(DomainErrorCode.InvalidInput, 'the request body must be a JSON object');
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length) throw new DomainError(DomainErrorCode.InvalidInput, validationMessages(errors).join('; '));
  return instance;
}
