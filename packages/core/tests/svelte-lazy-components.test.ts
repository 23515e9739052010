import type { Component } from 'svelte';
import { describe, expect, it } from 'vitest';
import { lazyComponents } from '../src/svelte/index.js';

const Home = (() => {}) as unknown as Component<Record<string, never>>;
const Post = (() => {}) as unknown as Component<{ id: number }>;

describe('lazyComponents()', () => {
  it('loads a module once however often it is asked for, and get() returns it afterwards', async () => {
    let loads = 0;
    const pages = lazyComponents({
      home: async () => {
        loads++;
        return { default: Home };
      },
    });
    expect(pages.get('home')).toBeUndefined();
    const [first, second] = await Promise.all([pages.load('home'), pages.load('home')]);
    expect(first).toBe(Home);
    expect(second).toBe(Home);
    expect(pages.get('home')).toBe(Home);
    expect(loads).toBe(1);
  });

  it('a failed load is tried again on the next call', async () => {
    let attempt = 0;
    const pages = lazyComponents({
      post: async () => {
        attempt++;
        if (attempt === 1) throw new Error('network down');
        return { default: Post };
      },
    });
    await expect(pages.load('post')).rejects.toThrow('network down');
    expect(pages.get('post')).toBeUndefined();
    await expect(pages.load('post')).resolves.toBe(Post);
  });

  it('preload() starts the load without surfacing its failure; already-loaded modules need no loading', async () => {
    const pages = lazyComponents({
      home: { default: Home },
      post: () => Promise.reject(new Error('offline')),
    });
    expect(pages.get('home')).toBe(Home);
    pages.preload('post');
    await expect(pages.loadAll()).rejects.toThrow('offline');
  });

  it('an unknown name is an error, not undefined forever', () => {
    const pages = lazyComponents({ home: { default: Home } });
    expect(() => pages.load('nope' as 'home')).toThrow('no component named "nope"');
  });
});
