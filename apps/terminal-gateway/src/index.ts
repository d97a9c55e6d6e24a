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
export { clientFrameSchema, maxClientFrameBytes, terminalSizeLimits, type ClientFrame, type ServerFrame } from './terminal-frames';
export { refusalStatus, type RefusalCode, type Refusal } from './gateway-refusal';
export { closeCodes, flowControl, type SessionInfo } from './terminal-session';
