import type { Assertion } from '../check-result';
import { checkCodes, type CheckCode, type CheckCodeEntry } from './check-codes';
import { renderTemplate, type TemplateParams } from './render-template';

export interface FindingDetails {
  expected?: string;
  actual?: string;
  next?: string;
  /** Where in which object, e.g. "VirtualService default/reviews .spec.http[0].route". */
  path?: string;
}

export interface FailDetails extends FindingDetails {
  expected: string;
  actual: string;
  next: string;
  /** Name of one of the entry's `hints` (another cause, or the lesson's own wording); default: `hint`. */
  hint?: string;
}

export interface PassDetails extends FindingDetails {
  /** Show the entry's hint (or the named one) as a note on a pass. */
  note?: true | string;
}

function hintText(code: CheckCode, entry: CheckCodeEntry, which: true | string | undefined, params: TemplateParams): string | undefined {
  if (which === undefined) return undefined;
  const template = which === true ? entry.hint : entry.hints?.[which];
  if (template === undefined) throw new Error(`${code}: the catalogue has no hint "${String(which)}"`);
  return renderTemplate(template, params, `${code} hint`);
}

function assertion(status: Assertion['status'], code: CheckCode, title: string, d: FindingDetails & { hint?: string }): Assertion {
  const out: Assertion = { code, title, status };
  for (const key of ['expected', 'actual', 'hint', 'next', 'path'] as const) {
    const v = d[key];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

/**
 * One catalogued finding with its parameters: `finding('L03.DR', { service, subsets }).fail({...})`.
 * Title and hint come from the catalogue; the check only supplies what it saw.
 */
export function finding(code: CheckCode, params: TemplateParams = {}) {
  const entry: CheckCodeEntry = checkCodes[code];
  const title = renderTemplate(entry.title, params, `${code} title`);
  return {
    code,
    title,
    pass(d: PassDetails = {}): Assertion {
      return assertion('pass', code, title, { ...d, hint: hintText(code, entry, d.note, params) });
    },
    fail(d: FailDetails): Assertion {
      return assertion('fail', code, title, { ...d, hint: hintText(code, entry, d.hint ?? true, params) });
    },
    warn(d: Omit<FailDetails, 'next'> & { next?: string }): Assertion {
      return assertion('warn', code, title, { ...d, hint: hintText(code, entry, d.hint ?? true, params) });
    },
  };
}
