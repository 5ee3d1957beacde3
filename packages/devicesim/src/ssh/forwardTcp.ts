import { connect } from 'node:net';
import type { ServerChannel, TcpipRequestInfo } from 'ssh2';

type Accept = () => ServerChannel;
type Reject = () => void;

/**
 * A `direct-tcpip` request (what `ssh -J` and ssh2's `forwardOut` send) on a jump-host
 * simulator. Only loopback destinations are served: the simulators never reach elsewhere.
 */
export function forwardTcp(accept: Accept, reject: Reject, info: TcpipRequestInfo): void {
  if (info.destIP !== '127.0.0.1' && info.destIP !== 'localhost') {
    reject();
    return;
  }
  const socket = connect({ host: '127.0.0.1', port: info.destPort });
  let accepted = false;
  socket.once('error', () => {
    if (!accepted) reject();
  });
  socket.once('connect', () => {
    accepted = true;
    const channel = accept();
    socket.pipe(channel).pipe(socket);
    channel.once('close', () => socket.destroy());
    socket.once('close', () => channel.close());
  });
}
