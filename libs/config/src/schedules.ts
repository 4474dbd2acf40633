import { validateCronExpression } from 'cron';
import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/** Hosts carrying `label` are scanned on `cron` (besides the schedule for all hosts). */
export interface LabelSchedule {
  label: string;
  cron: string;
}

const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Why a cron expression is invalid, or null when it is fine (5 fields, or 6 with seconds first). */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) return `"${expression}" is not a cron expression (5 fields, or 6 with seconds)`;
  const { valid, error } = validateCronExpression(expression.trim());
  return valid ? null : `"${expression}": ${error?.message ?? 'invalid cron expression'}`;
}

/**
 * `web=*\/15 * * * *;db=0 *\/6 * * *` → [{label: 'web', cron: '*\/15 * * * *'}, …].
 * Throws with the first problem: a missing `=`, a bad label, a bad or repeated entry.
 */
export function parseLabelSchedules(text: string): LabelSchedule[] {
  const schedules: LabelSchedule[] = [];
  for (const entry of text.split(';').map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq < 0) throw new Error(`"${entry}" is not label=cron`);
    const label = entry.slice(0, eq).trim();
    const cron = entry.slice(eq + 1).trim();
    if (!LABEL.test(label)) throw new Error(`"${label}" is not a label (letters, digits, _ . : -)`);
    if (schedules.some((s) => s.label === label)) throw new Error(`label ${label} has two schedules`);
    const problem = cronProblem(cron);
    if (problem) throw new Error(`label ${label}: ${problem}`);
    schedules.push({ label, cron });
  }
  return schedules;
}

@ValidatorConstraint({ name: 'cronOrOff' })
export class CronOrOff implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && (value.trim() === 'off' || cronProblem(value) === null);
  }

  defaultMessage(args: ValidationArguments): string {
    const problem = typeof args.value === 'string' ? cronProblem(args.value) : 'not text';
    return `${args.property} must be a cron expression or off: ${problem}`;
  }
}

@ValidatorConstraint({ name: 'labelSchedules' })
export class LabelSchedules implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && this.problem(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be label=cron;label=cron: ${typeof args.value === 'string' ? this.problem(args.value) : 'not text'}`;
  }

  private problem(value: string): string | null {
    try {
      parseLabelSchedules(value);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
}
