import { describe, expect, it } from 'vitest';
import { InputQueue } from './InputQueue.ts';

describe('InputQueue', () => {
  it('hands out characters in order, now or once they arrive, and undefined after end', async () => {
    const queue = new InputQueue();
    expect(queue.takeNow()).toBeUndefined();
    const waiting = queue.next();
    queue.push('ab');
    expect(await waiting).toBe('a');
    expect(queue.takeNow()).toBe('b');
    queue.push('c');
    expect(await queue.next()).toBe('c');
    queue.end();
    expect(await queue.next()).toBeUndefined();
  });

  it('keeps at most 1 MiB unread and takes a large paste in linear time', () => {
    const queue = new InputQueue();
    queue.push('x'.repeat(600 * 1024));
    queue.push('y'.repeat(600 * 1024));
    let count = 0;
    let last = '';
    for (let char = queue.takeNow(); char !== undefined; char = queue.takeNow()) {
      count += 1;
      last = char;
    }
    expect(count).toBe(1024 * 1024);
    expect(last).toBe('y');
  });
});
