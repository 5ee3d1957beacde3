import type { Logger } from '@plumbline/log';
import {
  type AgentFrame,
  type CloudFrame,
  type FrameHandler,
  type FrameLink,
  generateSigningKeyPair,
  type RotationPayload,
  signPayload,
} from '@plumbline/proto';
import type { IdentityStore } from '../identity/IdentityStore.ts';

/**
 * Rotates the agent's key over the tunnel. The new pair is written to the identity as pending
 * before `key.rotate` leaves, and becomes the key on `key.rotated`; the link in use keeps its
 * session, and the next connection signs with the new key.
 */
export class KeyRotator implements FrameHandler<CloudFrame> {
  private readonly link: FrameLink<AgentFrame>;
  private readonly connectionId: string;
  private readonly identity: IdentityStore;
  private readonly logger: Logger;

  constructor(
    link: FrameLink<AgentFrame>,
    options: { connectionId: string; identity: IdentityStore; logger: Logger },
  ) {
    this.link = link;
    this.connectionId = options.connectionId;
    this.identity = options.identity;
    this.logger = options.logger;
  }

  handleFrame(frame: CloudFrame): boolean {
    if (frame.type === 'key.rotate.request') this.rotate();
    else if (frame.type === 'key.rotated') this.confirm(frame.newPublicKey);
    else if (frame.type === 'key.rotate.refused') this.refused(frame.error);
    else return false;
    return true;
  }

  handleData(): void {}

  linkClosed(): void {}

  private rotate(): void {
    const current = this.identity.current();
    const next = generateSigningKeyPair();
    const payload: RotationPayload = {
      purpose: 'plumbline.rotate.v1',
      agentId: current.agentId,
      connectionId: this.connectionId,
      newPublicKey: next.publicKey,
    };
    this.identity.replace({ ...current, pendingKeyPair: next });
    this.link.send({
      type: 'key.rotate',
      newPublicKey: next.publicKey,
      oldKeySignature: signPayload(payload, current.keyPair.secretKey),
      newKeySignature: signPayload(payload, next.secretKey),
    });
    this.logger.info({ newPublicKey: next.publicKey }, 'key rotation requested: new key sent');
  }

  private confirm(newPublicKey: string): void {
    const current = this.identity.current();
    const pending = current.pendingKeyPair;
    if (pending?.publicKey !== newPublicKey) {
      this.logger.error(
        { newPublicKey, pendingPublicKey: pending?.publicKey },
        'the cloud confirmed a key this agent did not send; keeping the current key',
      );
      return;
    }
    const { pendingKeyPair: _done, ...rest } = current;
    this.identity.replace({ ...rest, keyPair: pending });
    this.logger.info({ newPublicKey }, 'key rotated: the next connection signs with the new key');
  }

  private refused(error: { code: string; message: string }): void {
    const { pendingKeyPair: _dropped, ...rest } = this.identity.current();
    this.identity.replace(rest);
    this.logger.warn({ code: error.code, cloudMessage: error.message }, 'key rotation refused');
  }
}
