// Public API of @istio-workshop/terminal-gateway.
export {
  mintTerminalToken,
  verifyTerminalToken,
  TerminalTokenError,
  terminalTokenPayloadSchema,
  terminalTargetSchema,
  localTargetSchema,
  kubectlExecTargetSchema,
  learnerHomeKeySchema,
  type TerminalTarget,
  type LocalTarget,
  type KubectlExecTarget,
  type TerminalRole,
  type TerminalTokenPayload,
  type TerminalTokenClaims,
  type TerminalTokenErrorReason,
} from './terminal-token';
export { gatewayConfigSchema, loadGatewayConfig, GatewayConfigError, type GatewayConfig } from './gateway-config';
export { createGateway, type Gateway, type GatewayOptions } from './gateway-server';
export { createGatewayLogger } from './gateway-logger';
export { maxClientFrameBytes, terminalSizeLimits } from './terminal-frames';
export {
  clientFrameSchema,
  serverFrameSchema,
  closeCodes,
  closeMeaning,
  describeExit,
  type ClientFrame,
  type ServerFrame,
  type CloseAction,
  type SessionEndReason,
} from './terminal-protocol';
export { refusalStatus, type RefusalCode, type Refusal } from './gateway-refusal';
export { flowControl, type SessionInfo } from './terminal-session';
