import { describe, expect, it } from 'vitest';
import { applyPipe } from './applyPipe.ts';

const output = 'interface a\n description x\ninterface b\n shutdown\nntp server 1\n';

describe('applyPipe', () => {
  it('includes, excludes and begins by regular expression', () => {
    expect(applyPipe(output, 'include ^interface')).toMatchObject({
      output: 'interface a\ninterface b\n',
    });
    expect(applyPipe(output, 'exclude ^\\s')).toMatchObject({
      output: 'interface a\ninterface b\nntp server 1\n',
    });
    expect(applyPipe(output, 'begin ntp')).toMatchObject({ output: 'ntp server 1\n' });
  });

  it('keeps whole sections with section', () => {
    expect(applyPipe(output, 'section interface b')).toMatchObject({
      output: 'interface b\n shutdown\n',
    });
  });

  it('turns paging off with no-more and refuses unknown filters and bad patterns', () => {
    expect(applyPipe(output, 'no-more')).toEqual({ kind: 'ok', output, pageable: false });
    expect(applyPipe(output, 'frob x').kind).toBe('error');
    expect(applyPipe(output, 'include (').kind).toBe('error');
  });
});
