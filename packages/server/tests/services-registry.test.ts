/**
 * The service registry: dependency order, reverse stop, start failures undone, health, clear
 * errors for a missing dependency or a cycle, and a fake in place of any service in one line.
 */
import { describe, expect, it } from 'vitest';
import { createServices, defineService, serviceOf } from '../src/services/service-registry.js';

interface Mailer {
  send(to: string): Promise<string>;
}

function appServices(log: string[]) {
  return {
    mailer: defineService<Mailer, { config: { from: string } }>({
      dependsOn: ['config'],
      start: ({ config }) => {
        log.push('start mailer');
        return { send: async (to) => `smtp ${config.from}→${to}` };
      },
      stop: () => {
        log.push('stop mailer');
      },
    }),
    signup: defineService<{ welcome(to: string): Promise<string> }, { mailer: Mailer }>({
      dependsOn: ['mailer'],
      start: ({ mailer }) => {
        log.push('start signup');
        return { welcome: (to) => mailer.send(to) };
      },
      stop: () => {
        log.push('stop signup');
      },
    }),
    config: defineService({
      start: () => {
        log.push('start config');
        return { from: 'blog@example.com' };
      },
      health: () => {},
      stop: () => {
        log.push('stop config');
      },
    }),
  };
}

describe('services', () => {
  it('start in dependency order, receive what they depend on, and stop in reverse', async () => {
    const log: string[] = [];
    const services = createServices(appServices(log));
    expect(services.order).toEqual(['config', 'mailer', 'signup']);
    await services.start();
    expect(await services.get('signup').welcome('ada@example.com')).toBe('smtp blog@example.com→ada@example.com');
    expect(Object.keys(services.all())).toEqual(['config', 'mailer', 'signup']);
    expect(await services.health()).toEqual({
      config: { status: 'up' },
      mailer: { status: 'up' },
      signup: { status: 'up' },
    });
    await services.stop();
    expect(log).toEqual(['start config', 'start mailer', 'start signup', 'stop signup', 'stop mailer', 'stop config']);
    expect(() => services.get('mailer')).toThrow('Service "mailer" is not started');
  });

  it('a test replaces a service with a fake in one line; its dependents get the fake', async () => {
    const log: string[] = [];
    const sent: string[] = [];
    const services = createServices(appServices(log), {
      replace: { mailer: { send: async (to) => (sent.push(to), 'fake') } },
    });
    await services.start();
    expect(await services.get('signup').welcome('ada@example.com')).toBe('fake');
    expect(sent).toEqual(['ada@example.com']);
    await services.stop();
    expect(log).not.toContain('start mailer');
    expect(log).not.toContain('stop mailer');
  });

  it('a service that fails to start stops those already started, and says which failed', async () => {
    const log: string[] = [];
    const services = createServices({
      ...appServices(log),
      search: defineService<never, { config: unknown }>({
        dependsOn: ['config'],
        start: () => {
          throw new Error('index unreachable');
        },
      }),
    });
    await expect(services.start()).rejects.toThrow('Service "search" failed to start: index unreachable');
    expect(log.filter((line) => line.startsWith('stop'))).toEqual(
      log
        .filter((line) => line.startsWith('start'))
        .reverse()
        .map((line) => line.replace('start', 'stop')),
    );
  });

  it('names a missing dependency and a cycle', () => {
    expect(() =>
      createServices({ a: defineService<number, { b: number }>({ dependsOn: ['b'], start: () => 1 }) }),
    ).toThrow('Service "a" depends on "b", which is not registered');
    expect(() =>
      createServices({
        a: defineService<number, { b: number }>({ dependsOn: ['b'], start: () => 1 }),
        b: defineService<number, { a: number }>({ dependsOn: ['a'], start: () => 2 }),
        c: defineService({ start: () => 3 }),
      }),
    ).toThrow('Services depend on each other in a cycle: a, b');
  });

  it('reports an unhealthy service, keeps stopping the rest when one fails to stop, and drains dependents first', async () => {
    const drained: string[] = [];
    const stopped: string[] = [];
    let down = false;
    const component = (name: string) => ({
      start: async () => {},
      health: async () => {
        if (down && name === 'queue') throw new Error('queue unreachable');
      },
      drain: async () => {
        drained.push(name);
      },
      stop: async () => {
        stopped.push(name);
        if (name === 'worker') throw new Error('stuck');
      },
    });
    const services = createServices({
      queue: serviceOf(component('queue')),
      worker: serviceOf(component('worker'), { dependsOn: ['queue'] }),
    });
    await services.start();
    down = true;
    expect((await services.health()).queue).toEqual({ status: 'down', error: 'queue unreachable' });
    await expect(services.check('queue')).rejects.toThrow('queue unreachable');
    await services.drain();
    expect(drained).toEqual(['worker', 'queue']);
    await expect(services.stop()).rejects.toThrow('Service "worker" failed to stop: stuck');
    expect(stopped).toEqual(['worker', 'queue']);
  });
});
