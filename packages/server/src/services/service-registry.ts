/**
 * A named part of the app with a lifecycle (the database, a mailer, the jobs…). `start` receives
 * the services it depends on, already started, and returns what the others and the request
 * handlers get.
 */
export interface ServiceDefinition<T = unknown, Deps = never> {
  readonly dependsOn?: readonly string[];
  start(dependencies: Deps): Promise<T> | T;
  /** Rejects while the service cannot serve; reported by /ready under the service's name. */
  health?(service: T): Promise<void> | void;
  /** Shutdown has begun: stop taking new work (a worker stops fetching), finish what is running. */
  drain?(service: T): Promise<void> | void;
  /** Finish or hand back what is running within `timeoutMs`, then release everything. */
  stop?(service: T, options: { timeoutMs: number }): Promise<void> | void;
}

/** Types a service: `defineService<Mailer, { config: Config }>({ dependsOn: ['config'], start: … })`. */
export function defineService<T, Deps = never>(definition: ServiceDefinition<T, Deps>): ServiceDefinition<T, Deps> {
  return definition;
}

// `any` deliberately: a registry holds services of every dependency shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = ServiceDefinition<any, any>;

export type ServiceValues<Defs extends Record<string, AnyDefinition>> = {
  [K in keyof Defs]: Defs[K] extends ServiceDefinition<infer T, infer _D> ? T : never;
};

export interface ServiceHealth {
  readonly status: 'up' | 'down';
  readonly error?: string;
}

export interface Services<V extends Record<string, unknown> = Record<string, unknown>> {
  /** Start order: every service after the ones it depends on. */
  readonly order: readonly (keyof V & string)[];
  /** Starts every service in dependency order; if one fails, those started are stopped again. */
  start(): Promise<void>;
  /** A started service. */
  get<K extends keyof V & string>(name: K): V[K];
  /** Every started service by name: what a store's `dependencies` or a route handler receives. */
  all(): V;
  health(): Promise<Record<keyof V & string, ServiceHealth>>;
  /** Rejects when the named service is not started or its `health` rejects. */
  check(name: keyof V & string): Promise<void>;
  /** Tells every service that shutdown has begun, dependents first. */
  drain(): Promise<void>;
  /** Stops every started service in reverse start order, sharing `timeoutMs`; one failing does not stop the rest. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/** A registry of any services: what the server and its plugin accept. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServices = Services<any>;

export interface CreateServicesOptions<V> {
  /**
   * Services used as they are instead of started, e.g. `{ mailer: fakeMailer }` in a test: nothing
   * of their definition runs, and the services that depend on them get the replacement.
   */
  readonly replace?: Partial<V>;
}

/** Dependency order (Kahn's algorithm), with the cycle or missing service named. */
function startOrder(definitions: Record<string, AnyDefinition>): string[] {
  const names = Object.keys(definitions);
  for (const name of names) {
    for (const dependency of definitions[name]!.dependsOn ?? []) {
      if (!(dependency in definitions)) {
        throw new TypeError(`Service "${name}" depends on "${dependency}", which is not registered`);
      }
    }
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < names.length) {
    const ready = names.filter(
      (name) => !placed.has(name) && (definitions[name]!.dependsOn ?? []).every((dependency) => placed.has(dependency)),
    );
    if (ready.length === 0) {
      const stuck = names.filter((name) => !placed.has(name));
      throw new TypeError(`Services depend on each other in a cycle: ${stuck.join(', ')}`);
    }
    for (const name of ready) {
      placed.add(name);
      order.push(name);
    }
  }
  return order;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The registry of the app's services (the dependency injection of the framework). */
export function createServices<const Defs extends Record<string, AnyDefinition>>(
  definitions: Defs,
  options: CreateServicesOptions<ServiceValues<Defs>> = {},
): Services<ServiceValues<Defs>> {
  type V = ServiceValues<Defs>;
  type Name = keyof V & string;
  const order = startOrder(definitions) as Name[];
  const replaced = new Set(Object.keys(options.replace ?? {}));
  const values = new Map<Name, unknown>();
  const started: Name[] = [];

  const lifecycle = (name: Name): AnyDefinition | undefined => (replaced.has(name) ? undefined : definitions[name]);

  async function check(name: Name): Promise<void> {
    if (!values.has(name)) throw new Error(name in definitions ? 'not started' : `no service named "${name}"`);
    await lifecycle(name)?.health?.(values.get(name));
  }

  async function stopStarted(timeoutMs: number): Promise<unknown[]> {
    const deadline = Date.now() + timeoutMs;
    const errors: unknown[] = [];
    for (const name of started.splice(0).reverse()) {
      try {
        await lifecycle(name)?.stop?.(values.get(name), { timeoutMs: Math.max(0, deadline - Date.now()) });
      } catch (error) {
        errors.push(new Error(`Service "${name}" failed to stop: ${message(error)}`, { cause: error }));
      }
      values.delete(name);
    }
    return errors;
  }

  return {
    order,

    async start() {
      if (started.length > 0) throw new Error('Services are already started');
      for (const name of order) {
        try {
          const value = replaced.has(name)
            ? (options.replace as Record<string, unknown>)[name]
            : await definitions[name]!.start(
                Object.fromEntries(
                  (definitions[name]!.dependsOn ?? []).map((dependency) => [
                    dependency,
                    values.get(dependency as Name),
                  ]),
                ),
              );
          values.set(name, value);
          started.push(name);
        } catch (error) {
          await stopStarted(10_000);
          throw new Error(`Service "${name}" failed to start: ${message(error)}`, { cause: error });
        }
      }
    },

    get(name) {
      if (!values.has(name)) {
        throw new Error(
          name in definitions ? `Service "${name}" is not started` : `No service named "${name}" is registered`,
        );
      }
      return values.get(name) as V[typeof name];
    },

    all() {
      return Object.fromEntries(values) as V;
    },

    async health() {
      const entries = await Promise.all(
        order.map(async (name): Promise<[Name, ServiceHealth]> => {
          try {
            await check(name);
            return [name, { status: 'up' }];
          } catch (error) {
            return [name, { status: 'down', error: message(error) }];
          }
        }),
      );
      return Object.fromEntries(entries) as Record<Name, ServiceHealth>;
    },

    check,

    async drain() {
      for (const name of [...started].reverse()) await lifecycle(name)?.drain?.(values.get(name));
    },

    async stop(stopOptions = {}) {
      const errors = await stopStarted(stopOptions.timeoutMs ?? 10_000);
      if (errors.length > 0) throw new AggregateError(errors, errors.map(message).join('; '));
    },
  };
}

/** Anything with the lifecycle methods (the jobs, the events): a service whose value is the thing itself. */
export interface Lifecycle {
  start(): Promise<void>;
  health?(): Promise<void>;
  drain?(): Promise<void>;
  stop?(options: { timeoutMs: number }): Promise<void>;
}

/** `serviceOf(jobs, { dependsOn: ['database'] })`: registers a lifecycle object as a service. */
export function serviceOf<T extends Lifecycle>(
  component: T,
  options: { dependsOn?: readonly string[] } = {},
): ServiceDefinition<T, Record<string, unknown>> {
  return {
    ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
    async start() {
      await component.start();
      return component;
    },
    health: () => component.health?.(),
    drain: () => component.drain?.(),
    stop: (_service, stopOptions) => component.stop?.(stopOptions),
  };
}
