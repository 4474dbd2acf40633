import { ParsedKey, utils } from 'ssh2';
import type { PublicKeyAuthContext } from 'ssh2';

/** The one public key a lab host lets in. */
export class AuthorizedKey {
  private readonly key: ParsedKey;
  private readonly blob: Buffer;

  constructor(openSshLine: string) {
    const parsed = utils.parseKey(openSshLine);
    if (parsed instanceof Error) throw new Error(`authorized key is not an OpenSSH public key: ${parsed.message}`);
    this.key = Array.isArray(parsed) ? parsed[0] : parsed;
    this.blob = this.key.getPublicSSH();
  }

  /** Whether the client offers this key, and, when it signs, whether the signature is good. */
  admits(ctx: PublicKeyAuthContext): boolean {
    if (ctx.key.algo !== this.key.type || !ctx.key.data.equals(this.blob)) return false;
    if (!ctx.signature) return true; // "would you accept this key?": ssh2 answers PK_OK
    return !!ctx.blob && this.key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
  }
}
