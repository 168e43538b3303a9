import { describe, expect, it } from 'vitest';
import { createInOrder } from '../../src/intake/in-order.js';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('createInOrder', () => {
  it('runs one key’s work in the order handed in, even when the first is slower', async () => {
    const inOrder = createInOrder();
    const done: string[] = [];
    await Promise.all([
      inOrder.run('a', () => after(40, 'first').then((v) => done.push(v))),
      inOrder.run('a', () => after(1, 'second').then((v) => done.push(v))),
      inOrder.run('a', () => after(1, 'third').then((v) => done.push(v))),
    ]);
    expect(done).toEqual(['first', 'second', 'third']);
  });

  it('a failure is passed to its caller and does not hold up the next piece', async () => {
    const inOrder = createInOrder();
    const failed = inOrder.run('a', () => Promise.reject(new Error('turn failed')));
    const next = inOrder.run('a', () => after(1, 'next'));
    await expect(failed).rejects.toThrow('turn failed');
    await expect(next).resolves.toBe('next');
  });

  it('different keys do not wait for each other', async () => {
    const inOrder = createInOrder();
    const done: string[] = [];
    await Promise.all([inOrder.run('a', () => after(40, 'slow a').then((v) => done.push(v))), inOrder.run('b', () => after(1, 'quick b').then((v) => done.push(v)))]);
    expect(done).toEqual(['quick b', 'slow a']);
  });
});
