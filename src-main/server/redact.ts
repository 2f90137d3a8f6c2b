// Nothing secret and no server path leaves the server: command lines (GET /system_stats) lose the
// values of key/token/secret flags, logged URLs lose ?token=, and error details lose absolute paths
// (an fs error quotes the full path it failed on) and any configured secret.

/** A flag whose value is a secret: --api-key, --token, --hf-token, --password, --auth... */
const SECRET_FLAG = /^--?[\w.-]*(key|token|secret|passw(or)?d|auth|credential)[\w.-]*$/i;
/** NAME=value arguments and environment-style assignments with a secret name. */
const SECRET_ASSIGN = /^(--?[\w.-]*|[A-Z_][A-Z0-9_]*)(key|token|secret|passw(or)?d|auth|credential)[\w.-]*=/i;

export const REDACTED = '***';

/** argv with every secret value replaced (`--api-key K`, `--api-key=K`, `ADFORGE_API_KEY=K`, and any known secret). */
export function redactArgv(argv: readonly string[], secrets: readonly (string | null | undefined)[] = []): string[] {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const assign = SECRET_ASSIGN.exec(arg);
    if (assign) out.push(`${arg.slice(0, arg.indexOf('=') + 1)}${REDACTED}`);
    else if (SECRET_FLAG.test(arg) && i + 1 < argv.length) {
      out.push(arg, REDACTED);
      i++;
    } else out.push(redactSecrets(arg, known));
  }
  return out;
}

/** Every occurrence of a known secret replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let s = text;
  for (const secret of secrets) if (secret) s = s.split(secret).join(REDACTED);
  return s;
}

/** A URL as logged: the value of ?token= (the WebSocket key) hidden. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|api_key|apikey|key)=)[^&#]*/gi, `$1${REDACTED}`);
}

/** Quoted absolute paths ('/srv/data/x', "C:\\x") and bare ones with two or more segments. */
const QUOTED_PATH = /(['"`])(?:[A-Za-z]:[\\/]|\/)[^'"`]*\1/g;
const BARE_PATH = /(^|[\s(=,])(?:[A-Za-z]:\\|\/)(?:[^\s/\\'"`,)]+[/\\]){1,}[^\s'"`,)]*/g;

/** An error message fit for a response body: no absolute server path, no secret. */
export function publicMessage(message: string, secrets: readonly string[] = []): string {
  return redactSecrets(message, secrets).replace(QUOTED_PATH, '$1<path>$1').replace(BARE_PATH, '$1<path>');
}

/** fs error codes caused by a name the request chose (too long, not a folder...): a 4xx, never a 500. */
const NAME_ERRORS: Record<string, { status: 400 | 404; text: string }> = {
  ENAMETOOLONG: { status: 400, text: 'a file or folder name in the request is too long' },
  ENOTDIR: { status: 400, text: 'a folder named in the request is a file' },
  EISDIR: { status: 400, text: 'a file named in the request is a folder' },
  ELOOP: { status: 400, text: 'a name in the request resolves through too many links' },
  EILSEQ: { status: 400, text: 'a name in the request is not valid text' },
};

/** 4xx status and detail when `err` is an fs error caused by a request-derived name; null otherwise. */
export function nameErrorOf(err: unknown): { status: 400 | 404; detail: string } | null {
  const code = (err as { code?: unknown } | null)?.code;
  const hit = typeof code === 'string' ? NAME_ERRORS[code] : undefined;
  return hit ? { status: hit.status, detail: `${hit.text} (${code as string})` } : null;
}
