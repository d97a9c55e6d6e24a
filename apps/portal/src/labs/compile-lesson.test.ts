import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadLab, loadLabs } from '@istio-workshop/labs';
import { describe, expect, it } from 'vitest';
import { compileLesson } from './compile-lesson';

const labYaml = `id: l99-sample
title: Sample
summary: A sample.
module: traffic
order: 1
durationMinutes: 5
level: beginner
steps:
  - {id: look, title: Look around, check: none}
  - {id: do-it, title: Do it, check: state, solution: solutions/do-it.sh}
`;

function labWith(mdx: string) {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'lesson-')), 'l99-sample');
  mkdirSync(path.join(dir, 'solutions'), { recursive: true });
  writeFileSync(path.join(dir, 'lab.yaml'), labYaml);
  writeFileSync(path.join(dir, 'solutions/do-it.sh'), 'echo done\n');
  writeFileSync(path.join(dir, 'index.mdx'), mdx);
  return loadLab(dir);
}

const good = `Intro text.

<Step id="look">

\`\`\`sh run
kubectl get pods
\`\`\`

<Hint>Look closer.</Hint>

</Step>

<Step id="do-it">

\`\`\`yaml
kind: Thing
\`\`\`

<Solution />

<Check />

</Step>
`;

async function compileError(mdx: string): Promise<string> {
  try {
    await compileLesson(labWith(mdx));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the lesson to be rejected');
}

describe('compileLesson', () => {
  it('compiles a lesson and turns fenced code into run and copy blocks', async () => {
    const { code } = await compileLesson(labWith(good));
    expect(code).toContain('"CodeBlock"');
    expect(code).toMatch(/code:"kubectl get pods",lang:"sh",run:(!0|true)/);
    expect(code).toMatch(/code:"kind: Thing",lang:"yaml"}/);
  });

  it('numbers several hints of one step, so they do not look alike', async () => {
    const { code } = await compileLesson(labWith(good.replace('<Hint>Look closer.</Hint>', '<Hint>One.</Hint>\n\n<Hint>Two.</Hint>')));
    expect(code).toMatch(/n:1,of:2/);
    expect(code).toMatch(/n:2,of:2/);
    const single = await compileLesson(labWith(good));
    expect(single.code).not.toMatch(/of:\d/);
  });

  it('accepts the cluster-aware wording components', async () => {
    const mdx = good.replace('Intro text.', '<WithCluster>\n\nistioctl is ready.\n\n</WithCluster>\n\n<WithoutCluster>\n\nNo cluster yet.\n\n</WithoutCluster>');
    const { code } = await compileLesson(labWith(mdx));
    expect(code).toContain('WithCluster');
    expect(code).toContain('WithoutCluster');
  });

  it.each([
    ['an unknown step id', good.replace('id="look"', 'id="peek"'), '<Step id="peek"> is not a step of lab.yaml'],
    [
      'steps out of order',
      `<Step id="do-it">\n\nFirst.\n\n</Step>\n\n<Step id="look">\n\nSecond.\n\n</Step>\n`,
      "exactly lab.yaml's steps in order",
    ],
    ['a missing step', good.replace(/<Step id="look">[\s\S]*?<\/Step>/, ''), 'found [do-it]'],
    ['a Check in a step without a check', good.replace('<Hint>', '<Check />\n\n<Hint>'), 'whose lab.yaml check is none'],
    ['an unknown component', good.replace('<Hint>Look closer.</Hint>', '<Quiz />'), '<Quiz> is not a lesson component'],
    ['an import', `import x from 'y'\n\n${good}`, 'cannot import or export'],
    ['a JavaScript expression', good.replace('Intro text.', 'Intro {1 + 1}.'), 'expressions'],
    ['broken MDX syntax', good.replace('<Hint>Look closer.</Hint>', '<Hint>unclosed'), 'index.mdx'],
  ])('rejects %s with the file and a clear reason', async (_name, mdx, fragment) => {
    const message = await compileError(mdx);
    expect(message).toContain('index.mdx');
    expect(message).toContain(fragment);
  });
});

describe('the repository lessons', () => {
  it('renders markdown tables as tables (GFM)', async () => {
    const lab = loadLabs().labs.find((l) => l.id === 'l13-mutual-tls')!;
    const { code } = await compileLesson(lab);
    expect(code).toMatch(/"table"/);
    expect(code).not.toMatch(/\| mode \| the sidecar accepts \|/);
  });

  it('every lab lesson compiles against its lab.yaml', async () => {
    const { labs } = loadLabs();
    expect(labs.length).toBeGreaterThan(0);
    for (const lab of labs) await expect(compileLesson(lab), lab.id).resolves.toHaveProperty('code');
  }, 120_000);
});
