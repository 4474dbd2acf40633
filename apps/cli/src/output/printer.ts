/** Where commands write: human text or JSON on stdout, problems on stderr. */
export class Printer {
  constructor(private readonly json: boolean) {}

  /** Prints `data` as JSON under --json, else the text `human` builds from it. */
  result<T>(data: T, human: (data: T) => string): void {
    process.stdout.write(`${this.json ? JSON.stringify(data, null, 2) : human(data)}\n`);
  }
}
