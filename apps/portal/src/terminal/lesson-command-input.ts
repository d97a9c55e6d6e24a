// What the Run button types into the learner's shell for a lesson command or a solution script.

/**
 * A script (a `#!` line, or shell options such as `set -euo pipefail`) must not run in the learner's
 * interactive shell: its options would stay set there and its first failing command would end it.
 */
export function isShellScript(text: string): boolean {
  return /^#!/.test(text) || /^\s*set\s+(-[a-zA-Z]*[euo]|-o\s+(errexit|nounset|pipefail))/m.test(text);
}

/**
 * The text to paste for `command`, without the final Enter. A one-off command is typed as it is (it
 * may set variables the learner keeps); a script is written to a temporary file through a quoted
 * heredoc (nothing in it is expanded by the learner's shell) and run by its own bash, all inside a
 * subshell that keeps the script's exit status. Not `bash -c "$(cat <<…)"`: bash before 5.2 misreads
 * quotes and parentheses of a heredoc inside `$(…)`.
 */
export function lessonCommandInput(command: string, delimiterSeed = Math.random().toString(36).slice(2, 10)): string {
  const text = command.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  if (!isShellScript(text)) return text;
  let delimiter = `WORKSHOP_SCRIPT_${delimiterSeed.toUpperCase()}`;
  while (text.split('\n').includes(delimiter)) delimiter += '_';
  return `( script=$(mktemp) && cat >"$script" <<'${delimiter}'\n${text}\n${delimiter}\nbash "$script"; status=$?; rm -f "$script"; exit $status )`;
}
