/** One configuration line of FRR's `show running-config` and the lines nested under it. */
export interface FrrConfigNode {
  line: string;
  children: FrrConfigNode[];
}

/** Lines that only close a block or decorate the file; they carry no configuration. */
const structuralLine =
  /^(!.*|exit|exit-address-family|exit-vrf|exit-vni|end|frr (version|defaults) .*)$/;

/**
 * Parses FRR's running configuration by indentation: a line nests under the nearest line
 * before it that is indented less (`router bgp 1` > ` address-family ipv4 unicast` >
 * `  network 10.0.0.0/8`). `exit` lines and `!` comments are dropped.
 */
export function parseFrrConfig(text: string): FrrConfigNode[] {
  const root: FrrConfigNode = { line: '', children: [] };
  const stack: { indent: number; node: FrrConfigNode }[] = [{ indent: -1, node: root }];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const content = line.trim();
    if (content === '' || structuralLine.test(content)) continue;
    const indent = line.length - line.trimStart().length;
    while ((stack.at(-1)?.indent ?? -1) >= indent) stack.pop();
    const node: FrrConfigNode = { line: content, children: [] };
    (stack.at(-1)?.node ?? root).children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

/**
 * vtysh commands, run from `configure terminal`, that take the configuration from `current`
 * back to `target`, the way frr-reload.py does: lines only in `current` are negated (a whole
 * block by negating its header), lines only in `target` are entered again under their
 * blocks. Each command group enters its blocks from the top and leaves them with `exit`.
 */
export function frrRestoreCommands(target: string, current: string): string[] {
  const commands: string[] = [];
  diffNodes(parseFrrConfig(target), parseFrrConfig(current), [], commands);
  return commands;
}

function diffNodes(
  target: FrrConfigNode[],
  current: FrrConfigNode[],
  path: string[],
  commands: string[],
): void {
  const targetByLine = new Map(target.map((node) => [node.line, node]));
  const currentByLine = new Map(current.map((node) => [node.line, node]));
  const enteredSettings = new Set(
    target.filter((node) => !currentByLine.has(node.line)).map((node) => settingOf(node.line)),
  );
  for (const node of current) {
    if (targetByLine.has(node.line)) continue;
    // Entering the target's value replaces a single-valued setting; negating it first could
    // leave a gap (`no hostname` makes vtysh's prompt `(null)#`). Only when it is entered:
    // FRR can show two `hostname` lines (one per daemon), and then the extra one is negated.
    const setting = settingOf(node.line);
    if (setting !== undefined && enteredSettings.has(setting)) continue;
    emit(commands, path, [negate(node.line)]);
  }
  for (const node of target) {
    const present = currentByLine.get(node.line);
    if (present === undefined) emit(commands, path, flatten(node));
    else if (node.children.length > 0 || present.children.length > 0) {
      diffNodes(node.children, present.children, [...path, node.line], commands);
    }
  }
}

/** A block and everything under it, as lines to type in order (nested blocks left by `exit`). */
function flatten(node: FrrConfigNode): string[] {
  const lines = [node.line];
  for (const child of node.children) {
    lines.push(...flatten(child));
    if (child.children.length > 0) lines.push('exit');
  }
  return lines;
}

function emit(commands: string[], path: string[], lines: string[]): void {
  commands.push(...path, ...lines);
  const opened = path.length + (lines.length > 1 ? 1 : 0);
  for (let i = 0; i < opened; i += 1) commands.push('exit');
}

/**
 * Settings that hold one value, so that entering a new value replaces the old one. Anything
 * else (routes, addresses, networks) can hold many values and must be negated to go away.
 */
const singleValued = [
  /^hostname /,
  /^domainname /,
  /^description /,
  /^(bgp |ospf )?router-id /,
  /^neighbor \S+ (remote-as|description) /,
  /^log syslog /,
];

function settingOf(line: string): string | undefined {
  const pattern = singleValued.find((candidate) => candidate.test(line));
  return pattern === undefined ? undefined : line.match(pattern)?.[0];
}

function negate(line: string): string {
  return line.startsWith('no ') ? line.slice(3) : `no ${line}`;
}
