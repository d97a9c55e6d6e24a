/** Parsed command line of `npm run check`. */
export type CliCommand =
  | { kind: 'list'; json: boolean }
  | { kind: 'check'; labId: string; stepId: string; kubeconfig?: string; json: boolean; ingressUrl?: string; timeoutMs?: number }
  | { kind: 'help' };

export class UsageError extends Error {}

export const usage = `Usage:
  npm run check -- <lab-id> <step-id> --kubeconfig <file> [--json] [--ingress <url>] [--timeout <ms>]
  npm run check -- --list [--json]

Exit codes: 0 the step passes, 1 it does not (yet), 2 the check could not run.`;

export function parseCliArgs(argv: string[]): CliCommand {
  const positional: string[] = [];
  let json = false;
  let list = false;
  let kubeconfig: string | undefined;
  let ingressUrl: string | undefined;
  let timeoutMs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--list':
        list = true;
        break;
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--kubeconfig':
        kubeconfig = value();
        break;
      case '--ingress': {
        const v = value();
        let url: URL;
        try {
          url = new URL(v);
        } catch {
          throw new UsageError(`--ingress must be a URL such as http://127.0.0.1:30080 (got "${v}")`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--ingress must be an http(s) URL (got "${v}")`);
        ingressUrl = url.toString().replace(/\/$/, '');
        break;
      }
      case '--timeout': {
        const v = value();
        timeoutMs = Number(v);
        if (!Number.isInteger(timeoutMs) || timeoutMs < 1_000 || timeoutMs > 600_000) throw new UsageError(`--timeout must be milliseconds between 1000 and 600000 (got "${v}")`);
        break;
      }
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (list) {
    if (positional.length) throw new UsageError('--list takes no lab or step');
    return { kind: 'list', json };
  }
  if (positional.length !== 2) throw new UsageError(positional.length < 2 ? 'give a lab id and a step id' : `unexpected argument "${positional[2] ?? ''}"`);
  const [labId = '', stepId = ''] = positional;
  return { kind: 'check', labId, stepId, kubeconfig, json, ingressUrl, timeoutMs };
}
