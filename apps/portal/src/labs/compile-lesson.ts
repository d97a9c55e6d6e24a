import { readFile } from 'node:fs/promises';
import type { Lab } from '@istio-workshop/labs';
import { bundleMDX } from 'mdx-bundler';
import remarkGfm from 'remark-gfm';
import { LessonContractError, remarkLesson } from './remark-lesson';

export interface CompiledLesson {
  code: string;
}

const cache = new Map<string, Promise<CompiledLesson>>();

async function compile(lab: Lab): Promise<CompiledLesson> {
  const source = await readFile(lab.lessonPath, 'utf8');
  const contract = {
    file: lab.lessonPath,
    steps: lab.steps.map((s) => ({ id: s.id, hasCheck: s.check !== 'none', hasSolution: Boolean(s.solution) })),
  };
  try {
    const { code } = await bundleMDX({
      source,
      // Errors are reported once, by us, with the file name; esbuild need not print them too.
      esbuildOptions: (options) => ({ ...options, logLevel: 'silent' }),
      mdxOptions(options) {
        // GFM for the tables lessons use (without it a table renders as lines of pipes).
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, remarkLesson(contract)];
        return options;
      },
    });
    return { code };
  } catch (error) {
    if (error instanceof LessonContractError) throw error;
    // esbuild wraps plugin errors in its own text; keep only the author-facing part.
    const raw = (error as Error).message;
    const ours = raw.indexOf(`LessonContractError: ${lab.lessonPath}: `);
    if (ours >= 0) {
      const detail = raw.slice(ours + `LessonContractError: ${lab.lessonPath}: `.length).split('\n')[0] ?? raw;
      throw new LessonContractError(lab.lessonPath, [detail.trim()]);
    }
    const detail = raw.replace(/^Build failed with \d+ errors?:\s*/, '').replace(/^\S+\.mdx:\d+:\d+: ERROR: \[plugin: @mdx-js\/esbuild\]\s*/, '');
    throw new LessonContractError(lab.lessonPath, [detail.split('\n').slice(0, 3).join(' ').trim()]);
  }
}

/** Compiles a lab's index.mdx once per content version. */
export function compileLesson(lab: Lab): Promise<CompiledLesson> {
  const key = `${lab.id}@${lab.contentVersion}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = compile(lab);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
