import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonPid, logFile, startDaemon, stopDaemon } from './daemon.js';
import { labSourceDir, runDir } from './paths.js';
import { run } from './run.js';
import { type FrrLabState, frrLabStateSchema } from './state.js';

/** The router's name: in baseline.conf, in vtysh.conf, and in the prompt `lab-frr1# `. */
export const FRR_LAB_HOSTNAME = 'lab-frr1';
/** The login whose shell is vtysh, so an SSH session lands in the router CLI. */
export const FRR_LAB_USER = 'plumbline-frr';
export const baselineConfigFile = join(labSourceDir, 'frr', 'baseline.conf');

const FRR_INIT = '/usr/lib/frr/frrinit.sh';
const FRR_RELOAD = '/usr/lib/frr/frr-reload.py';
const VTYSH = '/usr/bin/vtysh';
const SSHD = '/usr/sbin/sshd';
const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const UNSHARE = '/usr/bin/unshare';

const frrConfigFile = '/etc/frr/frr.conf';
const daemonsFile = '/etc/frr/daemons';
const vtyshConfigFile = '/etc/frr/vtysh.conf';
const loginHome = `/var/lib/${FRR_LAB_USER}`;
/** frrvty opens the daemons' sockets; frr reads /etc/frr/vtysh.conf, which sets the prompt. */
const loginGroups = 'frrvty,frr';

const SSHD_DAEMON = 'frr-sshd';
/**
 * OpenSSH names its PAM service after the program it runs as, so the lab sshd runs through a
 * symlink of this name and gets a PAM stack of its own. The system one (/etc/pam.d/sshd) may
 * include pam_cap, whose pam_setcred fails every keyboard-interactive login on Debian 12, and
 * pam_loginuid, which fails in some containers.
 */
const PAM_SERVICE = 'plumbline-frr-sshd';
const pamServiceFile = `/etc/pam.d/${PAM_SERVICE}`;
const sshdAlias = join(runDir, PAM_SERVICE);
const DEFAULT_SSH_PORT = 2201;
const passwordFile = join(runDir, 'frr-password');
const clientKeyFile = join(runDir, 'frr-client-ed25519');
const hostKeyFile = join(runDir, 'frr-sshd-host-ed25519');
const sshdConfigFile = join(runDir, 'sshd_config');
/** Not `frr-sshd.pid`: that one belongs to daemon.ts, and sshd writes its own as well. */
const sshdPidFile = join(runDir, 'frr-sshd.sshd.pid');

const startTimeoutMs = 30_000;
const bannerTimeoutMs = 10_000;
const pollIntervalMs = 200;

/**
 * zebra prints the kernel's forwarding switches as config. They describe the host, not the lab,
 * so they are left out of comparisons and handed back unchanged on reload: flipping them would
 * change routing for everything else on the machine.
 */
const hostForwardingLine = /^(no )?ip(v6)? forwarding$/;
const unsavedHeaderLine =
  /^(Building configuration\.\.\.|Current configuration:|frr version .*|end)$/;

const requiredPrograms: ReadonlyArray<readonly [path: string, debianPackage: string]> = [
  [FRR_INIT, 'frr'],
  [VTYSH, 'frr'],
  [FRR_RELOAD, 'frr-pythontools'],
  [SSHD, 'openssh-server'],
  [SSH_KEYGEN, 'openssh-client'],
  [UNSHARE, 'util-linux'],
];

interface Account {
  uid: number;
  gid: number;
  home: string;
}

interface FileOwner {
  uid: number;
  gid: number;
  mode: number;
}

/**
 * Brings up the lab router and its SSH door and returns how to log in. Safe to call again: a
 * running router is only reset to the baseline, and keys, password and user are made once.
 */
export async function startFrr(): Promise<FrrLabState> {
  assertPrerequisites();
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const port = sshPort();

  await ensureRouter();
  await ensureKeyPair(clientKeyFile, 'plumbline lab FRR client');
  const hostKeyCreated = await ensureKeyPair(hostKeyFile, 'plumbline lab FRR sshd');
  const password = ensurePassword();
  await ensureLoginUser(password);
  await ensureSshd(port, hostKeyCreated);

  return frrLabStateSchema.parse({
    host: '127.0.0.1',
    port,
    username: FRR_LAB_USER,
    password,
    privateKeyPath: clientKeyFile,
    hostKeySha256: await hostKeyFingerprint(),
  });
}

/** Stops the lab sshd and FRR. User, keys and password stay, which makes the next start fast. */
export async function stopFrr(): Promise<void> {
  await stopDaemon(SSHD_DAEMON);
  if (existsSync(FRR_INIT)) await run(FRR_INIT, ['stop']);
}

/**
 * Puts the running router back to baseline.conf. frr-reload.py applies only the difference,
 * in well under a second; a restart (seconds) is the fallback when the result still differs.
 */
export async function resetFrr(): Promise<void> {
  const running = await showRunningConfig();
  const hostLines = running.split('\n').filter((line) => hostForwardingLine.test(line));
  // Reloading from confdir/frr.conf itself stops frr-reload.py from running `write` afterwards.
  await installFrrConfig([readBaseline().trimEnd(), ...hostLines, ''].join('\n'));

  const reload = await run(FRR_RELOAD, ['--reload', frrConfigFile, '--stdout'], {
    allowFailure: true,
  });
  if (reload.code === 0 && describeDrift(await showRunningConfig()) === undefined) return;
  await restartRouter();
}

/** True when the FRR daemons and the lab sshd are both up. */
export async function frrIsRunning(): Promise<boolean> {
  return daemonPid(SSHD_DAEMON) !== undefined && (await frrDaemonsRunning());
}

function assertPrerequisites(): void {
  const uid = process.getuid?.();
  if (uid !== 0) {
    throw new Error(
      `the FRR lab must run as root (it edits /etc/frr, adds a user and starts FRR), ` +
        `found uid ${uid ?? 'unknown'}; run the lab as root`,
    );
  }
  const missing = requiredPrograms.filter(([path]) => !existsSync(path));
  if (missing.length > 0) {
    const paths = missing.map(([path]) => path).join(', ');
    const packages = [...new Set(missing.map(([, name]) => name))].join(' ');
    throw new Error(
      `the FRR lab needs ${paths}, found them missing; install the Debian packages ` +
        `${packages} (the lab setup script does this)`,
    );
  }
}

function sshPort(): number {
  const text = process.env.PLUMBLINE_LAB_FRR_SSH_PORT;
  if (text === undefined || text === '') return DEFAULT_SSH_PORT;
  const port = Number(text);
  if (Number.isInteger(port) && port > 0 && port < 65_536) return port;
  throw new Error(
    `expected PLUMBLINE_LAB_FRR_SSH_PORT to be a TCP port (1-65535), ` +
      `found ${JSON.stringify(text)}; fix it or unset it to use ${DEFAULT_SSH_PORT}`,
  );
}

/** Starts FRR with the lab's daemons and config, or resets it when it already runs that way. */
async function ensureRouter(): Promise<void> {
  const frr = await lookupAccount('frr');
  const daemons = withLabDaemons(readFileSync(daemonsFile, 'utf8'));
  const daemonsChanged = writeIfChanged(daemonsFile, daemons, { ...frr, mode: 0o640 });
  const vtyshConfig = [
    '! Written by plumbline test/lab/frr.ts. vtysh takes its prompt from this hostname.',
    'service integrated-vtysh-config',
    `hostname ${FRR_LAB_HOSTNAME}`,
    '',
  ].join('\n');
  writeIfChanged(vtyshConfigFile, vtyshConfig, { ...frr, mode: 0o640 });

  // watchfrr reads the daemon list only when it starts, so a changed list needs a restart.
  if (daemonsChanged || !(await frrDaemonsRunning())) return restartRouter();
  // A router that runs but cannot be reset, with a daemon hung say, is still fixed by a restart.
  await resetFrr().catch(() => restartRouter());
}

/**
 * The lab's changes to /etc/frr/daemons: bgpd, ospfd and staticd on (zebra always is), and
 * watchfrr, with every daemon it starts, in a UTS namespace named lab-frr1. FRR 8.4 daemons take
 * their hostname from uname and never from frr.conf (FRRouting/frr#12705), so without it the
 * running config would also carry the machine's name in a second `hostname` line.
 */
function withLabDaemons(current: string): string {
  const setName = `echo ${FRR_LAB_HOSTNAME} >/proc/sys/kernel/hostname && exec "$0" "$@"`;
  const shellQuoted = setName.replace(/["$\\]/g, '\\$&');
  const wanted = new Map([
    ['bgpd', 'bgpd=yes'],
    ['ospfd', 'ospfd=yes'],
    ['staticd', 'staticd=yes'],
    ['watchfrr_wrap', `watchfrr_wrap="${UNSHARE} --uts /bin/sh -c '${shellQuoted}'"`],
  ]);

  const seen = new Set<string>();
  const lines = current
    .trimEnd()
    .split('\n')
    .map((line) => {
      const key = /^(\w+)=/.exec(line)?.[1];
      const replacement = key === undefined ? undefined : wanted.get(key);
      if (key === undefined || replacement === undefined) return line;
      seen.add(key);
      return replacement;
    });
  const added = [...wanted].filter(([key]) => !seen.has(key)).map(([, line]) => line);
  if (added.length > 0) {
    lines.push('# Added by plumbline test/lab/frr.ts for the FRR lab.', ...added);
  }
  return `${lines.join('\n')}\n`;
}

async function restartRouter(): Promise<void> {
  await installFrrConfig(readBaseline());
  await run(FRR_INIT, ['restart']);
  await waitForBaseline();
}

/** watchfrr loads frr.conf only once every daemon is up, a moment after frrinit.sh returns. */
async function waitForBaseline(): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const shown = await run(VTYSH, ['-H', '/dev/null', '-c', 'show running-config'], {
      allowFailure: true,
    });
    const problem =
      shown.code === 0
        ? describeDrift(shown.stdout)
        : `vtysh could not reach the daemons: ${shown.stderr.trim()}`;
    if (problem === undefined) return;
    if (Date.now() > deadline) {
      throw new Error(
        `expected FRR to run ${baselineConfigFile} within ${startTimeoutMs} ms of starting, ` +
          `found: ${problem}\nSee /var/log/frr and \`${FRR_INIT} status\`.`,
      );
    }
    await sleep(pollIntervalMs);
  }
}

/**
 * Compares the running config with baseline.conf line by line, ignoring comments and the lines
 * that describe the host or the build. Undefined when they match; otherwise what differs.
 */
function describeDrift(runningConfig: string): string | undefined {
  const running = configLines(runningConfig);
  const baseline = configLines(readBaseline());
  if (running.join('\n') === baseline.join('\n')) return undefined;

  const missing = multisetMinus(baseline, running);
  const unexpected = multisetMinus(running, baseline);
  const parts = [
    missing.length > 0 ? `missing ${JSON.stringify(missing)}` : '',
    unexpected.length > 0 ? `unexpected ${JSON.stringify(unexpected)}` : '',
  ].filter((part) => part !== '');
  const detail = parts.length > 0 ? parts.join(', ') : 'the same lines in another order';
  return `the running config differs from the baseline: ${detail}`;
}

function configLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => {
      const trimmed = line.trim();
      return trimmed !== '' && !trimmed.startsWith('!') && !unsavedHeaderLine.test(line);
    })
    .filter((line) => !hostForwardingLine.test(line));
}

function multisetMinus(from: string[], remove: string[]): string[] {
  const left = [...remove];
  return from.filter((line) => {
    const index = left.indexOf(line);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

async function showRunningConfig(): Promise<string> {
  const shown = await run(VTYSH, ['-H', '/dev/null', '-c', 'show running-config'], {
    allowFailure: true,
  });
  if (shown.code === 0) return shown.stdout;
  throw new Error(
    `expected FRR to answer \`show running-config\`, found vtysh exiting with ${shown.code}: ` +
      `${shown.stderr.trim()}; start the FRR lab first (startFrr)`,
  );
}

async function frrDaemonsRunning(): Promise<boolean> {
  if (!existsSync(FRR_INIT)) return false;
  return (await run(FRR_INIT, ['status'], { allowFailure: true })).code === 0;
}

function readBaseline(): string {
  return readFileSync(baselineConfigFile, 'utf8');
}

async function installFrrConfig(text: string): Promise<void> {
  const frr = await lookupAccount('frr');
  writeIfChanged(frrConfigFile, text, { ...frr, mode: 0o640 });
}

/** Creates an unencrypted ed25519 pair once; true when it had to be made. */
async function ensureKeyPair(path: string, comment: string): Promise<boolean> {
  if (existsSync(path) && existsSync(`${path}.pub`)) return false;
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return true;
}

function ensurePassword(): string {
  if (existsSync(passwordFile)) return readFileSync(passwordFile, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The SSH login: shell vtysh, the lab password, and the lab client key authorized. */
async function ensureLoginUser(password: string): Promise<void> {
  const existing = await run('getent', ['passwd', FRR_LAB_USER], { allowFailure: true });
  if (existing.code === 0) {
    await run('usermod', ['--shell', VTYSH, '--append', '--groups', loginGroups, FRR_LAB_USER]);
  } else {
    await run('useradd', [
      '--system',
      '--create-home',
      '--home-dir',
      loginHome,
      '--shell',
      VTYSH,
      '--groups',
      loginGroups,
      FRR_LAB_USER,
    ]);
  }
  // Set on every start so the password file in runDir is always the one that works.
  await run('chpasswd', [], { input: `${FRR_LAB_USER}:${password}\n` });
  ensureListedShell(VTYSH);

  const account = await lookupAccount(FRR_LAB_USER);
  const sshDir = join(account.home, '.ssh');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  chownSync(sshDir, account.uid, account.gid);
  chmodSync(sshDir, 0o700);
  const publicKey = readFileSync(`${clientKeyFile}.pub`, 'utf8');
  writeIfChanged(join(sshDir, 'authorized_keys'), publicKey, { ...account, mode: 0o600 });
}

function ensureListedShell(shell: string): void {
  const shells = readFileSync('/etc/shells', 'utf8');
  if (shells.split('\n').some((line) => line.trim() === shell)) return;
  appendFileSync('/etc/shells', `${shells.endsWith('\n') ? '' : '\n'}${shell}\n`);
}

/** A private sshd on 127.0.0.1, not the system one, restarted only when its setup changed. */
async function ensureSshd(port: number, hostKeyCreated: boolean): Promise<void> {
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  writeIfChanged(pamServiceFile, pamStack, { uid: 0, gid: 0, mode: 0o644 });
  ensureSymlink(sshdAlias, SSHD);
  const configChanged = writeIfChanged(sshdConfigFile, sshdConfig(port), {
    uid: 0,
    gid: 0,
    mode: 0o600,
  });
  const check = await run(sshdAlias, ['-t', '-f', sshdConfigFile], { allowFailure: true });
  if (check.code !== 0) {
    throw new Error(
      `expected sshd to accept ${sshdConfigFile}, found: ${check.stderr.trim()}; ` +
        'fix sshdConfig() in test/lab/frr.ts',
    );
  }

  if (daemonPid(SSHD_DAEMON) !== undefined) {
    if (!configChanged && !hostKeyCreated) return waitForSshBanner(port);
    await stopDaemon(SSHD_DAEMON);
  }
  if (await portAcceptsConnections(port)) {
    throw new Error(
      `expected 127.0.0.1:${port} to be free for the FRR lab sshd, found something listening; ` +
        'stop it, or set PLUMBLINE_LAB_FRR_SSH_PORT to a free port',
    );
  }
  startDaemon({
    name: SSHD_DAEMON,
    command: sshdAlias,
    args: ['-D', '-e', '-f', sshdConfigFile],
  });
  await waitForSshBanner(port);
}

const pamStack = [
  '# Written by plumbline test/lab/frr.ts: PAM for the FRR lab sshd, which checks the password',
  '# and nothing else.',
  'auth     required pam_unix.so',
  'account  required pam_unix.so',
  'session  required pam_unix.so',
  '',
].join('\n');

function ensureSymlink(path: string, target: string): void {
  if (readlinkOrUndefined(path) === target) return;
  rmSync(path, { force: true });
  symlinkSync(target, path);
}

function readlinkOrUndefined(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function sshdConfig(port: number): string {
  return [
    '# Written by plumbline test/lab/frr.ts: the FRR lab sshd, separate from the system one.',
    `# Runs as ${sshdAlias}, so PAM reads ${pamServiceFile}.`,
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${hostKeyFile}`,
    `PidFile ${sshdPidFile}`,
    `AllowUsers ${FRR_LAB_USER}`,
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PasswordAuthentication yes',
    // Keyboard-interactive only works through PAM, and devices often ask for passwords that way.
    'KbdInteractiveAuthentication yes',
    'UsePAM yes',
    'PermitRootLogin no',
    'PermitEmptyPasswords no',
    // A router peer, not a jump host: no forwarding of any kind, so no traffic leaves loopback.
    'AllowTcpForwarding no',
    'AllowStreamLocalForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    'PrintMotd no',
    'PrintLastLog no',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

async function waitForSshBanner(port: number): Promise<void> {
  const deadline = Date.now() + bannerTimeoutMs;
  for (;;) {
    if (daemonPid(SSHD_DAEMON) === undefined) {
      throw new Error(
        `expected the FRR lab sshd to listen on 127.0.0.1:${port}, found it exited; ` +
          `its log ${logFile(SSHD_DAEMON)} ends with:\n${logTail(SSHD_DAEMON)}`,
      );
    }
    const banner = await readSshBanner(port).catch((error: unknown) => String(error));
    if (banner.startsWith('SSH-2.0-')) return;
    if (Date.now() > deadline) {
      throw new Error(
        `expected an SSH banner on 127.0.0.1:${port} within ${bannerTimeoutMs} ms, ` +
          `found ${JSON.stringify(banner)}; see ${logFile(SSHD_DAEMON)}`,
      );
    }
    await sleep(pollIntervalMs);
  }
}

/** The first line the server sends, which for SSH is its version banner. */
function readSshBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('latin1');
    socket.setTimeout(2_000, () => socket.destroy(new Error('no banner within 2000 ms')));
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end === -1) return;
      resolve(received.slice(0, end).trimEnd());
      socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed after ${JSON.stringify(received)}`)));
  });
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function logTail(name: string): string {
  try {
    return readFileSync(logFile(name), 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** `SHA256:…` as `ssh-keygen -l` prints it, which is what ssh clients show a person. */
async function hostKeyFingerprint(): Promise<string> {
  const listed = await run(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', `${hostKeyFile}.pub`]);
  const fingerprint = listed.stdout.trim().split(/\s+/)[1];
  if (fingerprint?.startsWith('SHA256:')) return fingerprint;
  throw new Error(
    `expected ssh-keygen -l to print a SHA256 fingerprint for ${hostKeyFile}.pub, found ` +
      `${JSON.stringify(listed.stdout)}; delete the key pair so startFrr makes a new one`,
  );
}

async function lookupAccount(name: string): Promise<Account> {
  const found = await run('getent', ['passwd', name], { allowFailure: true });
  const [, , uid, gid, , home] = found.stdout.trim().split(':');
  if (found.code !== 0 || uid === undefined || gid === undefined || home === undefined) {
    throw new Error(
      `expected a system user ${name}, found none (getent exited with ${found.code}); ` +
        `the frr package creates frr and startFrr creates ${FRR_LAB_USER}`,
    );
  }
  return { uid: Number(uid), gid: Number(gid), home };
}

/** Writes only when the content differs, and always repairs owner and mode. */
function writeIfChanged(path: string, content: string, owner: FileOwner): boolean {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const changed = current !== content;
  if (changed) writeFileSync(path, content, { mode: owner.mode });
  chownSync(path, owner.uid, owner.gid);
  chmodSync(path, owner.mode);
  return changed;
}
