import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Pinned host keys by `host:port`. The session layer records the first key a device shows and
 * refuses a different one later. Fingerprints are OpenSSH's `SHA256:<base64>` form.
 */
export interface HostKeyStore {
  get(hostId: string): Promise<string | undefined>;
  set(hostId: string, fingerprint: string): Promise<void>;
  /** Forgets a device's key, for when an operator has checked that the new key is right. */
  delete(hostId: string): Promise<void>;
}

export class MemoryHostKeyStore implements HostKeyStore {
  private readonly keys = new Map<string, string>();

  async get(hostId: string): Promise<string | undefined> {
    return this.keys.get(hostId);
  }

  async set(hostId: string, fingerprint: string): Promise<void> {
    this.keys.set(hostId, fingerprint);
  }

  async delete(hostId: string): Promise<void> {
    this.keys.delete(hostId);
  }
}

const fingerprintSchema = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/);
const fileSchema = z.object({
  version: z.literal(1),
  hosts: z.record(z.string().max(300), z.object({ fingerprint: fingerprintSchema })),
});
type HostKeyFile = z.infer<typeof fileSchema>;

/**
 * Host keys in one JSON file (mode 0600), like `known_hosts`. Writes go to a temporary file
 * and are renamed into place, one at a time, so concurrent logins never leave a torn file.
 * A file that fails validation is an error, never silently replaced.
 */
export class FileHostKeyStore implements HostKeyStore {
  private loaded: Promise<HostKeyFile> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async get(hostId: string): Promise<string | undefined> {
    const file = await this.load();
    return file.hosts[hostId]?.fingerprint;
  }

  set(hostId: string, fingerprint: string): Promise<void> {
    fingerprintSchema.parse(fingerprint);
    return this.update((file) => {
      file.hosts[hostId] = { fingerprint };
    });
  }

  delete(hostId: string): Promise<void> {
    return this.update((file) => {
      delete file.hosts[hostId];
    });
  }

  private update(change: (file: HostKeyFile) => void): Promise<void> {
    const next = this.writing.then(async () => {
      const file = await this.load();
      change(file);
      await this.save(file);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  private load(): Promise<HostKeyFile> {
    this.loaded ??= readFile(this.path, 'utf8').then(
      (text) => parseFile(text, this.path),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return { version: 1 as const, hosts: {} };
        throw error;
      },
    );
    return this.loaded;
  }

  private async save(file: HostKeyFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.path);
  }
}

function parseFile(text: string, path: string): HostKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`host key file ${path} is not JSON; fix or remove it`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`host key file ${path} is not valid: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}
