// Node entry: everything of the browser entry, plus the Standard Profile client, lockfiles,
// the Node XML-RPC transport and server, and the hub (both profiles).
export * from './browser.js';
export { SampClient, type SampClientOptions, type SendableTable, type SendTableOptions, type SendTableResult } from './client.js';
export {
  STD_LOCKURL_PREFIX,
  defaultLockfilePath,
  formatLockfile,
  locateLockfile,
  parseLockfile,
  parseSampHub,
  readLockfile,
  writeLockfile,
  type LockInfo,
  type LockfileLocation,
} from './lockfile.js';
export { createNodeTransport, type NodeTransport } from './node-transport.js';
export { SAMP_FAULT_CODE, serveXmlRpc, type XmlRpcDispatcher } from './xmlrpc-server.js';
export { RESOURCE_PATH, ResourceRegistry, type ServeOptions, type ServedResource } from './resource-server.js';
export { HUB_CLIENT_ID, HubService, type CallbackSink, type HubClient, type HubServiceOptions, type MessageRestriction } from './hub-service.js';
export { SampHub, type SampHubOptions } from './hub.js';
export { WEB_PROFILE_PORT, WEB_SAFE_MTYPES, WebProfileServer, createMTypeRestriction, type WebProfileOptions } from './web-profile-hub.js';
export {
  acceptAllWebClients,
  createTerminalConsent,
  refuseAllWebClients,
  type TerminalConsentOptions,
  type WebConsentPolicy,
  type WebRegistrationRequest,
} from './web-consent.js';
