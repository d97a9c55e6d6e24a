import { checkerEnv, createCheckerLogger } from './checker-logger';
import { parseCliArgs, usage } from './cli-args';
import { findCheck } from './registry';
import { formatList, formatResult } from './format-result';
import { declaredStepKind, labCatalog } from './lab-steps';
import { listChecks } from './list-checks';
import { runStepCheck } from './run-step-check';

/** Exit codes: 0 step passes, 1 not yet, 2 could not run (incl. bad usage). */
async function main(argv: string[]): Promise<number> {
  let command;
  try {
    checkerEnv();
    command = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (command.kind === 'list') {
    const list = listChecks();
    process.stdout.write(command.json ? `${JSON.stringify(list, null, 2)}\n` : `${formatList(list)}\n`);
    return list.labsError ? 2 : 0;
  }
  const known = findCheck(command.labId, command.stepId) ?? declaredStepKind(command.labId, command.stepId);
  if (!known) {
    const { catalog, error } = labCatalog();
    const lab = catalog?.labs.find((l) => l.id === command.labId);
    const why = lab
      ? `lab "${command.labId}" has no step "${command.stepId}" (steps: ${lab.steps.map((s) => s.id).join(', ')})`
      : error
        ? `no check is registered for ${command.labId}/${command.stepId}, and the labs could not be read: ${error}`
        : `unknown lab "${command.labId}"`;
    process.stderr.write(`error: ${why}\n\n${usage}\n`);
    return 2;
  }
  if (!command.kubeconfig && declaredStepKind(command.labId, command.stepId) !== 'none') {
    process.stderr.write(`error: --kubeconfig <file> is required\n\n${usage}\n`);
    return 2;
  }
  const result = await runStepCheck({
    labId: command.labId,
    stepId: command.stepId,
    kubeconfig: command.kubeconfig ? { kind: 'file', path: command.kubeconfig } : { kind: 'none' },
    ingressUrl: command.ingressUrl,
    timeoutMs: command.timeoutMs,
    log: createCheckerLogger(),
  });
  process.stdout.write(command.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatResult(result)}\n`);
  if (result.outcome === 'passed') return 0;
  if (result.outcome === 'failed') return 1;
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
