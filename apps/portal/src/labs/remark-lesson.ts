// A remark plugin that (1) turns fenced code into our <CodeBlock> (with a Run button for ```sh run```)
// and (2) enforces the lesson contract so an author hears about a mistake at build time, with a line
// number, instead of a learner finding a broken page. Walks the tree by hand: a visitor dependency
// for a dozen lines is not worth it.

export interface LessonContract {
  file: string;
  /** Step ids of lab.yaml in order, with whether the step has a check. */
  steps: { id: string; hasCheck: boolean; hasSolution: boolean }[];
}

interface Node {
  type: string;
  name?: string | null;
  lang?: string | null;
  meta?: string | null;
  value?: string;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: Node[];
  position?: { start: { line: number } };
}

const allowedComponents = new Set(['Step', 'Hint', 'Solution', 'Check', 'Callout', 'WithCluster', 'WithoutCluster']);

export class LessonContractError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'LessonContractError';
  }
}

function attr(node: Node, name: string): unknown {
  return node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === name)?.value;
}

function at(node: Node): string {
  return node.position ? `line ${node.position.start.line}` : 'unknown line';
}

/** A JSX attribute value that is the number `n` (an expression, so the component gets a number, not a string). */
function numberExpression(n: number) {
  return {
    type: 'mdxJsxAttributeValueExpression',
    value: String(n),
    data: {
      estree: {
        type: 'Program',
        sourceType: 'module',
        body: [{ type: 'ExpressionStatement', expression: { type: 'Literal', value: n, raw: String(n) } }],
      },
    },
  };
}

export function remarkLesson(contract: LessonContract) {
  return () => (tree: Node) => {
    const problems: string[] = [];
    const seenSteps: string[] = [];
    const stepsById = new Map(contract.steps.map((s) => [s.id, s]));
    // Hints per step (or per intro), so several in one place read "Hint 1 of 2" rather than look alike.
    const hintsByStep = new Map<string, Node[]>();

    const walk = (node: Node, step: string | undefined, parent: Node | undefined, index: number) => {
      // mdx-bundler injects its own ESM nodes (no position); only the author's are refused.
      if (node.type === 'mdxjsEsm' && node.position) problems.push(`${at(node)}: lessons cannot import or export`);
      if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression')
        problems.push(`${at(node)}: JavaScript expressions {…} are not allowed in lessons`);
      if (node.type === 'code' && parent?.children) {
        const meta = (node.meta ?? '').split(/\s+/).filter(Boolean);
        const attributes: Node['attributes'] = [
          { type: 'mdxJsxAttribute', name: 'code', value: node.value ?? '' },
          { type: 'mdxJsxAttribute', name: 'lang', value: node.lang ?? 'text' },
        ];
        if (meta.includes('run')) attributes.push({ type: 'mdxJsxAttribute', name: 'run', value: null });
        parent.children[index] = { type: 'mdxJsxFlowElement', name: 'CodeBlock', attributes, children: [] };
        return;
      }
      let inner = step;
      if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
        const name = node.name ?? '';
        if (!allowedComponents.has(name)) {
          problems.push(
            `${at(node)}: <${name || 'fragment'}> is not a lesson component (use ${[...allowedComponents].map((c) => `<${c}>`).join(', ')})`,
          );
        } else if (name === 'Step') {
          const id = attr(node, 'id');
          if (typeof id !== 'string') problems.push(`${at(node)}: <Step> needs id="<step id from lab.yaml>"`);
          else if (step) problems.push(`${at(node)}: <Step id="${id}"> is nested inside <Step id="${step}">`);
          else if (!stepsById.has(id))
            problems.push(`${at(node)}: <Step id="${id}"> is not a step of lab.yaml (steps: ${[...stepsById.keys()].join(', ')})`);
          else {
            seenSteps.push(id);
            inner = id;
          }
        } else if (name === 'Check' || name === 'Solution') {
          if (!step) problems.push(`${at(node)}: <${name} /> must be inside a <Step>`);
          else if (name === 'Check' && !stepsById.get(step)?.hasCheck)
            problems.push(`${at(node)}: <Check /> in step "${step}", whose lab.yaml check is none`);
          else if (name === 'Solution' && !stepsById.get(step)?.hasSolution)
            problems.push(`${at(node)}: <Solution /> in step "${step}", which has no solution file in lab.yaml`);
        } else if (name === 'Hint') {
          const group = hintsByStep.get(step ?? '') ?? [];
          group.push(node);
          hintsByStep.set(step ?? '', group);
        } else if (name === 'Callout') {
          const kind = attr(node, 'kind');
          if (kind !== undefined && kind !== 'info' && kind !== 'warning')
            problems.push(`${at(node)}: <Callout kind> must be "info" or "warning"`);
        }
      }
      node.children?.forEach((child, i) => walk(child, inner, node, i));
    };
    tree.children?.forEach((child, i) => walk(child, undefined, tree, i));
    for (const hints of hintsByStep.values()) {
      if (hints.length < 2) continue;
      hints.forEach((hint, i) => {
        hint.attributes = [
          ...(hint.attributes ?? []),
          { type: 'mdxJsxAttribute', name: 'n', value: numberExpression(i + 1) },
          { type: 'mdxJsxAttribute', name: 'of', value: numberExpression(hints.length) },
        ];
      });
    }

    const expected = contract.steps.map((s) => s.id);
    if (problems.length === 0 && seenSteps.join(',') !== expected.join(','))
      problems.push(
        `the <Step> sections must be exactly lab.yaml's steps in order: expected [${expected.join(', ')}], found [${seenSteps.join(', ')}]`,
      );
    if (problems.length) throw new LessonContractError(contract.file, problems);
  };
}
