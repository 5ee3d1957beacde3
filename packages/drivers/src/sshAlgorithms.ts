import type { AlgorithmList, Algorithms } from 'ssh2';

function append<T extends string>(names: T[]): AlgorithmList<T> {
  return { append: names, prepend: [], remove: [] };
}

/**
 * What old IOS (`SSH-2.0-Cisco-1.25`) needs on top of ssh2's defaults: SHA-1 key exchange and
 * CBC ciphers. Appended, so that a modern device still negotiates modern algorithms. ssh2
 * drops group exchange for this ident, hence group14-sha1 and group1-sha1 are required.
 */
export const legacyClientAlgorithms: Algorithms = {
  kex: append([
    'diffie-hellman-group14-sha1',
    'diffie-hellman-group1-sha1',
    'diffie-hellman-group-exchange-sha1',
  ]),
  cipher: append(['aes128-cbc', 'aes256-cbc', '3des-cbc']),
  serverHostKey: append(['ssh-rsa']),
  hmac: append(['hmac-sha1']),
};
