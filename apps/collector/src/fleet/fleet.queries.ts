import { IsOptional, Matches } from 'class-validator';

const LABEL = /^[A-Za-z0-9._:-]{1,64}$/;
const LABEL_MESSAGE = 'label must be a label (letters, digits, . _ : -)';

export class CohortQuery {
  @Matches(LABEL, { message: `${LABEL_MESSAGE}, and is required` })
  label: string;
}

export class SummaryQuery {
  @IsOptional() @Matches(LABEL, { message: LABEL_MESSAGE })
  label?: string;
}
