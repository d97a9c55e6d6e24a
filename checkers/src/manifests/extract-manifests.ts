import { parseAllDocuments } from 'yaml';

/** One YAML document found in a lab file, with where it came from. */
export interface ExtractedDocument {
  file: string;
  /** 0-based index of the document in the file (across all blocks, in order). */
  index: number;
  /** 1-based line in the file where its block starts. */
  line: number;
  /** yaml file, a heredoc fed to kubectl/istioctl, or a fenced ```yaml block of a lesson. */
  source: 'yaml' | 'heredoc' | 'fence';
  /** True when the document must be a complete object (it is applied), false for lesson snippets. */
  applied: boolean;
  doc?: unknown;
  parseError?: string;
}

interface Block {
  text: string;
  line: number;
  source: ExtractedDocument['source'];
  applied: boolean;
}

/** Heredocs whose body goes to `kubectl apply|create|replace -f -` or `istioctl ... -f -`. */
export function heredocBlocks(text: string, lineOffset = 0): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line);
    if (!m || !/\b(kubectl|istioctl)\b/.test(line) || !/(^|\s)-f\s+-(\s|$)|--filename[= ]-(\s|$)/.test(line)) continue;
    const strip = m[1] === '-';
    const delimiter = m[3] ?? '';
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const candidate = strip ? (lines[j] ?? '').replace(/^\t+/, '') : (lines[j] ?? '');
      if (candidate.trimEnd() === delimiter) break;
      body.push(strip ? candidate : (lines[j] ?? ''));
    }
    out.push({ text: body.join('\n'), line: lineOffset + i + 2, source: 'heredoc', applied: true });
    i = j;
  }
  return out;
}

/** Fenced blocks of an MDX lesson: ```yaml blocks (snippets allowed) and heredocs inside shell blocks. */
export function fencedBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const lang = (open[3] ?? '').toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if ((lines[j] ?? '').trim().startsWith(fence)) break;
      body.push(lines[j] ?? '');
    }
    const indent = (open[1] ?? '').length;
    const content = body.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
    if (lang === 'yaml' || lang === 'yml') out.push({ text: content, line: i + 2, source: 'fence', applied: false });
    else if (['sh', 'bash', 'shell', 'console', 'zsh', ''].includes(lang)) out.push(...heredocBlocks(content, i + 1));
    i = j;
  }
  return out;
}

/** Every YAML document in a lab file (`.yaml`/`.yml`, `.sh`, `.mdx`); other files yield nothing. */
export function extractManifests(file: string, text: string): ExtractedDocument[] {
  let blocks: Block[];
  if (/\.ya?ml$/.test(file)) blocks = [{ text, line: 1, source: 'yaml', applied: true }];
  else if (file.endsWith('.sh')) blocks = heredocBlocks(text);
  else if (file.endsWith('.mdx') || file.endsWith('.md')) blocks = fencedBlocks(text);
  else blocks = [];
  const out: ExtractedDocument[] = [];
  for (const block of blocks) {
    for (const doc of parseAllDocuments(block.text)) {
      const base = { file, index: out.length, line: block.line, source: block.source, applied: block.applied };
      if (doc.errors.length) out.push({ ...base, parseError: doc.errors[0]?.message.split('\n')[0] ?? 'invalid YAML' });
      else {
        const value: unknown = doc.toJS();
        if (value !== null && value !== undefined) out.push({ ...base, doc: value });
      }
    }
  }
  return out;
}
