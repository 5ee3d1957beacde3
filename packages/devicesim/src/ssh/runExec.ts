import type { Logger } from '@plumbline/log';
import type { DeviceCli } from '../DeviceCli.ts';
import type { DeviceFaults } from '../DeviceFaults.ts';
import type { ChannelWriter } from './ChannelWriter.ts';
import { floodBlocks, replyText } from './terminalText.ts';

export interface ExecOptions {
  cli: DeviceCli;
  command: string;
  writer: ChannelWriter;
  faults: DeviceFaults;
  /** With a pty the output gets `\r\n`; without one it keeps `\n`, as devices do. */
  pty: boolean;
  dropConnection: () => void;
  logger?: Logger;
}

/**
 * One `exec` request: a fresh CLI session runs the command once, its output is the channel's
 * output, and the exit status is 0 (devices report command errors in the text, not the status).
 * Paging does not apply, as on devices that page only interactive terminals.
 */
export async function runExec(options: ExecOptions): Promise<number | undefined> {
  const { cli, command, writer, faults } = options;
  try {
    if (faults.hangOn?.test(command)) {
      await writer.closed();
      return undefined;
    }
    if (faults.flood?.on.test(command)) {
      for (const block of floodBlocks(faults.flood.bytes)) {
        if (!writer.isOpen) return undefined;
        await writer.write(options.pty ? block : block.replaceAll('\r\n', '\n'));
      }
      return 0;
    }
    const reply = await cli.execute(command);
    const text = options.pty ? replyText(reply.output) : withFinalNewline(reply.output);
    if (faults.disconnectOn?.test(command)) {
      await writer.write(text.slice(0, Math.floor(text.length / 2)));
      options.logger?.debug({ command }, 'disconnect fault: dropping the connection');
      options.dropConnection();
      return undefined;
    }
    await writer.write(text);
    return 0;
  } finally {
    cli.disconnect();
  }
}

function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
