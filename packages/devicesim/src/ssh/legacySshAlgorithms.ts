import type { Algorithms } from 'ssh2';

/**
 * What an old Cisco IOS (`SSH-2.0-Cisco-1.25`) offers, and nothing newer, so that a client
 * must opt into legacy algorithms to connect. Group exchange (which real IOS also offers) is
 * left out: ssh2's client drops it for this ident anyway (its BAD_DHGEX compatibility flag).
 */
export const legacySshAlgorithms: Algorithms = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
  cipher: ['aes128-cbc', '3des-cbc', 'aes256-cbc'],
  serverHostKey: ['ssh-rsa'],
  hmac: ['hmac-sha1'],
  compress: ['none'],
};

export const legacySshIdent = 'Cisco-1.25';
