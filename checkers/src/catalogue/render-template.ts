export type TemplateParams = Readonly<Record<string, string | number>>;

/**
 * Fills `{name}` placeholders from `params`. A placeholder without a value is a bug in the check
 * (the catalogue and the call disagree), so it throws instead of showing "{name}" to a learner.
 */
export function renderTemplate(template: string, params: TemplateParams, where: string): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${where}: no value for {${name}}`);
    return String(value);
  });
}

/** The placeholder names a template uses. */
export function templateParams(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1]!);
}
