// Running a solution script through the Run button, in a real bash on a real pty behind the gateway.
import { startTestGateway, TestTerminalClient, type TestGateway } from '@istio-workshop/terminal-gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isShellScript, lessonCommandInput } from './lesson-command-input';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.stop();
});

const failingSolution = `#!/usr/bin/env bash
# Step demo: the learner's shell must survive this.
set -euo pipefail
echo "it's (half) done"
cat <<'YAML'
kind: Demo
YAML
false
echo never-printed
`;

describe('lesson commands', () => {
  it('types one-off commands as they are and treats scripts as scripts', () => {
    expect(lessonCommandInput('export N=1\necho $N\n')).toBe('export N=1\necho $N');
    expect(isShellScript('kubectl get pods')).toBe(false);
    expect(isShellScript(failingSolution)).toBe(true);
    expect(isShellScript('set -e\nfalse')).toBe(true);
    expect(isShellScript('set -o pipefail; x | y')).toBe(true);
    expect(lessonCommandInput(failingSolution, 'abc')).toMatch(/^\( script=\$\(mktemp\) && cat >"\$script" <<'WORKSHOP_SCRIPT_ABC'\n#!/);
  });

  it('picks a heredoc delimiter the script does not use', () => {
    expect(lessonCommandInput('#!/bin/sh\nWORKSHOP_SCRIPT_X\n', 'x')).toContain("<<'WORKSHOP_SCRIPT_X_'");
  });

  it('runs a failing solution without changing the learner\'s shell options or ending it', async () => {
    const client = await TestTerminalClient.connect(gw.url('env-run-1', gw.token({ env: 'env-run-1' })));
    await client.waitForControl('hello');
    // As typed without bracketed paste: every newline is an Enter.
    client.input(`${lessonCommandInput(failingSolution)}\r`.replace(/\n/g, '\r'));
    client.input('echo "status=$? opts=$- alive"\r');
    await client.waitForOutput(/status=\d+ opts=\w+ alive/);
    expect(client.output).toContain("it's (half) done");
    expect(client.output).toContain('kind: Demo');
    expect(client.output).not.toMatch(/^never-printed/m);
    const [, status, opts] = /status=(\d+) opts=(\w+) alive/.exec(client.output)!;
    expect(status).toBe('1');
    expect(opts).not.toMatch(/[eu]/);
    client.input('set -o | grep pipefail\r');
    await client.waitForOutput(/pipefail\s+off/);
    await client.close();
  });
});
