// Types for supervise.mjs (plain JavaScript so that `npm start` needs no TypeScript loader).
export declare const defaultBackoffMs: number[];
export declare function portProblem(host: string, port: number): Promise<string | undefined>;
export interface SupervisedService {
  readonly pid: number | undefined;
  readonly starts: number;
  stop(graceMs?: number): Promise<void>;
}
export declare function superviseService(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  readyUrl: string;
  readyMessage: string;
  print: (line: string) => void;
  logFile: { write(text: string): void } | undefined;
  onLogEntry?: (entry: Record<string, unknown>) => void;
  onFailedStart?: (how: string) => void;
  pidFile?: string;
  backoffMs?: number[];
  stableMs?: number;
}): SupervisedService;
