import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Parses a positive integer id from a path parameter, naming the parameter when it is not one. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  constructor(private readonly name = 'id') {}

  transform(value: string): number {
    if (!/^[1-9][0-9]{0,15}$/.test(value ?? '')) throw new BadRequestException(`${this.name} must be a positive integer`);
    return Number(value);
  }
}
