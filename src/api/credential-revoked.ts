import type { ApiDeps } from './deps.ts';

/**
 * Issue 15: after a credential is revoked in the registry, tell every node (the event is relayed
 * through Redis) so the live sessions it opened end now, not at their next reconnect.
 */
export function announceRevoked(deps: ApiDeps, account: 'device' | 'gateway' | 'user', id: string, reason: string): void {
  deps.events?.emit('credential.revoked', { account, id, reason, at: deps.clock.now() });
}
